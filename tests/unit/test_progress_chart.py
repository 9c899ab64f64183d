"""The progress picture: a decodable PNG of the announced size, empty and busy, each card
drawing its one message, safe to render from several threads at once."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image

from bot.progress import ProgressSnapshot, build_snapshot
from bot.progress_chart import (
    ACCENT,
    CARD_GAP,
    CARD_HEIGHT,
    CARDS_TOP,
    DONE,
    HEIGHT_PX,
    LEFT,
    MARGIN,
    RIGHT,
    WIDTH_PX,
    ChartLabels,
    render_progress_png,
)
from bot.roadmap import Phase
from tests.unit.test_progress import App, Event, Step, Week

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 200_000
TODAY = date(2026, 11, 25)


def labels(snapshot: ProgressSnapshot, **changes: object) -> ChartLabels:
    base = ChartLabels(
        title="Your progress",
        date="25 Nov 2026",
        confidence="Confidence",
        streak=f"{snapshot.streak}-week streak" if snapshot.streak else "",
        week_labels=tuple(period for period, _value in snapshot.confidence),
        no_checkins="Appears after your first check-in",
        applications="Applications",
        stages=("Applied", "Screening", "Interview", "Offer"),
        no_applications="Appears when you log an application",
        roadmap="Roadmap",
        days_left="38 days to go",
        milestones="6 of 10 milestones done",
        phase="Now: Build proof",
        no_roadmap="Appears once your /plan is done",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def long_labels(snapshot: ProgressSnapshot) -> ChartLabels:
    return labels(
        snapshot,
        title="Tu progreso de $100k hacia un trabajo nuevo " * 3,
        streak="racha de 9 semanas seguidas sin faltar ni una",
        stages=("Candidaturas enviadas", "Entrevista telefónica", "Entrevista", "Oferta"),
        milestones="6 de 10 hitos completados en tu hoja de ruta " * 2,
    )


def busy() -> ProgressSnapshot:
    weeks = [
        Week(f"2026-W{n}", "answered", c)
        for n, c in zip(range(38, 47), [2, 3, 3, 2, 3, 4, 4, 5, 4], strict=True)
    ]
    apps = [App(n, "applied") for n in range(1, 13)]
    events = [Event(n, "applied", date(2026, 11, 1)) for n in range(1, 13)]
    events += [Event(n, "screening", date(2026, 11, 5)) for n in (1, 2, 3)]
    events.append(Event(3, "interview", date(2026, 11, 9)))
    steps = [Step(date(2026, 10, 5), "done")] * 6 + [Step(date(2026, 12, 7), "planned")] * 4
    return build_snapshot(
        today=TODAY,
        checkins=weeks,
        milestones=steps,
        deadline=TODAY + timedelta(days=38),
        phase=Phase.BUILD_PROOF,
        applications=apps,
        events=events,
    )


def empty() -> ProgressSnapshot:
    return build_snapshot(today=TODAY, checkins=[])


def pixels(png: bytes) -> NDArray[np.uint8]:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))


def count_colour(image: NDArray[np.uint8], hex_colour: str) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return int(np.all(np.abs(image.astype(float) - rgb) <= 2, axis=-1).sum())


def card(image: NDArray[np.uint8], number: int) -> NDArray[np.uint8]:
    """The pixels of card 0 (confidence), 1 (applications) or 2 (roadmap)."""
    top = CARDS_TOP + number * (CARD_HEIGHT + CARD_GAP)
    return image[top : top + CARD_HEIGHT]


@pytest.mark.parametrize("snapshot", [busy(), empty()], ids=["busy", "empty"])
def test_render_gives_a_small_decodable_png_of_phone_size(snapshot: ProgressSnapshot) -> None:
    png = render_progress_png(snapshot, labels(snapshot))
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) < MAX_PNG_BYTES
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "RGB"
        assert image.size == (WIDTH_PX, HEIGHT_PX) == (1080, 1350)


def test_busy_chart_draws_the_line_the_bars_and_the_done_share() -> None:
    image = pixels(render_progress_png(busy(), labels(busy())))
    assert count_colour(card(image, 0), ACCENT) > 5_000  # the confidence line and its dots
    assert count_colour(card(image, 1), ACCENT) > 10_000  # the funnel bars
    roadmap = count_colour(card(image, 2), DONE)
    bar_width = WIDTH_PX - 2 * (48 + 44)
    assert roadmap == pytest.approx(0.6 * bar_width * 64, rel=0.1)  # 6 of 10 done, 64 px high


def test_empty_chart_draws_no_data_colour_only_the_cards_and_words() -> None:
    image = pixels(render_progress_png(empty(), labels(empty())))
    assert count_colour(image, ACCENT) == 0
    assert count_colour(image, DONE) == 0


def test_an_offer_is_the_one_green_bar() -> None:
    snapshot = busy()
    with_offer = build_snapshot(
        today=TODAY,
        checkins=[],
        applications=[App(1, "offer")],
        events=[Event(1, "applied", TODAY), Event(1, "offer", TODAY)],
    )
    assert count_colour(card(pixels(render_progress_png(snapshot, labels(snapshot))), 1), DONE) == 0
    image = pixels(render_progress_png(with_offer, labels(with_offer)))
    assert count_colour(card(image, 1), DONE) > 5_000


def test_long_translations_and_a_dollar_sign_are_fitted_not_typeset_as_maths() -> None:
    snapshot = busy()
    png = render_progress_png(snapshot, long_labels(snapshot))
    assert pixels(png).shape[:2] == (HEIGHT_PX, WIDTH_PX)


def test_long_translations_stay_inside_the_margins() -> None:
    snapshot = busy()
    image = pixels(render_progress_png(snapshot, long_labels(snapshot)))
    drawn = image.min(axis=-1) < 200  # words, bars, the line; not the page or the cards
    title = np.flatnonzero(drawn[:CARDS_TOP].any(axis=0))
    cards = np.flatnonzero(drawn[CARDS_TOP:].any(axis=0))
    assert title.min() >= MARGIN
    assert title.max() < WIDTH_PX - MARGIN
    assert cards.min() >= LEFT
    assert cards.max() <= RIGHT  # the anti-aliased edge of a last letter may touch it


def test_one_week_label_per_confidence_point_is_required() -> None:
    snapshot = busy()
    with pytest.raises(ValueError, match="week label"):
        render_progress_png(snapshot, labels(snapshot, week_labels=("W1",)))


def test_rendering_is_deterministic_and_safe_from_several_threads() -> None:
    snapshot = busy()
    words = labels(snapshot)
    alone = render_progress_png(snapshot, words)
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda _n: render_progress_png(snapshot, words), range(8)))
    assert all(png == alone for png in together)
