"""The database model: roles, how each is trained, where each works, and the sources behind it.

Content is loaded from app/content/data by `flask content load`; pages only read it.
Questionnaire answers are never modelled: we do not store them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .translation import DEFAULT_LANGUAGE

ROLE_GROUPS = {
    "doctors": _l("Doctors who diagnose and manage pain"),
    "surgeons": _l("Surgeons"),
    "therapists": _l("Therapists"),
    "emergency": _l("Emergency care"),
}

ACCESS_ROUTES = {
    "referral": _l("Usually by referral"),
    "direct": _l("You can usually book directly"),
    "assigned": _l("Assigned to you for a surgery or procedure"),
    "walk_in": _l("Walk in or arrive by ambulance, no referral"),
}

# When in a patient's path a role usually helps with a condition.
CARE_POINTS = {
    "first_contact": _l("First contact"),
    "if_not_improving": _l("If it does not get better"),
    "for_procedures": _l("For procedures"),
    "for_surgery": _l("For surgery"),
    "ongoing": _l("Ongoing care"),
}

STAGE_KINDS = {
    "school": _l("Professional school"),
    "residency": _l("Residency"),
    "fellowship": _l("Fellowship"),
    "postdoc": _l("Supervised practice"),
    "exam": _l("Exam"),
    "certification": _l("Board certification"),
    "license": _l("License"),
}


class InLanguage:
    """Content rows are written once per language (app/translation.py): a Spanish role is a
    row of its own, beside the English one, with the same slug and machine words. Every query
    for content sees only the rows of the request's language (app/i18n.py)."""

    language: Mapped[str] = mapped_column(String(8), default=DEFAULT_LANGUAGE, index=True)


def _citation_table(name: str, owner_table: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column(
            f"{owner_table}_id",
            ForeignKey(f"{owner_table}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("source_id", ForeignKey("source.id", ondelete="CASCADE"), primary_key=True),
    )


role_sources = _citation_table("role_source", "role")
setting_sources = _citation_table("care_setting_source", "care_setting")
path_sources = _citation_table("training_path_source", "training_path")
condition_sources = _citation_table("condition_source", "condition")
panel_sources = _citation_table("panel_source", "panel")
term_sources = _citation_table("glossary_term_source", "glossary_term")
clinician_sources = _citation_table("clinician_source", "clinician")


class Source(InLanguage, db.Model):
    """A public document that backs what a page says."""

    id: Mapped[int] = mapped_column(primary_key=True)
    __table_args__ = (UniqueConstraint("language", "key"),)

    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))


class Role(InLanguage, db.Model):
    __table_args__ = (UniqueConstraint("language", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    also_called: Mapped[list[str]] = mapped_column(JSON, default=list)
    group: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(Text)
    focus: Mapped[str] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    treatments: Mapped[list[str]] = mapped_column(JSON, default=list)
    prescribes: Mapped[bool]
    prescribes_note: Mapped[str] = mapped_column(Text)
    access: Mapped[str] = mapped_column(String(20))
    access_note: Mapped[str] = mapped_column(Text)
    first_visit: Mapped[str] = mapped_column(Text)
    cost_and_insurance: Mapped[str] = mapped_column(Text)
    telehealth: Mapped[str] = mapped_column(Text)
    how_to_check: Mapped[str] = mapped_column(Text)
    does_procedures: Mapped[bool]
    # {"benefits": [...], "limits": [...], "risks": [...], "typical_visits": text}
    balance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"role": slug, "how": text}]: kept as content, validated against role slugs on load.
    works_with: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Roles patients most often mistake this one for: offered as "compare with" links.
    compare_with: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Everyday words patients type for this role ("physio", "pain doctor").
    search_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[dt.date]

    sources: Mapped[list[Source]] = relationship(secondary=role_sources, order_by=Source.key)
    settings: Mapped[list[RoleInSetting]] = relationship(
        back_populates="role", cascade="all, delete-orphan"
    )
    training_paths: Mapped[list[TrainingPath]] = relationship(
        back_populates="role", cascade="all, delete-orphan"
    )
    conditions_cared_for: Mapped[list[ConditionCare]] = relationship(
        back_populates="role", cascade="all, delete-orphan"
    )

    @property
    def operates(self) -> bool:
        return self.group == "surgeons"

    @property
    def group_label(self) -> str:
        return str(ROLE_GROUPS[self.group])

    @property
    def access_label(self) -> str:
        return str(ACCESS_ROUTES[self.access])


