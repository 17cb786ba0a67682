"""What every page's main content gets without its template asking for it: the first use of
each glossary word links to its entry, and a page that mentions opioids carries the opioid
safety panel (signs of an overdose, naloxone, safe storage). Doing it here, on the rendered
page, means a new page or a new sentence about opioids cannot forget either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import g, get_template_attribute
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from .caching import (
    cached_fragment,
    current_content_version,
    database_unreachable,
    note_database_failure,
    url_for_in_templates,
)
from .extensions import db
from .glossary.linker import GlossaryLinker, GlossaryWord, running_text
from .models import GlossaryTerm, Panel

OPIOID_PANEL = "opioid-safety"
# "opioid(s)" in English, "opioide(s)" in Spanish.
MENTIONS_OPIOIDS = re.compile(r"\bopioide?s?\b", re.I)
# The panel goes just before the page's sources (every sources section carries this
# attribute), or at the end when a page has none.
SOURCES_SECTION = re.compile(r"<section\b[^>]*\sdata-sources\b")
INDENTATION = re.compile(r"\n\s+")


@dataclass(frozen=True)
class PageAids:
    linker: GlossaryLinker
    opioid_panel: Markup | None
    opioid_panel_folded: Markup | None  # under its title, for pages where opioids are aside
    guide_links: dict[str, Markup]  # a line linking to each panel's own page


def _build_aids() -> PageAids:
    terms = db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.position)).all()
    linker = GlossaryLinker(
        GlossaryWord(term.slug, tuple(term.matches), term.case_sensitive) for term in terms
    )
    panels = {
        panel.key: panel
        for panel in db.session.scalars(select(Panel).options(selectinload(Panel.sources)))
    }
    opioid = panels.get(OPIOID_PANEL)
    draw, link = (get_template_attribute("_macros.html", name) for name in ("panel", "guide_link"))
    return PageAids(
        linker,
        draw(opioid) if opioid else None,
        draw(opioid, folded=True) if opioid else None,
        {key: link(panel) for key, panel in panels.items()},
    )


def page_aids() -> PageAids | None:
    if current_content_version() is None:
        if database_unreachable():  # as last built (a patient on opioids keeps the panel)
            return cached_fragment("page-aids", _build_aids, offline=lambda: None)
        return None  # no content: nothing to add
    try:
        return cached_fragment("page-aids", _build_aids)
    except SQLAlchemyError as error:  # no database: the page is served without its aids
        db.session.rollback()
        note_database_failure(error)
        return None


def guide_link(key: str) -> Markup:
    """A line linking to a shared panel's own page (/guides/<key>), drawn once per content
    version (a Jinja global). Role pages link to the insurance and checking guides instead of
    repeating them twelve times: each would add 4 KB to pages that must stay under 40 KB."""
    aids = page_aids()
    return aids.guide_links.get(key, Markup()) if aids else Markup()


def glossary_href(slug: str) -> str:
    """A glossary entry's address (its anchor on /glossary), for pages, search and the API."""
    return f"{url_for_in_templates('glossary.glossary_page')}#{slug}"


def with_page_aids(html: str) -> Markup:
    """The Jinja filter around every page's main content (templates/base.html)."""
    aids = page_aids()
    text = str(html)
    if aids is None:
        return Markup(text)
    at = opioid_panel_place(text) if aids.opioid_panel is not None else None
    if at is not None:
        panel = aids.opioid_panel_folded if g.get("fold_opioid_panel") else aids.opioid_panel
        text = text[:at] + str(panel) + text[at:]  # str: `str + Markup` would escape the page
    if not g.get("glossary_page"):  # the glossary itself does not link to itself
        text = aids.linker.link(text, glossary_href)
    return Markup(without_indentation(text))


def without_indentation(html: str) -> str:
    # Template indentation is a tenth of some pages' bytes; a browser shows none of it. Text
    # inside <pre> or <textarea> would change, so such a page is left alone.
    if "<pre" in html or "<textarea" in html:
        return html
    return INDENTATION.sub("\n", html)


def mentions_opioids(text: str) -> bool:
    return bool(MENTIONS_OPIOIDS.search(text))


def fold_opioid_panel() -> None:
    """On this page the opioid panel is folded under its title: a view calls this when
    opioids come up only in passing (a role's description on the results page, when the
    patient's own answers say nothing about opioids)."""
    g.fold_opioid_panel = True


def opioid_panel_place(html: str) -> int | None:
    """Where the opioid panel goes (just before the page's sources, or at the end), or None
    when the page's own running text does not mention opioids. A source's title ("...
    Prescribing Opioids") is not the page talking about opioids, nor is a form's option
    ("An opioid, such as oxycodone"): a question is not advice."""
    if f'id="{OPIOID_PANEL}"' in html or not mentions_opioids(html):
        return None
    sources = SOURCES_SECTION.search(html)
    at = sources.start() if sources else len(html)
    return at if mentions_opioids(running_text(html[:at])) else None
