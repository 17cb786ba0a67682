"""Real-browser fixtures: the site served by gunicorn on loopback, driven by Debian's Chromium.

Playwright cannot download its own browser here, so it drives /usr/bin/chromium. Without a
Chromium these tests are skipped on a developer's machine and fail in CI (CI=true).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.content.loader import load_content
from app.extensions import db

from ..conftest import make_app, migrate_database
from ..servers import start_gunicorn, stop, wait_until_serving

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Without these, Chromium keeps trying to reach Google's hosts through a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The site as in production: gunicorn, two workers, on 127.0.0.1 only."""
    database = tmp_path_factory.mktemp("browser-db") / "site.db"
    app = make_app(database)
    migrate_database(app)
    with app.app_context():
        load_content(db.session)
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "browser-tests-" + "x" * 32,
        "DATABASE_URL": f"sqlite:///{database}",
    }
    server, base_url = start_gunicorn(env, workers=2)
    wait_until_serving(server, base_url)
    yield base_url
    stop(server)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": browser tests are required in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
