"""Comparing roles side by side: every rule for the address, the rows, the differences,
the chart drawn to scale, and the same facts from the API."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

PAIN_VS_ANESTHESIA = "/compare?roles=pain-medicine-physician,anesthesiologist"


def page_for(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_pain_medicine_vs_anesthesiologist(client):
    page = page_for(client, PAIN_VS_ANESTHESIA)
    assert page.find("h1").get_text(strip=True) == "Pain medicine physician vs Anesthesiologist"
    rows = {row["data-row"]: row for row in page.select("table.compare-table tbody tr")}
    assert list(rows) == [
        "focus",
        "conditions",
        "treatments",
        "prescribes",
        "operates",
        "settings",
        "access",
        "training_total",
        "school",
        "residency",
        "fellowship",
        "certification",
        "together",
    ]
    # Both prescribe and neither operates: same. Fellowship, access and training differ.
    assert "row-same" in rows["prescribes"]["class"] and "row-same" in rows["operates"]["class"]
    for key in ("fellowship", "access", "training_total", "focus"):
        assert "row-differs" in rows[key]["class"], key
        assert rows[key].find(class_="tag-differs").get_text() == "Differs"  # not colour alone
    cells = rows["fellowship"].find_all("td")
    assert (
        "Pain medicine fellowship" in cells[0].get_text()
        and cells[1].get_text(strip=True) == "None"
    )
    assert "ABA" in rows["certification"].get_text()


def test_training_chart_draws_the_longer_path_longer(client):
    page = page_for(client, "/compare?roles=physical-therapist,neurosurgeon")
    widths = {
        row["data-role"]: float(row["data-total-width"])
        for row in page.select("svg.timeline-svg g.timeline-row")
    }
    assert widths["neurosurgeon"] > 2 * widths["physical-therapist"]
    svg = page.find("svg", class_="timeline-svg")
    assert svg.find("title") and svg.find("desc")


def test_show_only_differences(client):
    full = page_for(client, PAIN_VS_ANESTHESIA)
    only = page_for(client, PAIN_VS_ANESTHESIA + "&show=differences")
    full_rows = full.select("table.compare-table tbody tr")
    only_rows = only.select("table.compare-table tbody tr")
    assert 0 < len(only_rows) < len(full_rows)
    assert all("row-differs" in row["class"] for row in only_rows)
    assert only.find("a", string="Show every row")


def test_four_roles_and_the_picker_is_offered(client):
    page = page_for(
        client,
        "/compare?roles=physiatrist,physical-therapist,pain-medicine-physician,orthopedic-surgeon",
    )
    assert len(page.select("table.compare-table thead th")) == 4
    picker = page.find("form", class_="picker")
    assert picker["method"] == "get"
    assert len(picker.select("input[checked]")) == 4


def test_picker_sends_repeated_keys_and_is_moved_to_a_shareable_address(client):
    response = client.get("/compare?roles=physiatrist&roles=physical-therapist")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/compare?roles=physiatrist,physical-therapist")


def test_no_roles_shows_the_picker(client):
    page = page_for(client, "/compare")
    assert page.find("form", class_="picker")
    assert page.find("a", href=PAIN_VS_ANESTHESIA)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("roles=physiatrist,chiropractor", 404, "We have no specialist called “chiropractor”."),
        ("roles=physiatrist", 400, "Choose at least one more specialist"),
        (
            "roles=physiatrist,neurologist,neurosurgeon,rheumatologist,anesthesiologist",
            400,
            "You chose 5 specialists. Choose four at most.",
        ),
        ("roles=physiatrist,physiatrist", 400, "“physiatrist” is chosen twice"),
        ("roles=", 400, "Choose two to four specialists"),
        ("roles=,,,", 400, "Choose two to four specialists"),
        ("roles=Physiatrist,<script>", 400, "is not the name of a specialist"),
        ("roles=" + "x" * 3000 + ",physiatrist", 400, "is not the name of a specialist"),
        ("roles=physiatrist%00,neurologist", 400, "is not the name of a specialist"),
    ],
)
def test_wrong_input_gets_a_clear_4xx_with_the_picker(client, query, status, message):
    page = page_for(client, "/compare?" + query, status=status)
    summary = page.find(class_="error-summary")
    assert summary and message in summary.get_text()
    assert page.find("form", class_="picker"), "the picker is offered to try again"
    assert page.find("title").get_text().startswith("Error:")
    assert not page.find("script")


def test_role_pages_offer_compare_links(client):
    page = page_for(client, "/roles/anesthesiologist")
    link = page.find("a", href="/compare?roles=anesthesiologist,pain-medicine-physician")
    assert link
    assert client.get(link["href"]).status_code == 200


def test_home_features_the_first_comparison(client):
    page = page_for(client, "/")
    assert page.find("a", href=PAIN_VS_ANESTHESIA)


def test_api_compare_gives_the_same_facts(client):
    body = client.get("/api/v1/compare?roles=pain-medicine-physician,anesthesiologist").get_json()
    assert [role["slug"] for role in body["roles"]] == [
        "pain-medicine-physician",
        "anesthesiologist",
    ]
    differing = {item["row"] for item in body["differences"]}
    assert {"fellowship", "access"} <= differing and "prescribes" not in differing
    assert body["roles"][1]["facts"]["fellowship"] == ["None"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("roles=physiatrist", 400),
        ("roles=physiatrist,nobody", 404),
        ("", 400),
        ("roles=physiatrist,physiatrist", 400),
        ("roles=" + "y" * 3000, 400),
    ],
)
def test_api_compare_errors_use_the_contract_shape(client, query, status):
    response = client.get("/api/v1/compare?" + query)
    assert response.status_code == status
    assert list(response.get_json()["errors"]) == ["roles"]
