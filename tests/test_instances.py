"""Many instances behind a load balancer: two gunicorn instances on one PostgreSQL database,
with requests alternating between them, including a questionnaire that spans several steps.

Runs when TEST_DATABASE_URL points at PostgreSQL (as in CI's second run); SQLite is one file on
one machine, so there is nothing to share.
"""

from __future__ import annotations

import itertools
import os
import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from .conftest import TEST_DATABASE_URL, answers, form_fields
from .servers import gunicorn_instances

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL) shared by both instances"
)


@pytest.fixture(scope="module")
def two_instances(app):  # `app` has migrated and loaded the shared database
    env = {
        **os.environ,
        # Development mode: production marks the cookie Secure, which plain-HTTP loopback cannot
        # carry. What matters here is the shared secret key, as in production.
        "APP_ENV": "development",
        "SECRET_KEY": "shared-by-all-instances-" + "s" * 24,
        "DATABASE_URL": TEST_DATABASE_URL,
    }
    with gunicorn_instances(env) as urls:
        yield urls


def test_requests_alternate_between_instances(two_instances):
    pages = [
        "/",
        "/roles/physiatrist",
        "/compare?roles=physiatrist,neurologist",
        "/search?q=physio",
        "/api/v1/roles",
        "/healthz",
    ]
    for base, path in zip(itertools.cycle(two_instances), pages * 2):
        with urllib.request.urlopen(base + path, timeout=10) as response:
            assert response.status == 200, (base, path)


def test_a_questionnaire_can_move_between_instances_at_every_step(two_instances):
    """The cookie and the answers travel with the browser, so any instance can take any step."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    first, second = two_instances

    def token_of(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def post(base: str, fields: dict[str, str | list[str]]) -> str:
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        with opener.open(base + "/which-specialist", data=body, timeout=10) as response:
            assert response.status == 200
            return response.read().decode()

    html = opener.open(first + "/which-specialist", timeout=10).read().decode()
    fields = form_fields(answers(duration="over_3_months", severity=6, tried=["physical_therapy"]))
    emergency = {"red_flags": fields["red_flags"]}
    html = post(second, {"csrf_token": token_of(html), "step": "emergency", **emergency})
    assert "About your pain" in html
    html = post(first, {"csrf_token": token_of(html), "step": "about", **fields})
    assert "What matters to you" in html
    html = post(second, {"csrf_token": token_of(html), "step": "preferences", **fields})
    assert "Check your answers" in html
    html = post(first, {"csrf_token": token_of(html), "step": "check", **fields})
    assert "The specialists that fit best" in html


def test_a_content_load_reaches_every_instance(two_instances, app):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import ContentRelease

    with app.app_context():
        version = db.session.scalar(select(ContentRelease.version))
    for base in two_instances:
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            assert f'"content_version":"{version}"' in response.read().decode().replace(" ", "")
