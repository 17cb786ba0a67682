"""How hard a page's own words are to read, one definition for the `flask content report`
command and the tests: Flesch-Kincaid grade for English pages, Fernández-Huerta reading ease
for Spanish ones."""

from __future__ import annotations

import re

import textstat
from bs4 import BeautifulSoup

# The site aims at US grade 8 or below on every English page...
MAX_GRADE = 8.0
# ...and at 70 or more ("bastante fácil") on the Fernández-Huerta scale on every Spanish one.
MIN_READING_EASE_ES = 70.0

# Blocks of prose a patient reads. Headings, source titles, tables, chart labels and lists
# of names (".names": other names for a role, who works in a place) are left out: they are
# names of people, documents and steps, not sentences, and the formula is made for sentences.
PROSE_TAGS = ["p", "li", "dt", "dd"]
SKIPPED = "section.sources, svg, table, nav, figcaption, .names, h1, h2, h3, .error-code"


def page_prose(html: str) -> str:
    """The sentences inside the page's <main>, one per block ("" for a page without one)."""
    main = BeautifulSoup(html, "html.parser").find("main")
    if main is None:
        return ""
    for node in main.select(SKIPPED):
        node.decompose()
    pieces = []
    for tag in main.find_all(PROSE_TAGS):
        if tag.find(PROSE_TAGS):  # count nested blocks once, at the innermost level
            continue
        text = re.sub(r"\s+", " ", tag.get_text(" ", strip=True))
        if text:
            # A heading or list item is a sentence of its own for the formula.
            pieces.append(text if text[-1] in ".?!:" else text + ".")
    return " ".join(pieces)


def reading_grade(html: str) -> float:
    return textstat.flesch_kincaid_grade(page_prose(html))


def reading_ease_es(html: str) -> float:
    """Fernández-Huerta reading ease of a Spanish page's prose (higher is easier)."""
    # textstat keeps its language globally: set it for this measure only.
    textstat.set_lang("es")
    try:
        return textstat.fernandez_huerta(page_prose(html))
    finally:
        textstat.set_lang("en_US")
