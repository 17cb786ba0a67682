"""Speed by construction: few SQL statements per page, cached pages that follow content
updates, conditional GET, compression, and static files cached for a year under hashed names."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.content.loader import load_content
from app.extensions import db

from .conftest import answers, edit_yaml, form_fields
from .test_pages import STATIC_PAGES, all_pages

MAX_STATEMENTS = 3  # a page served from the page cache
# A page drawn afresh: the content version, then a role page's role and its ten eager loads.
MAX_STATEMENTS_DRAWN = 12
PAGE_BUDGET = 40 * 1024  # HTML plus CSS, uncompressed


@contextmanager
def count_statements(app):
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement != "BEGIN":  # transaction control (app/snapshots.py), not a query
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_pages_need_a_fixed_few_sql_statements_to_draw_and_three_from_the_cache(
    private_app, role_slugs, setting_slugs, condition_slugs
):
    """Counted twice for each page: drawn afresh (the first visit, to an app whose caches start
    empty) and then served from the page cache. A page drawn afresh loads what its template
    shows in a fixed number of statements, however many related rows it shows; a lazy load
    from a template (N+1) makes that number grow with them."""
    details = {
        "role": [f"/roles/{slug}" for slug in role_slugs],
        "care setting": [f"/care-settings/{slug}" for slug in setting_slugs],
        "condition": [f"/conditions/{slug}" for slug in condition_slugs],
        "API role": [f"/api/v1/roles/{slug}" for slug in role_slugs],
        "API care setting": [f"/api/v1/care-settings/{slug}" for slug in setting_slugs],
    }
    pages = STATIC_PAGES + ["/api/v1/roles", "/api/v1/care-settings"]
    pages += [path for paths in details.values() for path in paths]
    client = private_app.test_client()
    drawn, cached = {}, {}
    for path in pages:
        for counts in (drawn, cached):
            with count_statements(private_app) as statements:
                assert client.get(path).status_code == 200, path
            counts[path] = len(statements)
    assert max(cached.values()) <= MAX_STATEMENTS, {
        p: n for p, n in cached.items() if n > MAX_STATEMENTS
    }
    assert max(drawn.values()) <= MAX_STATEMENTS_DRAWN, {
        p: n for p, n in drawn.items() if n > MAX_STATEMENTS_DRAWN
    }
    for kind, paths in details.items():
        assert len({drawn[path] for path in paths}) == 1, (kind, {p: drawn[p] for p in paths})


def test_questionnaire_steps_stay_within_the_budget_too(app, client):
    with count_statements(app) as statements:
        client.get("/which-specialist")
        client.post("/which-specialist", data={"step": "emergency", "red_flags": "none"})
    assert len(statements) <= 2 * MAX_STATEMENTS


def test_conditional_get_answers_304(client):
    first = client.get("/roles/physiatrist")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/roles/physiatrist", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_a_content_load_replaces_cached_pages(empty_app, content_dir):
    client = empty_app.test_client()
    with empty_app.app_context():
        load_content(db.session, content_dir)
    before = client.get("/roles/physiatrist").get_data(as_text=True)
    edit_yaml(
        content_dir / "roles/physiatrist.yaml",
        lambda role: role.update(summary="A freshly reviewed summary."),
    )
    with empty_app.app_context():
        load_content(db.session, content_dir)
    after = client.get("/roles/physiatrist").get_data(as_text=True)
    assert "A freshly reviewed summary." not in before
    assert "A freshly reviewed summary." in after


def test_questionnaire_pages_are_never_cached(csrf_app):
    # Two visitors: a cached start page would hand both the same token.
    first, second = csrf_app.test_client(), csrf_app.test_client()
    assert first.csrf_token() != second.csrf_token()


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    response = client.get("/training", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.headers.get("Vary", "")


def test_html_and_css_of_every_page_fit_the_budget(
    client, role_slugs, setting_slugs, condition_slugs
):
    """Every stylesheet a page links counts (the questionnaire and comparison pages have their
    own besides site.css), as served (minified)."""
    css_sizes: dict[str, int] = {}

    def css_size(href: str) -> int:
        if href not in css_sizes:
            with client.get(href) as response:
                assert response.status_code == 200, href
                css_sizes[href] = len(response.data)
        return css_sizes[href]

    pages = all_pages(role_slugs, setting_slugs, condition_slugs)
    results = client.post("/which-specialist", data={"step": "check", **form_fields(answers())})
    sizes = {}
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        sizes[path] = len(html.encode()) + sum(
            css_size(href) for href in re.findall(r'href="(/assets/[^"]+\.css)"', html)
        )
    html = results.get_data(as_text=True)
    stylesheets = re.findall(r'href="(/assets/[^"]+\.css)"', html)
    assert len(stylesheets) == 3, "site, questionnaire and results styles"
    sizes["results"] = len(html.encode()) + sum(css_size(href) for href in stylesheets)
    assert max(sizes.values()) < PAGE_BUDGET, {p: s for p, s in sizes.items() if s >= PAGE_BUDGET}


def test_stylesheets_are_served_minified_with_conditional_get(client):
    html = client.get("/compare?roles=physiatrist,neurologist").get_data(as_text=True)
    for href in re.findall(r'href="(/assets/[^"]+\.css)"', html):
        with client.get(href) as response:
            assert response.mimetype == "text/css" and "/*" not in response.get_data(as_text=True)
            etag = response.headers["ETag"]
        with client.get(href, headers={"If-None-Match": etag}) as again:
            assert again.status_code == 304, href


def test_static_files_are_cached_for_a_year_under_hashed_names(client):
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'href="(/assets/([0-9a-f]{12})/css/site\.css)"', html)
    assert href
    with client.get(href.group(1)) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/000000000000/css/site.css",
        "/assets/x/../../wsgi.py",
        "/assets/abc/%2e%2e/%2e%2e/wsgi.py",
        "/assets/abc/nope.css",
    ],
)
def test_wrong_asset_addresses_are_404(client, path):
    with client.get(path) as response:
        assert response.status_code == 404


def test_version_clock_rereads_after_its_ttl(app, monkeypatch):
    from app.caching import VersionClock

    reads = []
    with app.app_context():
        clock = VersionClock(ttl=60)
        original = db.session.execute

        def counting_execute(*args, **kwargs):
            reads.append(1)
            return original(*args, **kwargs)

        monkeypatch.setattr(db.session, "execute", counting_execute)
        first = clock.version()
        assert clock.version() == first and len(reads) == 1  # within the TTL: no new query
        clock.ttl = 0
        assert clock.version() == first and len(reads) == 2


ROUTINE_BACK_PAIN = {"step": "check", **form_fields(answers())}  # the results page's POST


def test_results_page_role_cards_follow_a_content_load(empty_app, content_dir):
    client = empty_app.test_client()
    with empty_app.app_context():
        load_content(db.session, content_dir)
    before = client.post("/which-specialist", data=ROUTINE_BACK_PAIN).get_data(as_text=True)
    edit_yaml(
        content_dir / "roles/primary-care-physician.yaml",
        lambda role: role.update(summary="A freshly reviewed summary of primary care."),
    )
    with empty_app.app_context():
        load_content(db.session, content_dir)
    after = client.post("/which-specialist", data=ROUTINE_BACK_PAIN).get_data(as_text=True)
    assert "Primary care physician" in before and "A freshly reviewed summary" not in before
    assert "A freshly reviewed summary of primary care." in after


def test_results_page_reads_the_roles_once_per_content_version(app, client):
    client.post("/which-specialist", data=ROUTINE_BACK_PAIN)
    with count_statements(app) as statements:
        response = client.post("/which-specialist", data=ROUTINE_BACK_PAIN)
    assert response.status_code == 200 and "result-card" in response.get_data(as_text=True)
    # Only the content version is read (the tests re-read it on every request).
    assert len(statements) <= 1, statements


def test_nothing_made_from_answers_is_kept_in_the_caches(app, client):
    data = {"step": "check", **form_fields(answers(locations=["head"], severity=9))}
    page = client.post("/which-specialist", data=data).get_data(as_text=True)
    assert "9 out of 10" in page
    kept = [page.body.decode() for page in app.extensions["page_cache"]._pages.values()]
    for fragment in app.extensions["fragment_cache"]._fragments.values():
        kept.append(repr(fragment))
    assert kept and not any("9 out of 10" in text or "You said" in text for text in kept)


def test_fragment_cache_builds_once_per_content_version():
    from app.caching import FragmentCache

    cache = FragmentCache()
    built = []

    def build():
        built.append(1)
        return len(built)

    cards = ("", "cards")
    assert cache.get("v1", cards, build) == 1
    assert cache.get("v1", cards, build) == 1
    assert cache.get("v2", cards, build) == 2  # new content: built again
    assert cache.get("v2", cards, build) == 2
    assert len(built) == 2


def test_fragment_cache_is_bounded():
    from app.caching import FragmentCache

    cache = FragmentCache(size=2)
    for root in ["", "/a", "/b", "/c"]:
        cache.get("v1", (root, "cards"), lambda: "built")
    assert len(cache._fragments) == 2


def test_links_follow_the_path_the_site_is_mounted_under(client):
    mounted = "http://localhost/pain-care"  # as behind a proxy that mounts the site there
    for path in ["/which-specialist", "/roles"]:  # drawn afresh, and a cached page
        under = client.get(path, base_url=mounted).get_data(as_text=True)
        plain = client.get(path).get_data(as_text=True)
        assert 'href="/pain-care/roles"' in under and 'href="/pain-care/assets/' in under, path
        assert 'href="/roles"' in plain and "/pain-care" not in plain, path


def test_results_links_of_one_mount_never_reach_another(private_app):
    # The first results page after a content load builds the cached role cards; one drawn
    # under another path (here as if from a forged X-Forwarded-Prefix) must not set the links
    # everybody else gets. A private app, so that its fragment cache starts empty.
    client = private_app.test_client()
    forged = client.post(
        "/which-specialist", data=ROUTINE_BACK_PAIN, base_url="http://localhost/evil.example"
    ).get_data(as_text=True)
    plain = client.post("/which-specialist", data=ROUTINE_BACK_PAIN).get_data(as_text=True)
    assert 'href="/evil.example/roles/primary-care-physician"' in forged
    assert "evil.example" not in plain
    assert 'href="/roles/primary-care-physician"' in plain
