"""The progress snapshot as one phone-sized picture: three cards, one message each.

1. Confidence — the last weeks' answers (1–5) as a line, the streak in the corner.
2. Applications — the funnel as bars (applied → screening → interview → offer), each
   with its count and its conversion from the stage before.
3. Roadmap — milestones done as a progress bar, the phase now, the days to go.

A card without data says so in one muted line, so a half-filled account still gets a
picture that looks meant. 1080 × 1350 px (4:5 portrait, the tallest picture Telegram shows
whole), in pixel coordinates with y going down; text is 26–56 px. Every word comes from
`ChartLabels`, so the texts package can translate it.

Drawn with Pillow, not matplotlib: the bot renders in a worker thread, and matplotlib's
~150 ms of CPU a picture held the GIL long enough to set everyone's p99 reply latency.
This takes ~16 ms a picture (~25 when none of its words were drawn before), half of it
in zlib, which lets go of the GIL. Pillow's shapes have jagged edges, so the round ones
are drawn as coverage masks SUPERSAMPLE× larger and averaged down; its text is smooth.
"""

from __future__ import annotations

import math
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from struct import pack
from typing import Literal

import matplotlib
from PIL import Image, ImageDraw, ImageFont

from bot.progress import ProgressSnapshot

WIDTH_PX, HEIGHT_PX = 1080, 1350
PNG_COMPRESS_LEVEL = 1
PNG_BAND = 64  # rows
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
LINE_WIDTH, GRID_WIDTH = 8.33, 3  # the confidence line and its rules at 1 and 5
DOT_RADIUS = 14
SUPERSAMPLE = 4  # 17 levels of coverage on a shape's edge: smooth to the eye

# Few colours: ink and a muted grey for words, one blue for what is measured, green for
# what is done. Blue and green are Okabe–Ito, distinct for colour-blind readers too.
INK, MUTED, FAINT = "#1F2328", "#5A6470", "#D5DAE0"
BACKGROUND, CARD = "#FFFFFF", "#F3F5F7"
ACCENT, DONE = "#0072B2", "#009E73"

LEFT = MARGIN + PAD
RIGHT = WIDTH_PX - MARGIN - PAD

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu, shipped with matplotlib
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Align = Literal["l", "m", "r"]  # the text's left end, middle or right end is at x


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
    """The snapshot as PNG bytes, WIDTH_PX × HEIGHT_PX, RGB."""
    if len(labels.week_labels) != len(snapshot.confidence):
        raise ValueError("one week label per confidence point")
    drawing = _Drawing(snapshot, labels)
    drawing.title()
    drawing.confidence_card(CARDS_TOP)
    drawing.funnel_card(CARDS_TOP + CARD_HEIGHT + CARD_GAP)
    drawing.roadmap_card(CARDS_TOP + 2 * (CARD_HEIGHT + CARD_GAP))
    return _png(drawing.image)


def _png(image: Image.Image) -> bytes:
    """`image` (RGB) as a PNG, written here rather than by Pillow's `save`, which tries
    four filters on every row: that alone cost more than all the drawing. Unfiltered rows
    of flat colour compress as small (~90 KB). Encoded PNG_BAND rows at a time: 200 KB
    buffers are reused, 4 MB ones cost as much again in page faults."""
    width, height = image.size
    stride = 3 * width
    # Fastest zlib level: two thirds of the encoding's CPU saved for ~30% more bytes,
    # which Telegram recompresses anyway (a photo is shown as JPEG).
    compressor = zlib.compressobj(PNG_COMPRESS_LEVEL)
    data = []
    for top in range(0, height, PNG_BAND):
        raw = image.crop((0, top, width, min(top + PNG_BAND, height))).tobytes()
        rows = (b"\0" + raw[start : start + stride] for start in range(0, len(raw), stride))
        data.append(compressor.compress(b"".join(rows)))  # b"\0": row filter "none"
    data.append(compressor.flush())
    header = pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB, no interlace
    idat = b"".join(data)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return pack(">I", len(data)) + kind + data + pack(">I", zlib.crc32(kind + data))


# -- text --


class _Fonts(threading.local):
    """Each thread loads its own fonts, once: a FreeType face must not be used by two
    threads at once, and loading one for every text would cost more than drawing it."""

    def __init__(self) -> None:
        self.loaded: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}

    def get(self, size: int, bold: bool) -> ImageFont.FreeTypeFont:
        font = self.loaded.get((size, bold))
        if font is None:
            font = ImageFont.truetype(BOLD if bold else REGULAR, size)
            self.loaded[size, bold] = font
        return font


