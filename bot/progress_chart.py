"""The progress snapshot as one phone-sized picture: three cards, one message each.

1. Confidence — the last weeks' answers (1–5) as a line, the streak in the corner.
2. Applications — the funnel as bars (applied → screening → interview → offer), each
   with its count and its conversion from the stage before.
3. Roadmap — milestones done as a progress bar, the phase now, the days to go.

A card without data says so in one muted line, so a half-filled account still gets a
picture that looks meant. Drawn like the roadmap chart: matplotlib's object-oriented API
on an Agg canvas (no pyplot: its global state is not thread-safe, and the bot renders in
a worker thread), in pixel coordinates with y going down, 1080 × 1350 px (4:5 portrait,
the tallest picture Telegram shows whole). Text is 30–56 px. Every word comes from
`ChartLabels`, so the texts package can translate it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle
from matplotlib.textpath import TextToPath

from bot.progress import ProgressSnapshot

WIDTH_PX, HEIGHT_PX = 1080, 1350
DPI = 100
PNG_COMPRESS_LEVEL = 1
MARGIN = 48  # canvas edge to card
PAD = 44  # card edge to content
TITLE_BASELINE = 94
CARDS_TOP = 136
CARD_HEIGHT = 370
CARD_GAP = 24
HEADER_BASELINE = 70  # below a card's top
TITLE_SIZE, HEADER_SIZE, BODY_SIZE, SMALL_SIZE, MIN_SIZE = 56, 44, 36, 30, 26
ELLIPSIS = "…"
LINE_HEIGHT = 48  # between the lines of a wrapped empty-card message

# Few colours: ink and a muted grey for words, one blue for what is measured, green for
# what is done. Blue and green are Okabe–Ito, distinct for colour-blind readers too.
INK, MUTED, FAINT = "#1F2328", "#5A6470", "#D5DAE0"
BACKGROUND, CARD = "#FFFFFF", "#F3F5F7"
ACCENT, DONE = "#0072B2", "#009E73"

LEFT = MARGIN + PAD
RIGHT = WIDTH_PX - MARGIN - PAD


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The words on the picture, already formatted with their numbers by the caller."""

    title: str
    date: str  # today, as the caller writes dates
    confidence: str
    streak: str  # "4-week streak", or "" for none
    week_labels: tuple[str, ...]  # one per confidence point (only the ends are drawn)
    no_checkins: str
    applications: str
    stages: tuple[str, str, str, str]
    no_applications: str
    roadmap: str
    days_left: str  # "38 days to go", "Deadline passed"…
    milestones: str  # "6 of 10 milestones done"
    phase: str  # "Now: Build proof", or ""
    no_roadmap: str


def render_progress_png(snapshot: ProgressSnapshot, labels: ChartLabels) -> bytes:
    """The snapshot as PNG bytes, WIDTH_PX × HEIGHT_PX."""
    if len(labels.week_labels) != len(snapshot.confidence):
        raise ValueError("one week label per confidence point")
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)  # attaches itself: the figure renders with Agg, whatever the backend
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(0, WIDTH_PX)
    axes.set_ylim(HEIGHT_PX, 0)  # pixel coordinates, top-down like a page
    axes.set_axis_off()
    drawing = _Drawing(axes, snapshot, labels)
    drawing.title()
    drawing.confidence_card(CARDS_TOP)
    drawing.funnel_card(CARDS_TOP + CARD_HEIGHT + CARD_GAP)
    drawing.roadmap_card(CARDS_TOP + 2 * (CARD_HEIGHT + CARD_GAP))
    buffer = io.BytesIO()
    # Fastest zlib level: a sixth of the drawing's CPU saved for ~20% more bytes, which
    # Telegram recompresses anyway (a photo is shown as JPEG).
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        facecolor=BACKGROUND,
        pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL},
    )
    return buffer.getvalue()


def _pt(size: float) -> float:
    """Font size in points for a height in pixels."""
    return size * 72 / DPI


def _width(words: str, size: float, *, bold: bool = False) -> float:
    """Rendered width in pixels, measured from the glyphs (no canvas needed)."""
    font = FontProperties(size=_pt(size), weight="bold" if bold else "normal")
    width, _height, _descent = TextToPath().get_text_width_height_descent(words, font, ismath=False)
    # Hinting makes small text render a little wider than its outline: 3 % and a few pixels.
    return float(width) * DPI / 72 * 1.03 + 4


