"""Request tests over every page: status, structure, sources, review dates, links, errors."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import SPEC_ROLE_SLUGS, SPEC_SEE_ALSO_WHO, make_app

STATIC_PAGES = [
    "/",
    "/roles",
    "/care-settings",
    "/conditions",
    "/training",
    "/about",
    "/which-specialist",
    "/compare",
    "/compare?roles=pain-medicine-physician,anesthesiologist",
    "/search?q=sciatica",
    "/glossary",
    "/other-clinicians",
    "/guides/insurance-basics",
    "/guides/checking-a-clinician",
    "/guides/opioid-safety",
]
# Pages linked before they exist (none at the moment).
NOT_YET_BUILT: set[str] = set()
ROLE_SECTIONS = [
    "focus",
    "conditions",
    "treatments",
    "appointment",
    "first-visit",
    "cost",
    "telehealth",
    "balance",
    "settings",
    "training",
    "check",
    "questions",
    "works-with",
    "sources",
]


def all_pages(role_slugs, setting_slugs, condition_slugs=()):
    return (
        STATIC_PAGES
        + [f"/roles/{slug}" for slug in role_slugs]
        + [f"/care-settings/{slug}" for slug in setting_slugs]
        + [f"/conditions/{slug}" for slug in condition_slugs]
        + [f"/other-clinicians/{slug}" for slug in sorted(SPEC_SEE_ALSO_WHO)]
    )


def get_html(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_every_page_has_the_shared_structure(client, role_slugs, setting_slugs, condition_slugs):
    for path in all_pages(role_slugs, setting_slugs, condition_slugs):
        page = get_html(client, path)
        assert page.html["lang"] == "en"
        assert page.find("meta", attrs={"name": "viewport"}), path
        assert len(page.find_all("h1")) == 1, path
        skip = page.find("a", class_="skip-link")
        assert skip and skip["href"] == "#main" and page.find(id="main").name == "main", path
        footer = page.find("footer").get_text(" ", strip=True)
        assert "not medical advice" in footer and "emergency number" in footer, path
        assert page.find("a", href="/which-specialist"), path


def test_no_page_loads_anything_from_another_origin(
    client, role_slugs, setting_slugs, condition_slugs
):
    for path in all_pages(role_slugs, setting_slugs, condition_slugs):
        page = get_html(client, path)
        assets = [tag.get("src") for tag in page.find_all(["script", "img", "iframe"])]
        assets += [tag.get("href") for tag in page.find_all("link")]
        for asset in filter(None, assets):
            assert not urlsplit(asset).netloc and not asset.startswith("//"), (path, asset)
        assert not page.find("script"), f"{path} must be readable without JavaScript"


def test_content_pages_show_sources_and_review_date(
    client, role_slugs, setting_slugs, condition_slugs
):
    detail_pages = [f"/roles/{slug}" for slug in role_slugs]
    detail_pages += [f"/care-settings/{slug}" for slug in setting_slugs]
    detail_pages += [f"/conditions/{slug}" for slug in condition_slugs]
    for path in ["/", "/about", "/training", *detail_pages]:
        page = get_html(client, path)
        sources = page.find("section", class_="sources")
        assert sources, path
        links = sources.select("ol.source-list a[href]")
        assert links and all(link["href"].startswith("https://") for link in links), path
        review = sources.find("time")
        assert review and re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datetime"]), path
        assert "Next review due by" in sources.get_text(), path


def test_roles_index_lists_the_twelve_roles_in_patient_groups(client):
    page = get_html(client, "/roles")
    linked = {a["href"].removeprefix("/roles/") for a in page.select("main .card h3 a")}
    assert linked == SPEC_ROLE_SLUGS
    groups = [h2.get_text(strip=True) for h2 in page.select("main section > h2")]
    assert groups == [
        "Doctors who diagnose and manage pain",
        "Surgeons",
        "Therapists",
        "Emergency care",
    ]
    for card in page.select("main .card"):
        assert card.find("p").get_text(strip=True), "every role has a one-line summary"


def test_role_page_has_every_section(client, role_slugs):
    for slug in role_slugs:
        page = get_html(client, f"/roles/{slug}")
        for section_id in ROLE_SECTIONS:
            heading = page.find(id=section_id)
            assert heading and heading.name == "h2", (slug, section_id)
        facts = page.find("dl", class_="facts").get_text(" ", strip=True)
        assert "Prescribes medicines?" in facts and "How to get an appointment" in facts
        settings = page.select("ul.settings-list a[href^='/care-settings/']")
        assert settings, slug
        svg = page.find("svg", class_="timeline-svg")
        assert svg and svg.find("title") and svg.find("desc"), slug
        assert svg["role"] == "img"
        assert page.find("table", class_="stage-table"), "the chart's facts are also in a table"
        assert page.select("section.sources ol li"), slug


def test_role_page_explains_pain_medicine_training(client):
    page = get_html(client, "/roles/pain-medicine-physician")
    table = page.find("table", class_="stage-table").get_text(" ", strip=True)
    assert "Pain medicine fellowship" in table and "1 y" in table
    assert "ABA" in table  # who grants the certification


def test_home_answers_pain_specialist_or_anesthesiologist(client):
    page = get_html(client, "/")
    answer = page.find(id="question-heading").parent
    hrefs = {a["href"] for a in answer.find_all("a")}
    assert {"/roles/anesthesiologist", "/roles/pain-medicine-physician"} <= hrefs
    assert page.find("a", href="/roles") and page.find("a", href="/which-specialist")


def test_home_lists_every_emergency_sign_the_questionnaire_screens_for(client):
    from app.recommend import load_questionnaire

    callout = get_html(client, "/").find(id="emergency-heading").parent
    listed = [item.get_text(strip=True) for item in callout.find_all("li")]
    flags = load_questionnaire()["red_flags"]
    wanted = [option.short for option in flags.options if option.value != flags.exclusive]
    assert listed == wanted and len(listed) == 11


def test_care_setting_pages_name_who_works_there(client, setting_slugs):
    for slug in setting_slugs:
        page = get_html(client, f"/care-settings/{slug}")
        for section_id in ["who", "pain", "arrive", "sources"]:
            assert page.find(id=section_id), (slug, section_id)
        assert page.select("section ul a[href^='/roles/']"), slug


def test_care_settings_cover_the_places_patients_meet(client, setting_slugs):
    required = {
        "operating-room",
        "recovery-room",
        "acute-pain-service",
        "pain-clinic",
        "ambulatory-surgery-center",
        "cancer-center",
        "palliative-care-and-hospice",
        "rehabilitation-hospital",
        "primary-care-office",
        "emergency-department",
        "physical-therapy-clinic",
    }
    assert required <= set(setting_slugs)
    page = get_html(client, "/care-settings")
    assert len(page.select("main .card")) == len(setting_slugs) >= 10


def test_training_page_draws_every_path_to_one_scale(client):
    page = get_html(client, "/training")
    rows = page.select("svg.timeline-svg g.timeline-row")
    assert {row["data-role"] for row in rows} == SPEC_ROLE_SLUGS
    widths = {row["data-role"]: float(row["data-total-width"]) for row in rows}
    # Neurosurgery (4 + 7 years and more) is the longest path; physical therapy the shortest.
    assert widths["neurosurgeon"] == max(widths.values())
    assert widths["physical-therapist"] < widths["anesthesiologist"] < widths["neurosurgeon"]
    routes = page.find(id="pain-routes").parent
    linked = {a["href"] for a in routes.find_all("a")}
    assert {
        "/roles/anesthesiologist",
        "/roles/physiatrist",
        "/roles/neurologist",
        "/roles/emergency-physician",
    } <= linked
    assert "Psychiatry" in routes.get_text()


def test_about_page_covers_the_ipdas_items(client):
    page = get_html(client, "/about")
    for section_id in ["for-whom", "decision", "limits", "facts", "writing", "funding"]:
        assert page.find(id=section_id), section_id
    text = " ".join(page.get_text(" ").split())
    for phrase in [
        "does not diagnose",
        "no odds or probabilities",
        "update policy",
        "at least once a year",
        "no money from drug makers",
        "speak for their own members",
    ]:
        assert phrase in text, phrase


def test_about_page_says_what_the_questionnaire_covers_and_does_not(client):
    from app.recommend import load_questionnaire

    page = get_html(client, "/about")
    section = page.find(id="questionnaire").parent
    signs = [li.get_text(strip=True).lower() for li in section.select("ul.sign-list li")]
    flags = load_questionnaire()["red_flags"]
    assert signs == [o.short.lower() for o in flags.real_options]
    text = " ".join(section.get_text(" ").split())
    for phrase in [
        "adults and in children",
        "Call or text 988",
        "does not diagnose",
        "not for problems in pregnancy, chest pain, belly emergencies or a mental health crisis",
        "belly, pelvis or groin, it suggests a primary care doctor first",
        "written for the United States",
    ]:
        assert phrase in text, phrase
    assert page.find("a", href="#questionnaire"), "listed in the page's contents"


@pytest.mark.parametrize(
    "path",
    [
        "/roles/unknown-role",
        "/roles/Anesthesiologist",
        "/roles/" + "a" * 3000,
        "/roles/anesthesiologist%00",
        "/roles/%ff%fe",
        "/roles/..%2f..%2fetc%2fpasswd",
        "/roles/x'%20OR%201=1--",
        "/roles/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/care-settings/unknown",
        "/no-such-page",
    ],
)
def test_unknown_pages_are_friendly_404s(client, path):
    page = get_html(client, path, status=404)
    assert not page.find("script"), "nothing from the address is echoed as markup"
    assert page.find("h1").get_text(strip=True) == "Page not found"
    assert page.find("a", href="/roles")


def test_unknown_role_slug_is_named_on_the_404_page(client):
    page = get_html(client, "/roles/chiropractor", status=404)
    assert "chiropractor" in page.find("main").get_text()


def test_wrong_method_is_a_friendly_405(client):
    response = client.post("/roles")
    assert response.status_code == 405
    assert "not possible here" in response.get_data(as_text=True)


def test_a_database_without_its_tables_gives_the_friendly_500_page(tmp_path, caplog):
    # As when a deploy forgot `db upgrade`: a mistake of ours, not a database that is down
    # (tests/test_faults.py), so a 500 that gets noticed.
    broken = make_app(tmp_path / "unmigrated.db")
    response = broken.test_client().get("/roles")
    assert response.status_code == 500
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "something went wrong on our side" in page.find("h1").get_text()
    assert page.find("a", class_="skip-link"), "the 500 page keeps the site layout"
    assert "Unhandled error" in caplog.text


def test_every_internal_link_resolves(client):
    """Follow every link from the home page outward; none may be a 404 or a 500."""
    seen, queue = set(), ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        page = get_html(client, path)
        for anchor in page.find_all("a", href=True):
            target = urlsplit(urljoin("http://localhost" + path, anchor["href"]))
            if target.netloc != "localhost" or target.path in NOT_YET_BUILT:
                continue
            if target.fragment and target.path == path:
                assert page.find(id=target.fragment), (path, anchor["href"])
            queue.append(target.path)
        for asset in page.find_all("link", href=True):
            with client.get(asset["href"]) as response:  # closes the static file
                assert response.status_code == 200, asset["href"]
    assert len(seen) >= 6 + 12 + 10 + 15


def test_next_review_is_a_year_after_the_last():
    import datetime as dt

    from app.filters import next_review

    assert next_review(dt.date(2026, 11, 25)) == dt.date(2027, 11, 25)
    assert next_review(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


MOUNT = "/navigator"  # as behind a reverse proxy that serves the site under a path


def links_on(page) -> list[str]:
    """Every address a page sends a browser to: links, assets, images and form actions."""
    found = [tag["href"] for tag in page.find_all(["a", "link"], href=True)]
    found += [tag["src"] for tag in page.find_all(["img", "script", "iframe", "source"], src=True)]
    found += [form.get("action", "") for form in page.find_all("form")]
    return found


def test_the_site_mounted_under_a_path_keeps_every_link_under_it(private_app):
    """Every page of the site mounted at /navigator (and nothing at the root), followed link by
    link: no href, src or action leaves the mount, and neither does a URL in the API's JSON."""
    from werkzeug.exceptions import NotFound
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.test import Client

    from .conftest import answers, form_fields

    client = Client(DispatcherMiddleware(NotFound(), {MOUNT: private_app}))
    escaped: set[tuple[str, str]] = set()

    def check(url: str, address: str) -> str | None:
        """The path of an address on this site, noting any that leaves the mount."""
        target = urlsplit(urljoin("http://localhost" + url, address))
        if target.scheme not in ("http", "https") or target.netloc != "localhost":
            return None  # another site, mailto: and the like
        if address.startswith("#"):
            return None  # a place on the same page
        if target.path != MOUNT and not target.path.startswith(MOUNT + "/"):
            escaped.add((url, address))
            return None
        return target.path + (f"?{target.query}" if target.query else "")

    def visit(url: str, response, status: int = 200) -> list[str]:
        """The addresses on this site that a response leads to."""
        if response.status_code in (301, 302, 303, 307, 308):
            return [path for path in [check(url, response.headers["Location"])] if path]
        assert response.status_code == status, (url, response.status_code)
        if response.mimetype != "text/html":
            return []
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        return [path for path in (check(url, address) for address in links_on(page)) if path]

    # Pages no link reaches with a GET: every POSTed step of the questionnaire (each step, the
    # check page, the results, the emergency page) and an error page.
    form = f"{MOUNT}/which-specialist"
    posts = [
        {"step": step, **form_fields(answers())} for step in ("emergency", "about", "preferences")
    ]
    posts += [
        {"step": "check", **form_fields(answers())},
        {"step": "check", "change": "age_group", **form_fields(answers())},
        {"step": "emergency", "red_flags": "chest_pain"},
        {"step": "about", **form_fields(answers(severity=99))},
    ]
    queue = [path for data in posts for path in visit(form, client.post(form, data=data))]
    queue += visit(f"{MOUNT}/nothing-here", client.get(f"{MOUNT}/nothing-here"), status=404)
    queue.append(f"{MOUNT}/")
    seen: set[str] = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        queue += visit(url, response)
        response.close()  # static files are streamed
    assert not escaped, sorted(escaped)[:10]
    assert len(seen) >= 6 + 12 + 10 + 15

    api = [f"{MOUNT}/api/v1/roles", f"{MOUNT}/api/v1/care-settings"]
    api += [f"{MOUNT}/api/v1/roles/physiatrist", f"{MOUNT}/api/v1/care-settings/pain-clinic"]
    api += [f"{MOUNT}/api/v1/compare?roles=physiatrist,neurologist"]
    bodies = [client.get(url).get_json() for url in api]
    bodies.append(client.post(f"{MOUNT}/api/v1/recommendations", json=answers()).get_json())
    urls = [url for body in bodies for url in urls_in(body) if not url.startswith("https://")]
    assert urls and all(url.startswith(MOUNT + "/") for url in urls), urls
    openapi = client.get(f"{MOUNT}/api/v1/openapi.json").get_json()
    assert openapi["servers"] == [{"url": MOUNT}]


def urls_in(value) -> list[str]:
    """Every "url" in a JSON document, however deep."""
    if isinstance(value, dict):
        found = [value["url"]] if isinstance(value.get("url"), str) else []
        return found + [url for item in value.values() for url in urls_in(item)]
    if isinstance(value, list):
        return [url for item in value for url in urls_in(item)]
    return []
