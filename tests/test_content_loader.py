"""The content loader: idempotent, updates in place, and refuses bad content as a whole."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.content.loader import ContentError, load_content, read_content
from app.extensions import db
from app.models import CareSetting, Role, Source, TrainingStage

from .conftest import dump_database, edit_yaml


def test_load_twice_changes_nothing(empty_app):
    with empty_app.app_context():
        first = load_content(db.session)
        after_first = dump_database()
        second = load_content(db.session)
        assert dump_database() == after_first
    assert first.changed and not second.changed
    assert first.version == second.version
    assert first.counts["roles"] == 12 and first.counts["care settings"] >= 10


def test_reload_updates_in_place_and_removes_what_was_deleted(empty_app, content_dir):
    with empty_app.app_context():
        load_content(db.session, content_dir)
        role_id = db.session.scalar(select(Role.id).where(Role.slug == "physiatrist"))
        stage_ids = set(db.session.scalars(select(TrainingStage.id)))

        edit_yaml(
            content_dir / "roles/physiatrist.yaml", lambda d: d.update(summary="A new summary.")
        )
        (content_dir / "settings/headache-clinic.yaml").unlink()
        report = load_content(db.session, content_dir)

        role = db.session.scalar(select(Role).where(Role.slug == "physiatrist"))
        assert report.changed
        assert role.id == role_id and role.summary == "A new summary."
        assert (
            db.session.scalar(select(CareSetting).where(CareSetting.slug == "headache-clinic"))
            is None
        )
        assert set(db.session.scalars(select(TrainingStage.id))) == stage_ids


def test_cli_loads_and_reports(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    assert "loaded: " in result.output and "12 roles" in result.output
    again = runner.invoke(args=["content", "load"])
    assert "already up to date" in again.output


def _set_in_list(key: str, index: int, field: str, value) -> Callable[[dict], None]:
    return lambda data: data[key][index].__setitem__(field, value)


BAD_CONTENT = [
    pytest.param(
        "settings/operating-room.yaml",
        _set_in_list("roles", 0, "role", "chiropractor"),
        [
            "settings/operating-room.yaml",
            "operating-room",
            "roles[0].role",
            "unknown role 'chiropractor'",
        ],
        id="unknown-role-in-setting",
    ),
    pytest.param(
        "roles/physiatrist.yaml",
        lambda d: d["sources"].append("no-such-source"),
        ["roles/physiatrist.yaml", "physiatrist", "sources[", "unknown source 'no-such-source'"],
        id="unknown-source",
    ),
    pytest.param(
        "roles/physiatrist.yaml",
        lambda d: d.update(sources=d["sources"][:1]),
        ["roles/physiatrist.yaml", "physiatrist", "'sources'", "at least 2"],
        id="too-few-sources",
    ),
    pytest.param(
        "training/us.yaml",
        lambda d: d["paths"][0]["stages"][1].update(years=-1),
        ["training/us.yaml", "paths[0].stages[1].years", "greater than or equal to 0"],
        id="negative-duration",
    ),
    pytest.param(
        "training/us.yaml",
        lambda d: d["paths"][0]["stages"][1].update(years=4, max_years=2),
        ["training/us.yaml", "max_years must not be less than years"],
        id="range-upside-down",
    ),
    pytest.param(
        "roles/neurologist.yaml",
        lambda d: d.pop("focus"),
        ["roles/neurologist.yaml", "neurologist", "'focus'", "Field required"],
        id="missing-field",
    ),
    pytest.param(
        "roles/neurologist.yaml",
        lambda d: d.update(sorces=["abms-aba"]),
        ["roles/neurologist.yaml", "'sorces'", "Extra inputs are not permitted"],
        id="misspelt-field",
    ),
    pytest.param(
        "roles/neurologist.yaml",
        lambda d: d.update(access="by-pigeon"),
        ["roles/neurologist.yaml", "'access'"],
        id="unknown-access-route",
    ),
    pytest.param(
        "sources/core.yaml",
        _set_in_list("sources", 0, "url", "http://insecure.example/"),
        ["sources/core.yaml", "icd11-chronic-pain", "sources[0].url"],
        id="source-url-not-https",
    ),
    pytest.param(
        "sources/training.yaml",
        lambda d: d["sources"].append(dict(d["sources"][0], key="nice-ng59")),
        ["sources/training.yaml", "nice-ng59", "duplicate source key"],
        id="duplicate-source-key",
    ),
    pytest.param(
        "roles/rheumatologist.yaml",
        lambda d: d.update(slug="rheumatology"),
        ["roles/rheumatologist.yaml", "slug must match the file name"],
        id="slug-not-file-name",
    ),
    pytest.param(
        "training/us.yaml",
        lambda d: d["paths"].pop(),
        ["roles/emergency-physician.yaml", "no training path for this role"],
        id="role-without-training",
    ),
]


@pytest.mark.parametrize(("file_name", "change", "expected"), BAD_CONTENT)
def test_bad_content_is_refused_and_the_database_is_unchanged(
    empty_app, content_dir, file_name, change, expected
):
    with empty_app.app_context():
        load_content(db.session)  # a database that already holds good content
        before = dump_database()
        edit_yaml(content_dir / file_name, change)
        with pytest.raises(ContentError) as error:
            load_content(db.session, content_dir)
        for fragment in expected:
            assert fragment in str(error.value)
        assert dump_database() == before


def test_broken_yaml_names_the_file(empty_app, content_dir):
    (content_dir / "roles/physiatrist.yaml").write_text("slug: [unclosed\n")
    with (
        empty_app.app_context(),
        pytest.raises(ContentError, match=r"roles/physiatrist.yaml: not valid YAML"),
    ):
        load_content(db.session, content_dir)


def test_cli_reports_bad_content_and_exits_non_zero(empty_app, content_dir):
    edit_yaml(
        content_dir / "settings/pain-clinic.yaml", _set_in_list("roles", 0, "role", "reiki-master")
    )
    result = empty_app.test_cli_runner().invoke(
        args=["content", "load", "--content-dir", str(content_dir)]
    )
    assert result.exit_code == 1
    assert "database unchanged" in result.output
    assert "settings/pain-clinic.yaml: entry 'pain-clinic': field 'roles[0].role'" in result.output
    with empty_app.app_context():
        assert db.session.scalars(select(Source)).first() is None


def test_a_failure_while_writing_rolls_everything_back(empty_app, monkeypatch):
    """Even an error after rows were written leaves nothing behind: one transaction."""
    import app.content.loader as loader

    def fail_after_roles(row, path, sources, language):
        raise RuntimeError("disk full")

    with empty_app.app_context():
        monkeypatch.setattr(loader, "_update_path", fail_after_roles)
        with pytest.raises(RuntimeError):
            load_content(db.session)
        assert dump_database() == {table: [] for table in dump_database()}


def test_read_content_checks_without_a_database():
    content = read_content()
    assert len(content.roles) == 12
    assert len(content.version) == 12


def test_a_new_country_is_added_by_a_content_file_alone(empty_app, content_dir):
    """UK or Australian paths need no code or schema change: a file in training/ and the
    sources it cites."""
    (content_dir / "sources/gb.yaml").write_text(
        """