def _fit(words: str, size: float, width: float, *, bold: bool = False) -> tuple[str, float]:
    """`words` at the largest size down to MIN_SIZE that fits `width`, cut with "…" if even
    that is too wide (a long translation must not run off the card)."""
    fitted = size
    while fitted > MIN_SIZE and _width(words, fitted, bold=bold) > width:
        fitted -= 2
    shown = words
    while shown and _width(shown, fitted, bold=bold) > width:
        shown = shown[:-1]
    return (shown if shown == words else shown.rstrip() + ELLIPSIS), fitted


def _balanced_lines(words: str, size: float, width: float) -> list[str]:
    """One line when it fits, else two of about equal width (no lonely last word); what
    still does not fit is left to `_fit`, which cuts it with "…"."""
    if _width(words, size) <= width:
        return [words]
    parts = words.split()
    splits = [(" ".join(parts[:n]), " ".join(parts[n:])) for n in range(1, len(parts))]
    if not splits:
        return [words]
    first, second = min(splits, key=lambda pair: max(_width(pair[0], size), _width(pair[1], size)))
    return [first, second]


class _Drawing:
    def __init__(self, axes: Axes, snapshot: ProgressSnapshot, labels: ChartLabels) -> None:
        self.axes = axes
        self.snapshot = snapshot
        self.labels = labels

    def text(
        self, x: float, y: float, words: str, size: float, *, width: float, **style: Any
    ) -> None:
        bold = style.get("weight") == "bold"
        shown, fitted = _fit(words, size, width, bold=bold)
        # parse_math=False: a "$" in a translation must not switch to maths typesetting.
        self.axes.text(x, y, shown, fontsize=_pt(fitted), parse_math=False, **style)

    def rounded(
        self, x: float, y: float, width: float, height: float, colour: str, radius: float
    ) -> FancyBboxPatch:
        patch = FancyBboxPatch(
            (x, y),
            width,
            height,
            boxstyle=f"round,pad=0,rounding_size={radius}",
            facecolor=colour,
            lw=0,
        )
        self.axes.add_patch(patch)
        return patch

    # -- frame --

    def title(self) -> None:
        date_width = _width(self.labels.date, SMALL_SIZE) + 8
        self.text(MARGIN + 8, TITLE_BASELINE, self.labels.title, TITLE_SIZE,
                  width=WIDTH_PX - 2 * MARGIN - date_width - 40, color=INK, weight="bold",
                  va="baseline")  # fmt: skip
        self.text(WIDTH_PX - MARGIN - 8, TITLE_BASELINE, self.labels.date, SMALL_SIZE,
                  width=date_width, color=MUTED, ha="right", va="baseline")  # fmt: skip

    def card(self, top: float, heading: str, corner: str = "") -> None:
        """The card's background, its heading, and a key number in the top right corner."""
        self.rounded(MARGIN, top, WIDTH_PX - 2 * MARGIN, CARD_HEIGHT, CARD, 28)
        baseline = top + HEADER_BASELINE
        corner_width = _width(corner, BODY_SIZE, bold=True) if corner else 0.0
        heading_width = RIGHT - LEFT - min(corner_width, (RIGHT - LEFT) / 2) - 24
        self.text(LEFT, baseline, heading, HEADER_SIZE, width=heading_width, color=INK,
                  weight="bold", va="baseline")  # fmt: skip
        if corner:
            self.text(RIGHT, baseline, corner, BODY_SIZE, width=(RIGHT - LEFT) / 2,
                      color=ACCENT, weight="bold", ha="right", va="baseline")  # fmt: skip

    def empty(self, top: float, words: str) -> None:
        """A card with nothing to draw yet: a muted line or two where the drawing would be
        (wrapped rather than shrunk, so every empty card speaks at the same size)."""
        lines = _balanced_lines(words, BODY_SIZE, RIGHT - LEFT - 80)
        middle = top + HEADER_BASELINE + (CARD_HEIGHT - HEADER_BASELINE) / 2
        first = middle - (len(lines) - 1) * LINE_HEIGHT / 2
        for number, line in enumerate(lines):
            self.text(WIDTH_PX / 2, first + number * LINE_HEIGHT, line, BODY_SIZE,
                      width=RIGHT - LEFT, color=MUTED, ha="center", va="center")  # fmt: skip

    # -- 1. confidence --

    def confidence_card(self, top: float) -> None:
        self.card(top, self.labels.confidence, self.labels.streak)
        points = self.snapshot.confidence
        if not points:
            self.empty(top, self.labels.no_checkins)
            return
        high, low = top + 148, top + 292  # where 5 and 1 sit
        left, right = LEFT + 56, RIGHT - 24

        def y_of(value: int) -> float:
            return low - (value - 1) * (low - high) / 4

        for value, label in ((5, "5"), (1, "1")):
            self.axes.plot([left - 20, right + 20], [y_of(value)] * 2, color=FAINT, lw=2)
            self.text(LEFT, y_of(value), label, SMALL_SIZE, width=40, color=MUTED, va="center")
        xs = self._spread(len(points), left + 20, right - 20)
        ys = [y_of(value) for _period, value in points]
        if len(points) > 1:
            self.axes.plot(xs, ys, color=ACCENT, lw=6, solid_capstyle="round", zorder=2)
        for x, y, (_period, value) in zip(xs, ys, points, strict=True):
            self.axes.add_patch(Circle((x, y), 14, facecolor=ACCENT, lw=0, zorder=3))
            self.text(x, y - 26, str(value), SMALL_SIZE, width=60, color=INK, weight="bold",
                      ha="center", va="baseline")  # fmt: skip
        self._week_ends(top, xs)

    @staticmethod
    def _spread(count: int, left: float, right: float) -> list[float]:
        if count == 1:
            return [(left + right) / 2]
        return [left + index * (right - left) / (count - 1) for index in range(count)]

    def _week_ends(self, top: float, xs: Sequence[float]) -> None:
        """The first and last week under the line: enough to read the time span."""
        baseline = top + CARD_HEIGHT - 24
        words = self.labels.week_labels
        if len(xs) == 1:
            self.text(xs[0], baseline, words[0], SMALL_SIZE, width=300, color=MUTED,
                      ha="center", va="baseline")  # fmt: skip
            return
        self.text(xs[0] - 20, baseline, words[0], SMALL_SIZE, width=300, color=MUTED,
                  ha="left", va="baseline")  # fmt: skip
        self.text(xs[-1] + 20, baseline, words[-1], SMALL_SIZE, width=300, color=MUTED,
                  ha="right", va="baseline")  # fmt: skip

    # -- 2. applications --

    def funnel_card(self, top: float) -> None:
        self.card(top, self.labels.applications)
        stages = self.snapshot.funnel
        if not self.snapshot.applied:
            self.empty(top, self.labels.no_applications)
            return
        label_width = 230
        bar_left = LEFT + label_width + 16
        bar_room = RIGHT - bar_left - 190  # the count and the rate follow the bar
        most = max(stage.count for stage in stages)
        for row, (stage, name) in enumerate(zip(stages, self.labels.stages, strict=True)):
            middle = top + 144 + row * 58
            self.text(LEFT, middle, name, BODY_SIZE, width=label_width, color=INK, va="center")
            width = max(8.0, bar_room * stage.count / most)
            colour = FAINT if stage.count == 0 else (DONE if row == len(stages) - 1 else ACCENT)
            self.rounded(bar_left, middle - 20, width, 40, colour, 10)
            count = str(stage.count)
            x = bar_left + width + 16
            self.text(x, middle, count, BODY_SIZE, width=90, color=INK, weight="bold",
                      va="center")  # fmt: skip
            if stage.rate is not None:
                rate = f"{round(stage.rate * 100)}%"
                self.text(x + _width(count, BODY_SIZE, bold=True) + 14, middle, rate,
                          SMALL_SIZE, width=100, color=MUTED, va="center")  # fmt: skip

    # -- 3. roadmap --

    def roadmap_card(self, top: float) -> None:
        roadmap = self.snapshot.roadmap
        self.card(top, self.labels.roadmap, self.labels.days_left if roadmap else "")
        if roadmap is None:
            self.empty(top, self.labels.no_roadmap)
            return
        bar_top, bar_height = top + 124, 64
        outline = self.rounded(LEFT, bar_top, RIGHT - LEFT, bar_height, FAINT, 32)
        if roadmap.total and roadmap.done:
            done_width = (RIGHT - LEFT) * roadmap.done / roadmap.total
            filled = Rectangle((LEFT, bar_top), done_width, bar_height, facecolor=DONE, lw=0)
            self.axes.add_patch(filled)
            filled.set_clip_path(outline)  # the bar's rounded ends, not a square cut
        self.text(LEFT, top + 262, self.labels.milestones, BODY_SIZE, width=RIGHT - LEFT,
                  color=INK, weight="bold", va="baseline")  # fmt: skip
        if self.labels.phase:
            self.text(LEFT, top + 316, self.labels.phase, SMALL_SIZE + 2, width=RIGHT - LEFT,
                      color=MUTED, va="baseline")  # fmt: skip
