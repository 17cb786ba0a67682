"""What a patient does in a real browser: read pages, move with the keyboard, use a phone.

Accessibility is checked with axe-core (WCAG 2.x A and AA rules) on every kind of page.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PAGE_KINDS = {
    "home": "/",
    "roles index": "/roles",
    "role": "/roles/pain-medicine-physician",
    "role with ranges": "/roles/pain-psychologist",
    "settings index": "/care-settings",
    "setting": "/care-settings/acute-pain-service",
    "training": "/training",
    "about": "/about",
    "questionnaire": "/which-specialist",
    "compare": "/compare?roles=pain-medicine-physician,anesthesiologist",
    "compare four": "/compare?roles=physiatrist,physical-therapist,"
    "pain-medicine-physician,neurosurgeon",
    "compare error": "/compare?roles=physiatrist",
    "conditions index": "/conditions",
    "condition": "/conditions/sciatica",
    "search": "/search?q=sciatica",
    "search miss": "/search?q=zzyzx",
    "not found": "/roles/no-such-role",
    "glossary": "/glossary",
    "other clinicians": "/other-clinicians",
    "other clinician": "/other-clinicians/chiropractor",
    "guide": "/guides/insurance-basics",
    "opioid guide": "/guides/opioid-safety",
}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 740)}

axe = Axe()


def describe(violations: list[dict]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in violations
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_wcag_a_or_aa_violations(browser, live_server, kind, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(live_server + PAGE_KINDS[kind])
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    context.close()
    violations = results.response["violations"]
    assert not violations, describe(violations)


# 320 CSS pixels is a phone, and also a 1280-pixel screen at 400% zoom; 640 is 200% zoom.
@pytest.mark.parametrize("width", [320, 640])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_text_reflows_without_sideways_scrolling(browser, live_server, kind, width):
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    page.goto(live_server + PAGE_KINDS[kind])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0, f"{kind}: page is {overflow}px wider than the screen"


def test_skip_link_comes_first_and_moves_focus_to_the_content(page, live_server):
    page.goto(live_server + "/roles")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible(), "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_focus_is_visible(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the skip link, onto the site name
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_patient_finds_a_pain_specialist_and_where_they_work(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Explore the 12 kinds of specialist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Specialists who treat pain")
    page.get_by_role("link", name="Pain medicine physician", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pain medicine physician")
    assert page.locator("svg.timeline-svg").is_visible()
    page.locator("ul.settings-list a").first.click()
    expect(page).to_have_url(re.compile(re.escape(live_server) + "/care-settings/"))
    page.locator("#who + ul a", has_text="Pain medicine physician").click()
    expect(page).to_have_url(live_server + "/roles/pain-medicine-physician")


def test_home_page_answers_the_first_question_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_role("link", name="anesthesiologist", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anesthesiologist")
    context.close()


def test_pages_read_the_same_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/training")
    assert page.locator("svg.timeline-svg g.timeline-row").count() == 12
    assert page.get_by_role("table").first.is_visible()
    context.close()


def test_the_accessibility_check_catches_a_real_violation(page, live_server):
    """Guard against a check that cannot fail: break a page on purpose and expect axe to see it."""
    page.goto(live_server + "/about")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')"
    )
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert "image-alt" in {violation["id"] for violation in results.response["violations"]}


def test_patient_compares_two_roles_and_searches(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role(
        "link", name="Compare a pain medicine physician with an anesthesiologist"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pain medicine physician vs Anesthesiologist"
    )
    page.get_by_role("link", name="Show only the differences").click()
    expect(page.get_by_role("link", name="Show every row")).to_be_visible()
    page.get_by_role("searchbox", name="Search the site").fill("sciatica")
    page.get_by_role("searchbox", name="Search the site").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    page.locator("ol.search-results a", has_text="Sciatica").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sciatica")


def test_patient_follows_a_glossary_word_and_reads_the_opioid_panel(page, live_server):
    page.goto(live_server + "/roles/pain-medicine-physician")
    panel = page.locator("#opioid-safety")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("911")
    expect(panel).to_contain_text(re.compile("naloxone", re.I))
    # The first use of "referral" on the page links to its glossary entry.
    page.locator("main a.term", has_text=re.compile("^referral", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/glossary#referral$"))
    entry = page.locator("#referral")
    expect(entry).to_be_in_viewport()
    expect(entry.locator("dt")).to_have_text("Referral")
