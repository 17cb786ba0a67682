"""Link the first use of each glossary word on a page to its entry, in the rendered HTML.

Plain Python (no Flask), so it can be tested on its own. It works on the HTML the site's own
templates produce: text is already escaped (so no attribute holds a bare "<" or ">"), tags are
well formed and quoted. Words are linked only in running text, never inside a link, a heading,
a form control's label or a summary (a link there would be nested, or would steal the click),
nor inside an element marked `data-no-glossary` (source titles, the glossary itself). Such an
element is read up to its first closing tag of the same name, so it must not contain an element
of its own kind (none does; `tests/test_content_completeness.py` checks every page).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import escape

# Elements whose text is never linked. None of them holds another of its own kind.
SKIPPED_ELEMENTS = (
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
)
NO_GLOSSARY_ATTRIBUTE = "data-no-glossary"

# What is never running text, each read whole: a comment, a skipped element with all it holds,
# an element marked data-no-glossary with all it holds, and any other tag.
NOT_TEXT = (
    r"<!--.*?-->"
    rf"|<({'|'.join(SKIPPED_ELEMENTS)})\b[^>]*>.*?</\1\s*>"
    rf"|<([a-z][a-z0-9-]*)\b[^>]*\s{NO_GLOSSARY_ATTRIBUTE}\b[^>]*>.*?</\2\s*>"
    r"|<[^>]*>"
)
NOT_TEXT_PATTERN = re.compile(NOT_TEXT, re.S | re.I)
AFTER_WORD = r"(?![\w-])"
NOT_A_WORD_START = re.compile(r"[\w&-]")  # the character before a whole word is none of these


@dataclass(frozen=True)
class GlossaryWord:
    slug: str
    matches: tuple[str, ...]
    case_sensitive: bool = False


def running_text(html: str) -> str:
    """The page's own running text: what the linker may link."""
    return NOT_TEXT_PATTERN.sub(" ", html)


def trie_pattern(forms: Iterable[str]) -> str:
    """The forms as one regular expression shaped like a trie ("board(?:\\ certified|...)"):
    at each place in a page it fails on the first letter that no form starts with, which made
    linking a results page three times faster than a plain list of alternatives."""
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for character in form:
            node = node.setdefault(character, {})
        node[""] = {}  # a form ends here

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(key) + build(child) for key, child in sorted(node.items()) if key]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


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
        self._slugs = set(self._exact.values()) | set(self._folded.values())
        # One pass over the page in lower case skips what is not running text and finds every
        # form (an abbreviation is then checked against the original letters): a third of the
        # time of matching each list with its own case rules. No look-behind at the start,
        # which would make the engine try the pattern at every letter: the character before a
        # word is checked on a match instead.
        forms = trie_pattern({form.casefold() for form in [*self._exact, *self._folded]})
        self._pattern = re.compile(f"{NOT_TEXT}|(?:{forms}){AFTER_WORD}", re.S) if forms else None

    def link(self, html: str, href: Callable[[str], str], linked: set[str] | None = None) -> str:
        """`html` with the first use of each word wrapped in a link to `href(slug)`.
        `linked` holds the slugs already linked earlier on the page (and is updated)."""
        if self._pattern is None:
            return html
        lowered = html.casefold()
        if len(lowered) != len(html):  # a letter whose lower case is longer: no shortcut
            lowered = html
        linked = set() if linked is None else linked
        out, position = [], 0
        for found in self._pattern.finditer(lowered):
            start, end = found.span()
            if lowered[start] == "<":
                continue
            text = html[start:end]
            slug = self._exact.get(text) or self._folded.get(found.group(0))
            if slug is None or slug in linked:
                continue
            if start > 0 and NOT_A_WORD_START.match(html, start - 1):  # inside a longer word
                continue
            linked.add(slug)
            out += [html[position:start], f'<a class="term" href="{escape(href(slug))}">{text}</a>']
            position = end
            if linked >= self._slugs:  # every word linked: the rest stays as it is
                break
        out.append(html[position:])
        return "".join(out)
