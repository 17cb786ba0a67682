"""Site search over roles, conditions and care settings, by name and by everyday words.

On SQLite it uses an FTS5 full-text index (built by a migration, filled by `content load`);
on other databases it falls back to a simple LIKE search over the same fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, or_, select, text
from sqlalchemy.orm import Session

from .models import CareSetting, Condition, Role

SEARCH_TABLE = "search_index"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
KIND_LABELS = {"role": "Specialist", "condition": "Condition", "setting": "Care setting"}
URL_PREFIXES = {"role": "/roles/", "condition": "/conditions/", "setting": "/care-settings/"}


def is_search_table(name: str | None) -> bool:
    """The FTS5 table and its shadow tables, which the models do not describe."""
    return bool(name) and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_"))


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    title: str
    summary: str

    @property
    def url(self) -> str:
        return URL_PREFIXES[self.kind] + self.slug

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _documents(session: Session) -> list[dict[str, str]]:
    documents = []
    for role in session.scalars(select(Role)):
        documents.append(
            {
                "kind": "role",
                "slug": role.slug,
                "title": role.name,
                "keywords": " ".join([*role.also_called, *role.search_terms]),
                "body": " ".join([role.summary, role.focus, *role.conditions, *role.treatments]),
            }
        )
    for condition in session.scalars(select(Condition)):
        documents.append(
            {
                "kind": "condition",
                "slug": condition.slug,
                "title": condition.name,
                "keywords": " ".join([*condition.also_called, *condition.search_terms]),
                "body": " ".join([condition.summary, condition.description]),
            }
        )
    for setting in session.scalars(select(CareSetting)):
        documents.append(
            {
                "kind": "setting",
                "slug": setting.slug,
                "title": setting.name,
                "keywords": " ".join(setting.search_terms),
                "body": " ".join([setting.summary, setting.description, setting.pain_handled]),
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
            f"INSERT INTO {SEARCH_TABLE} (kind, slug, title, keywords, body) "
            "VALUES (:kind, :slug, :title, :keywords, :body)"
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
    found = (
        _fts_search(session, terms, limit)
        if _uses_fts(session)
        else _like_search(session, terms, limit)
    )
    summaries = _summaries(session, found)
    return [Hit(kind, slug, title, summaries.get((kind, slug), "")) for kind, slug, title in found]


def _fts_search(session: Session, terms: list[str], limit: int) -> list[tuple[str, str, str]]:
    # Every word must match (as a prefix: "physio" finds "physiotherapist"); if nothing does,
    # any word may. Quoting each word keeps FTS operators in a query from being interpreted.
    quoted = [f'"{term}"*' for term in terms]
    for joiner in (" AND ", " OR "):
        rows = session.execute(
            text(
                f"SELECT kind, slug, title FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match "
                f"ORDER BY bm25({SEARCH_TABLE}, 0, 0, 10.0, 6.0, 1.0) LIMIT :limit"
            ),
            {"match": joiner.join(quoted), "limit": limit},
        ).all()
        if rows or len(terms) == 1:
            return [tuple(row) for row in rows]
    return []


def _like_search(session: Session, terms: list[str], limit: int) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for kind, model, fields in (
        (
            "role",
            Role,
            ["name", "summary", "focus", "search_terms", "also_called", "treatments", "conditions"],
        ),
        ("condition", Condition, ["name", "summary", "description", "search_terms", "also_called"]),
        ("setting", CareSetting, ["name", "summary", "description", "search_terms"]),
    ):
        columns = [func.lower(cast(getattr(model, name), Text)) for name in fields]
        clauses = [
            or_(*[column.contains(term, autoescape=True) for column in columns]) for term in terms
        ]
        for row in session.execute(
            select(model.slug, model.name).where(*clauses).order_by(model.name)
        ):
            found.append((kind, row.slug, row.name))
    return found[:limit]


def _summaries(session: Session, found: list[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    summaries = {}
    for kind, model in (("role", Role), ("condition", Condition), ("setting", CareSetting)):
        slugs = [slug for hit_kind, slug, _ in found if hit_kind == kind]
        if slugs:
            for slug, summary in session.execute(
                select(model.slug, model.summary).where(model.slug.in_(slugs))
            ):
                summaries[(kind, slug)] = summary
    return summaries
