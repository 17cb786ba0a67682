"""Read, check and load the content files into the database.

`read_content()` parses and checks every file, including the links between them, without
touching the database. `load_content()` then writes it all in one transaction, updating rows
in place so that loading the same files twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..models import (
    ROLE_GROUPS,
    CareSetting,
    Clinician,
    Condition,
    ConditionCare,
    ContentRelease,
    Country,
    GlossaryTerm,
    Panel,
    Role,
    RoleInSetting,
    Source,
    TrainingPath,
    TrainingStage,
)
from ..recommend import (
    DefinitionError,
    Questionnaire,
    RoleFacts,
    RuleBook,
    RuleError,
    load_questionnaire,
    load_rulebook,
)
from ..recommend.engine import RULES_FILE
from ..recommend.questionnaire import QUESTIONS_FILE
from ..search import rebuild_search_index
from ..translation import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    TRANSLATED,
    TranslationError,
    is_translation_file,
    read_document,
    translation_path,
)
from . import CONTENT_DIR
from .schema import (
    ClinicianIn,
    ConditionIn,
    GlossaryFile,
    PanelIn,
    RoleIn,
    SettingIn,
    SourcesFile,
    TermIn,
    TrainingFile,
)

Model = TypeVar("Model", bound=BaseModel)

# Panels the page templates show by key: a missing one is a content error, not a broken page.
PANELS_THE_SITE_SHOWS = ("opioid-safety", "insurance-basics", "checking-a-clinician")


class ContentError(Exception):
    """Content that cannot be loaded, with where the problem is."""

    def __init__(self, file: str, message: str, entry: str | None = None, field: str | None = None):
        self.file, self.entry, self.field, self.message = file, entry, field, message
        where = [file]
        if entry:
            where.append(f"entry '{entry}'")
        if field:
            where.append(f"field '{field}'")
        super().__init__(": ".join([*where, message]))


@dataclass
class Content:
    sources: dict[str, tuple[str, Any]] = field(default_factory=dict)  # key -> (file, SourceIn)
    roles: dict[str, tuple[str, RoleIn]] = field(default_factory=dict)
    settings: dict[str, tuple[str, SettingIn]] = field(default_factory=dict)
    conditions: dict[str, tuple[str, ConditionIn]] = field(default_factory=dict)
    training: list[tuple[str, TrainingFile]] = field(default_factory=list)
    panels: dict[str, tuple[str, PanelIn]] = field(default_factory=dict)
    clinicians: dict[str, tuple[str, ClinicianIn]] = field(default_factory=dict)
    # slug -> (file, index in that file, term, the file's reviewed_on), in glossary order
    glossary: dict[str, tuple[str, int, TermIn, dt.date]] = field(default_factory=dict)
    version: str = ""
    language: str = DEFAULT_LANGUAGE


@dataclass
class LoadReport:
    version: str
    changed: bool
    counts: dict[str, int]


# --- reading and checking ------------------------------------------------------------------

# One folder of YAML files per kind of content.
CONTENT_KINDS = (
    "sources",
    "roles",
    "settings",
    "conditions",
    "training",
    "panels",
    "clinicians",
    "glossary",
)


def content_files(content_dir: Path = CONTENT_DIR) -> dict[str, list[Path]]:
    """The English files of each kind (translations sit beside them: app/translation.py)."""
    return {
        kind: sorted(
            path for path in (content_dir / kind).glob("*.yaml") if not is_translation_file(path)
        )
        for kind in CONTENT_KINDS
    }


def content_digest(content_dir: Path = CONTENT_DIR) -> str:
    """The version of the content: a hash of every file, translations included."""
    digest = hashlib.sha256()
    for kind in CONTENT_KINDS:
        for path in sorted((content_dir / kind).glob("*.yaml")):
            digest.update(path.relative_to(content_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def read_all_content(content_dir: Path = CONTENT_DIR) -> dict[str, Content]:
    """The content in every language, each checked: English first, then each translation."""
    return {language: read_content(content_dir, language) for language in LANGUAGES}


def read_content(content_dir: Path = CONTENT_DIR, language: str = DEFAULT_LANGUAGE) -> Content:
    content = Content(language=language)
    files = content_files(content_dir)
    for kind, paths in files.items():
        if not paths:
            raise ContentError(f"{kind}/", "no content files found")

    _read_sources(content, files["sources"], content_dir)

    for kind, model, registry in (
        ("roles", RoleIn, content.roles),
        ("settings", SettingIn, content.settings),
        ("conditions", ConditionIn, content.conditions),
        ("clinicians", ClinicianIn, content.clinicians),
    ):
        for path in files[kind]:
            name, item = _parse(path, content_dir, model, language)
            if item.slug != path.stem:
                raise ContentError(
                    name, f"slug must match the file name '{path.stem}'", item.slug, "slug"
                )
            registry[item.slug] = (name, item)

    for path in files["training"]:
        content.training.append(_parse(path, content_dir, TrainingFile, language))

    for path in files["panels"]:
        name, panel = _parse(path, content_dir, PanelIn, language)
        if panel.key != path.stem:
            raise ContentError(
                name, f"key must match the file name '{path.stem}'", panel.key, "key"
            )
        content.panels[panel.key] = (name, panel)

    for path in files["glossary"]:
        name, glossary = _parse(path, content_dir, GlossaryFile, language)
        for index, term in enumerate(glossary.terms):
            if term.slug in content.glossary:
                other = content.glossary[term.slug][0]
                raise ContentError(
                    name, f"duplicate term (also in {other})", term.slug, f"terms[{index}].slug"
                )
            content.glossary[term.slug] = (name, index, term, glossary.reviewed_on)

    if language != DEFAULT_LANGUAGE:
        _add_source_versions(content, files["sources"], content_dir)
    _check_links(content)
    content.version = content_digest(content_dir)
    return content


def _add_source_versions(content: Content, source_files: list[Path], content_dir: Path) -> None:
    """Sources keep their published titles, but where a source is also published in this
    language (MedlinePlus en español, CDC en español), `sources/<file>.<language>.yaml` names
    that version, and the pages in this language cite it instead."""
    versions = [translation_path(path, content.language) for path in source_files]
    _read_sources(content, [path for path in versions if path.exists()], content_dir, True)


def _read_sources(
    content: Content, paths: list[Path], content_dir: Path, versions: bool = False
) -> None:
    """Add the sources of these files, each key once; `versions`: files that give another
    version of sources the content already has (each key must be one of them)."""
    seen: dict[str, str] = {}
    for path in paths:
        name, parsed = _parse(path, content_dir, SourcesFile)
        for index, source in enumerate(parsed.sources):
            field = f"sources[{index}].key"
            other = seen.get(source.key)
            if other:
                raise ContentError(
                    name, f"duplicate source key (also in {other})", source.key, field
                )
            if versions and source.key not in content.sources:
                raise ContentError(
                    name, f"'{source.key}' is not a source of the English files", source.key, field
                )
            seen[source.key] = name
            content.sources[source.key] = (name, source)


def _parse(
    path: Path, content_dir: Path, model: type[Model], language: str = DEFAULT_LANGUAGE
) -> tuple[str, Model]:
    """Read and check one file as it reads in `language` (its translation laid over it); an
    error names the file at fault: the translation when the translation is wrong."""
    name = path.relative_to(content_dir).as_posix()
    kind = path.parent.name
    if language != DEFAULT_LANGUAGE and kind in TRANSLATED:
        name = translation_path(path, language).relative_to(content_dir).as_posix()
    try:
        raw = read_document(path, kind, language if kind in TRANSLATED else DEFAULT_LANGUAGE)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(name, f"not valid YAML: {exc}") from exc
    except TranslationError as exc:
        english = yaml.safe_load(path.read_text(encoding="utf-8"))
        entry = english.get("slug") or english.get("key") if isinstance(english, dict) else None
        raise ContentError(name, exc.message, entry, exc.field or None) from exc
    if not isinstance(raw, dict):
        raise ContentError(name, "the file must hold a YAML mapping")
    try:
        return name, model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = list(first["loc"])
        raise ContentError(
            name, first["msg"], _entry_name(raw, location), _field_name(location)
        ) from exc


def _entry_name(raw: dict[str, Any], location: list[Any]) -> str | None:
    """Name the entry an error is in: its slug, key or role where it has one."""
    if len(location) >= 2 and isinstance(location[1], int):
        items = raw.get(location[0])
        if (
            isinstance(items, list)
            and location[1] < len(items)
            and isinstance(items[location[1]], dict)
        ):
            item = items[location[1]]
            label = item.get("slug") or item.get("key") or item.get("role")
            return str(label) if label else f"{location[0]}[{location[1]}]"
    label = raw.get("slug")
    return str(label) if label else None


def _field_name(location: list[Any]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _check_links(content: Content) -> None:
    def need_source(file: str, entry: str, keys: Iterable[str], prefix: str = "") -> None:
        for index, key in enumerate(keys):
            if key not in content.sources:
                raise ContentError(
                    file, f"unknown source '{key}'", entry, f"{prefix}sources[{index}]"
                )

    def need_role(file: str, entry: str, slug: str | None, field_name: str) -> None:
        if slug is not None and slug not in content.roles:
            raise ContentError(file, f"unknown role '{slug}'", entry, field_name)

    for slug, (file, role) in content.roles.items():
        need_source(file, slug, role.sources)
        for index, link in enumerate(role.works_with):
            need_role(file, slug, link.role, f"works_with[{index}].role")
        for index, other in enumerate(role.compare_with):
            need_role(file, slug, other, f"compare_with[{index}]")
            if other == slug:
                raise ContentError(
                    file, "a role cannot be compared with itself", slug, f"compare_with[{index}]"
                )

    def need_distinct_roles(file: str, entry: str, links: Iterable[Any], field: str) -> set[str]:
        """Each link names a known role, and no role twice; returns the roles named."""
        seen: set[str] = set()
        for index, link in enumerate(links):
            need_role(file, entry, link.role, f"{field}[{index}].role")
            if link.role in seen:
                raise ContentError(
                    file, f"role '{link.role}' listed twice", entry, f"{field}[{index}].role"
                )
            seen.add(link.role)
        return seen

    for slug, (file, condition) in content.conditions.items():
        need_source(file, slug, condition.sources)
        need_distinct_roles(file, slug, condition.care, "care")

    roles_in_settings: set[str] = set()
    for slug, (file, setting) in content.settings.items():
        need_source(file, slug, setting.sources)
        roles_in_settings |= need_distinct_roles(file, slug, setting.roles, "roles")

    roles_with_paths: set[str] = set()
    countries: dict[str, str] = {}
    for file, training in content.training:
        code = training.country.code
        if code in countries:
            raise ContentError(
                file, f"country {code} is also in {countries[code]}", code, "country.code"
            )
        countries[code] = file
        seen = set()
        for index, path in enumerate(training.paths):
            need_role(file, path.role, path.role, f"paths[{index}].role")
            if path.role in seen:
                raise ContentError(
                    file, "a role has one path per country", path.role, f"paths[{index}].role"
                )
            seen.add(path.role)
            need_source(file, path.role, path.sources, f"paths[{index}].")
            for route_index, route in enumerate(path.entry_routes):
                need_role(
                    file, path.role, route.role, f"paths[{index}].entry_routes[{route_index}].role"
                )
        roles_with_paths |= seen

    for slug, (file, clinician) in content.clinicians.items():
        need_source(file, slug, clinician.sources)
        for index, role_slug in enumerate(clinician.related_roles):
            need_role(file, slug, role_slug, f"related_roles[{index}]")

    for key, (file, panel) in content.panels.items():
        need_source(file, key, panel.sources)
    for key in PANELS_THE_SITE_SHOWS:
        if key not in content.panels:
            raise ContentError("panels/", f"the site shows a panel '{key}' that no file defines")

    # A word links to one entry only, or its first use would be ambiguous.
    owner_of_match: dict[str, str] = {}
    for slug, (file, index, term, _) in content.glossary.items():
        need_source(file, slug, term.sources, f"terms[{index}].")
        for match in term.matches:
            other = owner_of_match.setdefault(match.casefold(), slug)
            if other != slug:
                raise ContentError(
                    file, f"'{match}' already links to '{other}'", slug, f"terms[{index}].matches"
                )

    # Every role page must be able to say where the role works and how it is trained.
    for slug, (file, _role) in content.roles.items():
        if slug not in roles_in_settings:
            raise ContentError(file, "no care setting lists this role", slug, "slug")
        if slug not in roles_with_paths:
            raise ContentError(file, "no training path for this role", slug, "slug")


# --- writing -------------------------------------------------------------------------------


def rulebook_for(
    content: Content,
    rules_file: Path = RULES_FILE,
    questions_file: Path = QUESTIONS_FILE,
) -> RuleBook:
    """The engine's rules, checked against this content's roles and sources: a rule naming a
    role or source the content lacks is refused here, never found by a patient's request."""
    try:
        questionnaire: Questionnaire = load_questionnaire(questions_file, content.language)
        book = load_rulebook(
            roles={
                slug: RoleFacts(name=role.name, sources=tuple(role.sources))
                for slug, (_, role) in sorted(content.roles.items(), key=_role_order)
            },
            sources={
                key: {"title": source.title, "url": str(source.url)}
                for key, (_, source) in content.sources.items()
            },
            rules_file=rules_file,
            questionnaire=questionnaire,
            language=content.language,
        )
    except (RuleError, DefinitionError) as exc:
        file, _, message = str(exc).partition(": ")
        raise ContentError(file, message) from exc
    # A result's see_also links to the clinician's page, so each one needs a page.
    for who in book.clinicians:
        if who not in content.clinicians:
            raise ContentError("clinicians/", f"no page for the see_also clinician '{who}'", who)
    return book


