"""Languages: which one a request is in, its addresses, and the words around the content.

- Pages: English where they always were, Spanish under /es/ (`/es/roles/physiatrist`).
  `LanguagePrefix` moves the prefix into SCRIPT_NAME, so every `url_for` on a Spanish page
  stays in Spanish and the page cache (keyed by script root) keeps the languages apart.
  There is no redirect on Accept-Language: the address alone says the language.
- The JSON API: `?lang=es`, else the Accept-Language header; the answer says which in
  Content-Language. Machine words (slugs, option values) are the same in every language.
- Words in templates and code go through Flask-Babel's gettext (catalogues in
  app/translations/); the content's own words come from the database rows of that language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Response, has_request_context, request
from flask_babel import Babel, get_translations
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from werkzeug.exceptions import BadRequest

from .config import ConfigError
from .models import InLanguage
from .translation import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS

# The name of each language in itself, for the link to it.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# Where the prefix middleware leaves the language of a prefixed address.
ENVIRON_KEY = "pain_care_navigator.language"
# Where the language decided for a request is kept.
DECIDED_KEY = "pain_care_navigator.decided_language"
API_PREFIX = "/api/"

babel = Babel()


class LanguagePrefix:
    """WSGI middleware: `/es/roles/x` is the app's `/roles/x` in Spanish, mounted at `/es`."""

    def __init__(self, app: Callable[..., Any], languages: Iterable[str] = TRANSLATIONS):
        self.app = app
        self.languages = frozenset(languages)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        language, slash, rest = environ.get("PATH_INFO", "")[1:].partition("/")
        if language in self.languages:
            environ[ENVIRON_KEY] = language
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "").rstrip("/") + f"/{language}"
            environ["PATH_INFO"] = f"/{rest}" if slash else "/"
        return self.app(environ, start_response)


class UnknownLanguage(BadRequest):
    """An API request for a language the site does not have (answered in English)."""

    field = "lang"  # the API's error names the parameter at fault
    description = "lang must be one of: " + ", ".join(LANGUAGES) + "."


def current_language() -> str:
    """The language of this request ('en' outside one); decided once per request, and never
    an error here (an unknown ?lang is refused by `refuse_unknown_language` first, and reads
    as English in the error handlers that answer it)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    # Kept on the request, not on `g`: requests made inside an outer app context (the CLI's
    # report, tests) share one `g`.
    language = request.environ.get(DECIDED_KEY)
    if language is None:
        try:
            language = _language_of_request()
        except UnknownLanguage:
            language = DEFAULT_LANGUAGE
        request.environ[DECIDED_KEY] = language
    return language


def refuse_unknown_language() -> None:
    """A before-request hook, first of all: `?lang=xx` on the API is a 400 naming `lang`."""
    if DECIDED_KEY not in request.environ:
        try:
            request.environ[DECIDED_KEY] = _language_of_request()
        except UnknownLanguage:
            request.environ[DECIDED_KEY] = DEFAULT_LANGUAGE  # the error is in English
            raise


def _language_of_request() -> str:
    prefixed = request.environ.get(ENVIRON_KEY)
    if prefixed is not None:
        return prefixed
    if is_api_path():
        environ = request.environ
        # Parsed only when present: most API calls carry neither (a tenth of a POST's time).
        asked = request.args.get("lang") if "lang" in environ.get("QUERY_STRING", "") else None
        if asked is not None:
            if asked not in LANGUAGES:
                raise UnknownLanguage()
            return asked
        if not environ.get("HTTP_ACCEPT_LANGUAGE"):
            return DEFAULT_LANGUAGE
        return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def is_api_path() -> bool:
    return request.environ.get("PATH_INFO", "").startswith(API_PREFIX)


def site_root() -> str:
    """The script root without the language prefix: where the English site is mounted."""
    root = request.script_root
    language = request.environ.get(ENVIRON_KEY)
    if language and root.endswith(f"/{language}"):
        root = root[: -len(language) - 1]
    return root


# A longer query string (a long search) is left off the links to the other language.
MAX_QUERY_IN_LINKS = 400


def url_in_language(language: str) -> str:
    """This page's address in another language (path and query kept)."""
    prefix = "" if language == DEFAULT_LANGUAGE else f"/{language}"
    query = request.query_string.decode("latin-1")
    if len(query) > MAX_QUERY_IN_LINKS:
        query = ""
    return site_root() + prefix + request.path + (f"?{query}" if query else "")


