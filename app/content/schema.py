"""The shape of each content file, checked before anything touches the database.

Pydantic gives field-by-field messages; `ContentError` turns them into one line that names
the file, the entry and the field, which is what a content reviewer needs to fix a mistake.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..models import ACCESS_ROUTES, CARE_POINTS, ROLE_GROUPS, STAGE_KINDS

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Names and titles go into fixed-length columns (app/models.py): checked here, so a long one is
# a clear content error naming its field rather than a database error on PostgreSQL.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s]+$", max_length=500)]
Years = Annotated[float, Field(ge=0, le=20)]

RoleGroup = Literal[tuple(ROLE_GROUPS)]  # type: ignore[valid-type]
AccessRoute = Literal[tuple(ACCESS_ROUTES)]  # type: ignore[valid-type]
StageKind = Literal[tuple(STAGE_KINDS)]  # type: ignore[valid-type]
CarePoint = Literal[tuple(CARE_POINTS)]  # type: ignore[valid-type]


class Strict(BaseModel):
    # Unknown fields are mistakes (a typo such as "sorces" would otherwise vanish silently).
    model_config = ConfigDict(extra="forbid", strict=False)


class SourceIn(Strict):
    key: Slug
    title: Text
    publisher: Text
    url: HttpsUrl


class SourcesFile(Strict):
    sources: list[SourceIn] = Field(min_length=1)


class WorksWithIn(Strict):
    role: Slug
    how: Text


class BalanceIn(Strict):
    """Benefits, limits and risks in the same plain form on every role (IPDAS: balanced)."""

    benefits: list[Text] = Field(min_length=2)
    limits: list[Text] = Field(min_length=2)  # what this role cannot do
    risks: list[Text] = Field(min_length=2)  # of its usual treatments
    typical_visits: Text  # how many visits, over how long


class RoleIn(Strict):
    slug: Slug
    name: Text
    also_called: list[Text] = []
    group: RoleGroup
    order: int
    summary: Text
    focus: Text
    conditions: list[Text] = Field(min_length=1)
    treatments: list[Text] = Field(min_length=1)
    prescribes: bool
    prescribes_note: Text
    access: AccessRoute
    access_note: Text
    first_visit: Text  # how long it takes and what to bring
    cost_and_insurance: Text  # referrals, prior authorization, networks, surprise bills
    telehealth: Text  # what this role can and cannot do by video
    how_to_check: Text  # the license and the board(s) that certify this role
    does_procedures: bool  # procedure roles must carry the two procedure questions
    balance: BalanceIn
    questions: list[Text] = Field(min_length=1)
    works_with: list[WorksWithIn] = Field(min_length=1)
    compare_with: list[Slug] = []
    search_terms: list[Text] = []
    sources: list[Slug] = Field(min_length=2)
    reviewed_on: dt.date


class SettingRoleIn(Strict):
    role: Slug
    does: Text


class SettingIn(Strict):
    slug: Slug
    name: Text
    order: int
    summary: Text
    description: Text
    pain_handled: Text
    how_patients_arrive: Text
    roles: list[SettingRoleIn] = Field(min_length=1)
    search_terms: list[Text] = []
    sources: list[Slug] = Field(min_length=1)
    reviewed_on: dt.date


class ConditionCareIn(Strict):
    role: Slug
    when: CarePoint
    how: Text


class ConditionIn(Strict):
    slug: Slug
    name: Text
    also_called: list[Text] = []
    summary: Text
    description: Text
    search_terms: list[Text] = []
    care: list[ConditionCareIn] = Field(min_length=1)
    warning_signs: list[Text] = Field(min_length=1)
    sources: list[Slug] = Field(min_length=1)
    reviewed_on: dt.date


class StageIn(Strict):
    kind: StageKind
    name: Text
    years: Years
    max_years: Years | None = None
    granted_by: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _range_is_ordered(self) -> StageIn:
        if self.max_years is not None and self.max_years < self.years:
            raise ValueError("max_years must not be less than years")
        return self


class EntryRouteIn(Strict):
    residency: Text
    role: Slug | None = None


class PathIn(Strict):
    role: Slug
    summary: Text
    stages: list[StageIn] = Field(min_length=1)
    entry_routes: list[EntryRouteIn] = []
    sources: list[Slug] = Field(min_length=1)
    reviewed_on: dt.date


class CountryIn(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Text


class TrainingFile(Strict):
    country: CountryIn
    paths: list[PathIn] = Field(min_length=1)


class PanelIn(Strict):
    """A block of advice shown on many pages (opioid safety, insurance basics), kept once."""

    key: Slug
    title: Title
    intro: Text
    points: list[Text] = Field(min_length=1)
    sources: list[Slug] = Field(min_length=1)
    reviewed_on: dt.date


class TermIn(Strict):
    slug: Slug
    term: Name
    # Every form of the word linked to this entry on first use ("board certified",
    # "board certification"); matched as whole words.
    matches: list[Text] = Field(min_length=1)
    # Abbreviations ("PA", "NP") only match in capitals, so "pa" or "np" in a word never do.
    case_sensitive: bool = False
    definition: Text
    sources: list[Slug] = Field(min_length=1)


class GlossaryFile(Strict):
    terms: list[TermIn] = Field(min_length=1)
    reviewed_on: dt.date


class ClinicianIn(Strict):
    """A clinician outside the twelve roles that a recommendation may point to (see_also)."""

    slug: Slug
    name: Name
    also_called: list[Text] = []
    summary: Text
    what_they_do: Text  # for pain
    conditions: list[Text] = Field(min_length=2)
    how_to_reach: Text
    when_we_point_here: Text
    related_roles: list[Slug] = []
    search_terms: list[Text] = []
    sources: list[Slug] = Field(min_length=1)
    reviewed_on: dt.date
