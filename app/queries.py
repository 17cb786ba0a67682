"""Queries shared by the HTML pages and the JSON API, loading everything a detail view shows
in a fixed number of statements (no lazy loads from templates)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import (
    CareSetting,
    Clinician,
    ConditionCare,
    GlossaryTerm,
    Role,
    RoleInSetting,
    TrainingPath,
)


def role_by_slug(slug: str) -> Role | None:
    return db.session.scalar(
        select(Role)
        .where(Role.slug == slug)
        .options(
            selectinload(Role.sources),
            selectinload(Role.settings).selectinload(RoleInSetting.setting),
            selectinload(Role.training_paths).selectinload(TrainingPath.stages),
            selectinload(Role.training_paths).selectinload(TrainingPath.country),
            selectinload(Role.training_paths).selectinload(TrainingPath.sources),
            selectinload(Role.conditions_cared_for).selectinload(ConditionCare.condition),
        )
    )


def setting_by_slug(slug: str) -> CareSetting | None:
    return db.session.scalar(
        select(CareSetting)
        .where(CareSetting.slug == slug)
        .options(
            selectinload(CareSetting.sources),
            selectinload(CareSetting.roles).selectinload(RoleInSetting.role),
        )
    )


def roles_by_slug(slugs: list[str], *options: Any) -> dict[str, Role]:
    """The roles among `slugs` that exist, by slug, in one query (with loader `options`)."""
    chosen = select(Role).where(Role.slug.in_(slugs)).options(*options)
    return {role.slug: role for role in db.session.scalars(chosen)}


def roles_for_comparison(slugs: list[str]) -> list[Role]:
    found = roles_by_slug(
        slugs,
        selectinload(Role.settings).selectinload(RoleInSetting.setting),
        selectinload(Role.training_paths).selectinload(TrainingPath.stages),
        selectinload(Role.training_paths).selectinload(TrainingPath.country),
    )
    return [found[slug] for slug in slugs]


def clinician_by_slug(slug: str) -> Clinician | None:
    return db.session.scalar(
        select(Clinician).where(Clinician.slug == slug).options(selectinload(Clinician.sources))
    )


def glossary_terms() -> list[GlossaryTerm]:
    """Every glossary entry in the glossary's order, with its sources."""
    return list(
        db.session.scalars(
            select(GlossaryTerm)
            .order_by(GlossaryTerm.position)
            .options(selectinload(GlossaryTerm.sources))
        )
    )
