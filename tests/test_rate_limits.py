"""Rate limits (app/rate_limits.py): a 429 with Retry-After, in the API's JSON shape or as a
friendly page; one limit for the API's POST, one for the questionnaire's, a looser one shared
by all pages; health checks and static files never refused; the client's own address, taken
from X-Forwarded-For only behind trusted proxies; and one limit shared by two gunicorn
instances through a real Redis.

The shared `app` has its limits off (make_app in conftest.py), since the rest of the suite
sends thousands of requests from 127.0.0.1; the apps here turn them on with small limits.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

import httpx
import pytest
import redis
from bs4 import BeautifulSoup

from app import create_app
from app.caching import asset_url
from app.config import ConfigError
from app.extensions import db

from .conftest import answers, app_on_the_shared_database
from .servers import free_port, gunicorn_instances, stop

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_API_POST": "3 per minute",
    "RATELIMIT_QUESTIONNAIRE_POST": "3 per minute",
    "RATELIMIT_PAGES": "5 per minute",
}
PAGES = ["/", "/roles/physiatrist", "/api/v1/roles", "/glossary", "/compare"]
API_MESSAGE = re.compile(
    r"Too many requests from your address\. Please try again in (\d+) seconds?\."
)


@pytest.fixture()
def limited_app(app):
    """Makes apps on the shared database with the limits above on (and `overrides`)."""
    made = []

    def make(**overrides):
        made.append(app_on_the_shared_database(app, **{**LIMITS, **overrides}))
        return made[-1]

    yield make
    for limited in made:
        with limited.app_context():
            db.engine.dispose()


def post_recommendation(client, **kwargs):
    return client.post("/api/v1/recommendations", json=answers(), **kwargs)


def post_first_step(client):
    return client.post("/which-specialist", data={"step": "emergency", "red_flags": "none"})


def retry_after(headers) -> int:
    seconds = int(headers["Retry-After"])
    assert 1 <= seconds <= 60  # within the limits' one-minute window
    return seconds


def check_api_refusal(status: int, headers, body) -> None:
    assert status == 429
    seconds = retry_after(headers)
    assert body == {"errors": {"_request": [body["errors"]["_request"][0]]}}
    said = API_MESSAGE.fullmatch(body["errors"]["_request"][0])
    assert said and int(said.group(1)) == seconds


# --- one instance -----------------------------------------------------------------------------


def test_the_api_post_over_its_limit_gets_a_429_in_the_json_shape(limited_app):
    client = limited_app().test_client()
    assert [post_recommendation(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = post_recommendation(client)
    assert refused.mimetype == "application/json"
    check_api_refusal(refused.status_code, refused.headers, refused.get_json())


def test_the_questionnaire_post_over_its_limit_gets_a_friendly_page(limited_app):
    client = limited_app().test_client()
    assert [post_first_step(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = post_first_step(client)
    assert refused.status_code == 429
    assert refused.mimetype == "text/html"
    seconds = retry_after(refused.headers)
    page = BeautifulSoup(refused.get_data(as_text=True), "html.parser")
    assert page.h1.get_text(strip=True) == "Please wait a moment"
    message = " ".join(page.find(class_="error-page").get_text(" ").split())
    assert f"Please wait {seconds} second" in message
    assert "In an emergency, call your local emergency number (911 in the US)" in message
    assert page.find(class_="error-code").get_text(strip=True) == "Error code: 429"


def test_pages_share_one_looser_limit_that_posts_do_not_use(limited_app):
    client = limited_app().test_client()
    for _ in range(3):
        post_recommendation(client)  # the API's POST limit is now used up...
    assert [client.get(path).status_code for path in PAGES] == [200] * 5  # ...the pages' is not
    page = client.get("/roles")
    assert page.status_code == 429 and page.mimetype == "text/html"
    retry_after(page.headers)
    api = client.get("/api/v1/care-settings")
    check_api_refusal(api.status_code, api.headers, api.get_json())
    assert client.head("/").status_code == 429


def test_the_two_posts_have_separate_limits(limited_app):
    client = limited_app().test_client()
    for _ in range(3):
        post_recommendation(client)
    assert post_recommendation(client).status_code == 429
    assert post_first_step(client).status_code == 200


def test_health_checks_metrics_and_static_files_are_never_refused(limited_app):
    limited = limited_app(RATELIMIT_PAGES="1 per minute", METRICS_ENABLED=True)
    client = limited.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/roles").status_code == 429  # the pages' limit is used up
    with limited.test_request_context():
        assets = [asset_url("css/site.css"), asset_url("img/favicon.svg")]
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        for path in [*assets, "/static/img/favicon.svg"]:
            with client.get(path) as response:  # a file response holds the file open
                assert response.status_code == 200, path
        for path in ("/healthz/live", "/healthz/ready", "/metrics"):
            assert client.get(path).status_code != 429, path


def test_every_page_limit_given_holds(limited_app):
    client = limited_app(RATELIMIT_PAGES="100/second;3/hour").test_client()
    assert [client.get("/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_addresses_that_match_no_page_count_too(limited_app):
    client = limited_app().test_client()
    assert [client.get(f"/no-such-page-{n}").status_code for n in range(6)] == [404] * 5 + [429]


def test_page_windows_restart_and_say_how_long_to_wait():
    from app.rate_limits import LocalWindows

    windows = LocalWindows(amount=2, seconds=60)
    assert [windows.hit("a", 0.0), windows.hit("a", 1.0)] == [None, None]
    assert windows.hit("a", 20.0) == 40  # the window started at 0
    assert windows.hit("b", 20.0) is None  # another client, its own window
    assert windows.hit("a", 60.0) is None  # a new window


def test_page_windows_keep_a_bounded_number_of_clients():
    from app.rate_limits import LocalWindows

    windows = LocalWindows(amount=1, seconds=60, most_clients=3)
    for n in range(1000):  # a flood from many addresses
        windows.hit(f"10.0.{n // 256}.{n % 256}", float(n) / 100)
    assert len(windows._windows) == 3
    assert list(windows._windows) == ["10.0.3.229", "10.0.3.230", "10.0.3.231"]  # the newest


# --- the client's address ---------------------------------------------------------------------


def test_a_forged_x_forwarded_for_cannot_escape_the_limit(limited_app):
    client = limited_app(TRUSTED_PROXIES=0).test_client()
    statuses = [
        post_recommendation(client, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # The limit is per address, not for everyone: another client is still served.
    other = post_recommendation(client, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 200


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(limited_app):
    client = limited_app(TRUSTED_PROXIES=1).test_client()

    def from_client(address: str) -> int:
        return post_recommendation(client, headers={"X-Forwarded-For": address}).status_code

    assert [from_client("203.0.113.1") for _ in range(4)] == [200, 200, 200, 429]
    assert from_client("203.0.113.2") == 200


# --- configuration ----------------------------------------------------------------------------


def test_a_limit_that_does_not_parse_stops_the_app_at_start_up(app):
    with pytest.raises(ConfigError, match="RATELIMIT_API_POST='sixty a minute'"):
        app_on_the_shared_database(app, RATELIMIT_ENABLED=True, RATELIMIT_API_POST="sixty a minute")


def environment_app(app, monkeypatch, **environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )


def test_limits_come_from_the_environment(app, monkeypatch):
    from_env = environment_app(app, monkeypatch, RATELIMIT_API_POST="1 per minute")
    client = from_env.test_client()
    assert [post_recommendation(client).status_code for _ in range(2)] == [200, 429]
    with from_env.app_context():
        db.engine.dispose()


def test_false_in_the_environment_turns_the_limits_off(app, monkeypatch):
    off = environment_app(
        app, monkeypatch, RATELIMIT_ENABLED="false", RATELIMIT_API_POST="1 per minute"
    )
    client = off.test_client()
    assert [post_recommendation(client).status_code for _ in range(3)] == [200, 200, 200]
    assert off.config["RATELIMIT_ENABLED"] is False
    with off.app_context():
        db.engine.dispose()


# --- Redis ------------------------------------------------------------------------------------


def test_the_site_keeps_serving_when_redis_is_unreachable(limited_app):
    nothing_listens = f"redis://127.0.0.1:{free_port()}"
    client = limited_app(RATELIMIT_STORAGE_URI=nothing_listens).test_client()
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200
    # Counted in this worker's memory meanwhile, so the limits still hold.
    assert [post_recommendation(client).status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A real redis-server on a free loopback port, with nothing written to disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "no redis-server (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message + ": the shared-limit tests are required in CI")
        pytest.skip(message)
    port = free_port()
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        + ["--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"redis://127.0.0.1:{port}"
    try:
        wait_for(lambda: redis_answers(url), server, "redis-server")
        yield url
    finally:
        stop(server)


def redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False
    finally:
        client.close()


def wait_for(ready, process: subprocess.Popen, name: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            error = process.stderr.read().decode()
            process.stderr.close()
            pytest.fail(f"{name} did not start: {error}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def two_instances(app, redis_url):
    """Two gunicorn instances, as production runs them, counting in the same Redis."""
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "rate-limit-tests-" + "r" * 32,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_API_POST": "3 per minute",
    }
    with gunicorn_instances(env) as urls:
        yield urls


def test_two_instances_sharing_redis_share_one_limit(two_instances):
    first, second = two_instances
    with httpx.Client(timeout=10) as http:
        responses = [
            http.post(base + "/api/v1/recommendations", json=answers())
            for base in (first, second, first, second, first)
        ]
    # Counted apart, each instance would have let all of these through (three and two).
    assert [response.status_code for response in responses] == [200, 200, 200, 429, 429]
    for refused in responses[3:]:
        check_api_refusal(refused.status_code, refused.headers, refused.json())