def language_versions(home_only: bool = False) -> list[dict[str, str]]:
    """Every language version of this page, for hreflang links and the language switch; an
    error page offers each language's home page instead (its own address fails there too)."""
    return [
        {
            "code": language,
            "name": LANGUAGE_NAMES[language],
            "url": home_in_language(language) if home_only else url_in_language(language),
        }
        for language in LANGUAGES
    ]


def home_in_language(language: str) -> str:
    return site_root() + ("/" if language == DEFAULT_LANGUAGE else f"/{language}/")


@event.listens_for(Session, "do_orm_execute")
def _rows_in_current_language(state: ORMExecuteState) -> None:
    """Every query for content sees the rows of the request's language only (English outside
    a request). Relationship loads need no filter: rows link only to rows of their language.
    The loader and the search index, which write every language, opt out with
    `execution_options(any_language=True)`."""
    if (
        not state.is_select
        or state.is_column_load
        or state.is_relationship_load
        or state.execution_options.get("any_language", False)
    ):
        return
    language = current_language()
    state.statement = state.statement.options(
        with_loader_criteria(InLanguage, lambda cls: cls.language == language, include_aliases=True)
    )


# Endpoints whose address is the same in every language.
UNLOCALIZED_BLUEPRINTS = {"api", "health", "metrics"}
UNLOCALIZED_ENDPOINTS = {"static", "assets"}


def in_request_language(url: str, endpoint: str) -> str:
    """A page address built by url_for, moved under the request's language prefix when the
    language came from the API's lang / Accept-Language rather than from the address (so a
    Spanish API answer links to the Spanish pages). Pages asked under /es/ are already there."""
    if not has_request_context() or ENVIRON_KEY in request.environ:
        return url
    language = current_language()
    if language == DEFAULT_LANGUAGE or endpoint in UNLOCALIZED_ENDPOINTS:
        return url
    if endpoint.partition(".")[0] in UNLOCALIZED_BLUEPRINTS:
        return url
    root = request.script_root
    if not url.startswith(root + "/"):
        return url  # an external address
    return f"{root}/{language}{url[len(root) :]}"


def install_catalogues_once(app: Flask) -> None:
    """Templates look their words up in each language's catalogue, loaded once per process.
    Flask-Babel finds the request's catalogue anew for every word (a fifth of the time of the
    results page, with its fifty-odd words); the catalogues change only with a deploy."""
    catalogues: dict[str, Any] = {}

    def catalogue() -> Any:
        language = current_language()
        found = catalogues.get(language)
        if found is None:
            found = catalogues[language] = get_translations()
        return found

    def translate(text: str, **variables: Any) -> Markup:
        # `{{ _("...") }}` without Jinja's three context calls per word (the same result as
        # its newstyle gettext in our autoescaped templates: safe text, formatted with
        # escaped variables, always as a format string).
        return Markup(catalogue().ugettext(text)) % variables

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: catalogue().ugettext(text),
        ngettext=lambda text, plural, n: catalogue().ungettext(text, plural, n),
        newstyle=True,
        pgettext=lambda context, text: catalogue().upgettext(context, text),
        npgettext=lambda context, text, plural, n: catalogue().unpgettext(context, text, plural, n),
    )
    app.jinja_env.globals["_"] = translate


def require_catalogues(app: Flask) -> None:
    """Refuse to start without each language's compiled catalogue: Flask-Babel would quietly
    show English words around the Spanish content, the emergency page's among them."""
    # Flask-Babel's setting: one folder, relative to the app, unless configured otherwise.
    folder = Path(app.root_path) / app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations")
    for language in TRANSLATIONS:
        compiled = folder / language / "LC_MESSAGES" / "messages.mo"
        if not compiled.exists():
            raise ConfigError(
                f"{compiled} is missing: compile the catalogues with `make setup` (or "
                "`pybabel compile -d app/translations`)."
            )


def init_app(app: Flask) -> None:
    require_catalogues(app)
    app.wsgi_app = LanguagePrefix(app.wsgi_app)  # type: ignore[method-assign]
    babel.init_app(app, locale_selector=current_language)
    # {% trans %} blocks fold their whitespace, as `pybabel extract` does (babel.cfg).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    install_catalogues_once(app)
    app.before_request(refuse_unknown_language)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_versions"] = language_versions

    @app.after_request
    def say_which_language(response: Response) -> Response:
        response.headers["Content-Language"] = current_language()
        if is_api_path() and ENVIRON_KEY not in request.environ:
            response.vary.add("Accept-Language")
        return response
