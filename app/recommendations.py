"""The recommendation engine as this site runs it: one questionnaire definition and one
rulebook per app, both checked when the app starts.

The rulebook takes its roles and sources from the content files, after the same checks that
`flask content load` runs (app/content/loader.py), so a rule that names a role or source the
content lacks stops the app at start-up, with the rule named, instead of failing a patient's
request. Paths come from the config (QUESTIONS_FILE, RULES_FILE, CONTENT_DIR), so a test or a
reviewer can run the site on a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, url_for
from markupsafe import Markup

from .caching import remembered_urls
from .i18n import current_language
from .recommend import Questionnaire, RuleBook, load_questionnaire
from .translation import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from .content.schema import RoleIn


@dataclass(frozen=True)
class Recommender:
    questionnaire: Questionnaire
    rulebook: RuleBook
    # The roles as checked from the content files: the results page draws its role cards from
    # them while the database is down (they match the database whenever content is loaded
    # from this CONTENT_DIR).
    roles: tuple[RoleIn, ...]
    # Addresses of sources published in this language (a Spanish version, in Spanish): the
    # others keep their published English titles, which pages mark as English (lang="en").
    sources_in_language: frozenset[str] = frozenset()


def init_app(app: Flask) -> None:
    app.extensions["recommenders"] = checked_recommenders(
        Path(app.config["CONTENT_DIR"]),
        Path(app.config["RULES_FILE"]),
        Path(app.config["QUESTIONS_FILE"]),
    )
    app.jinja_env.globals["current_questionnaire"] = current_questionnaire
    app.jinja_env.globals["title_lang"] = title_lang


@cache
def checked_recommenders(
    content_dir: Path, rules_file: Path, questions_file: Path
) -> dict[str, Recommender]:
    """One recommender per language, read and checked once per process and set of paths:
    like the code, these files change with a deploy, which restarts the workers (tests use
    copies at new paths). Each language has the same rules; only the words differ."""
    from .content.loader import read_all_content, rulebook_for  # pydantic: only at start-up

    recommenders = {}
    for language, content in read_all_content(content_dir).items():
        rulebook = rulebook_for(content, rules_file, questions_file)
        roles = tuple(role for _, role in content.roles.values())
        questionnaire = load_questionnaire(questions_file, language)
        in_language = frozenset(
            str(source.url)
            for file, source in content.sources.values()
            if language == DEFAULT_LANGUAGE or file.endswith(f".{language}.yaml")
        )
        recommenders[language] = Recommender(questionnaire, rulebook, roles, in_language)
    return recommenders


def current_recommender() -> Recommender:
    """The recommender in the language of the request."""
    return current_app.extensions["recommenders"][current_language()]


def title_lang(url: str) -> Markup:
    """` lang="en"` for a link to a source whose title is in another language than the page
    (WCAG 3.1.2, language of parts); nothing when they match."""
    if url in current_recommender().sources_in_language:
        return Markup("")
    return Markup(f' lang="{DEFAULT_LANGUAGE}"')


def current_questionnaire() -> Questionnaire:
    return current_recommender().questionnaire


def current_rulebook() -> RuleBook:
    return current_recommender().rulebook


def checked_roles() -> tuple[RoleIn, ...]:
    return current_recommender().roles


def with_site_urls(result: dict[str, Any]) -> dict[str, Any]:
    """The engine's answer with each role's address built by url_for, so that it follows the
    path the site is mounted under (the engine, being plain Python, can only give the path
    from the site's root)."""
    urls = role_urls()
    for item in result["recommendations"]:
        item["url"] = urls[item["role"]]
    if result["see_also"]:
        pages = clinician_urls()
        for item in result["see_also"]:
            item["url"] = pages[item["who"]]
    return result


def clinician_urls() -> dict[str, str]:
    """The page of every clinician a see_also may name, by `who`."""
    return remembered_urls(
        "clinicians",
        lambda: {
            who: url_for("clinicians.clinician_detail", slug=who)
            for who in current_rulebook().clinicians
        },
    )


def role_urls() -> dict[str, str]:
    """Every role's address, by slug."""
    return remembered_urls(
        "roles",
        lambda: {
            slug: url_for("roles.role_detail", slug=slug) for slug in current_rulebook().role_order
        },
    )
