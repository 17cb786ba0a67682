"""`flask content report`: what in the content needs a reviewer's attention.

Review dates that have passed or are near, sources nobody cites, citations of keys that no
source file has, how hard each page is to read, and how the role files compare in size.

Citations and review dates are read from the YAML files themselves, not from the loader's
models: every `sources:` list and `reviewed_on:` date in any content file counts (panels,
glossary, clinicians and any kind added later included, with no change here), and a missing
source key, which the loader refuses outright, is listed with all the others instead of
stopping the report at the first one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from ..translation import is_translation_file
from .readability import MAX_GRADE, MIN_READING_EASE_ES, page_prose, reading_ease_es, reading_grade

REVIEW_AFTER_MONTHS = 12  # a page is due for review this long after its reviewed_on date
DUE_SOON_DAYS = 60  # ...and listed this many days before it falls due
MAX_PAGES = 2000  # a guard on the crawl, far above the site's size
# Role-file fields that hold names, switches or links to other entries, not words a patient
# reads; every other field is a section of prose.
NOT_PROSE = frozenset(
    {
        "slug",
        "name",
        "also_called",
        "group",
        "order",
        "access",
        "prescribes",
        "does_procedures",
        "compare_with",
        "search_terms",
        "sources",
        "reviewed_on",
        "role",
    }
)


@dataclass(frozen=True)
class Citation:
    key: str
    file: str
    entry: str


@dataclass(frozen=True)
class Review:
    file: str
    entry: str
    reviewed_on: dt.date
    due: dt.date
    days_left: int  # negative when overdue

    @property
    def status(self) -> str:
        return "overdue" if self.days_left < 0 else "due soon"


@dataclass(frozen=True)
class PageGrade:
    path: str
    grade: float  # US grade (English pages) or Fernández-Huerta reading ease (Spanish pages)
    words: int


@dataclass(frozen=True)
class RoleBalance:
    role: str
    words: int
    sections: int
    questions: int
    works_with: int
    sources: int


@dataclass
class Report:
    today: dt.date
    reviews: list[Review] = field(default_factory=list)  # overdue or due soon, soonest first
    unused_sources: list[Citation] = field(default_factory=list)  # entry: "" (cited nowhere)
    missing_sources: list[Citation] = field(default_factory=list)
    pages: list[PageGrade] = field(default_factory=list)  # hardest first
    spanish_pages: list[PageGrade] = field(default_factory=list)  # hardest (lowest ease) first
    balance: list[RoleBalance] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "review_after_months": REVIEW_AFTER_MONTHS,
            "due_soon_days": DUE_SOON_DAYS,
            "reviews": [
                {
                    **asdict(review),
                    "reviewed_on": review.reviewed_on.isoformat(),
                    "due": review.due.isoformat(),
                    "status": review.status,
                }
                for review in self.reviews
            ],
            "unused_sources": [
                {"key": item.key, "file": item.file} for item in self.unused_sources
            ],
            "missing_sources": [asdict(item) for item in self.missing_sources],
            "max_grade": MAX_GRADE,
            "pages": [asdict(page) for page in self.pages],
            "min_reading_ease_es": MIN_READING_EASE_ES,
            "spanish_pages": [asdict(page) for page in self.spanish_pages],
            "balance": [asdict(role) for role in self.balance],
            "notes": self.notes,
        }


def build_report(
    content_dir: Path,
    rules_file: Path | None = None,
    client: FlaskClient | None = None,
    today: dt.date | None = None,
) -> Report:
    """The whole report. Pages are measured only when given a test client of the app (they
    are what its database holds, so run `flask content load` first)."""
    report = Report(today=today or dt.date.today())
    documents = dict(_documents(content_dir, report.notes))
    sources = defined_sources(
        {name: data for name, data in documents.items() if name.startswith("sources/")}
    )
    entries = {name: data for name, data in documents.items() if not name.startswith("sources/")}
    citing = dict(entries)
    if rules_file is not None:
        citing[rules_file.name] = _read_yaml(rules_file, rules_file.name, report.notes)

    citations = [citation for name, data in citing.items() for citation in _citations(name, data)]
    cited = {citation.key for citation in citations}
    report.unused_sources = [
        Citation(key, file, "") for key, file in sorted(sources.items()) if key not in cited
    ]
    report.missing_sources = [citation for citation in citations if citation.key not in sources]
    report.reviews = reviews_due(entries, report.today, report.notes)
    report.balance = [
        role_balance(name, data)
        for name, data in documents.items()
        if name.startswith("roles/") and isinstance(data, dict)
    ]
    if client is not None:
        report.notes.extend(_database_notes(content_dir))
        report.pages = page_grades(client)
        report.spanish_pages = page_grades(client, "/es/")
    return report


# --- reading the files ----------------------------------------------------------------------


def _documents(content_dir: Path, notes: list[str]) -> Iterator[tuple[str, Any]]:
    # English files only: a translation cites nothing of its own and would count a role twice.
    for path in sorted(p for p in content_dir.rglob("*.yaml") if not is_translation_file(p)):
        name = path.relative_to(content_dir).as_posix()
        yield name, _read_yaml(path, name, notes)


def _read_yaml(path: Path, name: str, notes: list[str]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        notes.append(f"{name}: not read ({exc.__class__.__name__}); it is left out of the report")
        return None


def defined_sources(source_files: dict[str, Any]) -> dict[str, str]:
    """Source key -> the file that defines it (the first one, if a key is defined twice)."""
    keys: dict[str, str] = {}
    for name, data in source_files.items():
        items = data.get("sources") if isinstance(data, dict) else None
        for item in items or []:
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                keys.setdefault(item["key"], name)
    return keys


def _mappings(data: Any, where: str = "") -> Iterator[tuple[str, dict]]:
    """Every mapping in a YAML document, with where it is ("paths[2]", "crisis")."""
    if isinstance(data, dict):
        yield where, data
        for key, value in data.items():
            yield from _mappings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _mappings(value, f"{where}[{index}]")


def _entry_name(file: str, where: str, mapping: dict) -> str:
    for key in ("slug", "key", "id", "role"):
        if isinstance(mapping.get(key), str):
            return mapping[key]
    return where or Path(file).stem


def _citations(file: str, data: Any) -> Iterator[Citation]:
    for where, mapping in _mappings(data):
        keys = mapping.get("sources")
        if isinstance(keys, list):
            entry = _entry_name(file, where, mapping)
            for key in keys:
                if isinstance(key, str):
                    yield Citation(key, file, entry)


def reviews_due(documents: dict[str, Any], today: dt.date, notes: list[str]) -> list[Review]:
    """Entries whose review is past or falls due within DUE_SOON_DAYS, soonest first."""
    reviews = []
    for file, data in documents.items():
        for where, mapping in _mappings(data):
            if "reviewed_on" not in mapping:
                continue
            entry = _entry_name(file, where, mapping)
            reviewed_on = _as_date(mapping["reviewed_on"])
            if reviewed_on is None:
                notes.append(f"{file}: entry '{entry}': reviewed_on is not a date")
                continue
            due = add_months(reviewed_on, REVIEW_AFTER_MONTHS)
            days_left = (due - today).days
            if days_left <= DUE_SOON_DAYS:
                reviews.append(Review(file, entry, reviewed_on, due, days_left))
    return sorted(reviews, key=lambda review: (review.due, review.file, review.entry))


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter: 29 Feb -> 28 Feb)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def role_balance(file: str, data: dict) -> RoleBalance:
    """How much a role file says: words of prose, prose fields filled, and list lengths."""
    sections = [
        value for name, value in data.items() if name not in NOT_PROSE and list(_prose(value))
    ]
    return RoleBalance(
        role=str(data.get("slug") or Path(file).stem),
        words=sum(len(text.split()) for value in sections for text in _prose(value)),
        sections=len(sections),
        questions=_count(data.get("questions")),
        works_with=_count(data.get("works_with")),
        sources=_count(data.get("sources")),
    )


def _prose(value: Any) -> Iterator[str]:
    if isinstance(value, str) and value.strip():
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _prose(item)
    elif isinstance(value, dict):
        for name, item in value.items():
            if name not in NOT_PROSE:
                yield from _prose(item)


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


# --- measuring the pages --------------------------------------------------------------------


def page_grades(client: FlaskClient, start: str = "/") -> list[PageGrade]:
    """Every HTML page reachable by links from `start` in its language, hardest to read first.
    Links with a query string (search results, comparisons of a chosen few), static files and
    links to the other language are skipped. Spanish pages (start "/es/") are scored for
    reading ease, English ones for grade."""
    static = (client.application.static_url_path or "/static").rstrip("/") + "/"
    spanish = start.startswith("/es/")
    seen, queue, grades = {start}, deque([start]), []
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        words = len(page_prose(html).split())
        score = reading_ease_es(html) if spanish else reading_grade(html)
        grades.append(PageGrade(path, round(score, 1), words))
        for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True):
            link = urlsplit(urljoin(path, anchor["href"]))
            if link.scheme or link.netloc or link.query or link.path.startswith(static):
                continue
            if anchor.get("hreflang") or link.path.startswith("/es/") != spanish:
                continue  # the same page in the other language is measured in its own list
            if link.path not in seen and len(seen) < MAX_PAGES:
                seen.add(link.path)
                queue.append(link.path)
    if spanish:
        return sorted(grades, key=lambda page: (page.grade, page.path))
    return sorted(grades, key=lambda page: (-page.grade, page.path))


def _database_notes(content_dir: Path) -> list[str]:
    """Pages come from the database: say so when it does not hold these files' content."""
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from ..extensions import db
    from ..models import ContentRelease
    from .loader import ContentError, read_content

    try:
        files_version = read_content(content_dir).version
    except ContentError as exc:
        return [f"The content files do not load ({exc}); pages show the content last loaded."]
    try:
        loaded = db.session.scalar(select(ContentRelease.version))
    except SQLAlchemyError:
        db.session.rollback()
        return ["The database is not set up (run `flask db upgrade`): pages are not measured."]
    if loaded is None:
        return ["The database holds no content: run `flask content load`, then report again."]
    if loaded != files_version:
        return [
            f"The database holds content version {loaded}, the files are {files_version}: "
            "run `flask content load` to measure the pages as edited."
        ]
    return []


