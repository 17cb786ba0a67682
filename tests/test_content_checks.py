"""Checks on the real content: every page has what it needs, and matches the contract."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import CareSetting, Role, TrainingPath

from .conftest import SPEC_ROLE_SLUGS


def test_roles_are_exactly_the_contract_slugs(role_slugs):
    assert set(role_slugs) == SPEC_ROLE_SLUGS


def test_every_role_has_training_a_setting_and_two_sources(app):
    with app.app_context():
        roles = db.session.scalars(
            select(Role).options(selectinload(Role.training_paths), selectinload(Role.settings))
        ).all()
        for role in roles:
            assert role.training_paths, role.slug
            assert role.settings, role.slug
            assert len(role.sources) >= 2, role.slug
            assert len(role.conditions) >= 3 and len(role.treatments) >= 3, role.slug
            assert len(role.questions) >= 3 and role.works_with, role.slug


def test_every_setting_has_a_role_and_a_source(app):
    with app.app_context():
        for setting in db.session.scalars(select(CareSetting)):
            assert setting.roles, setting.slug
            assert setting.sources, setting.slug


def test_training_paths_end_in_a_license_or_certificate(app):
    with app.app_context():
        for path in db.session.scalars(select(TrainingPath)):
            kinds = [stage.kind for stage in path.stages]
            assert {"certification", "license"} & set(kinds), path.role.slug
            granted = [
                stage.granted_by
                for stage in path.stages
                if stage.kind in ("certification", "license")
            ]
            assert all(granted), f"{path.role.slug}: say who grants each certificate"
            assert [stage.position for stage in path.stages] == sorted(
                s.position for s in path.stages
            )


def test_physician_paths_start_with_four_years_of_medical_school(app):
    non_physicians = {"physical-therapist", "pain-psychologist"}
    with app.app_context():
        for path in db.session.scalars(select(TrainingPath)):
            first = path.stages[0]
            if path.role.slug in non_physicians:
                assert "Medical school" not in first.name
            else:
                assert (first.name, first.years) == ("Medical school (MD or DO)", 4), path.role.slug


def test_pain_medicine_is_a_residency_plus_a_one_year_fellowship(app):
    with app.app_context():
        path = db.session.scalar(
            select(TrainingPath)
            .join(TrainingPath.role)
            .where(Role.slug == "pain-medicine-physician")
        )
        fellowship = [stage for stage in path.stages if stage.kind == "fellowship"]
        assert len(fellowship) == 1 and fellowship[0].years == 1
        assert {route["role"] for route in path.entry_routes} >= {
            "anesthesiologist",
            "physiatrist",
            "neurologist",
            "emergency-physician",
        }


def test_every_source_the_page_templates_cite_exists():
    from app.content.loader import read_content
    from app.pages.views import PAGE_SOURCES

    known = read_content().sources
    for page, keys in PAGE_SOURCES.items():
        assert set(keys) <= known.keys(), page
