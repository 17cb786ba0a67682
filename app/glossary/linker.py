"""Link the first use of each glossary word on a page to its entry, in the rendered HTML.

Plain Python (no Flask), so it can be tested on its own. It works on the HTML the site's own
templates produce: text is already escaped, tags are well formed. Words are linked only in
running text, never inside a link, a heading, a form control's label or a summary (a link
there would be nested, or would steal the click), nor inside an element marked
`data-no-glossary` (source titles, the glossary itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import escape

# Elements whose text is never linked.
SKIPPED_ELEMENTS = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "button",
        "label",
        "legend",
        "summary",
        "option",
        "select",
        "textarea",
        "script",
        "style",
        "svg",
        "title",
        "code",
        "caption",
    }
)
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
NO_GLOSSARY_ATTRIBUTE = "data-no-glossary"

TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|<!--.*?-->", re.S)


@dataclass(frozen=True)
class GlossaryWord:
    slug: str
    matches: tuple[str, ...]
    case_sensitive: bool = False


def _pattern(escaped_forms: Iterable[str], flags: int) -> re.Pattern[str] | None:
    # Longest first, so "board certification" wins over a shorter word inside it.
    forms = sorted(set(escaped_forms), key=len, reverse=True)
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags)


class GlossaryLinker:
    def __init__(self, words: Iterable[GlossaryWord]):
        # Text is matched as escaped HTML: "PM&R" is looked for as "PM&amp;R".
        self._exact: dict[str, str] = {}  # escaped form -> slug (abbreviations)
        self._folded: dict[str, str] = {}  # escaped, case-folded form -> slug
        for word in words:
            for form in word.matches:
                key = str(escape(form))
                if word.case_sensitive:
                    self._exact[key] = word.slug
                else:
                    self._folded[key.casefold()] = word.slug
        self._patterns = [
            pattern
            for pattern in (
                _pattern(self._exact, 0),
                _pattern(self._folded, re.I),
            )
            if pattern is not None
        ]

    def _slug_of(self, found: str) -> str | None:
        return self._exact.get(found) or self._folded.get(found.casefold())

    def link(self, html: str, href: Callable[[str], str], linked: set[str] | None = None) -> str:
        """`html` with the first use of each word wrapped in a link to `href(slug)`.
        `linked` holds the slugs already linked earlier on the page (and is updated)."""
        if not self._patterns:
            return html
        linked = set() if linked is None else linked
        out: list[str] = []
        open_elements: list[tuple[str, bool]] = []  # (tag, skipped?) for each open element
        position = 0
        for tag in TAG.finditer(html):
            text = html[position : tag.start()]
            if text:
                skipping = bool(open_elements) and open_elements[-1][1]
                out.append(text if skipping else self._link_text(text, href, linked))
            out.append(tag.group(0))
            position = tag.end()
            closing, name = tag.group(1), (tag.group(2) or "").lower()
            if not name:  # a comment
                continue
            if closing:
                # Close the innermost element of that name (and any left open inside it).
                for index in range(len(open_elements) - 1, -1, -1):
                    if open_elements[index][0] == name:
                        del open_elements[index:]
                        break
            elif name not in VOID_ELEMENTS and not tag.group(3).rstrip().endswith("/"):
                inherited = bool(open_elements) and open_elements[-1][1]
                skipped = (
                    inherited or name in SKIPPED_ELEMENTS or NO_GLOSSARY_ATTRIBUTE in tag.group(3)
                )
                open_elements.append((name, skipped))
        tail = html[position:]
        if tail:
            skipping = bool(open_elements) and open_elements[-1][1]
            out.append(tail if skipping else self._link_text(tail, href, linked))
        return "".join(out)

    def _link_text(self, text: str, href: Callable[[str], str], linked: set[str]) -> str:
        found: list[tuple[int, int, str]] = []
        for pattern in self._patterns:
            for match in pattern.finditer(text):
                slug = self._slug_of(match.group(0))
                if slug is not None:
                    found.append((match.start(), match.end(), slug))
        if not found:
            return text
        pieces: list[str] = []
        position = 0
        for start, end, slug in sorted(found):
            if slug in linked or start < position:
                continue
            linked.add(slug)
            pieces.append(text[position:start])
            pieces.append(f'<a class="term" href="{escape(href(slug))}">{text[start:end]}</a>')
            position = end
        pieces.append(text[position:])
        return "".join(pieces)
