"""Issue 12: every role page complete and balanced, the opioid safety panel wherever opioids
are mentioned, glossary words linked on first use, and pages for the clinicians beyond the
twelve roles. These rules are checked on the pages as served, not on the templates."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from sqlalchemy import select

from app.content.loader import ContentError, read_content, rulebook_for
from app.extensions import db
from app.glossary.linker import GlossaryLinker, GlossaryWord
from app.models import Clinician, GlossaryTerm, Role

from .answers import answers
from .conftest import SPEC_SEE_ALSO_WHO, edit_yaml, form_fields
from .test_pages import all_pages, get_html

# The two questions every role that does procedures must carry (issue 12), word for word.
PROCEDURE_QUESTIONS = (
    "Are you board certified, and by which board?",
    "How often do you do this procedure?",
)
LIST_SPREAD = 3  # the longest list of a kind has at most this many more items than the shortest
WORDS_SPREAD = 0.35  # a role page's own words stay within 35% of the median role's


@pytest.fixture(scope="module")
def roles(app) -> list[Role]:
    with app.app_context():
        found = list(db.session.scalars(select(Role).order_by(Role.slug)))
        for role in found:  # loaded now, read after the session is gone
            _ = role.balance, role.works_with, role.questions
        return found


# --- every role page: the same complete set of sections ------------------------------------


def test_every_role_fills_every_section(roles):
    for role in roles:
        for field in ("first_visit", "cost_and_insurance", "telehealth", "how_to_check"):
            assert len(getattr(role, field).split()) >= 12, (role.slug, field)
        for part in ("benefits", "limits", "risks"):
            assert len(role.balance[part]) == 3, (role.slug, part)
        assert role.balance["typical_visits"].strip(), role.slug


def test_every_role_asks_as_many_questions_and_names_as_many_colleagues(roles):
    assert len({len(role.questions) for role in roles}) == 1, {
        role.slug: len(role.questions) for role in roles
    }
    assert len({len(role.works_with) for role in roles}) == 1, {
        role.slug: len(role.works_with) for role in roles
    }


def test_lists_of_one_kind_have_similar_lengths_across_roles(roles):
    for field in ("conditions", "treatments"):
        lengths = {role.slug: len(getattr(role, field)) for role in roles}
        assert max(lengths.values()) - min(lengths.values()) <= LIST_SPREAD, (field, lengths)


def test_roles_that_do_procedures_ask_about_certification_and_experience(roles):
    procedure_roles = [role for role in roles if role.does_procedures]
    assert {"pain-medicine-physician", "orthopedic-surgeon", "neurosurgeon"} <= {
        role.slug for role in procedure_roles
    }
    for role in procedure_roles:
        for question in PROCEDURE_QUESTIONS:
            assert question in role.questions, (role.slug, question)


def role_own_words(page: BeautifulSoup) -> int:
    """The words a role page says in its own sections (not the shared panels or sources)."""
    article = page.select_one("article.role")
    for part in article.select(".panel, section.sources, figure, table"):
        part.decompose()
    return len(article.get_text(" ", strip=True).split())


def test_role_pages_are_balanced_in_length_and_sections(client, role_slugs):
    words, sections = {}, {}
    for slug in role_slugs:
        page = get_html(client, f"/roles/{slug}")
        sections[slug] = len(page.select("article.role > section"))
        words[slug] = role_own_words(page)
    assert len(set(sections.values())) == 1, sections
    median = statistics.median(words.values())
    outside = {
        slug: count for slug, count in words.items() if abs(count - median) > WORDS_SPREAD * median
    }
    assert not outside, f"median {median} words; outside ±{WORDS_SPREAD:.0%}: {outside}"


def test_the_opening_paragraph_gives_the_total_training_length(client, role_slugs):
    for slug in role_slugs:
        lead = get_html(client, f"/roles/{slug}").select_one("article.role header .lead")
        assert re.search(r"Training takes about \d+( to \d+)? years? after college", lead.text), (
            slug
        )


def test_role_pages_point_to_the_insurance_and_checking_guides(client, role_slugs):
    for slug in role_slugs:
        page = get_html(client, f"/roles/{slug}")
        cost = page.find(id="cost").find_parent("section")
        assert cost.select_one(".guide-link a[href='/guides/insurance-basics']"), slug
        check = page.find(id="check").find_parent("section")
        assert check.select_one(".guide-link a[href='/guides/checking-a-clinician']"), slug
    for key in ("insurance-basics", "checking-a-clinician", "opioid-safety"):
        guide = get_html(client, f"/guides/{key}")
        assert len(guide.select("main .guide-points li")) >= 5, key
        assert guide.select("section.sources li a[href^='https://']"), key
    assert client.get("/guides/no-such-guide").status_code == 404


# --- opioid safety: wherever opioids are mentioned ------------------------------------------

OPIOID = re.compile(r"\bopioids?\b", re.I)


def mentions_opioids(page: BeautifulSoup) -> bool:
    main = page.find("main")
    for part in main.select("#opioid-safety, section.sources"):
        part.decompose()
    return bool(OPIOID.search(main.get_text(" ")))


def has_opioid_panel(page: BeautifulSoup) -> bool:
    panel = page.select_one("main #opioid-safety")
    if panel is None:
        return False
    text = panel.get_text(" ")
    return all(word in text for word in ("911", "naloxone", "breathing"))


def opioid_results_page(client) -> BeautifulSoup:
    body = answers(duration="over_3_months", tried=["opioid_medicine"], severity=7)
    response = client.post("/which-specialist", data={"step": "check", **form_fields(body)})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_every_page_that_mentions_opioids_carries_the_safety_panel(
    client, role_slugs, setting_slugs, condition_slugs
):
    mentioning, quiet = [], []
    for path in all_pages(role_slugs, setting_slugs, condition_slugs):
        page = get_html(client, path)
        if mentions_opioids(BeautifulSoup(str(page), "html.parser")):
            mentioning.append(path)
            assert has_opioid_panel(page), f"{path} mentions opioids without the safety panel"
        elif path != "/guides/opioid-safety":  # that page is the panel
            quiet.append(path)
            assert not page.select_one("#opioid-safety"), f"{path}: panel without a mention"
    assert len(mentioning) >= 9 and quiet, (mentioning, quiet)


def test_results_that_involve_opioids_carry_the_safety_panel_open(client):
    page = opioid_results_page(client)
    assert mentions_opioids(BeautifulSoup(str(page), "html.parser"))
    assert has_opioid_panel(page) and page.select_one("main #opioid-safety").name == "aside"


def test_the_opioid_panel_comes_before_the_sources(client):
    for page in (get_html(client, "/roles/anesthesiologist"), opioid_results_page(client)):
        panel = page.select_one("main #opioid-safety")
        sources = page.select_one("main section[data-sources]")
        assert panel and sources and panel in sources.find_all_previous(panel.name)


def test_an_answer_option_about_opioids_is_a_question_not_a_mention(client):
    from .test_questionnaire import submit

    _, page = submit(client, "emergency", red_flags="none")
    assert OPIOID.search(page.find("main").get_text(" ")), "the options name opioid medicine"
    assert not page.select_one("#opioid-safety")


def test_results_that_mention_opioids_only_in_passing_fold_the_panel(client):
    body = answers(duration="over_3_months", locations=["back"], tried=["physical_therapy"])
    response = client.post("/which-specialist", data={"step": "check", **form_fields(body)})
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.select_one(".answers-summary").get_text(" ")
    assert not OPIOID.search(summary), "the patient said nothing about opioids"
    # The pain medicine physician's card says they prescribe opioids with care.
    assert mentions_opioids(BeautifulSoup(str(page), "html.parser"))
    panel = page.select_one("main #opioid-safety")
    assert panel.name == "details" and not panel.has_attr("open")
    assert has_opioid_panel(page)


# --- the glossary: every term linked on its first use ---------------------------------------

SKIPPED = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "legend", "summary"}
SKIPPED |= {"option", "select", "textarea", "script", "style", "svg", "title", "code", "caption"}


@pytest.fixture(scope="module")
def terms(app) -> list[GlossaryTerm]:
    with app.app_context():
        found = list(db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.position)))
        for term in found:
            _ = term.matches
        return found


def term_patterns(terms) -> dict[str, re.Pattern[str]]:
    patterns = {}
    for term in terms:
        forms = "|".join(re.escape(form) for form in sorted(term.matches, key=len, reverse=True))
        flags = 0 if term.case_sensitive else re.I
        patterns[term.slug] = re.compile(rf"(?<![\w-])(?:{forms})(?![\w-])", flags)
    return patterns


def glossary_slug(link: Tag) -> str | None:
    href = link.get("href", "")
    return href.split("#", 1)[1] if "term" in link.get("class", []) and "#" in href else None


def unlinked_first_uses(html: str, patterns: dict[str, re.Pattern[str]]) -> list[str]:
    """Terms whose first use in running text on the page is not a link to the glossary."""
    main = BeautifulSoup(html, "html.parser").find("main")
    seen: set[str] = set()
    missing = []
    for text in main.find_all(string=True):
        if not isinstance(text, NavigableString) or not text.strip():
            continue
        link = text.find_parent("a")
        is_term = link is not None and glossary_slug(link)
        skipped = any(
            parent.name in SKIPPED or parent.has_attr("data-no-glossary")
            for parent in (link.parents if is_term else text.parents)
            if parent is not main and isinstance(parent, Tag)
        )
        if is_term:
            if skipped:  # a link where none may be: in a heading, a label, a source list...
                missing.append(f"{glossary_slug(link)} linked inside a skipped element")
            seen.add(glossary_slug(link))
            continue
        if skipped:
            continue
        for slug, pattern in patterns.items():
            if slug not in seen and pattern.search(str(text)):
                missing.append(f"{slug}: “{text.strip()[:60]}”")
                seen.add(slug)
    return missing


def test_every_glossary_word_is_linked_on_its_first_use(
    client, role_slugs, setting_slugs, condition_slugs, terms
):
    patterns = term_patterns(terms)
    linked = 0
    for path in all_pages(role_slugs, setting_slugs, condition_slugs):
        if path == "/glossary":
            continue
        html = client.get(path).get_data(as_text=True)
        assert not unlinked_first_uses(html, patterns), (path, unlinked_first_uses(html, patterns))
        linked += html.count('class="term"')
    assert linked > 100


def test_a_page_links_each_word_once(client, terms):
    page = get_html(client, "/roles/pain-medicine-physician")
    slugs = [glossary_slug(link) for link in page.select("main a.term")]
    assert slugs and len(slugs) == len(set(slugs))
    glossary = get_html(client, "/glossary")
    for slug in slugs:
        assert glossary.find(id=slug), slug


def test_the_glossary_page_and_api_list_every_term(client, terms):
    assert len(terms) >= 30
    page = get_html(client, "/glossary")
    api = client.get("/api/v1/glossary").get_json()
    assert [item["slug"] for item in api["terms"]] == [term.slug for term in terms]
    for term in terms:
        entry = page.find(id=term.slug)
        assert entry and entry.dt.get_text(strip=True) == term.term
        assert entry.select_one("dd small a[href^='https://']"), term.slug
    assert not page.select("main a.term"), "the glossary does not link to itself"
    for required in ("referral", "hmo", "ppo", "prior-authorization", "naloxone", "crna"):
        assert required in {term.slug for term in terms}, required


def test_search_finds_glossary_entries(client):
    page = get_html(client, "/search?q=prior+authorization")
    links = [link["href"] for link in page.select(".search-results a")]
    assert "/glossary#prior-authorization" in links


def test_linker_links_first_use_only_in_running_text():
    linker = GlossaryLinker(
        [
            GlossaryWord("hmo", ("HMO",), case_sensitive=True),
            GlossaryWord("referral", ("referral", "referrals")),
            GlossaryWord("pmr", ("PM&R",), case_sensitive=True),
            GlossaryWord("board-certified", ("board certified", "board certification")),
        ]
    )
    html = (
        '<h2>Referral</h2><p>Your <a href="/x">referral</a> from an hmo. An HMO needs '
        "referrals, then a referral.</p><p data-no-glossary>PM&amp;R</p>"
        "<p>Ask about board certification in PM&amp;R.<br>HMO</p>"
    )
    linked = linker.link(html, lambda slug: f"/glossary#{slug}")
    assert linked == (
        '<h2>Referral</h2><p>Your <a href="/x">referral</a> from an hmo. An '
        '<a class="term" href="/glossary#hmo">HMO</a> needs '
        '<a class="term" href="/glossary#referral">referrals</a>, then a referral.</p>'
        "<p data-no-glossary>PM&amp;R</p><p>Ask about "
        '<a class="term" href="/glossary#board-certified">board certification</a> in '
        '<a class="term" href="/glossary#pmr">PM&amp;R</a>.<br>HMO</p>'
    )


# --- clinicians beyond the twelve roles -------------------------------------------------------


def test_every_see_also_clinician_has_a_sourced_page(client, app):
    with app.app_context():
        slugs = set(db.session.scalars(select(Clinician.slug)))
    assert slugs == SPEC_SEE_ALSO_WHO
    index = get_html(client, "/other-clinicians")
    for slug in sorted(slugs):
        assert index.find("a", href=f"/other-clinicians/{slug}"), slug
        page = get_html(client, f"/other-clinicians/{slug}")
        assert page.select("section.sources li a[href^='https://']"), slug
        assert page.select_one(".reviewed time"), slug
        assert "not a diagnosis" in page.find(id="when").find_parent("section").text
    assert client.get("/other-clinicians/plumber").status_code == 404


def test_see_also_links_to_the_clinician_page_on_results_and_in_the_api(client):
    body = answers(locations=["teeth_or_jaw"])
    api = client.post("/api/v1/recommendations", json=body).get_json()
    assert api["see_also"], "tooth pain points to a dentist"
    for item in api["see_also"]:
        assert item["url"] == f"/other-clinicians/{item['who']}"
        assert client.get(item["url"]).status_code == 200
    response = client.post("/which-specialist", data={"step": "check", **form_fields(body)})
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    links = {link["href"] for link in page.select(".see-also-list a")}
    assert "/other-clinicians/dentist" in links


def test_api_lists_other_clinicians(client):
    listed = client.get("/api/v1/other-clinicians").get_json()["clinicians"]
    assert {item["slug"] for item in listed} == SPEC_SEE_ALSO_WHO
    one = client.get("/api/v1/other-clinicians/dentist").get_json()
    assert one["sources"] and one["what_they_do"]
    missing = client.get("/api/v1/other-clinicians/plumber")
    assert missing.status_code == 404 and "slug" in missing.get_json()["errors"]


# --- the loader refuses incomplete content ---------------------------------------------------


def test_a_role_without_a_new_section_is_refused(content_dir: Path):
    edit_yaml(content_dir / "roles" / "physiatrist.yaml", lambda role: role.pop("telehealth"))
    with pytest.raises(ContentError) as error:
        read_content(content_dir)
    assert error.value.file == "roles/physiatrist.yaml" and error.value.field == "telehealth"


def test_a_missing_shared_panel_is_refused(content_dir: Path):
    (content_dir / "panels" / "opioid-safety.yaml").unlink()
    with pytest.raises(ContentError, match="opioid-safety"):
        read_content(content_dir)


def test_a_word_linked_to_two_glossary_entries_is_refused(content_dir: Path):
    path = content_dir / "glossary" / "terms.yaml"

    def share_a_match(glossary):
        glossary["terms"][1]["matches"].append(glossary["terms"][0]["matches"][0].upper())

    edit_yaml(path, share_a_match)
    with pytest.raises(ContentError, match="already links to"):
        read_content(content_dir)


def test_a_see_also_clinician_without_a_page_is_refused(content_dir: Path):
    (content_dir / "clinicians" / "dentist.yaml").unlink()
    with pytest.raises(ContentError, match="dentist"):
        rulebook_for(read_content(content_dir))


def test_a_clinician_naming_an_unknown_role_is_refused(content_dir: Path):
    edit_yaml(
        content_dir / "clinicians" / "urologist.yaml",
        lambda page: page.update(related_roles=["plumber"]),
    )
    with pytest.raises(ContentError) as error:
        read_content(content_dir)
    assert error.value.field == "related_roles[0]"


def test_linker_never_touches_attributes_entities_or_escaped_markup():
    linker = GlossaryLinker(
        [GlossaryWord("amp", ("amp",)), GlossaryWord("referral", ("referral",))]
    )
    html = (
        '<p title="a referral">R&amp;D &lt;referral&gt;</p>'
        "<section data-no-glossary><p>referral</p></section><p>amp and referral</p>"
    )
    assert linker.link(html, lambda slug: f"/g#{slug}") == (
        '<p title="a referral">R&amp;D &lt;<a class="term" href="/g#referral">referral</a>&gt;'
        "</p><section data-no-glossary><p>referral</p></section>"
        '<p><a class="term" href="/g#amp">amp</a> and referral</p>'
    )