_FONTS = _Fonts()


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return _FONTS.get(size, bold)


@lru_cache(maxsize=1024)
def _width(words: str, size: int, *, bold: bool = False) -> float:
    """Rendered width in pixels: the advance of the shaped text. Kept, like `_lettering`:
    most words recur from picture to picture."""
    return _font(size, bold=bold).getlength(words)


def _fit(words: str, size: int, width: float, *, bold: bool = False) -> tuple[str, int]:
    """`words` at the largest size down to MIN_SIZE that fits `width`, cut with "…" if even
    that is too wide (a long translation must not run off the card)."""
    fitted = size
    while (too_wide := _width(words, fitted, bold=bold) > width) and fitted > MIN_SIZE:
        fitted -= 2
    if not too_wide:
        return words, fitted
    # The longest start that fits with its "…", by bisection: a long title has 100+ starts.
    fits, too_long = 0, len(words)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if _width(words[:middle].rstrip() + ELLIPSIS, fitted, bold=bold) <= width:
            fits = middle
        else:
            too_long = middle
    return words[:fits].rstrip() + ELLIPSIS, fitted


@lru_cache(maxsize=32)
def _below_middle(size: int, *, bold: bool) -> float:
    """How far the baseline lies below the middle of a line of text: the middle of "lp", a
    tall and a deep letter, so that every line sits alike whatever its letters."""
    _left, top, _right, bottom = _font(size, bold=bold).getbbox("lp", anchor="ls")
    return -(top + bottom) / 2


@lru_cache(maxsize=512)
def _lettering(words: str, size: int, bold: bool, anchor: str) -> tuple[Image.Image, int, int]:
    """The coverage of `words` and where its top left lies from the anchor point. Kept:
    most words (headings, stages, digits, today's date) recur from picture to picture,
    and laying out and rasterising them is most of the drawing's CPU."""
    font = _font(size, bold=bold)
    left, top, right, bottom = font.getbbox(words, anchor=anchor)
    x, y = math.floor(left), math.floor(top)
    mask = Image.new("L", (math.ceil(right) - x, math.ceil(bottom) - y), 0)
    ImageDraw.Draw(mask).text((-x, -y), words, fill=255, font=font, anchor=anchor)
    return mask, x, y


def _balanced_lines(words: str, size: int, width: float) -> list[str]:
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


# -- shapes --


@lru_cache(maxsize=8)
def _corners(radius: int) -> tuple[Image.Image, Image.Image, Image.Image, Image.Image]:
    """Coverage of a rounded rectangle's corners: top left, top right, bottom left, bottom
    right. The curve is matplotlib's, which drew these cards before: a quadratic Bézier
    with its control point in the corner, a little squarer than a quarter circle."""
    side = radius * SUPERSAMPLE
    curve = [(t * t * side, (1 - t) ** 2 * side) for t in (n / 32 for n in range(33))]
    big = Image.new("L", (side, side), 0)
    ImageDraw.Draw(big).polygon([*curve, (side, side)], fill=255)
    top_left = big.reduce(SUPERSAMPLE)
    top_right = top_left.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    bottom_left = top_left.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    return top_left, top_right, bottom_left, top_left.transpose(Image.Transpose.ROTATE_180)


