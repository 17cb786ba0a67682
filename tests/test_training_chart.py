"""The training timeline geometry: one scale everywhere, ranges and certificates drawn apart."""

from app.models import Role, TrainingPath, TrainingStage
from app.training.chart import DEFAULT_AXIS_YEARS, build_chart, format_years


def make_path(slug: str, *stages: tuple) -> TrainingPath:
    """Build an unsaved path: stages as (kind, years, max_years)."""
    path = TrainingPath(role=Role(slug=slug, name=slug.title()), summary="", entry_routes=[])
    for position, (kind, years, max_years) in enumerate(stages, start=1):
        path.stages.append(
            TrainingStage(
                position=position,
                kind=kind,
                name=f"{kind} {position}",
                years=years,
                max_years=max_years,
            )
        )
    return path


def bar_width(row) -> float:
    return sum(segment.width for segment in row.segments if not segment.is_extra)


def test_a_year_is_the_same_width_on_every_chart():
    short = make_path("short", ("school", 3, None), ("license", 0, None))
    long = make_path(
        "long", ("school", 4, None), ("residency", 7, None), ("certification", 0, None)
    )
    alone = build_chart([short], axis_years=DEFAULT_AXIS_YEARS, with_labels=True)
    together = build_chart([short, long], axis_years=DEFAULT_AXIS_YEARS)
    assert bar_width(alone.rows[0]) == bar_width(together.rows[0])
    # 11 years is drawn 11/3 as long as 3 years.
    assert abs(bar_width(together.rows[1]) / bar_width(together.rows[0]) - 11 / 3) < 1e-9


def test_the_axis_grows_for_a_path_longer_than_twelve_years():
    very_long = make_path("long", ("school", 4, None), ("residency", 7, None), ("fellowship", 0, 3))
    chart = build_chart([very_long])
    assert chart.axis_years == 14
    assert chart.ticks[-1][1] == 14


def test_certificates_are_markers_and_ranges_are_extensions():
    path = make_path(
        "x",
        ("school", 4, None),
        ("residency", 3, 4),
        ("fellowship", 1, None),
        ("certification", 0, None),
    )
    row = build_chart([path]).rows[0]
    assert len(row.markers) == 1
    extras = [segment for segment in row.segments if segment.is_extra]
    assert len(extras) == 1
    # The residency's extra year would sit under the fellowship, so it is drawn thin below.
    assert extras[0].is_whisker
    assert row.total_text == "8–9 y"


def test_an_optional_last_step_is_drawn_full_height():
    path = make_path("x", ("school", 4, None), ("residency", 5, None), ("fellowship", 0, 1))
    row = build_chart([path]).rows[0]
    (extra,) = [segment for segment in row.segments if segment.is_extra]
    assert not extra.is_whisker and extra.years_text == "0–1 y"


def test_stage_labels_do_not_overlap_on_one_line():
    path = make_path("x", ("school", 4, None), ("residency", 1, None), ("fellowship", 1, None))
    segments = build_chart([path], with_labels=True).rows[0].segments
    assert [segment.label_line for segment in segments] == [0, 0, 1]


def test_format_years():
    assert format_years(4) == "4 y"
    assert format_years(3, 4) == "3–4 y"
    assert format_years(1.5) == "1.5 y"