def _role_order(item: tuple[str, tuple[str, RoleIn]]) -> tuple[int, int, str]:
    """The order the roles page lists roles in (a new role without a tie_break place goes by it)."""
    slug, (_, role) = item
    return (list(ROLE_GROUPS).index(role.group), role.order, slug)


def load_content(
    session: Session,
    content_dir: Path = CONTENT_DIR,
    rules_file: Path = RULES_FILE,
    questions_file: Path = QUESTIONS_FILE,
) -> LoadReport:
    """Check everything (the rules against the content too), then write it in one
    transaction; on any error, write nothing."""
    contents = read_all_content(content_dir)
    for content in contents.values():
        rulebook_for(content, rules_file, questions_file)
    content = contents[DEFAULT_LANGUAGE]
    try:
        changed = False
        for each in contents.values():
            changed = _write(session, each) or changed
        changed = _write_release(session, content.version) or changed
        session.flush()
        rebuild_search_index(session, only_if_empty=not changed)
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        raise ContentError("(database)", f"the load was rolled back: {exc}") from exc
    except Exception:
        session.rollback()
        raise
    counts = {
        "sources": len(content.sources),
        "roles": len(content.roles),
        "care settings": len(content.settings),
        "conditions": len(content.conditions),
        "training paths": sum(len(t.paths) for _, t in content.training),
        "panels": len(content.panels),
        "glossary terms": len(content.glossary),
        "other clinicians": len(content.clinicians),
    }
    return LoadReport(version=content.version, changed=changed, counts=counts)


