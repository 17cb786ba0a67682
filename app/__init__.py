"""Pain Care Navigator: which kind of specialist should I see for my pain?"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    caching,
    content,
    errors,
    faults,
    filters,
    i18n,
    metrics,
    rate_limits,
    recommendations,
    request_log,
    security,
    snapshots,
)
from .config import load_config
from .converters import SlugConverter
from .extensions import compress, csrf, db
from .json_provider import OrjsonProvider
from .search import is_search_table

# Absolute, so `flask db ...` works from any working directory.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class PainCareFlask(Flask):
    json_provider_class = OrjsonProvider

    def url_for(self, endpoint: str, /, **values: Any) -> str:
        # A page's address in the language of the request (app/i18n.py).
        return i18n.in_request_language(super().url_for(endpoint, **values), endpoint)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = PainCareFlask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    # First: their hooks time and count everything, cache hits and refusals included.
    request_log.init_app(app)
    metrics.init_app(app)
    # Inside ProxyFix: a proxy's X-Forwarded-Prefix comes first, then the /es of the address.
    i18n.init_app(app)
    trust_proxies(app)
    recommendations.init_app(app)
    register_extensions(app)
    register_blueprints(app)
    security.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    content.init_app(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client's address, scheme and host from their
    X-Forwarded-* headers (so HSTS and secure cookies see HTTPS). Off unless configured."""
    count = int(app.config["TRUSTED_PROXIES"])
    if count > 0:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_prefix=count
        )


def register_extensions(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = faults.engine_options(
        url, app.config["DATABASE_TIMEOUT"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = snapshots.engine_options(url, options)
    db.init_app(app)
    snapshots.init_app(app)
    if app.config["DATABASE_MIGRATIONS"]:
        init_migrations(app)
    else:
        app.cli.add_command(migrations_are_off)
    # Before the CSRF check and the page cache: a client over its limit is refused before
    # any other work, and never served from the cache.
    rate_limits.init_app(app)
    csrf.init_app(app)
    # Compression first: after-request hooks run in reverse, so pages are cached uncompressed.
    compress.init_app(app)
    caching.init_app(app)


def init_migrations(app: Flask) -> None:
    """Flask-Migrate and its `flask db` commands. Imported only here: Alembic adds 11 MB to
    each process, and gunicorn's workers, which never migrate, leave it out
    (DATABASE_MIGRATIONS=false in gunicorn.conf.py)."""
    from flask_migrate import Migrate

    Migrate(
        app,
        db,
        directory=str(MIGRATIONS_DIR),
        render_as_batch=True,
        compare_type=True,
        include_name=include_in_migrations,
    )


@click.command(
    "db",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
def migrations_are_off() -> None:
    """Migrations are off in this process (DATABASE_MIGRATIONS=false)."""
    raise click.ClickException(
        "Migrations are off in this process (DATABASE_MIGRATIONS=false): unset it to run "
        "`flask db`."
    )


def include_in_migrations(name: str | None, type_: str, parent_names: dict) -> bool:
    # The search index is an SQLite FTS5 table made by hand in a migration; models omit it.
    return not (type_ == "table" and is_search_table(name))


def register_blueprints(app: Flask) -> None:
    from .api.views import bp as api_bp
    from .care_settings.views import bp as care_settings_bp
    from .clinicians.views import bp as clinicians_bp
    from .compare.views import bp as compare_bp
    from .conditions.views import bp as conditions_bp
    from .glossary.views import bp as glossary_bp
    from .guides.views import bp as guides_bp
    from .health import bp as health_bp
    from .pages.views import bp as pages_bp
    from .questionnaire.views import bp as questionnaire_bp
    from .roles.views import bp as roles_bp
    from .site_search.views import bp as search_bp
    from .training.views import bp as training_bp

    # Converters must exist before the routes that use them are added.
    app.url_map.converters["slug"] = SlugConverter
    for blueprint in (
        pages_bp,
        roles_bp,
        conditions_bp,
        care_settings_bp,
        clinicians_bp,
        training_bp,
        glossary_bp,
        guides_bp,
        compare_bp,
        search_bp,
        questionnaire_bp,
        api_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)
