"""/healthz tells a load balancer whether this instance can serve."""


def test_healthy_with_database_and_content(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and len(body["content_version"]) == 12


def test_unhealthy_without_content(empty_app):
    response = empty_app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["content"] == "not loaded"


def test_unhealthy_without_database(tmp_path):
    from .conftest import make_app

    broken = make_app(tmp_path / "never-migrated.db")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503


def test_live_answers_without_a_database(tmp_path):
    from .conftest import make_app

    broken = make_app(tmp_path / "never-migrated.db")
    response = broken.test_client().get("/healthz/live")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_ready_is_healthz(client):
    ready, healthz = client.get("/healthz/ready"), client.get("/healthz")
    assert ready.status_code == 200 and ready.get_json() == healthz.get_json()


def test_not_ready_says_when_to_ask_again(empty_app, tmp_path):
    from .conftest import make_app

    no_content = empty_app.test_client().get("/healthz/ready")
    assert no_content.status_code == 503 and no_content.headers["Retry-After"] == "5"
    no_database = make_app(tmp_path / "never-migrated.db").test_client().get("/healthz/ready")
    assert no_database.status_code == 503
    assert no_database.get_json() == {"status": "error", "database": "unreachable"}


def test_health_checks_are_never_cached(client):
    for path in ["/healthz", "/healthz/ready", "/healthz/live"]:
        response = client.get(path)
        assert "ETag" not in response.headers, path
