"""Serving read-mostly pages fast: a per-worker cache of rendered pages and of page fragments,
conditional GET, and long-lived caching of static files under content-hashed names.

Content changes only through `flask content load`, which records a new content version in the
database. Workers read the current version from the database (one small query, at most once
every CONTENT_VERSION_TTL seconds) and key everything they cache by it, so any number of
workers and instances follow a content load. Pages that differ per visitor (the questionnaire,
with its CSRF token and the visitor's answers) are never cached; only their content parts are.

When the database stops answering, a worker serves the last rendering it holds of a page or a
fragment, whatever its version (stale-if-error), rather than refuse a patient a page it drew a
moment ago; app/errors.py answers 503 when it holds none (app/faults.py).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import rcssmin
from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    request,
    send_from_directory,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import safe_join

from .extensions import db
from .faults import database_unavailable, is_database_fault, is_missing_table
from .i18n import current_language, site_root
from .models import ContentRelease

# Blueprints whose GET responses depend only on the URL and the content version.
CACHEABLE_BLUEPRINTS = {
    "pages",
    "roles",
    "conditions",
    "care_settings",
    "clinicians",
    "training",
    "glossary",
    "guides",
    "compare",
    "site_search",
    "api",
}
# Cacheable views that read nothing from the database: drawn as usual while it is down.
NEED_NO_DATABASE = {"api.questionnaire", "api.openapi"}
T = TypeVar("T")
PageKey = tuple[str, str, str]  # script root, language, path with query
MAX_CACHED_PAGES = 512  # bounds worker memory (a page is 5-40 KB)
MAX_FRAGMENTS = 64  # a few named fragments per script root; beyond that, built each time
ONE_YEAR = 31_536_000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedPage:
    version: str  # the content version it was drawn from
    body: bytes
    mimetype: str
    etag: str


class PageCache:
    """A small thread-safe LRU of rendered pages, the latest rendering of each address: served
    while its content version is current, and as a stale copy while the database is down."""

    def __init__(self, size: int = MAX_CACHED_PAGES):
        self.size = size
        self._pages: OrderedDict[PageKey, CachedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: PageKey, version: str | None = None) -> CachedPage | None:
        """The page at `key` if it was drawn from `version`; any version's if that is None."""
        with self._lock:
            page = self._pages.get(key)
            if page is None or (version is not None and page.version != version):
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: PageKey, page: CachedPage) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


