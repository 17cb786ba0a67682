"""URL converters: a slug that cannot exist is a 404 before any query runs."""

from werkzeug.routing import BaseConverter


class SlugConverter(BaseConverter):
    # Lower-case letters, digits and inner hyphens, at most 80 characters (the column's size).
    regex = r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?"
