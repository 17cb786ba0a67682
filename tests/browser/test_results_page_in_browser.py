"""The results page as a worried patient meets it on a 390 px phone, and as they print it to
bring to the appointment: short, answer first, nothing said twice, two printed pages at most."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ..answers import CHRONIC_BACK_AND_LEG, form_fields
from .test_questionnaire_in_browser import assert_accessible

PHONE = {"width": 390, "height": 844}  # a common phone: its first screen is 844 px tall
MAX_WORDS = 900
MAX_HEIGHT_PX = 4_500
MAX_PRINTED_PAGES = 2
# Long-lasting back pain shooting down a leg, which many rules speak to at once: the page
# that used to run to 1,700 words and 9,500 px.


def open_results(page, live_server: str, body: dict = CHRONIC_BACK_AND_LEG) -> None:
    """POST the answers from the questionnaire's own page, with its CSRF token, as its
    "check your answers" form would."""
    fields = [
        (name, value)
        for name, values in form_fields(body).items()
        for value in (values if isinstance(values, list) else [values])
    ]
    page.goto(live_server + "/which-specialist")
    with page.expect_navigation():
        page.evaluate(
            """(fields) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = '/which-specialist';
                const token = document.querySelector('input[name=csrf_token]').value;
                for (const [name, value] of [['csrf_token', token], ['step', 'check'], ...fields]) {
                    const input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = name;
                    input.value = value;
                    form.append(input);
                }
                document.body.append(form);
                form.submit();
            }""",
            fields,
        )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which specialist fits what you told us"
    )


def visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def sentences(text: str) -> list[str]:
    """Every sentence a reader sees: each line split after . ! or ?, spacing normalised.
    Headings and labels without an end mark are not sentences."""
    found = []
    for line in text.splitlines():
        for part in re.split(r"(?<=[.!?])\s+", line):
            part = " ".join(part.split())
            if part.endswith((".", "!", "?")) and len(part.split()) > 1:
                found.append(part)
    return found


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def printed(page, paper: str) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))


def page_text(pdf_page) -> str:
    # NFKC turns the typesetter's ligatures ("ﬁ") back into letters.
    return " ".join(unicodedata.normalize("NFKC", pdf_page.extract_text()).split())


def test_results_on_a_phone_fit_the_word_and_height_budgets(phone, live_server):
    open_results(phone, live_server)
    words = len(visible_text(phone).split())  # header and footer included
    height = phone.evaluate("document.documentElement.scrollHeight")
    print(f"\nresults page at 390 px: {words} words, {height} px tall")
    assert words < MAX_WORDS, f"{words} words"
    assert height < MAX_HEIGHT_PX, f"{height} px"
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_results_page_never_says_a_sentence_twice(phone, live_server):
    open_results(phone, live_server)
    said = sentences(visible_text(phone))
    repeated = {sentence: n for sentence, n in Counter(said).items() if n > 1}
    assert said and not repeated, repeated


def test_the_first_phone_screen_answers_how_soon_whom_and_what_next(phone, live_server):
    open_results(phone, live_server)
    assert phone.evaluate("window.scrollY") == 0
    for part in (".start-here .urgency-line", ".start-here .first-role", ".start-here .next-step"):
        box = phone.locator(part).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], part
    expect(phone.locator(".start-here .first-role a")).to_have_text("a pain medicine physician")
    expect(phone.locator(".start-here .next-step")).to_contain_text("ask for a referral")
    assert_accessible(phone)


def test_top_roles_have_at_most_three_reasons_and_general_roles_are_not_listed(phone, live_server):
    open_results(phone, live_server)
    cards = phone.locator(".result-card")
    assert 1 <= cards.count() <= 3
    for index in range(cards.count()):
        assert 1 <= cards.nth(index).locator(".reasons li").count() <= 3
    others = visible_text(phone)
    assert "points to this specialist first" not in others, "a general role was listed"


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_printed_results_fit_two_pages_starting_on_page_one(phone, live_server, paper):
    open_results(phone, live_server)
    phone.emulate_media(media="print")
    pdf = printed(phone, paper)
    print(f"\nprinted on {paper}: {len(pdf.pages)} pages")
    assert 1 <= len(pdf.pages) <= MAX_PRINTED_PAGES, f"{len(pdf.pages)} pages on {paper}"
    first = page_text(pdf.pages[0])
    assert "Start here" in first and "Content version" in first, "page one is not near-blank"
    assert "See first" in first
    text = " ".join(page_text(page) for page in pdf.pages)
    for must in ("Why", "Questions to ask them", "You said", "You did not say", "Notes"):
        assert must in text, must
    for never in ("Change your answers", "Others who may help later", "Search"):
        assert never not in text, never
