"""A patient takes the questionnaire in a real browser: keyboard only, with a mistake and its
fix, an emergency, print preview of the results, and accessibility checks on every step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_site_in_browser import WCAG_AA, axe, describe


def assert_accessible(page) -> None:
    violations = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}}).response[
        "violations"
    ]
    assert not violations, describe(violations)


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
    assert page.locator(".print-only").is_visible()
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


def test_questionnaire_can_be_completed_with_the_keyboard_alone(page, live_server):
    page.goto(live_server + "/which-specialist")

    def tab_to(label: str) -> None:
        for _ in range(80):
            page.keyboard.press("Tab")
            active = page.evaluate(
                "document.activeElement.labels && document.activeElement.labels[0]"
                " ? document.activeElement.labels[0].innerText : document.activeElement.innerText"
            )
            if active.strip().startswith(label):
                return
        pytest.fail(f"could not reach {label!r} with Tab")

    tab_to("None of these")
    page.keyboard.press("Space")
    tab_to("Continue")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=About your pain")
    # A radio group is one tab stop; arrow keys choose within it.
    tab_to("Under 18")
    page.keyboard.press("ArrowDown")
    tab_to("Less than 6 weeks")
    page.keyboard.press("Space")
    tab_to("I have an operation coming up")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("The pain started with an injury").is_checked()
    assert page.get_by_label("18 to 64").is_checked()
    tab_to("Arms or legs")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus stays visible"
    page.get_by_label("How much does the pain get in the way of your daily life?").focus()
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # implicit submission moves on
    page.wait_for_selector("text=What matters to you")
    tab_to("See my answers")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Check your answers")
    tab_to("See which specialists fit")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=The specialists that fit best")