def _write(session: Session, content: Content) -> bool:
    """Write one language's rows (the same slugs and links in every language)."""
    language = content.language
    sources = _sync_by_key(
        session,
        Source,
        "key",
        {key: source.model_dump() for key, (_, source) in content.sources.items()},
        language,
    )
    roles = _sync_by_key(
        session,
        Role,
        "slug",
        {
            slug: {
                **role.model_dump(exclude={"order", "sources", "works_with"}),
                "position": role.order,
                "works_with": [link.model_dump() for link in role.works_with],
            }
            for slug, (_, role) in content.roles.items()
        },
        language,
    )
    for slug, (_, role) in content.roles.items():
        _cite(roles[slug], role.sources, sources)

    settings = _sync_by_key(
        session,
        CareSetting,
        "slug",
        {
            slug: {
                **setting.model_dump(exclude={"order", "sources", "roles"}),
                "position": setting.order,
            }
            for slug, (_, setting) in content.settings.items()
        },
        language,
    )
    for slug, (_, setting) in content.settings.items():
        row = settings[slug]
        _cite(row, setting.sources, sources)
        _sync_children(
            row.roles,
            {link.role: {"does": link.does} for link in setting.roles},
            key_of=lambda member: member.role.slug,
            make=lambda slug_, values, row=row: RoleInSetting(
                role=roles[slug_], setting=row, language=language, **values
            ),
        )

    conditions = _sync_by_key(
        session,
        Condition,
        "slug",
        {
            slug: condition.model_dump(exclude={"care", "sources"})
            for slug, (_, condition) in content.conditions.items()
        },
        language,
    )
    for slug, (_, condition) in content.conditions.items():
        row = conditions[slug]
        _cite(row, condition.sources, sources)
        _sync_children(
            row.care,
            {
                step.role: {"position": position, "point": step.when, "how": step.how}
                for position, step in enumerate(condition.care, start=1)
            },
            key_of=lambda step: step.role.slug,
            make=lambda slug_, values, row=row: ConditionCare(
                role=roles[slug_], condition=row, language=language, **values
            ),
        )

    panels = _sync_by_key(
        session,
        Panel,
        "key",
        {key: panel.model_dump(exclude={"sources"}) for key, (_, panel) in content.panels.items()},
        language,
    )
    for key, (_, panel) in content.panels.items():
        _cite(panels[key], panel.sources, sources)

    terms = _sync_by_key(
        session,
        GlossaryTerm,
        "slug",
        {
            slug: {
                **term.model_dump(exclude={"sources"}),
                "position": position,
                "reviewed_on": reviewed_on,
            }
            for position, (slug, (_, _, term, reviewed_on)) in enumerate(content.glossary.items())
        },
        language,
    )
    for slug, (_, _, term, _) in content.glossary.items():
        _cite(terms[slug], term.sources, sources)

    clinicians = _sync_by_key(
        session,
        Clinician,
        "slug",
        {
            slug: clinician.model_dump(exclude={"sources"})
            for slug, (_, clinician) in content.clinicians.items()
        },
        language,
    )
    for slug, (_, clinician) in content.clinicians.items():
        _cite(clinicians[slug], clinician.sources, sources)

    wanted_countries = {training.country.code: training for _, training in content.training}
    countries = _sync_by_key(
        session,
        Country,
        "code",
        {code: training.country.model_dump() for code, training in wanted_countries.items()},
        language,
    )
    for code, training in wanted_countries.items():
        country = countries[code]
        _sync_children(
            country.training_paths,
            {path.role: path for path in training.paths},
            key_of=lambda existing: existing.role.slug,
            make=lambda slug_, path, country=country: TrainingPath(
                role=roles[slug_], country=country, language=language
            ),
            update=lambda row, path: _update_path(row, path, sources, language),
        )
    # Removed entities and children are deleted by the cascades above; flush to see changes.
    return bool(
        session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)
    )


