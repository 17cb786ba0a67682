"""Translated content files: which fields a translator writes, and how a translation is checked
and laid over its English file.

Every content file (and questions.yaml, rules.yaml) may have a translation beside it, named
with the language: `roles/physiatrist.yaml` and `roles/physiatrist.es.yaml`. The translation
mirrors the English file but holds only the fields people read (the `TRANSLATED` paths of its
kind), plus, to help a reviewer find their place, the keys that name an entry (`ANCHORS`:
slug, role, id, ...), which must then match the English. Machine words (slugs, option values,
source keys, numbers) come from the English file only, so the languages cannot drift apart.

A translation must be complete and have the same structure: every translated field present,
and a list of five treatments in English is a list of five in Spanish. Lists of other names
and search words (`FREE_LISTS`) may differ in length, since a language has its own words.

Plain Python (no Flask): the content loader and the recommendation engine both use it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The site's languages, English first: English is the source every translation follows.
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "es")
TRANSLATIONS = tuple(language for language in LANGUAGES if language != DEFAULT_LANGUAGE)

# Path patterns: `a.b` a key, `*` any key of a mapping (its keys are machine words, its values
# text), `[]` every item of a list.
TRANSLATED: dict[str, tuple[str, ...]] = {
    "roles": (
        "name",
        "also_called[]",
        "summary",
        "focus",
        "conditions[]",
        "treatments[]",
        "prescribes_note",
        "access_note",
        "first_visit",
        "cost_and_insurance",
        "telehealth",
        "how_to_check",
        "balance.benefits[]",
        "balance.limits[]",
        "balance.risks[]",
        "balance.typical_visits",
        "questions[]",
        "works_with[].how",
        "search_terms[]",
    ),
    "settings": (
        "name",
        "summary",
        "description",
        "pain_handled",
        "how_patients_arrive",
        "roles[].does",
        "search_terms[]",
    ),
    "conditions": (
        "name",
        "also_called[]",
        "summary",
        "description",
        "search_terms[]",
        "care[].how",
        "warning_signs[]",
    ),
    "clinicians": (
        "name",
        "also_called[]",
        "summary",
        "what_they_do",
        "conditions[]",
        "how_to_reach",
        "when_we_point_here",
        "search_terms[]",
    ),
    "panels": ("title", "intro", "points[]"),
    "glossary": ("terms[].term", "terms[].matches[]", "terms[].definition"),
    "training": (
        "country.name",
        "paths[].summary",
        "paths[].stages[].name",
        "paths[].stages[].granted_by",
        "paths[].stages[].note",
        "paths[].entry_routes[].residency",
    ),
    "questions": (
        "steps[].title",
        "steps[].lead",
        "steps[].button",
        "form_messages.*",
        "words.*",
        "answer_errors.*",
        "fields[].legend",
        "fields[].hint",
        "fields[].required_message",
        "fields[].exclusive_message",
        "fields[].within_message",
        "fields[].read_back",
        "fields[].options[].group",
        "fields[].options[].short",
        "fields[].options[].label",
        "fields[].options[].why",
    ),
    "rules": (
        "clinicians.*",
        "same_day_words[]",
        "action_words[]",
        "action_phrases[]",
        "filler_words[]",
        "crisis.message",
        "crisis.contacts[].name",
        "crisis.contacts[].how",
        "messages.*",
        "disclaimer",
        "rules[].reason",
        "rules[].reasons.*",
        "rules[].see_also.*",
        "preferences[].reason",
        "preferences[].see_also.*",
        "fallback_reason",
        "advice[].text",
        "seek_care_sooner.items[]",
    ),
}

# Lists whose length may differ between languages (each language has its own names and words).
FREE_LISTS = {
    "also_called",
    "search_terms",
    "matches",
    "same_day_words",
    "action_words",
    "action_phrases",
    "filler_words",
}

# Keys that name an entry: a translation may repeat them to help a reviewer, and they must match.
ANCHORS = {"slug", "key", "role", "id", "name", "value", "kind", "code"}

# `{field}` in a text is filled in by the engine or the form: a translation keeps the same ones.
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class TranslationError(ValueError):
    """A translation file that does not fit its English file; `field` says where."""

    def __init__(self, field: str, message: str, file: Path | None = None):
        self.field, self.message, self.file = field, message, file
        super().__init__(f"{field}: {message}" if field else message)


def translation_path(english_file: Path, language: str) -> Path:
    """`roles/physiatrist.yaml` -> `roles/physiatrist.es.yaml`."""
    return english_file.with_name(f"{english_file.stem}.{language}{english_file.suffix}")


def is_translation_file(path: Path) -> bool:
    """True for `name.es.yaml` (a translation), false for `name.yaml` (an English file)."""
    return Path(path.stem).suffix.lstrip(".") in TRANSLATIONS


@dataclass(frozen=True)
class _Pattern:
    parts: tuple[str, ...]  # keys, "*" for any key, "[]" for every list item

    @classmethod
    def parse(cls, text: str) -> _Pattern:
        parts: list[str] = []
        for piece in text.split("."):
            parts.append(piece.partition("[]")[0])
            parts.extend("[]" for _ in range(piece.count("[]")))
        return cls(tuple(parts))


def _patterns(kind: str) -> list[_Pattern]:
    return [_Pattern.parse(pattern) for pattern in TRANSLATED[kind]]


def apply_translation(kind: str, english: Mapping[str, Any], translation: Any) -> dict[str, Any]:
    """The English document with every translated field taken from `translation`, after checking
    that the translation is complete, has the same structure and nothing else."""
    if not isinstance(translation, Mapping):
        raise TranslationError("", "the translation must hold a YAML mapping")
    result = copy.deepcopy(dict(english))
    patterns = _patterns(kind)
    _merge(result, translation, patterns, "", depth=0)
    return result


def _merge(english: Any, translation: Any, patterns: list[_Pattern], where: str, depth: int):
    """Walk both documents together; returns the merged value for this place."""
    live = [pattern for pattern in patterns if _prefix_matches(pattern, where)]
    ends_here = any(len(pattern.parts) == depth for pattern in live)
    if ends_here:
        return _translated_value(english, translation, where)
    if isinstance(english, Mapping):
        if not isinstance(translation, Mapping):
            raise TranslationError(where, "should be a mapping, as in the English file")
        for key in translation:
            if key not in english:
                raise TranslationError(_join(where, key), "is not in the English file")
        for key, value in english.items():
            place = _join(where, key)
            wanted = [p for p in live if _step_matches(p, depth, key)]
            if not wanted:
                if key in translation:
                    _check_anchor(key, value, translation[key], place)
                continue
            if key not in translation:
                if value is None:
                    continue
                raise TranslationError(place, "missing from the translation")
            english[key] = _merge(value, translation[key], patterns, place, depth + 1)
        return english
    if isinstance(english, list):
        if not isinstance(translation, list):
            raise TranslationError(where, "should be a list, as in the English file")
        if _last_key(where) in FREE_LISTS:  # each language's own words, as many as it has
            if english and not translation:
                raise TranslationError(where, "needs at least one item")
            return [
                _translated_value("", item, f"{where}[{i}]") for i, item in enumerate(translation)
            ]
        if len(translation) != len(english):
            raise TranslationError(
                where,
                f"has {len(translation)} items but the English file has {len(english)}",
            )
        for index, (mine, theirs) in enumerate(zip(english, translation, strict=True)):
            english[index] = _merge(mine, theirs, patterns, f"{where}[{index}]", depth + 1)
        return english
    raise TranslationError(where, "is not a field that is translated")


def _translated_value(english: Any, translation: Any, where: str) -> Any:
    if isinstance(english, str):
        if not isinstance(translation, str) or not translation.strip():
            raise TranslationError(where, "needs its translated text")
        wanted, got = set(PLACEHOLDER.findall(english)), set(PLACEHOLDER.findall(translation))
        if wanted != got:
            raise TranslationError(
                where,
                "must keep the same {placeholders} as the English: "
                + ", ".join(sorted(f"{{{name}}}" for name in wanted)),
            )
        return translation
    if english is None:
        if translation is not None:
            raise TranslationError(where, "is empty in the English file")
        return None
    raise TranslationError(where, "is not text in the English file")


def _check_anchor(key: str, english: Any, translation: Any, where: str) -> None:
    if key not in ANCHORS:
        raise TranslationError(where, "is not translated: leave it out of the translation")
    if translation != english:
        raise TranslationError(where, f"must be '{english}', as in the English file")


def _prefix_matches(pattern: _Pattern, where: str) -> bool:
    steps = _steps(where)
    if len(steps) > len(pattern.parts):
        # Inside a translated list of text (a free list checks its own items).
        return False
    return all(_part_matches(part, step) for part, step in zip(pattern.parts, steps, strict=False))


def _step_matches(pattern: _Pattern, depth: int, key: str) -> bool:
    return depth < len(pattern.parts) and _part_matches(pattern.parts[depth], key)


def _part_matches(part: str, step: str) -> bool:
    if part == "[]":
        return step == "[]"
    return step != "[]" and part in ("*", step)


def _steps(where: str) -> list[str]:
    steps: list[str] = []
    for piece in where.split(".") if where else []:
        name = piece.split("[", 1)[0]
        if name:
            steps.append(name)
        steps.extend("[]" for _ in range(piece.count("[")))
    return steps


def _join(where: str, key: Any) -> str:
    return f"{where}.{key}" if where else str(key)


def _last_key(where: str) -> str:
    return _steps(where)[-1] if where else ""


# --- writing a translation to start from ---------------------------------------------------


def translation_skeleton(kind: str, english: Mapping[str, Any]) -> dict[str, Any]:
    """What a translator starts from: the translated fields (still in English) and the keys that
    name each entry, in the English file's order."""
    return _skeleton(english, _patterns(kind), "", 0)  # type: ignore[return-value]


