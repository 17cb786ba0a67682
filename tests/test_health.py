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
