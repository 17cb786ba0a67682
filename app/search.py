"""Site search over roles, conditions and care settings, by name and by everyday words.

On SQLite it uses an FTS5 full-text index (built by a migration, filled by `content load`);
on PostgreSQL it uses PostgreSQL's own full-text search over the same fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Text, cast, func, literal_column, select, text
from sqlalchemy.orm import Session

from .i18n import current_language
from .models import CareSetting, Clinician, Condition, GlossaryTerm, Role
from .page_aids import glossary_href

SEARCH_TABLE = "search_index"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
KIND_LABELS = {
    "role": _l("Specialist"),
    "condition": _l("Condition"),
    "setting": _l("Care setting"),
    "clinician": _l("Other clinician"),
    "term": _l("Glossary"),
}
# PostgreSQL's text search configuration for each language (stemming and stop words).
POSTGRES_CONFIGS = {"en": "english", "es": "spanish"}
# Letters compared without their accents, so "ciatica" finds "ciática" (SQLite's index does
# the same with remove_diacritics).
ACCENTED, PLAIN = "áàâäéèêëíìîïóòôöúùûüñç", "aaaaeeeeiiiioooouuuunc"
# The page each kind of hit links to, for url_for (so links follow the path the site is under).
ENDPOINTS = {
    "role": "roles.role_detail",
    "condition": "conditions.condition_detail",
    "setting": "care_settings.setting_detail",
    "clinician": "clinicians.clinician_detail",
}


def is_search_table(name: str | None) -> bool:
    """The FTS5 table and its shadow tables, which the models do not describe."""
    return bool(name) and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_"))


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    title: str
    summary: str

    def url(self, url_for) -> str:
        """The hit's address; a glossary word is an entry on the glossary page."""
        if self.kind == "term":
            return glossary_href(self.slug)
        return url_for(ENDPOINTS[self.kind], slug=self.slug)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _every_language(session: Session, model: type) -> Any:
    return session.scalars(select(model).execution_options(any_language=True))


def _documents(session: Session) -> list[dict[str, str]]:
    documents = []
    for role in _every_language(session, Role):
        documents.append(
            {
                "kind": "role",
                "slug": role.slug,
                "language": role.language,
                "title": role.name,
                "keywords": " ".join([*role.also_called, *role.search_terms]),
                "body": " ".join([role.summary, role.focus, *role.conditions, *role.treatments]),
            }
        )
    for condition in _every_language(session, Condition):
        documents.append(
            {
                "kind": "condition",
                "slug": condition.slug,
                "language": condition.language,
                "title": condition.name,
                "keywords": " ".join([*condition.also_called, *condition.search_terms]),
                "body": " ".join([condition.summary, condition.description]),
            }
        )
    for setting in _every_language(session, CareSetting):
        documents.append(
            {
                "kind": "setting",
                "slug": setting.slug,
                "language": setting.language,
                "title": setting.name,
                "keywords": " ".join(setting.search_terms),
                "body": " ".join([setting.summary, setting.description, setting.pain_handled]),
            }
        )
    for clinician in _every_language(session, Clinician):
        documents.append(
            {
                "kind": "clinician",
                "slug": clinician.slug,
                "language": clinician.language,
                "title": clinician.name,
                "keywords": " ".join([*clinician.also_called, *clinician.search_terms]),
                "body": " ".join(
                    [clinician.summary, clinician.what_they_do, *clinician.conditions]
                ),
            }
        )
    for term in _every_language(session, GlossaryTerm):
        documents.append(
            {
                "kind": "term",
                "slug": term.slug,
                "language": term.language,
                "title": term.term,
                "keywords": " ".join(term.matches),
                "body": term.definition,
            }
        )
    return documents


def _uses_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def rebuild_search_index(session: Session, only_if_empty: bool = False) -> None:
    """Refill the index from the content tables, inside the caller's transaction."""
    if not _uses_fts(session):
        return
    if only_if_empty and session.execute(text(f"SELECT count(*) FROM {SEARCH_TABLE}")).scalar():
        return
    session.execute(text(f"DELETE FROM {SEARCH_TABLE}"))
    session.execute(
        text(
            f"INSERT INTO {SEARCH_TABLE} (kind, slug, language, title, keywords, body) "
            "VALUES (:kind, :slug, :language, :title, :keywords, :body)"
        ),
        _documents(session),
    )


def search_terms(query: str) -> list[str]:
    """The words of a query, lower-cased; punctuation and FTS syntax are dropped."""
    words = re.findall(r"\w+", query[:MAX_QUERY_LENGTH].lower())
    return [word[:40] for word in words][:MAX_TERMS]


