"""Geometry for the training timelines, drawn to one scale on every page.

Plain Python so it can be tested on its own: the templates only place what this computes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from ..models import STAGE_KINDS, TrainingPath

# Every chart uses the same axis so that a year is the same width wherever it is drawn.
DEFAULT_AXIS_YEARS = 12
CHART_WIDTH = 720
LABEL_WIDTH = 190  # room for the role names at the left of each row
ROW_HEIGHT = 34
BAR_HEIGHT = 22
CHAR_WIDTH = 6.6  # rough width of one character at the chart's 12 px font


@dataclass
class Segment:
    x: float
    width: float
    kind: str
    name: str
    years_text: str
    is_extra: bool  # the part of a range that some programs or doctors add
    is_whisker: bool = False  # an extra part that a later stage would hide: drawn thin, below
    label_x: float = 0
    label_line: int = 0


@dataclass
class Marker:
    x: float
    name: str
    granted_by: str | None


@dataclass
class Row:
    role_name: str
    role_slug: str
    y: float
    segments: list[Segment] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    total_text: str = ""
    end_x: float = 0


@dataclass
class Chart:
    width: int
    height: int
    plot_left: float
    plot_width: float
    axis_years: int
    ticks: list[tuple[float, int]]
    rows: list[Row]
    label_lines: int


def format_years(years: float, max_years: float | None = None) -> str:
    """A length for charts and tables: "7 y", "3–4 y" (a word in languages without an
    abbreviation for years)."""
    if max_years is not None and max_years != years:
        return _("%(low)s–%(high)s y", low=_number(years), high=_number(max_years))
    return ngettext("%(years)s y", "%(years)s y", _whole(years), years=_number(years))


def years_in_words(years: float, max_years: float | None = None) -> str:
    """The same length for a sentence: "7 years", "8 to 9 years"."""
    if max_years is not None and max_years != years:
        return _("%(low)s to %(high)s years", low=_number(years), high=_number(max_years))
    return ngettext("%(years)s year", "%(years)s years", _whole(years), years=_number(years))


def _number(years: float) -> str:
    return f"{years:g}"  # 7, 1.5


def _whole(years: float) -> int:
    """The number that picks the plural form: gettext takes whole numbers only, and a part
    of a year (1.5) reads as plural."""
    return int(years) if years == int(years) else 2


def axis_for(paths: Iterable[TrainingPath]) -> int:
    longest = max((path.total_max_years for path in paths), default=0)
    return max(DEFAULT_AXIS_YEARS, math.ceil(longest))


def build_chart(
    paths: list[TrainingPath], axis_years: int | None = None, with_labels: bool = False
) -> Chart:
    """Lay out one row per path. `with_labels` puts stage names above a single bar."""
    axis_years = axis_years or axis_for(paths)
    # Same plot area on every chart, so one year has one width in SVG units everywhere.
    plot_left = LABEL_WIDTH
    plot_width = CHART_WIDTH - plot_left - 60
    scale = plot_width / axis_years
    top = 10 + (2 * 16 if with_labels else 0)
    rows = []
    for index, path in enumerate(paths):
        row = Row(role_name=path.role.name, role_slug=path.role.slug, y=top + index * ROW_HEIGHT)
        cursor = 0.0
        for stage in path.stages:
            if stage.years == 0 and not stage.max_years:
                row.markers.append(Marker(plot_left + cursor * scale, stage.name, stage.granted_by))
                continue
            if stage.years:
                row.segments.append(
                    Segment(
                        plot_left + cursor * scale,
                        stage.years * scale,
                        stage.kind,
                        stage.name,
                        format_years(stage.years, stage.max_years),
                        False,
                    )
                )
            if stage.max_years and stage.max_years > stage.years:
                row.segments.append(
                    Segment(
                        plot_left + (cursor + stage.years) * scale,
                        (stage.max_years - stage.years) * scale,
                        stage.kind,
                        stage.name,
                        format_years(stage.years, stage.max_years) if not stage.years else "",
                        True,
                    )
                )
            # The next stage starts after the usual length; a range is drawn as an extension.
            cursor += stage.years
        _thin_out_hidden_extras(row.segments)
        row.end_x = plot_left + path.total_max_years * scale
        row.total_text = format_years(path.total_years, path.total_max_years)
        if with_labels:
            _place_labels(row.segments)
        rows.append(row)
    label_lines = 2 if with_labels else 0
    height = int(top + len(paths) * ROW_HEIGHT + 30)
    ticks = [(plot_left + year * scale, year) for year in range(axis_years + 1)]
    return Chart(CHART_WIDTH, height, plot_left, plot_width, axis_years, ticks, rows, label_lines)


def _thin_out_hidden_extras(segments: list[Segment]) -> None:
    """A range in the middle of a path (a 3-4 year residency) overlaps the next stage;
    draw its extra part as a thin bar under the main one instead."""
    solid = [segment for segment in segments if not segment.is_extra]
    for segment in segments:
        if segment.is_extra:
            end = segment.x + segment.width
            segment.is_whisker = any(
                other.x < end - 0.01 and other.x + other.width > segment.x + 0.01 for other in solid
            )


def _place_labels(segments: list[Segment]) -> None:
    """Put each stage name above its segment, on a second line when it would overlap."""
    line_ends = [-1e9, -1e9]
    for segment in segments:
        if segment.is_extra and segment.years_text == "":
            segment.label_line = -1  # the extension of a stage already labelled
            continue
        text_width = len(STAGE_KINDS[segment.kind]) * CHAR_WIDTH
        line = 0 if segment.x >= line_ends[0] else 1
        segment.label_line = line
        segment.label_x = segment.x
        line_ends[line] = segment.x + text_width + 8