def _write_release(session: Session, version: str) -> bool:
    release = session.scalar(select(ContentRelease))
    if release is None:
        session.add(ContentRelease(version=version))
        return True
    if release.version != version:
        release.version = version
        release.loaded_at = dt.datetime.now(dt.UTC)
        return True
    return False


def _update_path(row: TrainingPath, path: Any, sources: dict[str, Source], language: str) -> None:
    _set_if_changed(row, "summary", path.summary)
    _set_if_changed(row, "reviewed_on", path.reviewed_on)
    _set_if_changed(row, "entry_routes", [route.model_dump() for route in path.entry_routes])
    _cite(row, path.sources, sources)
    _sync_children(
        row.stages,
        {position: stage.model_dump() for position, stage in enumerate(path.stages, start=1)},
        key_of=lambda stage: stage.position,
        make=lambda position, values: TrainingStage(position=position, language=language, **values),
    )


def _cite(row: Any, keys: list[str], sources: dict[str, Source]) -> None:
    # Pages list sources in a fixed order (by key), so only the set of sources matters.
    if {source.key for source in row.sources} != set(keys):
        row.sources = [sources[key] for key in keys]


def _set_if_changed(row: Any, name: str, value: Any) -> None:
    # Assigning an equal value still marks a row dirty; skip it so a re-load is a no-op.
    if getattr(row, name) != value:
        setattr(row, name, value)


