"""The roadmap as one phone-sized picture: a timeline bar of the phases, today, the deadline.

Drawn with matplotlib's object-oriented API on an Agg canvas (no pyplot: its global state
is not thread-safe, and the bot renders in a worker thread). Every word on the picture
comes from `ChartLabels`, so the texts package can translate it.

Layout (drawn in pixel coordinates, y going down, 1080 px wide and as tall as the content
needs between a 1080 px square and a 1080 × 1350 portrait): the title (at most two lines),
the bar with "today" above it and the start date / deadline below its ends, then one row
per phase (colour, name, date span) and, when some weeks are still open, a legend row for
their lighter colour. Text is 34–56 px.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle
from matplotlib.textpath import TextToPath

from bot.roadmap import Phase, Roadmap

WIDTH_PX = 1080
MIN_HEIGHT_PX, MAX_HEIGHT_PX = 1080, 1350  # square for short plans, at most 4:5 portrait
DPI = 100
MARGIN = 80
TITLE_LINE = 68
MAX_TITLE_LINES = 2
BAR_GAP = 190  # from the title's last baseline to the bar: room for the "today" label
BAR_HEIGHT = 120
LIST_GAP = 170  # from the bar to the first phase row: room for the dates under the bar
ROW_HEIGHT = 124
ROW_INK = 100  # how far a row's drawing reaches below its top
SWATCH = 72
TEXT_LEFT = MARGIN + SWATCH + 32  # phase rows: where the words start
TITLE_SIZE, NAME_SIZE, BODY_SIZE, MIN_SIZE = 56, 42, 34, 28
ELLIPSIS = "…"
LONG_ROADMAP_DAYS = 550  # beyond ~18 months days of the month are noise: show month and year

# Okabe–Ito colours: distinct for colour-blind readers too, one per phase.
PHASE_COLOURS: dict[Phase, str] = {
    Phase.LEARN: "#0072B2",
    Phase.BUILD_PROOF: "#009E73",
    Phase.APPLY: "#E69F00",
    Phase.INTERVIEW: "#D55E00",
}
INK, MUTED, BACKGROUND = "#1F2328", "#5A6470", "#FFFFFF"
OPEN_TINT = 0.68  # share of white mixed into a phase colour for weeks with nothing planned


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The words on the picture. Date patterns take {day}, {month} (a month name) and {year}."""

    title: str
    phase_names: Mapping[Phase, str]
    today: str
    deadline: str
    open_weeks: str
    month_names: tuple[str, ...]  # twelve short names, January first
    day_month: str = "{day} {month}"
    day_month_year: str = "{day} {month} {year}"
    month_year: str = "{month} {year}"


def render_roadmap_png(roadmap: Roadmap, *, today: date, labels: ChartLabels) -> bytes:
    """The roadmap as PNG bytes, 1080 px wide and 1080–1350 px high (see `chart_size`)."""
    if len(labels.month_names) != 12:
        raise ValueError("month_names needs twelve names")
    layout = _Layout.of(roadmap, labels)
    figure = Figure(figsize=(WIDTH_PX / DPI, layout.height / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)  # attaches itself: the figure renders with Agg, whatever the backend
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(0, WIDTH_PX)
    axes.set_ylim(layout.height, 0)  # pixel coordinates, top-down like a page
    axes.set_axis_off()
    drawing = _Drawing(axes, roadmap, labels, layout)
    drawing.title()
    drawing.bar()
    drawing.ends()
    drawing.today_marker(today)
    drawing.phase_rows()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=BACKGROUND)
    return buffer.getvalue()


