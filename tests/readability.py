"""Measure the reading grade of a page's own words (not its source titles or charts)."""

from __future__ import annotations

import re

import textstat
from bs4 import BeautifulSoup

# Blocks of prose a patient reads. Headings, source titles, tables, chart labels and lists
# of names (".names": other names for a role, who works in a place) are left out: they are
# names of people, documents and steps, not sentences, and the formula is made for sentences.
PROSE_TAGS = ["p", "li", "dt", "dd"]
SKIPPED = "section.sources, svg, table, nav, figcaption, .names, h1, h2, h3, .error-code"


def page_prose(html: str) -> str:
    main = BeautifulSoup(html, "html.parser").find("main")
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
