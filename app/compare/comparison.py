"""Comparing two to four roles: reading the request, and the rows of facts side by side.

Used by both the comparison page and GET /api/v1/compare, so they say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..models import Role, TrainingPath
from ..training.chart import format_years

MIN_ROLES, MAX_ROLES = 2, 4
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


class CompareError(Exception):
    """A request we cannot compare, with what was wrong, in words for the patient."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def parse_role_slugs(values: Iterable[str], known: Iterable[str]) -> list[str]:
    """Turn ?roles=a,b (or repeated ?roles=a&roles=b from the picker) into checked slugs."""
    raw = [part.strip() for value in values for part in value.split(",")]
    raw = [part for part in raw if part]
    if not raw:
        raise CompareError("Choose two to four specialists to compare.")
    for slug in raw:
        if not SLUG.match(slug):
            shown = slug[:40] + ("…" if len(slug) > 40 else "")
            raise CompareError(f"“{shown}” is not the name of a specialist on this site.")
    known = set(known)
    unknown = [slug for slug in raw if slug not in known]
    if unknown:
        raise CompareError(f"We have no specialist called “{unknown[0]}”.", status=404)
    repeated = sorted({slug for slug in raw if raw.count(slug) > 1})
    if repeated:
        raise CompareError(f"“{repeated[0]}” is chosen twice. Choose different specialists.")
    if len(raw) < MIN_ROLES:
        raise CompareError("Choose at least one more specialist: a comparison needs two to four.")
    if len(raw) > MAX_ROLES:
        raise CompareError(f"You chose {len(raw)} specialists. Choose four at most.")
    return raw


@dataclass
class Row:
    key: str
    label: str
    values: list[Any]  # one per role: a string or a list of strings
    differs: bool = field(init=False)

    def __post_init__(self) -> None:
        normal = [frozenset(v) if isinstance(v, list) else v for v in self.values]
        self.differs = len(set(normal)) > 1


def _us_path(role: Role) -> TrainingPath | None:
    return next((path for path in role.training_paths if path.country.code == "US"), None)


def _stages(role: Role, kinds: set[str], none_text: str) -> list[str]:
    path = _us_path(role)
    stages = [stage for stage in (path.stages if path else []) if stage.kind in kinds]
    if not stages:
        return [none_text]
    described = []
    for stage in stages:
        if stage.years or stage.max_years:
            length = (
                format_years(stage.years, stage.max_years)
                if stage.years
                else (f"optional, up to {format_years(stage.max_years)}")
            )
            described.append(f"{stage.name} ({length})")
        else:
            described.append(
                f"{stage.name}: {stage.granted_by}" if stage.granted_by else stage.name
            )
    return described


def comparison_rows(roles: list[Role]) -> list[Row]:
    slugs = {role.slug for role in roles}

    def together(role: Role) -> list[str]:
        names = {other.slug: other.name for other in roles}
        notes = [
            f"With a {names[link['role']].lower()}: {link['how']}"
            for link in role.works_with
            if link["role"] in slugs
        ]
        return notes or ["No specific notes about working with the others compared here."]

    def training_total(role: Role) -> str:
        path = _us_path(role)
        return format_years(path.total_years, path.total_max_years) if path else "Not known"

    return [
        Row("focus", "What they focus on", [role.summary for role in roles]),
        Row("conditions", "Conditions they often see", [list(role.conditions) for role in roles]),
        Row("treatments", "Treatments and procedures", [list(role.treatments) for role in roles]),
        Row(
            "prescribes", "Prescribes medicines?", ["Yes" if r.prescribes else "No" for r in roles]
        ),
        Row(
            "operates",
            "Operates?",
            ["Yes, performs surgery" if r.operates else "No, does not operate" for r in roles],
        ),
        Row(
            "settings",
            "Where they work",
            [
                [
                    member.setting.name
                    for member in sorted(role.settings, key=lambda m: m.setting.position)
                ]
                for role in roles
            ],
        ),
        Row("access", "How to get an appointment", [role.access_label for role in roles]),
        Row(
            "training_total",
            "Total training after college",
            [training_total(role) for role in roles],
        ),
        Row("school", "Professional school", [_stages(role, {"school"}, "None") for role in roles]),
        Row(
            "residency",
            "Residency",
            [_stages(role, {"residency"}, "None: not a medical doctor") for role in roles],
        ),
        Row(
            "fellowship",
            "Fellowship",
            [_stages(role, {"fellowship", "postdoc"}, "None") for role in roles],
        ),
        Row(
            "certification",
            "Board certification or license, and who grants it",
            [_stages(role, {"certification", "license", "exam"}, "None") for role in roles],
        ),
        Row("together", "How they work together", [together(role) for role in roles]),
    ]
