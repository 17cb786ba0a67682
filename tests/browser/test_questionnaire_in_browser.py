"""A patient takes the questionnaire in a real browser: keyboard only, with a mistake and its
fix, an emergency, print preview of the results, and accessibility checks on every step."""

from __future__ import annotations

import re
from functools import partial

import pytest
from playwright.sync_api import expect

from .test_site_in_browser import WCAG_AA, axe, describe


def assert_accessible(page) -> None:
    violations = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}}).response[
        "violations"
    ]
    assert not violations, describe(violations)


def tab_to_label(page, label: str) -> None:
    """Press Tab until the focused control's label (or text) starts with `label`."""
    for _ in range(80):
        page.keyboard.press("Tab")
        active = page.evaluate(
            "document.activeElement.labels && document.activeElement.labels[0]"
            " ? document.activeElement.labels[0].innerText : document.activeElement.innerText"
        )
        if active.strip().startswith(label):
            return
    pytest.fail(f"could not reach {label!r} with Tab")


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def answer_about_step(page) -> None:
    page.get_by_label("18 to 64").check()
    page.get_by_label("More than 3 months").check()
    page.get_by_label("None of these, or I do not know the cause").check()
    page.get_by_label("Back", exact=True).check()
    page.get_by_label("Shooting down an arm or a leg").check()
    page.get_by_label("How much does the pain get in the way of your daily life?").fill("6")
    page.get_by_label("Physical therapy or physiotherapy").check()


