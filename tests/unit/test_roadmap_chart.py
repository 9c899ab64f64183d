from __future__ import annotations

import io
from datetime import date, timedelta

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image

from bot.roadmap import FocusItem, Phase, Roadmap, build_roadmap
from bot.roadmap_chart import (
    MAX_HEIGHT_PX,
    MIN_HEIGHT_PX,
    OPEN_TINT,
    PHASE_COLOURS,
    WIDTH_PX,
    ChartLabels,
    chart_size,
    render_roadmap_png,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 200_000
START = date(2026, 11, 25)
LABELS = ChartLabels(
    title="Your road to Data Analyst",
    phase_names={
        Phase.LEARN: "Learn",
        Phase.BUILD_PROOF: "Build proof",
        Phase.APPLY: "Apply",
        Phase.INTERVIEW: "Interview",
    },
    today="Today",
    deadline="Deadline",
    open_weeks="Open weeks",
    month_names=(
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
)
FOCUS = (
    FocusItem("sql", "SQL", "course", "Sign up", 3, 4.5),
    FocusItem("python", "Python", "project", None, 5, 2.0),
)


def roadmap(days: int, focus: tuple[FocusItem, ...] = FOCUS) -> Roadmap:
    return build_roadmap(
        start=START, deadline=START + timedelta(days=days), hours_per_week=6, focus=focus
    )


def pixels(png: bytes) -> NDArray[np.uint8]:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))


def count_colour(image: NDArray[np.uint8], hex_colour: str, *, tint: float = 0.0) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    target = rgb + (255 - rgb) * tint
    close = np.all(np.abs(image.astype(float) - target) <= 2, axis=-1)
    return int(close.sum())


@pytest.mark.parametrize(
    ("days", "focus"),
    [(179, FOCUS), (2, FOCUS), (0, FOCUS), (5 * 365, FOCUS), (179, ()), (20, ())],
    ids=["six-months", "one-week", "one-day", "five-years", "six-months-open", "three-weeks-open"],
)
def test_render_gives_a_small_decodable_png_of_the_announced_size(
    days: int, focus: tuple[FocusItem, ...]
) -> None:
    plan = roadmap(days, focus)
    png = render_roadmap_png(plan, today=START, labels=LABELS)
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) < MAX_PNG_BYTES
    image = pixels(png)
    height, width, _ = image.shape
    assert (width, height) == chart_size(plan, LABELS)
    assert width == WIDTH_PX
    assert MIN_HEIGHT_PX <= height <= MAX_HEIGHT_PX


def test_short_roadmap_is_square_and_full_one_is_portrait() -> None:
    assert chart_size(roadmap(2), LABELS) == (1080, 1080)
    width, height = chart_size(roadmap(179, ()), LABELS)
    assert height > width


def test_each_phase_colour_is_drawn() -> None:
    image = pixels(render_roadmap_png(roadmap(179), today=START, labels=LABELS))
    for colour in PHASE_COLOURS.values():
        assert count_colour(image, colour) > 5_000  # a bar segment and a swatch


def test_open_weeks_are_drawn_lighter() -> None:
    planned = pixels(render_roadmap_png(roadmap(179), today=START, labels=LABELS))
    open_plan = pixels(render_roadmap_png(roadmap(179, ()), today=START, labels=LABELS))
    learn = PHASE_COLOURS[Phase.LEARN]
    assert count_colour(planned, learn, tint=OPEN_TINT) == 0
    assert count_colour(open_plan, learn, tint=OPEN_TINT) > 20_000
    # the open learn weeks no longer use the full colour in the bar, only in the legend swatch
    assert count_colour(open_plan, learn) < count_colour(planned, learn) / 4


def test_today_outside_the_roadmap_is_not_marked() -> None:
    plan = roadmap(179)
    inside = render_roadmap_png(plan, today=START + timedelta(days=60), labels=LABELS)
    after = render_roadmap_png(plan, today=START + timedelta(days=400), labels=LABELS)
    before = render_roadmap_png(plan, today=START - timedelta(days=1), labels=LABELS)
    assert after == before != inside


def test_rendering_is_deterministic() -> None:
    plan = roadmap(90)
    first = render_roadmap_png(plan, today=START, labels=LABELS)
    assert render_roadmap_png(plan, today=START, labels=LABELS) == first


def test_long_title_with_dollar_sign_is_wrapped_not_typeset_as_maths() -> None:
    labels = ChartLabels(
        title="My $100k move into product management at a climate start-up " * 3,
        phase_names=LABELS.phase_names,
        today=LABELS.today,
        deadline=LABELS.deadline,
        open_weeks=LABELS.open_weeks,
        month_names=LABELS.month_names,
    )
    png = render_roadmap_png(roadmap(179), today=START, labels=labels)
    assert png.startswith(PNG_SIGNATURE)
    assert chart_size(roadmap(179), labels)[1] > chart_size(roadmap(179), LABELS)[1]


def test_month_names_must_be_twelve() -> None:
    labels = ChartLabels(
        title="t",
        phase_names=LABELS.phase_names,
        today="t",
        deadline="d",
        open_weeks="o",
        month_names=("Jan",),
    )
    with pytest.raises(ValueError, match="twelve"):
        render_roadmap_png(roadmap(10), today=START, labels=labels)