class VersionClock:
    """The content version as last read from the database, re-read after `ttl` seconds, so
    that busy workers do not ask on every request. A content load reaches every worker and
    instance within `ttl` seconds (0 asks every time, as the tests do).

    When the database fails, the clock says so (`unreachable`) and does not ask again for `ttl`
    seconds: while it is down, requests in this worker do not each wait for it to fail. One
    thread asks at a time; the others meanwhile take the answer the clock already has."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._version: str | None = None
        self._read_at = float("-inf")
        self._failed_at = float("-inf")
        self._asking = False
        self.unreachable = False  # the last attempt to read the database failed
        self.last_good: str | None = None  # the newest version read (for /metrics)
        self._lock = threading.Lock()

    def version(self) -> str | None:
        now = time.monotonic()
        with self._lock:
            if self._version is not None and now - self._read_at < self.ttl:
                return self._version
            if self.unreachable and now - self._failed_at < self.ttl:
                return None
            asked_by_another = self._asking
            if asked_by_another and (self.unreachable or self._version is not None):
                return None if self.unreachable else self._version
            # Ask: no other thread is, or none has an answer yet (a worker's first requests
            # must not be drawn as if there were no content).
            self._asking = True
        try:
            version = db.session.execute(select(ContentRelease.version)).scalar()
        except SQLAlchemyError as error:
            db.session.rollback()
            if self.is_outage(error):
                self.failed(error)
            return None  # not a fault (no tables yet): pages say what is wrong themselves
        finally:
            if not asked_by_another:
                with self._lock:
                    self._asking = False
        with self._lock:
            if self.unreachable:
                log.warning("Database answering again")
            self._version, self._read_at, self.unreachable = version, now, False
            if version is not None:
                self.last_good = version
        return version

    def is_outage(self, error: SQLAlchemyError) -> bool:
        """A fault (app/faults.py), or tables gone from a database that had content: a SQLite
        file deleted or emptied under the site reads as an empty database ("no such table")."""
        return is_database_fault(error) or (self.last_good is not None and is_missing_table(error))

    def failed(self, error: SQLAlchemyError) -> None:
        """The database just failed (here or in a page's own query): serve without it for
        `ttl` seconds. Logged once per outage, not once per request."""
        with self._lock:
            if not self.unreachable:
                log.warning(
                    "Database unavailable (%s: %s); serving without it",
                    type(error).__name__,
                    str(getattr(error, "orig", None) or error).strip(),
                )
            self._version, self._failed_at, self.unreachable = None, time.monotonic(), True
        # Connections that saw the fault may stay broken after the database is back (SQLite
        # keeps failing on a file that was unreadable for a moment): make new ones next time.
        db.engine.dispose()


def is_outage(error: SQLAlchemyError) -> bool:
    """Whether a failed query means the database is down (503, stale pages), not a mistake of
    ours (500)."""
    return current_app.extensions["version_clock"].is_outage(error)


def note_database_failure(error: SQLAlchemyError) -> None:
    """A query failed: the page is served without the part it could not read (or as a 503),
    so it is not kept in the page cache; if the database is down, the worker stops asking it
    for a while."""
    g.database_failed = True
    clock = current_app.extensions["version_clock"]
    if clock.is_outage(error):
        clock.failed(error)


def database_unreachable() -> bool:
    """Whether this worker last found the database not answering (not merely empty)."""
    current_content_version()
    return current_app.extensions["version_clock"].unreachable


def current_content_version() -> str | None:
    """The content version for this request (read at most once per request)."""
    if "content_version" not in g:
        g.content_version = current_app.extensions["version_clock"].version()
    return g.content_version


class FragmentCache:
    """Parts of pages that are the same for every visitor, such as a role's card on the
    questionnaire results page: built once per content version in each worker. Only content
    goes in here, never anything made from a visitor's answers."""

    def __init__(self, size: int = MAX_FRAGMENTS) -> None:
        self.size = size
        self._version: str | None = None
        self._fragments: dict[tuple[str, str, str], Any] = {}
        self._lock = threading.Lock()

    def stale(self, key: tuple[str, str, str]) -> Any | None:
        """The fragment as last built, from whatever content version: for when the database
        is down."""
        with self._lock:
            return self._fragments.get(key)

    def get(self, version: str, key: tuple[str, str, str], build: Callable[[], T]) -> T:
        with self._lock:
            if version != self._version:  # new content: drop everything built from the old
                self._version, self._fragments = version, {}
            if key in self._fragments:
                return self._fragments[key]
        value = build()
        with self._lock:
            if version == self._version and len(self._fragments) < self.size:
                self._fragments[key] = value
        return value


def cached_fragment(name: str, build: Callable[[], T], offline: Callable[[], T] | None = None) -> T:
    """`build()`, reused until the content changes (built afresh if there is no content).
    While the database is down: as last built, else `offline()` if given (made without the
    database), else `build()`. Kept per script root too: fragments hold links, and a site
    mounted under another path (or a forged X-Forwarded-Prefix) must not change the links
    other visitors get."""
    version = current_content_version()
    fragments = current_app.extensions["fragment_cache"]
    key = (request.script_root, current_language(), name)
    if version is None:
        if database_unreachable():
            stale = fragments.stale(key)
            if stale is not None:
                return stale
            if offline is not None:
                return offline()
        return build()
    return fragments.get(version, key, build)


def _cache_key() -> PageKey | None:
    if request.method not in ("GET", "HEAD") or request.blueprint not in CACHEABLE_BLUEPRINTS:
        return None
    # The script root too: behind proxies that mount the site under different paths, the
    # same page has different links. The language too: the API answers by Accept-Language.
    return (request.script_root, current_language(), request.full_path)


def _serve(page: CachedPage, status: int = 200) -> Response:
    response = Response(page.body, status=status, mimetype=page.mimetype)
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = "no-cache"  # browsers may keep it, but must revalidate
    return response.make_conditional(request)


def stale_page() -> Response | None:
    """The last rendering this worker holds of the requested page, from any content version,
    for when the database is down; None if the page is not cacheable or was never drawn."""
    key = g.get("page_cache_key")
    page = current_app.extensions["page_cache"].get(key) if key is not None else None
    if page is None:
        return None
    g.page_cache_hit = g.served_stale = True
    response = _serve(page)
    # Still worth having, but not to be kept by shared caches as the current page.
    response.headers["Cache-Control"] = "no-cache, no-store"
    return response


# --- static files under content-hashed names -------------------------------------------------


@cache
def _asset_digest(static_folder: str, filename: str) -> str:
    return hashlib.sha256((Path(static_folder) / filename).read_bytes()).hexdigest()[:12]


@cache
def _minified_css(static_folder: str, filename: str, digest: str) -> bytes:
    """The stylesheet without comments and spaces: a quarter smaller, and every page's budget
    (HTML plus CSS under 40 KB) counts it. The files stay commented for people to read."""
    return rcssmin.cssmin((Path(static_folder) / filename).read_text(encoding="utf-8")).encode()


def asset_url(filename: str) -> str:
    """/assets/<digest>/<filename>: a new file gets a new address, so it can be cached forever.
    Every language shares one address (not /es/assets/...), so a browser fetches it once."""
    return _remembered_url(
        ("asset", filename),
        lambda: (
            site_root()
            + url_for(
                "assets",
                digest=_asset_digest(current_app.static_folder, filename),
                filename=filename,
            )[len(request.script_root) :]
        ),
    )


def url_for_in_templates(endpoint: str, **values: Any) -> str:
    """Flask's url_for, remembering the address of pages that take no arguments. Every page's
    header and footer link to a dozen of them, and building those addresses anew took more than
    half the time of drawing the layout on pages that are not cached (the questionnaire)."""
    if values or endpoint.startswith("."):  # relative endpoints depend on the blueprint
        return url_for(endpoint, **values)
    return _remembered_url(("page", endpoint), lambda: url_for(endpoint))


def remembered_urls(name: str, build: Callable[[], dict[str, str]]) -> dict[str, str]:
    """Addresses that many requests need, built by `build()` from content values only (never
    from the request) and remembered per script root: for example every role page's address,
    which each API recommendation gives (twelve url_for calls took a sixth of its time)."""
    return _remembered_url(("urls", name), build)


MAX_REMEMBERED_URLS = 256


def _remembered_url(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    # A relative address depends only on the app's routes and the script root (the path a
    # reverse proxy mounts the site under), so it is remembered per script root.
    if not has_request_context():
        return build()
    urls = current_app.extensions["remembered_urls"]
    full_key = (request.script_root, current_language(), *key)
    url = urls.get(full_key)
    if url is None:
        url = build()
        if len(urls) < MAX_REMEMBERED_URLS:  # bounded, whatever script roots arrive
            urls[full_key] = url
    return url


def init_app(app: Flask) -> None:
    pages = PageCache()
    app.extensions["page_cache"] = pages
    app.extensions["fragment_cache"] = FragmentCache()
    app.extensions["version_clock"] = VersionClock(app.config["CONTENT_VERSION_TTL"])

    @app.before_request
    def serve_from_cache():
        key = _cache_key()
        g.page_cache_key = key
        if key is None:
            return None
        version = current_content_version()
        if version is None:
            if not database_unreachable():
                return None  # no content loaded: the page says so itself
            # The database is down: an earlier rendering if this worker has one, otherwise a
            # 503 at once, without waiting for the database again.
            stale = stale_page()
            if stale is None and request.endpoint not in NEED_NO_DATABASE:
                raise database_unavailable(app.config["DATABASE_RETRY_AFTER"])
            return stale
        page = pages.get(key, version)
        if page is not None:
            g.page_cache_hit = True
            return _serve(page)
        return None

    @app.after_request
    def store_in_cache(response: Response) -> Response:
        key = g.get("page_cache_key")
        if key is None or g.get("page_cache_hit") or response.status_code != 200:
            return response
        if response.direct_passthrough or response.is_streamed:
            return response
        version = g.get("content_version")
        if version is None or g.get("database_failed"):  # drawn without some of its parts
            return response
        body = response.get_data()
        page = CachedPage(version, body, response.mimetype, hashlib.sha256(body).hexdigest()[:20])
        pages.put(key, page)
        response.set_etag(page.etag)
        response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)

    @app.get("/assets/<digest>/<path:filename>")
    def assets(digest: str, filename: str):
        if safe_join(app.static_folder, filename) is None:  # no way out of static/
            abort(404)
        try:
            current = _asset_digest(app.static_folder, filename)
        except (OSError, ValueError):
            abort(404)
        if digest != current:
            abort(404)
        if filename.endswith(".css"):
            response = Response(
                _minified_css(app.static_folder, filename, digest), mimetype="text/css"
            )
            response.set_etag(digest)
            response = response.make_conditional(request)
        else:
            response = send_from_directory(app.static_folder, filename, max_age=ONE_YEAR)
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        return response

    app.extensions["remembered_urls"] = {}
    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["url_for"] = url_for_in_templates
