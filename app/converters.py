"""URL converters: a slug that cannot exist is a 404 before any query runs."""

from werkzeug.routing import BaseConverter


class SlugConverter(BaseConverter):
    regex = r"[a-z0-9]+(?:-[a-z0-9]+){0,15}"
