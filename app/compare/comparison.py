"""Comparing two to four roles: reading the request, and the rows of facts side by side.

Used by both the comparison page and GET /api/v1/compare, so they say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

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
        raise CompareError(_("Choose two to four specialists to compare."))
    for slug in raw:
        if not SLUG.match(slug):
            shown = slug[:40] + ("…" if len(slug) > 40 else "")
            raise CompareError(
                _("“%(slug)s” is not the name of a specialist on this site.", slug=shown)
            )
    known = set(known)
    unknown = [slug for slug in raw if slug not in known]
    if unknown:
        raise CompareError(
            _("We have no specialist called “%(slug)s”.", slug=unknown[0]), status=404
        )
    repeated = sorted({slug for slug in raw if raw.count(slug) > 1})
    if repeated:
        raise CompareError(
            _("“%(slug)s” is chosen twice. Choose different specialists.", slug=repeated[0])
        )
    if len(raw) < MIN_ROLES:
        raise CompareError(
            _("Choose at least one more specialist: a comparison needs two to four.")
        )
    if len(raw) > MAX_ROLES:
        raise CompareError(
            _("You chose %(number)s specialists. Choose four at most.", number=len(raw))
        )
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
                else _("optional, up to %(years)s", years=format_years(stage.max_years))
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
            _("With a %(role)s: %(how)s", role=names[link["role"]].lower(), how=link["how"])
            for link in role.works_with
            if link["role"] in slugs
        ]
        return notes or [_("No specific notes about working with the others compared here.")]

    none = _("None")

    def training_total(role: Role) -> str:
        path = _us_path(role)
        return format_years(path.total_years, path.total_max_years) if path else _("Not known")

    return [
        Row("focus", _("What they focus on"), [role.summary for role in roles]),
        Row(
            "conditions", _("Conditions they often see"), [list(role.conditions) for role in roles]
        ),
        Row(
            "treatments", _("Treatments and procedures"), [list(role.treatments) for role in roles]
        ),
        Row(
            "prescribes",
            _("Prescribes medicines?"),
            [_("Yes") if r.prescribes else _("No") for r in roles],
        ),
        Row(
            "operates",
            _("Operates?"),
            [
                _("Yes, performs surgery") if r.operates else _("No, does not operate")
                for r in roles
            ],
        ),
        Row(
            "settings",
            _("Where they work"),
            [
                [
                    member.setting.name
                    for member in sorted(role.settings, key=lambda m: m.setting.position)
                ]
                for role in roles
            ],
        ),
        Row("access", _("How to get an appointment"), [role.access_label for role in roles]),
        Row(
            "training_total",
            _("Total training after college"),
            [training_total(role) for role in roles],
        ),
        Row(
            "school", _("Professional school"), [_stages(role, {"school"}, none) for role in roles]
        ),
        Row(
            "residency",
            _("Residency"),
            [_stages(role, {"residency"}, _("None: not a medical doctor")) for role in roles],
        ),
        Row(
            "fellowship",
            _("Fellowship"),
            [_stages(role, {"fellowship", "postdoc"}, none) for role in roles],
        ),
        Row(
            "certification",
            _("Board certification or license, and who grants it"),
            [_stages(role, {"certification", "license", "exam"}, none) for role in roles],
        ),
        Row("together", _("How they work together"), [together(role) for role in roles]),
    ]