def search(session: Session, query: str, limit: int = 30) -> list[Hit]:
    terms = search_terms(query)
    if not terms:
        return []
    if _uses_fts(session):
        found = _fts_search(session, terms, limit)
    else:
        found = _postgres_search(session, terms, limit)
    summaries = _summaries(session, found)
    return [Hit(kind, slug, title, summaries.get((kind, slug), "")) for kind, slug, title in found]


def _fts_search(session: Session, terms: list[str], limit: int) -> list[tuple[str, str, str]]:
    # Every word must match (as a prefix: "physio" finds "physiotherapist"); if nothing does,
    # any word may. Quoting each word keeps FTS operators in a query from being interpreted.
    # The words as a phrase come first: when "pain" and "doctor" are each in most documents,
    # ranking by the single words says little, and the entry that says "pain doctor" is the one
    # meant.
    quoted = [f'"{term}"*' for term in terms]
    phrase = ['"' + " ".join(terms) + '"'] if len(terms) > 1 else []
    found: list[tuple[str, str, str]] = []
    for match in [*phrase, " AND ".join(quoted), " OR ".join(quoted)]:
        is_phrase = bool(phrase) and match == phrase[0]
        rows = session.execute(
            text(
                f"SELECT kind, slug, title FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match "
                "AND language = :language "
                f"ORDER BY bm25({SEARCH_TABLE}, 0, 0, 0, 10.0, 6.0, 1.0) LIMIT :limit"
            ),
            {"match": match, "limit": limit, "language": current_language()},
        ).all()
        found += [tuple(row) for row in rows if tuple(row) not in found]
        if not is_phrase and (found or len(terms) == 1):
            break
    return found[:limit]


def _postgres_search(session: Session, terms: list[str], limit: int) -> list[tuple[str, str, str]]:
    """PostgreSQL full-text search over the same fields (no index needed at this size)."""
    # Each word as a prefix ("physio" finds "physiotherapist"); all words, else any word.
    words = [re.sub(r"[^\w]", "", _without_accents(term)) for term in terms]
    words = [word for word in words if word]
    language = current_language()
    config = POSTGRES_CONFIGS.get(language, "simple")
    found: list[tuple[str, str, str, float]] = []
    for joiner in (" & ", " | "):
        query = func.to_tsquery(config, joiner.join(f"{word}:*" for word in words))
        found = []
        for kind, model, title_fields, body_fields in SEARCHED_FIELDS:
            name = getattr(model, NAME_FIELD.get(kind, "name"))
            title = func.setweight(
                func.to_tsvector(config, _text_of(model, title_fields)), literal_column("'A'")
            )
            body = func.setweight(
                func.to_tsvector(config, _text_of(model, body_fields)), literal_column("'C'")
            )
            document = title.op("||")(body)
            rank = func.ts_rank(document, query)
            rows = session.execute(select(model.slug, name, rank).where(document.op("@@")(query)))
            found += [(kind, row[0], row[1], row[2]) for row in rows]
        if found or len(words) == 1:
            break
    found.sort(key=lambda hit: (-hit[3], hit[2]))
    return [(kind, slug, title) for kind, slug, title, _ in found[:limit]]


def _text_of(model, fields: list[str]):
    parts = [func.coalesce(cast(getattr(model, name), Text), "") for name in fields]
    return func.translate(func.lower(func.concat_ws(" ", *parts)), ACCENTED, PLAIN)


def _without_accents(word: str) -> str:
    return word.translate(str.maketrans(ACCENTED, PLAIN))


SEARCHED_FIELDS = [
    (
        "role",
        Role,
        ["name", "also_called", "search_terms"],
        ["summary", "focus", "conditions", "treatments"],
    ),
    ("condition", Condition, ["name", "also_called", "search_terms"], ["summary", "description"]),
    ("setting", CareSetting, ["name", "search_terms"], ["summary", "description", "pain_handled"]),
    (
        "clinician",
        Clinician,
        ["name", "also_called", "search_terms"],
        ["summary", "what_they_do", "conditions"],
    ),
    ("term", GlossaryTerm, ["term", "matches"], ["definition"]),
]
# The column holding the title and the one-line summary, where it is not "name" / "summary".
NAME_FIELD = {"term": "term"}
SUMMARY_FIELD = {"term": "definition"}
MODELS = {kind: model for kind, model, _, _ in SEARCHED_FIELDS}


def _summaries(session: Session, found: list[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    summaries = {}
    for kind, model in MODELS.items():
        slugs = [slug for hit_kind, slug, _ in found if hit_kind == kind]
        if slugs:
            summary_column = getattr(model, SUMMARY_FIELD.get(kind, "summary"))
            for slug, summary in session.execute(
                select(model.slug, summary_column).where(model.slug.in_(slugs))
            ):
                summaries[(kind, slug)] = summary
    return summaries
