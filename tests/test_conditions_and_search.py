"""Explore by condition, and the search box: pages, links both ways, hits and misses."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.extensions import db


def page_for(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_at_least_fifteen_common_conditions(condition_slugs):
    assert len(condition_slugs) >= 15
    assert {"low-back-pain", "sciatica", "migraine", "fibromyalgia", "cancer-pain"} <= set(
        condition_slugs
    )


def test_every_condition_page_says_who_helps_when_and_warning_signs(client, condition_slugs):
    for slug in condition_slugs:
        page = page_for(client, f"/conditions/{slug}")
        assert page.find(id="warning") and page.select(".callout-emergency li"), slug
        who = page.find(id="who").parent
        assert who.find("h3") and who.select("a[href^='/roles/']"), slug
        assert page.select("section.sources li a[href^='https://']"), slug


def test_conditions_index_lists_them_all(client, condition_slugs):
    page = page_for(client, "/conditions")
    linked = {
        a["href"].removeprefix("/conditions/") for a in page.select("main .card a:not(.term)")
    }
    assert linked == set(condition_slugs)


def test_roles_link_to_their_conditions_and_back(client):
    condition = page_for(client, "/conditions/sciatica")
    role_links = {a["href"] for a in condition.find(id="who").parent.select("a[href^='/roles/']")}
    assert role_links
    for href in role_links:
        role = page_for(client, href)
        assert role.find("a", href="/conditions/sciatica"), href


def test_unknown_condition_is_a_404(client):
    page = page_for(client, "/conditions/dragon-bite", status=404)
    assert "dragon-bite" in page.get_text()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sciatica", "/conditions/sciatica"),
        ("epidural", "/roles/pain-medicine-physician"),
        ("nerve block", "/roles/pain-medicine-physician"),
        ("migraine", "/conditions/migraine"),
        ("physio", "/roles/physical-therapist"),
        ("Physio", "/roles/physical-therapist"),
        ("hospice", "/care-settings/palliative-care-and-hospice"),
        ("ER", "/care-settings/emergency-department"),
        ("pain doctor", "/roles/pain-medicine-physician"),
    ],
)
def test_search_finds_what_a_patient_means(client, query, expected):
    page = page_for(client, "/search?q=" + query)
    hrefs = [a["href"] for a in page.select("ol.search-results a")]
    assert expected in hrefs[:5], (query, hrefs)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "x" * 5000,
        '"unbalanced',
        "NEAR(a b)",
        "a AND OR NOT",
        "*",
        "%00",
        "'; DROP TABLE role; --",
        "\u0000\u0001",
        "sciatica\x00",
    ],
)
def test_odd_queries_get_a_helpful_page_never_a_500(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("form", role="search")


def test_search_miss_offers_ways_on(client):
    page = page_for(client, "/search?q=zzyzx")
    assert "No results" in page.find("h2").get_text()
    assert page.find("a", href="/conditions")


def test_every_page_has_a_search_box(client):
    for path in ["/", "/roles", "/conditions", "/compare", "/which-specialist"]:
        form = page_for(client, path).find("form", class_="site-search")
        assert form and form["action"] == "/search" and form["method"] == "get", path


def test_search_index_is_rebuilt_by_content_load(app):
    from sqlalchemy import text

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the FTS5 index exists on SQLite only; PostgreSQL searches the tables")
    with app.app_context():
        count = db.session.execute(text("SELECT count(*) FROM search_index")).scalar()
        expected = db.session.execute(
            text(
                "SELECT (SELECT count(*) FROM role) + (SELECT count(*) FROM condition)"
                " + (SELECT count(*) FROM care_setting) + (SELECT count(*) FROM clinician)"
                " + (SELECT count(*) FROM glossary_term)"
            )
        ).scalar()
    assert count == expected
