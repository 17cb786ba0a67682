"""Prometheus metrics (app/metrics.py): off unless configured, guarded when on, counts that
match the requests sent, in one process and across gunicorn's workers, and no patient data in
a label or a log line."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from app.config import ConfigError
from app.content.loader import load_content
from app.extensions import db
from app.models import ContentRelease
from app.request_log import REQUEST_LOGGER

from .conftest import answers, app_on_the_shared_database, form_fields, make_app, migrate_database
from .database_faults import UnreadableFile
from .servers import REPO_ROOT, start_gunicorn, stop, wait_until_serving
from .test_request_logs import FIELDS

REQUESTS = "pcn_http_requests_total"
LATENCY_COUNT = "pcn_http_request_duration_seconds_count"
TOKEN = "a-scrape-token-for-the-tests-0123456789"


@pytest.fixture()
def metrics_app(app):
    """`metrics_app(**overrides)`: an app with metrics on, on the shared database."""
    made = []

    def make(**overrides):
        made.append(app_on_the_shared_database(app, **{"METRICS_ENABLED": True, **overrides}))
        return made[-1]

    yield make
    for private in made:
        with private.app_context():
            db.engine.dispose()


def parse(text: str) -> dict[str, list]:
    """Samples by name, as Prometheus would read them."""
    samples: dict[str, list] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    return samples


def scrape(client, **kwargs) -> dict[str, list]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return parse(response.get_data(as_text=True))


def value(samples: dict[str, list], name: str, **labels: str) -> float:
    """The sum of the samples called `name` whose labels include `labels` (0 if none)."""
    return sum(
        sample.value
        for sample in samples.get(name, [])
        if all(sample.labels.get(key) == wanted for key, wanted in labels.items())
    )


# --- off, and who may read it ------------------------------------------------------------------


def test_metrics_are_off_by_default(client, app):
    assert client.get("/metrics").status_code == 404
    assert "metrics" not in app.extensions


def test_metrics_switched_off_from_the_environment_stay_off(metrics_app):
    client = metrics_app(METRICS_ENABLED="false").test_client()
    assert client.get("/metrics").status_code == 404


def test_metrics_answer_loopback_only_by_default(metrics_app):
    client = metrics_app().test_client()
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert outside.status_code == 404
    assert b"pcn_" not in outside.data


def test_a_client_behind_the_trusted_proxy_is_not_the_proxys_loopback(metrics_app):
    client = metrics_app(TRUSTED_PROXIES=1).test_client()
    through_proxy = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert through_proxy.status_code == 404
    assert client.get("/metrics").status_code == 200  # the scraper, on the machine itself


def test_allowed_addresses_take_networks_and_a_list_from_the_environment(metrics_app):
    client = metrics_app(METRICS_ALLOWED_ADDRESSES=" 10.0.0.0/8, 192.0.2.7").test_client()
    for address, status in [
        ("10.1.2.3", 200),
        ("192.0.2.7", 200),
        ("192.0.2.8", 404),
        ("127.0.0.1", 404),
    ]:
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": address}).status_code == status


def test_a_token_is_needed_when_one_is_set(metrics_app):
    client = metrics_app(METRICS_TOKEN=TOKEN).test_client()
    for authorization in (None, "Bearer wrong", f"Bearer {TOKEN}x", TOKEN, f"Basic {TOKEN}"):
        headers = {"Authorization": authorization} if authorization else {}
        assert client.get("/metrics", headers=headers).status_code == 404, authorization
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    # The token does not replace the address check: both must pass.
    elsewhere = client.get(
        "/metrics",
        headers={"Authorization": f"Bearer {TOKEN}"},
        environ_base={"REMOTE_ADDR": "203.0.113.5"},
    )
    assert elsewhere.status_code == 404


def test_any_address_with_the_token(metrics_app):
    client = metrics_app(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_ADDRESSES="*").test_client()
    remote = {"REMOTE_ADDR": "203.0.113.5"}
    assert client.get("/metrics", environ_base=remote).status_code == 404
    with_token = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/metrics", headers=with_token, environ_base=remote).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"METRICS_ALLOWED_ADDRESSES": "*"}, "set METRICS_TOKEN too"),
        ({"METRICS_ALLOWED_ADDRESSES": ["*"], "METRICS_TOKEN": ""}, "set METRICS_TOKEN too"),
        ({"METRICS_ALLOWED_ADDRESSES": "localhost"}, "METRICS_ALLOWED_ADDRESSES"),
    ],
)
def test_an_open_or_unreadable_metrics_setting_stops_the_app(app, overrides, message):
    with pytest.raises(ConfigError, match=message):
        app_on_the_shared_database(app, METRICS_ENABLED=True, **overrides)


# --- what is counted ----------------------------------------------------------------------------


def test_request_counts_match_the_requests_sent(metrics_app):
    client = metrics_app().test_client()
    for _ in range(3):
        assert client.get("/roles/physiatrist").status_code == 200
    assert client.get("/no-such-page?q=x").status_code == 404
    assert client.post("/api/v1/recommendations", json=answers()).status_code == 200
    assert client.post("/api/v1/recommendations", json={}).status_code == 422
    assert client.head("/roles").status_code == 200
    samples = scrape(client)

    assert value(samples, REQUESTS) == 7  # the scrape itself is counted once it is answered
    expected = [
        ("roles.role_detail", "GET", "200", 3),
        ("none", "GET", "404", 1),
        ("api.create_recommendation", "POST", "200", 1),
        ("api.create_recommendation", "POST", "422", 1),
        ("roles.role_index", "HEAD", "200", 1),
    ]
    for endpoint, method, status, count in expected:
        labels = {"endpoint": endpoint, "method": method, "status": status}
        assert value(samples, REQUESTS, **labels) == count, labels
    assert value(samples, LATENCY_COUNT, endpoint="roles.role_detail") == 3
    assert value(samples, LATENCY_COUNT) == 7
    buckets = [
        s.value
        for s in samples["pcn_http_request_duration_seconds_bucket"]
        if s.labels["endpoint"] == "roles.role_detail"
    ]
    assert buckets == sorted(buckets) and buckets[-1] == 3

    again = scrape(client)  # not page-cached: the first scrape is in the second
    assert value(again, REQUESTS, endpoint="metrics", status="200") == 1


def test_page_cache_hits_and_misses_are_counted(metrics_app):
    client = metrics_app().test_client()
    client.get("/about")  # drawn: a miss
    client.get("/about")  # from the cache: a hit
    client.get("/roles/neurologist")  # a miss
    client.get("/which-specialist")  # never cached: neither
    client.post("/api/v1/recommendations", json=answers())  # neither
    samples = scrape(client)
    assert value(samples, "pcn_page_cache_misses_total") == 2
    assert value(samples, "pcn_page_cache_hits_total") == 1
    assert value(samples, "pcn_stale_pages_served_total") == 0


def test_rate_limit_refusals_are_counted_by_endpoint(metrics_app):
    client = metrics_app(RATELIMIT_ENABLED=True, RATELIMIT_API_POST="1 per minute").test_client()
    statuses = [client.post("/api/v1/recommendations", json=answers()).status_code for _ in "abc"]
    assert statuses == [200, 429, 429]
    samples = scrape(client)
    assert value(samples, "pcn_rate_limited_requests_total") == 2
    assert value(samples, "pcn_rate_limited_requests_total", endpoint="api.create_recommendation")
    assert value(samples, REQUESTS, endpoint="api.create_recommendation", status="429") == 2


def test_the_content_version_is_the_one_last_read(metrics_app):
    client = metrics_app().test_client()
    fresh = scrape(client)
    assert "pcn_content_version_info" not in fresh  # not read yet: nothing to report
    client.get("/")
    [info] = scrape(client)["pcn_content_version_info"]
    with client.application.app_context():
        version = db.session.scalar(select(ContentRelease.version))
    assert (info.labels, info.value) == ({"version": version}, 1)


def test_database_outages_are_counted_as_stale_pages_and_503s(tmp_path):
    database = tmp_path / "site.db"
    own = make_app(database, METRICS_ENABLED=True)
    migrate_database(own)
    with own.app_context():
        load_content(db.session)
    client = own.test_client()
    assert client.get("/about").status_code == 200  # drawn, and kept
    UnreadableFile(database).stop()  # the file can no longer be read
    assert client.get("/about").status_code == 200  # as last drawn
    assert client.get("/roles").status_code == 503
    samples = scrape(client)
    assert value(samples, "pcn_stale_pages_served_total") == 1
    assert value(samples, "pcn_database_unavailable_responses_total") == 1
    assert value(samples, "pcn_database_unavailable_responses_total", endpoint="roles.role_index")
    assert "pcn_content_version_info" in samples  # the last version read, still
    with own.app_context():
        db.engine.dispose()


def test_two_apps_in_one_process_count_apart(metrics_app):
    first, second = metrics_app().test_client(), metrics_app().test_client()
    first.get("/about")
    first.get("/about")
    second.get("/about")
    assert value(scrape(first), REQUESTS, endpoint="pages.about") == 2
    assert value(scrape(second), REQUESTS, endpoint="pages.about") == 1


# --- no patient data ------------------------------------------------------------------------------

DISTINCTIVE = answers(
    red_flags=["none"],
    age_group="older_adult",
    age_years=87,
    duration="6_weeks_to_3_months",
    situation="long_term_condition",
    locations=["teeth_or_jaw", "groin_or_genitals"],
    qualities=["throbbing_with_nausea_or_light_sensitivity"],
    severity=9,
    tried=["psychological_support", "opioid_medicine"],
    mood_or_sleep_affected=True,
    preferences=["want_surgical_opinion"],
)
QUERY = "note=canary-in-the-query&age_years=87"


def answer_words(body: dict) -> set[str]:
    words = set()
    for given in body.values():
        for item in given if isinstance(given, list) else [given]:
            if isinstance(item, str) and item != "none":  # "none" is also the unmatched endpoint
                words.add(item)
    return words


def test_no_answer_or_query_string_reaches_a_label_or_a_log_line(metrics_app, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    client = metrics_app().test_client()
    api = client.post(f"/api/v1/recommendations?{QUERY}", json=DISTINCTIVE)
    assert api.status_code == 200
    form = client.post(
        f"/which-specialist?{QUERY}", data={"step": "check", **form_fields(DISTINCTIVE)}
    )
    assert form.status_code == 200 and "The specialists that fit best" in form.text
    assert client.get(f"/search?q=canary-searched-words&{QUERY}").status_code == 200
    assert client.get(f"/no-such/canary-in-the-path?{QUERY}").status_code == 404
    exposition = client.get("/metrics").get_data(as_text=True)

    secrets = answer_words(DISTINCTIVE) | {"canary", "age_years", "87"}
    labels = {
        label
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        for label in sample.labels.values()
    }
    assert not {label for label in labels if any(secret in label for secret in secrets)}
    in_text = secrets - {"87"}  # a number may be part of a measured value
    assert not [word for word in in_text if word in exposition]

    logged = caplog.text
    assert not [word for word in in_text if word in logged], logged
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == REQUEST_LOGGER.name]
    assert len(lines) == 5
    for line in lines:
        assert set(line) == FIELDS
        assert "87" not in json.dumps([line["method"], line["route"], line["endpoint"]])


# --- gunicorn's workers -----------------------------------------------------------------------


def test_under_gunicorn_every_workers_requests_are_counted(app, tmp_path):
    """Two workers, each writing its own counts to the directory gunicorn.conf.py makes; a
    scrape answered by either adds up both."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PROMETHEUS_MULTIPROC_DIR", "PAIN_CARE_NAVIGATOR_METRICS_DIR_OWNER")
    }
    env |= {
        "APP_ENV": "development",
        "SECRET_KEY": "metrics-test-" + "m" * 32,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "METRICS_ENABLED": "true",
        "RATELIMIT_ENABLED": "false",
        "TMPDIR": str(tmp_path),  # where gunicorn.conf.py makes the metrics directory
    }
    log = tmp_path / "stdout.log"
    with log.open("wb") as stdout:
        server, base = start_gunicorn(env, workers=2, stdout=stdout)
    try:
        wait_until_serving(server, base)
        [metrics_dir] = tmp_path.glob("pain-care-navigator-metrics-*")

        sent = 200
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: get(base + "/roles/physiatrist"), range(sent)))
        assert statuses == [200] * sent
        samples = parse(get_text(base + "/metrics"))

        assert value(samples, REQUESTS, endpoint="roles.role_detail", status="200") == sent
        assert value(samples, LATENCY_COUNT, endpoint="roles.role_detail") == sent
        assert value(samples, "pcn_page_cache_hits_total") >= sent - 2  # one miss per worker
        workers = {path.stem.split("_")[-1] for path in metrics_dir.glob("counter_*.db")} - {
            str(server.pid)
        }
        assert len(workers) == 2, "both workers should have served and been added up"
    finally:
        stop(server)
    assert not metrics_dir.exists()  # removed when gunicorn stopped

    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert all(set(line) == FIELDS for line in lines)
    assert sum(line["endpoint"] == "roles.role_detail" for line in lines) == sent


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
        return response.status


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def metrics_directories_of_config_loads(tmp_path, loads: int, **env: str) -> list[str]:
    """PROMETHEUS_MULTIPROC_DIR after each of `loads` readings of gunicorn.conf.py in one
    process, as gunicorn reads it at start and again on each reload (HUP)."""
    environ = {**os.environ, "TMPDIR": str(tmp_path), **env}
    for name in ("PROMETHEUS_MULTIPROC_DIR", "PAIN_CARE_NAVIGATOR_METRICS_DIR_OWNER"):
        if name not in env:
            environ.pop(name, None)
    code = (
        "import os, runpy\n"
        f"for _ in range({loads}):\n"
        "    runpy.run_path('gunicorn.conf.py')\n"
        "    print(os.environ['PROMETHEUS_MULTIPROC_DIR'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_gunicorn_config_keeps_its_metrics_directory_across_reloads(tmp_path):
    first, second = metrics_directories_of_config_loads(tmp_path, 2)
    assert first == second and Path(first).parent == tmp_path


def test_a_new_gunicorn_master_makes_a_directory_of_its_own(tmp_path):
    """After USR2 the new master inherits the old one's environment; the old one removes its
    directory when it stops, so the new one must not use it."""
    old = tmp_path / "old-masters"
    old.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(old), "PAIN_CARE_NAVIGATOR_METRICS_DIR_OWNER": "1"}
    [made] = metrics_directories_of_config_loads(tmp_path, 1, **env)
    assert Path(made) != old and Path(made).parent == tmp_path


def test_gunicorn_config_uses_an_operators_metrics_directory(tmp_path):
    given = tmp_path / "metrics"
    given.mkdir()
    loads = metrics_directories_of_config_loads(tmp_path, 2, PROMETHEUS_MULTIPROC_DIR=str(given))
    assert loads == [str(given)] * 2
