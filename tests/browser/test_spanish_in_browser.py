"""The patient's flows again in Spanish, under /es/: accessibility and language marks on every
kind of page, the questionnaire by keyboard alone through to printed results, an emergency, the
crisis line, and 320 px reflow, where Spanish's longer words are most likely to push sideways.

Field names and option values are the same in both languages; only the words differ. The words
asserted here come from the Spanish files (app/recommend/questions.es.yaml, rules.es.yaml and
app/translations/es/LC_MESSAGES/messages.po).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.recommend import load_questionnaire

from ..answers import CHRONIC_BACK_AND_LEG, form_fields
from .test_questionnaire_in_browser import (
    KEYBOARD_WALK_WORDS,
    answer_with_the_keyboard_alone,
    assert_accessible,
    sideways_overflow,
)
from .test_results_page_in_browser import MAX_PRINTED_PAGES, page_text, printed

SPANISH_PAGES = {
    "home": "/es/",
    "role": "/es/roles/physiatrist",
    "questionnaire": "/es/which-specialist",
    "compare": "/es/compare?roles=pain-medicine-physician,anesthesiologist",
    "condition": "/es/conditions/sciatica",
    "glossary": "/es/glossary",
    "results": None,  # reached by answering the questions, not by an address
}
REFLOW_PAGES = ["home", "role", "questionnaire", "results"]
NARROWEST = 320  # CSS pixels: a small phone, or a 1280-pixel screen at 400% zoom

RESULTS_HEADING = "Qué especialista le conviene según lo que nos dijo"
NOT_A_DIAGNOSIS = "Esto no es un diagnóstico"


def submit_button(page):
    """The step's own submit button (its words are the step's, in questions.es.yaml)."""
    return page.locator("main form .form-actions button[type=submit]")


def open_spanish_results(page, live_server: str, body: dict = CHRONIC_BACK_AND_LEG) -> None:
    """Answer the Spanish questionnaire with `body`, step by step through its own forms,
    ticking each option by its field name and value, then open the results."""
    page.goto(live_server + "/es/which-specialist")
    for step in load_questionnaire().step_names:
        for name, values in form_fields(body, of_step=step).items():
            for value in values if isinstance(values, list) else [values]:
                option = page.locator(f'main input[name="{name}"][value="{value}"]')
                if option.count():
                    option.check()
                else:
                    page.locator(f'main input[name="{name}"]').fill(value)
        submit_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise sus respuestas")
    page.get_by_role("button", name="Ver qué especialistas le convienen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RESULTS_HEADING)


def open_spanish_page(page, live_server: str, kind: str) -> None:
    if SPANISH_PAGES[kind] is None:
        open_spanish_results(page, live_server)
    else:
        page.goto(live_server + SPANISH_PAGES[kind])


def too_wide(page, width: int) -> list[str]:
    """The deepest elements reaching past `width`, to name in a failure message."""
    return page.evaluate(
        """(width) => {
            const right = (e) => {
                const box = e.getBoundingClientRect();
                return Math.max(box.right, box.left + e.scrollWidth);
            };
            const wide = (e) => right(e) > width + 0.5;
            return [...document.querySelectorAll('body *')]
                .filter((e) => wide(e) && ![...e.children].some(wide))
                .slice(0, 5)
                .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''}`
                    + ` (to ${Math.round(right(e))}px):`
                    + ` ${(e.innerText || '').trim().slice(0, 40)}`);
        }""",
        width,
    )


@pytest.mark.parametrize("kind", SPANISH_PAGES)
def test_spanish_page_is_marked_spanish_and_has_no_wcag_a_or_aa_violations(page, live_server, kind):
    open_spanish_page(page, live_server, kind)
    assert page.evaluate("document.documentElement.lang") == "es"
    to_english = page.locator(".language-switch a", has_text="English")
    expect(to_english).to_have_count(1)
    expect(to_english).to_have_attribute("lang", "en")
    expect(to_english).to_have_attribute("hreflang", "en")
    assert not to_english.get_attribute("href").startswith("/es"), "it leads to English"
    assert_accessible(page)


KEYBOARD_WALK_WORDS_ES = {
    "first heading": "Primero, revise si tiene señales de emergencia",
    "none of these": "Ninguna de estas",
    "continue": "Continuar",
    "about heading": "Sobre su dolor",
    "under 18": "Menos de 18 años",
    "18 to 64": "De 18 a 64 años",
    "less than 6 weeks": "Menos de 6 semanas",
    "operation coming up": "Pronto voy a tener una cirugía",
    "injury": "El dolor empezó con una lesión",
    "arms or legs": "Brazos o piernas",
    "daily life": "¿Cuánto le estorba el dolor en su vida diaria?",
    "preferences heading": "Lo que es importante para usted",
    "see my answers": "Ver mis respuestas",
    "check heading": "Revise sus respuestas",
    "see which fit": "Ver qué especialistas le convienen",
    "results heading": "Los especialistas que mejor le convienen",
}
assert KEYBOARD_WALK_WORDS_ES.keys() == KEYBOARD_WALK_WORDS.keys()


def test_spanish_questionnaire_with_the_keyboard_alone_then_printed(page, live_server):
    url = live_server + "/es/which-specialist"
    answer_with_the_keyboard_alone(page, url, KEYBOARD_WALK_WORDS_ES)

    expect(page.get_by_role("heading", level=1)).to_have_text(RESULTS_HEADING)
    assert page.url.removeprefix(live_server) == "/es/which-specialist", "answers not in URL"
    expect(page.get_by_text(NOT_A_DIAGNOSIS).first).to_be_visible()
    expect(page.locator(".start-here")).to_contain_text("Empiece aquí")

    # The print view, as the English results are printed.
    page.emulate_media(media="print")
    assert page.locator(".print-only").first.is_visible()
    expect(page.locator(".print-only").first).to_contain_text("Impreso desde Pain Care Navigator")
    assert page.locator(".print-only.notes").is_visible()
    assert not page.locator(".site-header nav").is_visible()
    assert page.locator(".answers-summary").is_visible()
    pdf = printed(page, "Letter")
    assert 1 <= len(pdf.pages) <= MAX_PRINTED_PAGES, f"{len(pdf.pages)} printed pages"
    first = page_text(pdf.pages[0])
    assert "Empiece aquí" in first and "Versión del contenido" in first, first[:300]
    page.emulate_media(media="screen")


def test_spanish_emergency_sign_stops_the_questions_with_911_first(page, live_server):
    page.goto(live_server + "/es/which-specialist")
    page.get_by_label("Pérdida nueva del control de la orina o de las heces", exact=False).check()
    submit_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Busque ayuda ahora")
    expect(page).to_have_title(re.compile("^Busque ayuda ahora"))
    first = page.locator("main p").first  # the first thing said under the heading
    expect(first).to_contain_text("911")
    expect(first).to_contain_text("Llame ahora al número de emergencias")
    expect(first).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") == 0
    expect(page.locator(".flag-list li")).to_contain_text("Pérdida nueva del control de la orina")
    assert_accessible(page)


def crisis_page(page, live_server: str, prefix: str, sign: str) -> None:
    page.goto(live_server + prefix + "/which-specialist")
    page.get_by_label(sign).check()
    submit_button(page).click()


def crisis_links(page) -> list[str]:
    return page.eval_on_selector_all(
        "main a[href^='tel:'], main a[href^='sms:']", "links => links.map(a => a.href)"
    )


def test_spanish_thoughts_of_self_harm_open_with_the_crisis_line(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    crisis_page(page, live_server, "", "Thoughts of ending your life")
    english_links = crisis_links(page)

    crisis_page(page, live_server, "/es", "Pensamientos de quitarse la vida")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "No está solo. Hay ayuda ahora mismo."
    )
    first = page.evaluate("document.querySelector('main').firstElementChild.className")
    assert "crisis-panel" in first, "the crisis line is the first thing on the page"
    lifeline = page.locator(".crisis-panel li", has_text="988").first
    expect(lifeline).to_contain_text("Línea 988 de Prevención del Suicidio y Crisis")
    expect(lifeline).to_contain_text("oprima 2 para español")
    expect(lifeline).to_be_in_viewport(ratio=1)  # 988 is seen without scrolling
    assert page.evaluate("window.scrollY") == 0
    # Call and text links, where the English page has them, are there in Spanish too.
    assert crisis_links(page) == english_links
    assert sideways_overflow(page) <= 0
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("kind", REFLOW_PAGES)
def test_spanish_text_reflows_at_320_px_without_sideways_scrolling(browser, live_server, kind):
    context = browser.new_context(viewport={"width": NARROWEST, "height": 640})
    page = context.new_page()
    open_spanish_page(page, live_server, kind)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    wide = too_wide(page, NARROWEST) if width > NARROWEST else []
    context.close()
    assert width <= NARROWEST, f"{kind}: {width}px wide at {NARROWEST}px; {wide}"