def test_routine_case_with_a_mistake_fixed_then_printed(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Answer a few questions to find out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("First, check for emergency signs")
    assert_accessible(page)
    page.get_by_label("None of these").first.check()
    page.get_by_role("button", name="Continue").click()

    # Submit with nothing answered: the error summary takes focus and links to each field.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("link", name="Choose at least one place where it hurts.").click()
    expect(page.locator("#locations-0")).to_be_focused()

    answer_about_step(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What matters to you")
    page.get_by_role("button", name="See my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(page)
    page.get_by_role("button", name="See which specialists fit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which specialist fits what you told us"
    )
    assert page.url.removeprefix(live_server) == "/which-specialist", "answers never in the URL"
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator(".print-only").first.is_visible()
    assert page.locator(".print-only.notes").is_visible()
    assert not page.locator(".site-header nav").is_visible()
    assert page.locator(".answers-summary").is_visible()
    page.emulate_media(media="screen")

    first = page.locator(".result-card h3 a").first
    role_name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(role_name)


def test_emergency_sign_stops_the_questions(page, live_server):
    page.goto(live_server + "/which-specialist")
    page.get_by_label("New loss of control of your bladder or bowels", exact=False).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    assert page.get_by_text("Call your local emergency number now").is_visible()
    assert_accessible(page)


# The words a patient meets on the keyboard walk below, in English (the Spanish walk gives
# its own: tests/browser/test_spanish_in_browser.py).
KEYBOARD_WALK_WORDS = {
    "first heading": "First, check for emergency signs",
    "none of these": "None of these",
    "continue": "Continue",
    "about heading": "About your pain",
    "under 18": "Under 18",
    "18 to 64": "18 to 64",
    "less than 6 weeks": "Less than 6 weeks",
    "operation coming up": "I have an operation coming up",
    "injury": "The pain started with an injury",
    "arms or legs": "Arms or legs",
    "daily life": "How much does the pain get in the way of your daily life?",
    "preferences heading": "What matters to you",
    "see my answers": "See my answers",
    "check heading": "Check your answers",
    "see which fit": "See which specialists fit",
    "results heading": "The specialists that fit best",
}


def answer_with_the_keyboard_alone(page, url: str, words: dict[str, str]) -> None:
    """From the questionnaire at `url` through to its results, by keyboard only: a radio group
    is one tab stop with arrow keys inside it, focus stays visible, Enter submits."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["first heading"])
    tab_to = partial(tab_to_label, page)
    tab_to(words["none of these"])
    page.keyboard.press("Space")
    tab_to(words["continue"])
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text={words['about heading']}")
    # A radio group is one tab stop; arrow keys choose within it.
    tab_to(words["under 18"])
    page.keyboard.press("ArrowDown")
    tab_to(words["less than 6 weeks"])
    page.keyboard.press("Space")
    tab_to(words["operation coming up"])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label(words["injury"]).is_checked()
    assert page.get_by_label(words["18 to 64"]).is_checked()
    tab_to(words["arms or legs"])
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus stays visible"
    page.get_by_label(words["daily life"]).focus()
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # implicit submission moves on
    page.wait_for_selector(f"text={words['preferences heading']}")
    tab_to(words["see my answers"])
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text={words['check heading']}")
    tab_to(words["see which fit"])
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text={words['results heading']}")


def test_questionnaire_can_be_completed_with_the_keyboard_alone(page, live_server):
    answer_with_the_keyboard_alone(page, live_server + "/which-specialist", KEYBOARD_WALK_WORDS)


def test_emergency_signs_on_a_small_phone_with_the_keyboard_alone(browser, live_server):
    """The twelve signs under their headings at 320 px: no sideways scroll, no axe problem,
    and a sign can be found, ticked and sent with the keyboard alone."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server + "/which-specialist")
    expect(page.get_by_role("group", name="Back, belly, pregnancy and legs")).to_be_visible()
    assert sideways_overflow(page) <= 0
    assert_accessible(page)

    tab_to_label(page, "One leg newly swollen and painful")
    page.keyboard.press("Space")
    assert page.get_by_label("One leg newly swollen and painful").is_checked()
    tab_to_label(page, "Continue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(page.locator(".flag-list li")).to_contain_text("One leg newly swollen and painful")
    assert sideways_overflow(page) <= 0
    assert_accessible(page)
    context.close()


def test_thoughts_of_self_harm_open_with_the_crisis_line(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + "/which-specialist")
    page.get_by_label("Thoughts of ending your life").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You are not alone. Help is available now."
    )
    first = page.evaluate("document.querySelector('main').firstElementChild.className")
    assert "crisis-panel" in first, "the crisis line is the first thing on the page"
    lifeline = page.locator(".crisis-panel li", has_text="988").first
    expect(lifeline).to_be_in_viewport(ratio=1)  # 988 is seen without scrolling
    assert page.evaluate("window.scrollY") == 0
    assert sideways_overflow(page) <= 0
    assert_accessible(page)
    context.close()


def test_results_with_the_crisis_line_and_other_clinicians_are_accessible(page, live_server):
    page.goto(live_server + "/which-specialist")
    page.get_by_label("None of these").first.check()
    page.get_by_role("button", name="Continue").click()
    answer_about_step(page)
    page.get_by_label("How old are they, in years? (optional)").fill("52")
    page.get_by_label("Teeth or jaw", exact=True).check()
    page.get_by_role("group", name="Is the pain affecting your mood").get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="See my answers").click()
    expect(page.locator(".summary-row", has_text="How old are they")).to_contain_text("52 years")
    page.get_by_role("button", name="See which specialists fit").click()
    expect(page.get_by_role("heading", name="Other clinicians who may help")).to_be_visible()
    expect(page.locator(".crisis-panel")).to_contain_text("988")
    assert_accessible(page)


def test_tooth_pain_points_to_the_dentist_page(page, live_server):
    page.goto(live_server + "/which-specialist")
    page.get_by_label("None of these").first.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("18 to 64").check()
    page.get_by_label("Less than 6 weeks").check()
    page.get_by_label("None of these, or I do not know the cause").check()
    page.get_by_label("Teeth or jaw", exact=True).check()
    page.get_by_label("Aching or stiff").check()
    page.get_by_label("How much does the pain get in the way of your daily life?").fill("4")
    page.get_by_label("Nothing yet").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="See my answers").click()
    page.get_by_role("button", name="See which specialists fit").click()
    page.locator(".see-also-list a", has_text="Dentist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dentist")
    expect(page.locator("#when")).to_be_visible()
    assert_accessible(page)