# --- the terminal table ---------------------------------------------------------------------


def format_report(report: Report) -> str:
    lines = [
        f"Content report for {report.today} (a review is due {REVIEW_AFTER_MONTHS} months "
        f"after reviewed_on)."
    ]
    if report.notes:
        lines += ["", "Notes"] + [f"  ! {note}" for note in report.notes]
    lines += _section(
        f"Reviews overdue or due within {DUE_SOON_DAYS} days",
        ["status", "due", "reviewed", "file", "entry"],
        [
            [r.status, r.due.isoformat(), r.reviewed_on.isoformat(), r.file, r.entry]
            for r in report.reviews
        ],
    )
    lines += _section(
        "Sources cited nowhere",
        ["key", "file"],
        [[item.key, item.file] for item in report.unused_sources],
    )
    lines += _section(
        "Citations of source keys that no sources file has",
        ["key", "file", "entry"],
        [[item.key, item.file, item.entry] for item in report.missing_sources],
    )
    lines += _section(
        f"Reading grade per page, hardest first (! above grade {MAX_GRADE:g})",
        ["grade", "words", "page"],
        [
            [f"{page.grade:.1f}{' !' if page.grade > MAX_GRADE else '  '}", page.words, page.path]
            for page in report.pages
        ],
        empty="(no pages measured)",
    )
    lines += _section(
        "Spanish reading ease per page (Fernández-Huerta), hardest first "
        f"(! below {MIN_READING_EASE_ES:g})",
        ["ease", "words", "page"],
        [
            [
                f"{page.grade:.1f}{' !' if page.grade < MIN_READING_EASE_ES else '  '}",
                page.words,
                page.path,
            ]
            for page in report.spanish_pages
        ],
        empty="(no pages measured)",
    )
    columns = ["words", "sections", "questions", "works_with", "sources"]
    rows: list[list[Any]] = [
        [role.role, *(getattr(role, name) for name in columns)] for role in report.balance
    ]
    if report.balance:
        spread = []
        for name in columns:
            values = [getattr(role, name) for role in report.balance]
            spread.append(f"{min(values)}-{max(values)}" if min(values) != max(values) else "same")
        rows.append(["(range)", *spread])
    lines += _section("Balance across roles", ["role", *columns], rows, count=False)
    return "\n".join(lines)


def _section(
    title: str, headers: list[str], rows: list[list[Any]], empty: str = "(none)", count=True
) -> list[str]:
    heading = f"{title} ({len(rows)})" if count else title
    if not rows:
        return ["", heading, f"  {empty}"]
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    lines = ["", heading]
    for row in cells:
        padded = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append(("  " + "  ".join(padded)).rstrip())
    return lines