def _skeleton(english: Any, patterns: list[_Pattern], where: str, depth: int) -> Any:
    live = [pattern for pattern in patterns if _prefix_matches(pattern, where)]
    if any(len(pattern.parts) == depth for pattern in live):
        return copy.deepcopy(english)
    if isinstance(english, Mapping):
        out: dict[str, Any] = {}
        for key, value in english.items():
            place = _join(where, key)
            if any(_step_matches(p, depth, key) for p in live):
                if value is not None:
                    out[key] = _skeleton(value, patterns, place, depth + 1)
            elif key in ANCHORS and not isinstance(value, (Mapping, list)):
                out[key] = value
        return out
    if isinstance(english, list):
        return [
            _skeleton(item, patterns, f"{where}[{i}]", depth + 1) for i, item in enumerate(english)
        ]
    return None


def text_leaves(kind: str, document: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(field, text) for every translated text in a document of this kind."""
    yield from _leaves(document, _patterns(kind), "", 0)


def _leaves(value: Any, patterns: list[_Pattern], where: str, depth: int):
    live = [pattern for pattern in patterns if _prefix_matches(pattern, where)]
    if any(len(pattern.parts) == depth for pattern in live):
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield f"{where}[{index}]", item
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if any(_step_matches(p, depth, key) for p in live):
                yield from _leaves(item, patterns, _join(where, key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, patterns, f"{where}[{index}]", depth + 1)


def translatable_files(content_dir: Path, questions_file: Path, rules_file: Path):
    """(kind, English file) for every file that needs a translation in each language."""
    for kind in TRANSLATED:
        if kind in ("questions", "rules"):
            continue
        for path in sorted((content_dir / kind).glob("*.yaml")):
            if not is_translation_file(path):
                yield kind, path
    yield "questions", questions_file
    yield "rules", rules_file


def write_missing_translations(
    language: str, content_dir: Path, questions_file: Path, rules_file: Path
) -> list[Path]:
    """Start a language: beside each English file without a translation in `language`, write
    one holding the English words to translate (the loader refuses them until every file is
    there, and the tests refuse English words left in them). Returns the files written."""
    written = []
    for kind, english_file in translatable_files(content_dir, questions_file, rules_file):
        path = translation_path(english_file, language)
        if path.exists():
            continue
        english = yaml.safe_load(english_file.read_text(encoding="utf-8"))
        header = f"# {language}: translation of {english_file.name} (see app/translation.py)\n"
        path.write_text(header + dump_translation(translation_skeleton(kind, english)), "utf-8")
        written.append(path)
    return written


class _FoldedDumper(yaml.SafeDumper):
    """Long text as `>-` blocks, so a translation reads like its English file."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if len(text) > 80 and "\n" not in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_FoldedDumper.add_representer(str, _represent_str)


def dump_translation(document: Mapping[str, Any]) -> str:
    return yaml.dump(
        dict(document), Dumper=_FoldedDumper, allow_unicode=True, sort_keys=False, width=96
    )


def read_document(english_file: Path, kind: str, language: str = DEFAULT_LANGUAGE) -> Any:
    """A YAML file as it reads in `language`: the English file, with its translation laid over
    it. Raises TranslationError (with `file` set to the file at fault) or yaml.YAMLError."""
    english = yaml.safe_load(english_file.read_text(encoding="utf-8"))
    if language == DEFAULT_LANGUAGE:
        return english
    translated_file = translation_path(english_file, language)
    if not translated_file.exists():
        raise TranslationError("", f"{translated_file.name} is missing", file=translated_file)
    translation = yaml.safe_load(translated_file.read_text(encoding="utf-8"))
    try:
        return apply_translation(kind, english, translation)
    except TranslationError as exc:
        exc.file = translated_file
        raise