class CareSetting(InLanguage, db.Model):
    __table_args__ = (UniqueConstraint("language", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    pain_handled: Mapped[str] = mapped_column(Text)
    how_patients_arrive: Mapped[str] = mapped_column(Text)
    search_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[dt.date]

    sources: Mapped[list[Source]] = relationship(secondary=setting_sources, order_by=Source.key)
    roles: Mapped[list[RoleInSetting]] = relationship(
        back_populates="setting", cascade="all, delete-orphan"
    )


class RoleInSetting(InLanguage, db.Model):
    """What one role does in one care setting."""

    role_id: Mapped[int] = mapped_column(
        ForeignKey("role.id", ondelete="CASCADE"), primary_key=True
    )
    care_setting_id: Mapped[int] = mapped_column(
        ForeignKey("care_setting.id", ondelete="CASCADE"), primary_key=True
    )
    does: Mapped[str] = mapped_column(Text)

    role: Mapped[Role] = relationship(back_populates="settings")
    setting: Mapped[CareSetting] = relationship(back_populates="roles")


class Condition(InLanguage, db.Model):
    """A common painful condition, and which roles help with it at which point."""

    __table_args__ = (UniqueConstraint("language", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    also_called: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    search_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    warning_signs: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[dt.date]

    sources: Mapped[list[Source]] = relationship(secondary=condition_sources, order_by=Source.key)
    care: Mapped[list[ConditionCare]] = relationship(
        back_populates="condition", cascade="all, delete-orphan", order_by="ConditionCare.position"
    )


class ConditionCare(InLanguage, db.Model):
    """One role's part in the care of one condition, and when in the path it comes."""

    condition_id: Mapped[int] = mapped_column(
        ForeignKey("condition.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[int] = mapped_column(
        ForeignKey("role.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int]
    point: Mapped[str] = mapped_column(String(20))
    how: Mapped[str] = mapped_column(Text)

    condition: Mapped[Condition] = relationship(back_populates="care")
    role: Mapped[Role] = relationship(back_populates="conditions_cared_for")

    @property
    def point_label(self) -> str:
        return str(CARE_POINTS[self.point])


class Country(InLanguage, db.Model):
    """Training differs by country; a new country is added as a content file alone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    __table_args__ = (UniqueConstraint("language", "code"),)

    code: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(80))

    training_paths: Mapped[list[TrainingPath]] = relationship(
        back_populates="country", cascade="all, delete-orphan"
    )


class TrainingPath(InLanguage, db.Model):
    """How one role is trained in one country, from professional school to practice."""

    __table_args__ = (UniqueConstraint("role_id", "country_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))
    country_id: Mapped[int] = mapped_column(ForeignKey("country.id", ondelete="CASCADE"))
    summary: Mapped[str] = mapped_column(Text)
    # [{"residency": text, "role": slug or null}]: residencies that lead into this fellowship.
    entry_routes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[dt.date]

    role: Mapped[Role] = relationship(back_populates="training_paths")
    country: Mapped[Country] = relationship(back_populates="training_paths")
    stages: Mapped[list[TrainingStage]] = relationship(
        back_populates="path", cascade="all, delete-orphan", order_by="TrainingStage.position"
    )
    sources: Mapped[list[Source]] = relationship(secondary=path_sources, order_by=Source.key)

    @property
    def total_years(self) -> float:
        return sum(stage.years for stage in self.stages)

    @property
    def total_max_years(self) -> float:
        return sum(stage.max_years or stage.years for stage in self.stages)


class TrainingStage(InLanguage, db.Model):
    __table_args__ = (
        UniqueConstraint("path_id", "position"),
        CheckConstraint("years >= 0", name="years_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    path_id: Mapped[int] = mapped_column(ForeignKey("training_path.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    years: Mapped[float]
    max_years: Mapped[float | None]
    granted_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    path: Mapped[TrainingPath] = relationship(back_populates="stages")

    @property
    def kind_label(self) -> str:
        return str(STAGE_KINDS[self.kind])


class Panel(InLanguage, db.Model):
    """Advice shown on many pages (opioid safety, insurance basics), written once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    __table_args__ = (UniqueConstraint("language", "key"),)

    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text)
    points: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[dt.date]

    sources: Mapped[list[Source]] = relationship(secondary=panel_sources, order_by=Source.key)


class GlossaryTerm(InLanguage, db.Model):
    """A word patients stumble on; pages link its first use to this entry."""

    __table_args__ = (UniqueConstraint("language", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    term: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    matches: Mapped[list[str]] = mapped_column(JSON, default=list)
    case_sensitive: Mapped[bool] = mapped_column(default=False)
    definition: Mapped[str] = mapped_column(Text)
    reviewed_on: Mapped[dt.date]

    sources: Mapped[list[Source]] = relationship(secondary=term_sources, order_by=Source.key)


class Clinician(InLanguage, db.Model):
    """A clinician beyond the twelve roles that a recommendation may point to (see_also)."""

    __table_args__ = (UniqueConstraint("language", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    also_called: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)
    what_they_do: Mapped[str] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    how_to_reach: Mapped[str] = mapped_column(Text)
    when_we_point_here: Mapped[str] = mapped_column(Text)
    related_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    search_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[dt.date]

    sources: Mapped[list[Source]] = relationship(secondary=clinician_sources, order_by=Source.key)


class ContentRelease(db.Model):
    """Which version of the content files the database holds (a hash of the files)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC)
    )