def chart_size(roadmap: Roadmap, labels: ChartLabels) -> tuple[int, int]:
    """Width and height in pixels of the picture `render_roadmap_png` draws."""
    return WIDTH_PX, _Layout.of(roadmap, labels).height


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where things go: the content is centred vertically on a canvas just tall enough."""

    title_lines: tuple[str, ...]
    top: float  # baseline of the first title line
    height: int

    @classmethod
    def of(cls, roadmap: Roadmap, labels: ChartLabels) -> _Layout:
        width = WIDTH_PX - 2 * MARGIN
        lines = tuple(_wrap(labels.title, TITLE_SIZE, width, max_lines=MAX_TITLE_LINES))
        rows = len(roadmap.phases) + (1 if any(week.open for week in roadmap.weeks) else 0)
        title_block = TITLE_SIZE + (max(1, len(lines)) - 1) * TITLE_LINE
        content = title_block + BAR_GAP + BAR_HEIGHT + LIST_GAP + (rows - 1) * ROW_HEIGHT + ROW_INK
        height = min(MAX_HEIGHT_PX, max(MIN_HEIGHT_PX, content + 2 * MARGIN))
        return cls(title_lines=lines, top=(height - content) / 2 + TITLE_SIZE, height=height)

    @property
    def bar_top(self) -> float:
        return self.top + (max(1, len(self.title_lines)) - 1) * TITLE_LINE + BAR_GAP

    @property
    def list_top(self) -> float:
        return self.bar_top + BAR_HEIGHT + LIST_GAP


def _px(size: float) -> float:
    """Font size in points for a height in pixels (the spec asks for pixel sizes)."""
    return size * 72 / DPI


def _width(words: str, size: float, *, bold: bool = False) -> float:
    """Rendered width in pixels, measured from the glyphs (no canvas needed)."""
    font = FontProperties(size=_px(size), weight="bold" if bold else "normal")
    width, _height, _descent = TextToPath().get_text_width_height_descent(words, font, ismath=False)
    return float(width) * DPI / 72 + 4  # a few pixels of slack for hinting


def _wrap(words: str, size: float, width: float, *, max_lines: int) -> list[str]:
    """Greedy word wrap on measured widths; the last line ends in "…" when text is left over."""
    lines: list[str] = []
    for word in words.split():
        if lines and _width(f"{lines[-1]} {word}", size, bold=True) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        elif len(lines) < max_lines:
            lines.append(word)
        else:
            lines[-1] = _shorten(lines[-1] + " " + word, size, width, force=True)
            break
    return [_shorten(line, size, width) for line in lines]


def _shorten(
    line: str, size: float, width: float, *, force: bool = False, bold: bool = True
) -> str:
    """`line` cut with "…" until it fits (`force`: cut at least one character)."""
    if not force and _width(line, size, bold=bold) <= width:
        return line
    cut = line[:-1] if force else line
    while cut and _width(cut.rstrip() + ELLIPSIS, size, bold=bold) > width:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def _fitting_size(words: str, size: float, width: float, *, bold: bool = False) -> float:
    """The largest size from `size` down to MIN_SIZE at which `words` fit in `width`."""
    fitted = size
    while fitted > MIN_SIZE and _width(words, fitted, bold=bold) > width:
        fitted -= 2
    return fitted


def _tint(colour: str, white_share: float) -> tuple[float, float, float]:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (
        red + (1 - red) * white_share,
        green + (1 - green) * white_share,
        blue + (1 - blue) * white_share,
    )


class _Drawing:
    def __init__(self, axes: Axes, roadmap: Roadmap, labels: ChartLabels, layout: _Layout) -> None:
        self.axes = axes
        self.roadmap = roadmap
        self.labels = labels
        self.layout = layout
        self.days = (roadmap.deadline - roadmap.start).days + 1

    # -- helpers --

    def x_of(self, day: date) -> float:
        """Left edge of `day` on the bar."""
        share = (day - self.roadmap.start).days / self.days
        return MARGIN + share * (WIDTH_PX - 2 * MARGIN)

    def text(self, x: float, y: float, words: str, size: float, **style: Any) -> None:
        # parse_math=False: a "$" in a user's title must not switch to maths typesetting.
        self.axes.text(x, y, words, fontsize=_px(size), parse_math=False, **style)

    def format_date(self, day: date) -> str:
        month = self.labels.month_names[day.month - 1]
        if self.days > LONG_ROADMAP_DAYS:
            pattern = self.labels.month_year
        elif self.roadmap.start.year != self.roadmap.deadline.year:
            pattern = self.labels.day_month_year
        else:
            pattern = self.labels.day_month
        return pattern.format(day=day.day, month=month, year=day.year)

    # -- parts --

    def title(self) -> None:
        for number, line in enumerate(self.layout.title_lines):
            y = self.layout.top + number * TITLE_LINE
            self.text(MARGIN, y, line, TITLE_SIZE, color=INK, weight="bold", va="baseline")

    def bar(self) -> None:
        top = self.layout.bar_top
        outline = FancyBboxPatch(
            (MARGIN, top),
            WIDTH_PX - 2 * MARGIN,
            BAR_HEIGHT,
            boxstyle="round,pad=0,rounding_size=28",
            facecolor="none",
            edgecolor="none",
        )
        self.axes.add_patch(outline)
        for first, last, phase, is_open in self.runs():
            colour = PHASE_COLOURS[phase]
            fill = _tint(colour, OPEN_TINT) if is_open else colour
            left, right = self.x_of(first), self.x_of(last + timedelta(days=1))
            segment = Rectangle((left, top), right - left, BAR_HEIGHT, facecolor=fill, lw=0)
            self.axes.add_patch(segment)
            segment.set_clip_path(outline)  # rounded ends for the whole bar, not each piece
        for phase in self.roadmap.phases[1:]:
            span = self.roadmap.phase_span(phase)
            if span is not None:  # a thin white cut makes phase changes readable
                x = self.x_of(span[0])
                self.axes.plot([x, x], [top, top + BAR_HEIGHT], color=BACKGROUND, lw=4)

    def runs(self) -> list[tuple[date, date, Phase, bool]]:
        """Consecutive weeks with the same phase and openness, as (first, last, phase, open)."""
        runs: list[tuple[date, date, Phase, bool]] = []
        for week in self.roadmap.weeks:
            first = max(week.start, self.roadmap.start)
            last = min(week.end, self.roadmap.deadline)
            if runs and runs[-1][2:] == (week.phase, week.open):
                runs[-1] = (runs[-1][0], last, week.phase, week.open)
            else:
                runs.append((first, last, week.phase, week.open))
        return runs

    def ends(self) -> None:
        below = self.layout.bar_top + BAR_HEIGHT + 56
        start_text = self.format_date(self.roadmap.start)
        self.text(MARGIN, below, start_text, 34, color=MUTED, ha="left", va="baseline")
        right = WIDTH_PX - MARGIN
        deadline_text = self.format_date(self.roadmap.deadline)
        self.text(right, below, self.labels.deadline, 36, color=INK, weight="bold", ha="right")
        self.text(right, below + 48, deadline_text, 34, color=INK, ha="right", va="baseline")

    def today_marker(self, today: date) -> None:
        if not self.roadmap.start <= today <= self.roadmap.deadline:
            return  # before the plan or after its deadline there is nothing to point at
        middle = self.x_of(today) + (self.x_of(today + timedelta(days=1)) - self.x_of(today)) / 2
        x = min(max(middle, MARGIN + 16), WIDTH_PX - MARGIN - 16)  # inside the rounded ends
        top = self.layout.bar_top
        self.axes.plot([x, x], [top - 14, top + BAR_HEIGHT + 14], color=INK, lw=5)
        tip = top - 14
        triangle = Polygon([(x - 20, tip - 30), (x + 20, tip - 30), (x, tip)], color=INK, lw=0)
        self.axes.add_patch(triangle)
        self.text(x + self.label_shift(x), tip - 52, self.labels.today, 38, color=INK,
                  weight="bold", ha=self.label_alignment(x))  # fmt: skip

    @staticmethod
    def label_alignment(x: float) -> str:
        """Near an edge the label hangs inwards so it never leaves the picture."""
        share = (x - MARGIN) / (WIDTH_PX - 2 * MARGIN)
        return "left" if share < 0.2 else "right" if share > 0.8 else "center"

    @classmethod
    def label_shift(cls, x: float) -> float:
        return {"left": -20.0, "right": 20.0}.get(cls.label_alignment(x), 0.0)

    def phase_rows(self) -> None:
        y = self.layout.list_top
        for phase in self.roadmap.phases:
            span = self.roadmap.phase_span(phase)
            if span is None:
                continue
            self.swatch(y, PHASE_COLOURS[phase])
            name = self.labels.phase_names.get(phase, "")
            self.row_text(y + 26, name, NAME_SIZE, color=INK, bold=True)
            self.row_text(y + 78, self.period(*span), BODY_SIZE, color=MUTED)
            y += ROW_HEIGHT
        open_phases = [week.phase for week in self.roadmap.weeks if week.open]
        if open_phases:
            self.swatch(y, _tint(PHASE_COLOURS[open_phases[0]], OPEN_TINT))
            self.row_text(y + SWATCH / 2, self.labels.open_weeks, BODY_SIZE, color=MUTED)

    def row_text(
        self, y: float, words: str, size: float, *, color: str, bold: bool = False
    ) -> None:
        width = WIDTH_PX - MARGIN - TEXT_LEFT
        fitted = _fitting_size(words, size, width, bold=bold)
        shown = (
            _shorten(words, fitted, width) if _width(words, fitted, bold=bold) > width else words
        )
        weight = "bold" if bold else "normal"
        self.text(TEXT_LEFT, y, shown, fitted, color=color, weight=weight, va="center")

    def period(self, first: date, last: date) -> str:
        if first == last:
            return self.format_date(first)
        return f"{self.format_date(first)} – {self.format_date(last)}"

    def swatch(self, y: float, colour: str | tuple[float, float, float]) -> None:
        square = FancyBboxPatch(
            (MARGIN, y),
            SWATCH,
            SWATCH,
            boxstyle="round,pad=0,rounding_size=14",
            facecolor=colour,
            lw=0,
        )
        self.axes.add_patch(square)