def _rounded(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], colour: str | int, radius: int
) -> None:
    """A rounded rectangle filling `box` (a pill when `radius` is more than half a side)."""
    left, top, right, bottom = box
    r = max(1, min(radius, (right - left) // 2, (bottom - top) // 2))
    if right - left > 2 * r:
        draw.rectangle((left + r, top, right - r - 1, bottom - 1), fill=colour)
    if bottom - top > 2 * r:  # the sides between the corners
        draw.rectangle((left, top + r, left + r - 1, bottom - r - 1), fill=colour)
        draw.rectangle((right - r, top + r, right - 1, bottom - r - 1), fill=colour)
    xs, ys = (left, right - r) * 2, (top, top, bottom - r, bottom - r)
    for mask, x, y in zip(_corners(r), xs, ys, strict=True):
        draw.bitmap((x, y), mask, fill=colour)


@lru_cache(maxsize=8)
def _rounded_mask(width: int, height: int, radius: int) -> Image.Image:
    """Coverage of a rounded rectangle, to clip what is drawn inside it."""
    mask = Image.new("L", (width, height), 0)
    _rounded(ImageDraw.Draw(mask), (0, 0, width, height), 255, radius)
    return mask


def _line_and_dots(points: Sequence[tuple[float, float]]) -> tuple[Image.Image, tuple[int, int]]:
    """Coverage of the confidence line with a dot on each point, and where it goes. The dots
    are wider than the line, so they round its ends and joints too."""
    reach = DOT_RADIUS + 1
    left, top = int(min(x for x, _y in points)) - reach, int(min(y for _x, y in points)) - reach
    right, bottom = int(max(x for x, _y in points)) + reach, int(max(y for _x, y in points)) + reach
    big = Image.new("L", ((right - left) * SUPERSAMPLE, (bottom - top) * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    scaled = [((x - left) * SUPERSAMPLE, (y - top) * SUPERSAMPLE) for x, y in points]
    if len(scaled) > 1:
        draw.line(scaled, fill=255, width=round(LINE_WIDTH * SUPERSAMPLE))
    r = DOT_RADIUS * SUPERSAMPLE
    for x, y in scaled:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return big.reduce(SUPERSAMPLE), (left, top)


class _Drawing:
    def __init__(self, snapshot: ProgressSnapshot, labels: ChartLabels) -> None:
        self.image = Image.new("RGB", (WIDTH_PX, HEIGHT_PX), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)
        self.snapshot = snapshot
        self.labels = labels

    def text(
        self,
        x: float,
        y: float,
        words: str,
        size: int,
        *,
        width: float,
        colour: str,
        bold: bool = False,
        align: Align = "l",
        middle: bool = False,
    ) -> None:
        """`words` fitted to `width`, on the baseline `y`, or centred on `y` when `middle`."""
        shown, fitted = _fit(words, size, width, bold=bold)
        if middle:
            y += _below_middle(fitted, bold=bold)
        mask, left, top = _lettering(shown, fitted, bold, align + "s")
        self.draw.bitmap((round(x) + left, round(y) + top), mask, fill=colour)

    def rounded(self, x: int, y: int, width: float, height: int, colour: str, radius: int) -> None:
        _rounded(self.draw, (x, y, x + round(width), y + height), colour, radius)

    # -- frame --

    def title(self) -> None:
        date_width = _width(self.labels.date, SMALL_SIZE) + 8
        self.text(MARGIN + 8, TITLE_BASELINE, self.labels.title, TITLE_SIZE,
                  width=WIDTH_PX - 2 * MARGIN - date_width - 40, colour=INK, bold=True)  # fmt: skip
        self.text(WIDTH_PX - MARGIN - 8, TITLE_BASELINE, self.labels.date, SMALL_SIZE,
                  width=date_width, colour=MUTED, align="r")  # fmt: skip

    def card(self, top: int, heading: str, corner: str = "") -> None:
        """The card's background, its heading, and a key number in the top right corner."""
        self.rounded(MARGIN, top, WIDTH_PX - 2 * MARGIN, CARD_HEIGHT, CARD, 28)
        baseline = top + HEADER_BASELINE
        corner_width = _width(corner, BODY_SIZE, bold=True) if corner else 0.0
        heading_width = RIGHT - LEFT - min(corner_width, (RIGHT - LEFT) / 2) - 24
        self.text(LEFT, baseline, heading, HEADER_SIZE, width=heading_width, colour=INK,
                  bold=True)  # fmt: skip
        if corner:
            self.text(RIGHT, baseline, corner, BODY_SIZE, width=(RIGHT - LEFT) / 2,
                      colour=ACCENT, bold=True, align="r")  # fmt: skip

    def empty(self, top: int, words: str) -> None:
        """A card with nothing to draw yet: a muted line or two where the drawing would be
        (wrapped rather than shrunk, so every empty card speaks at the same size)."""
        lines = _balanced_lines(words, BODY_SIZE, RIGHT - LEFT - 80)
        middle = top + HEADER_BASELINE + (CARD_HEIGHT - HEADER_BASELINE) / 2
        first = middle - (len(lines) - 1) * LINE_HEIGHT / 2
        for number, line in enumerate(lines):
            self.text(WIDTH_PX / 2, first + number * LINE_HEIGHT, line, BODY_SIZE,
                      width=RIGHT - LEFT, colour=MUTED, align="m", middle=True)  # fmt: skip

    # -- 1. confidence --

    def confidence_card(self, top: int) -> None:
        self.card(top, self.labels.confidence, self.labels.streak)
        points = self.snapshot.confidence
        if not points:
            self.empty(top, self.labels.no_checkins)
            return
        high, low = top + 148, top + 292  # where 5 and 1 sit
        left, right = LEFT + 56, RIGHT - 24

        def y_of(value: int) -> float:
            return low - (value - 1) * (low - high) / 4

        for value in (5, 1):
            y = y_of(value)
            self.draw.line(((left - 20, y), (right + 20, y)), fill=FAINT, width=GRID_WIDTH)
            self.text(LEFT, y, str(value), SMALL_SIZE, width=40, colour=MUTED, middle=True)
        xs = self._spread(len(points), left + 20, right - 20)
        ys = [y_of(value) for _period, value in points]
        mask, corner = _line_and_dots(list(zip(xs, ys, strict=True)))
        self.draw.bitmap(corner, mask, fill=ACCENT)
        for x, y, (_period, value) in zip(xs, ys, points, strict=True):
            self.text(x, y - 26, str(value), SMALL_SIZE, width=60, colour=INK, bold=True,
                      align="m")  # fmt: skip
        self._week_ends(top, xs)

    @staticmethod
    def _spread(count: int, left: float, right: float) -> list[float]:
        if count == 1:
            return [(left + right) / 2]
        return [left + index * (right - left) / (count - 1) for index in range(count)]

    def _week_ends(self, top: int, xs: Sequence[float]) -> None:
        """The first and last week under the line: enough to read the time span."""
        baseline = top + CARD_HEIGHT - 24
        words = self.labels.week_labels
        if len(xs) == 1:
            self.text(xs[0], baseline, words[0], SMALL_SIZE, width=300, colour=MUTED,
                      align="m")  # fmt: skip
            return
        self.text(xs[0] - 20, baseline, words[0], SMALL_SIZE, width=300, colour=MUTED)
        self.text(xs[-1] + 20, baseline, words[-1], SMALL_SIZE, width=300, colour=MUTED,
                  align="r")  # fmt: skip

    # -- 2. applications --

    def funnel_card(self, top: int) -> None:
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
            self.text(LEFT, middle, name, BODY_SIZE, width=label_width, colour=INK, middle=True)
            width = max(8.0, bar_room * stage.count / most)
            colour = FAINT if stage.count == 0 else (DONE if row == len(stages) - 1 else ACCENT)
            self.rounded(bar_left, middle - 20, width, 40, colour, 10)
            count = str(stage.count)
            x = bar_left + width + 16
            self.text(x, middle, count, BODY_SIZE, width=90, colour=INK, bold=True, middle=True)
            if stage.rate is not None:
                rate = f"{round(stage.rate * 100)}%"
                self.text(x + _width(count, BODY_SIZE, bold=True) + 18, middle, rate,
                          SMALL_SIZE, width=100, colour=MUTED, middle=True)  # fmt: skip

    # -- 3. roadmap --

    def roadmap_card(self, top: int) -> None:
        roadmap = self.snapshot.roadmap
        self.card(top, self.labels.roadmap, self.labels.days_left if roadmap else "")
        if roadmap is None:
            self.empty(top, self.labels.no_roadmap)
            return
        bar_top, bar_height = top + 124, 64
        self.rounded(LEFT, bar_top, RIGHT - LEFT, bar_height, FAINT, 32)
        if roadmap.total and roadmap.done:
            done_width = (RIGHT - LEFT) * roadmap.done / roadmap.total
            outline = _rounded_mask(RIGHT - LEFT, bar_height, 32)
            self._clipped(DONE, LEFT, bar_top, done_width, outline)
        self.text(LEFT, top + 262, self.labels.milestones, BODY_SIZE, width=RIGHT - LEFT,
                  colour=INK, bold=True)  # fmt: skip
        if self.labels.phase:
            self.text(LEFT, top + 316, self.labels.phase, SMALL_SIZE + 2, width=RIGHT - LEFT,
                      colour=MUTED)  # fmt: skip

    def _clipped(self, colour: str, x: int, y: int, width: float, outline: Image.Image) -> None:
        """The first `width` pixels of `outline` in `colour`: the bar's rounded ends, not a
        square cut; the cut's last column partly covered, as far as it reaches."""
        whole = int(width)
        part = width - whole
        mask = outline.crop((0, 0, whole + (1 if part else 0), outline.height))
        if part:
            edge = mask.crop((whole, 0, whole + 1, mask.height)).point(lambda v: round(v * part))
            mask.paste(edge, (whole, 0))
        self.draw.bitmap((x, y), mask, fill=colour)