def _sync_by_key(
    session: Session, model: type, key: str, wanted: dict[str, dict[str, Any]], language: str
) -> dict:
    rows = session.scalars(
        select(model).where(model.language == language).execution_options(any_language=True)
    )
    existing = {getattr(row, key): row for row in rows}
    for stale_key in existing.keys() - wanted.keys():
        session.delete(existing.pop(stale_key))
    for item_key, values in wanted.items():
        row = existing.get(item_key)
        if row is None:
            row = existing[item_key] = model(**values, language=language)
            session.add(row)
        else:
            for name, value in values.items():
                _set_if_changed(row, name, value)
    return existing


def _sync_children(
    collection: list[Any],
    wanted: dict[Any, Any],
    key_of: Callable[[Any], Any],
    make: Callable[[Any, Any], Any],
    update: Callable[[Any, Any], None] | None = None,
) -> None:
    """Make a one-to-many collection match `wanted`, keeping rows that are still there."""
    by_key = {key_of(child): child for child in collection}
    for stale_key in by_key.keys() - wanted.keys():
        collection.remove(by_key.pop(stale_key))
    for child_key, values in wanted.items():
        child = by_key.get(child_key)
        if child is None:
            child = make(child_key, values)
            collection.append(child)
            if update is not None:
                update(child, values)
        elif update is not None:
            update(child, values)
        else:
            for name, value in values.items():
                _set_if_changed(child, name, value)