sources:
  - key: fpm-training
    title: Training and curricula in pain medicine
    publisher: Faculty of Pain Medicine of the Royal College of Anaesthetists (UK)
    url: https://fpm.ac.uk/training-examinations/training-and-curricula
"""
    )
    (content_dir / "training/gb.yaml").write_text(
        """
country: {code: GB, name: United Kingdom}
paths:
  - role: pain-medicine-physician
    summary: Pain medicine is part of anaesthetics training in the UK.
    stages:
      - {kind: school, name: Medical school, years: 5}
      - {kind: residency, name: Anaesthetics training with a pain medicine year, years: 8}
      - {kind: exam, name: FFPMRCA exam, years: 0, granted_by: Faculty of Pain Medicine}
    sources: [fpm-training]
    reviewed_on: 2026-11-25
"""
    )
    (content_dir / "training/gb.es.yaml").write_text(
        """
country: {code: GB, name: Reino Unido}
paths:
  - role: pain-medicine-physician
    summary: En el Reino Unido, la medicina del dolor es parte de la formación en anestesia.
    stages:
      - {kind: school, name: Facultad de medicina}
      - {kind: residency, name: Formación en anestesia con un año de medicina del dolor}
      - {kind: exam, name: Examen FFPMRCA, granted_by: Faculty of Pain Medicine}
"""
    )
    with empty_app.app_context():
        report = load_content(db.session, content_dir)
    assert report.counts["training paths"] == 13
    html = empty_app.test_client().get("/roles/pain-medicine-physician").get_data(as_text=True)
    assert "Training path of a Pain medicine physician in the United Kingdom" in html
    assert "Training path of a Pain medicine physician in the United States" in html
