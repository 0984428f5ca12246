"""The disputed-toll chart of the HTML report: every claim of a tally as a mark on one number line.

Geometry only: this module turns a ``Tally`` into positions and labels; the template draws them as
inline SVG (no plotting library, no service). Each claim gets its own row, so labels never overlap
however close the figures are; the x axis is linear, or logarithmic when the figures span more
than two orders of magnitude (1 and 100,000 stay readable on one line). A vague claim ("dozens")
has no number to place: its mark sits in a "no number" gutter left of the axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..schemas import Claim, Qualifier, Tally

WIDTH = 560
LEFT = 86  # the gutter for vague claims sits left of this
RIGHT = 24
TOP = 34  # room for the low/best/high labels
ROW = 22
AXIS = 26  # room under the rows for tick labels
CHAR_PX = 6.0
LOG_SPAN = 100  # max/min above this (two orders of magnitude): log scale

_QUALIFIER_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.MORE_THAN: "more than ",
    Qualifier.UP_TO: "up to ",
    Qualifier.ABOUT: "about ",
    Qualifier.NEARLY: "nearly ",
}


def claim_label(c: Claim) -> str:
    """'at least 57, Health Ministry': the figure as qualified, then who gave it."""
    figure = c.words if c.value is None else f"{_QUALIFIER_WORDS.get(c.qualifier, '')}{c.value:,}"
    who = c.claimant or "unattributed"
    if c.via:
        who += f" via {c.via}"
    return f"{figure}, {who}"


@dataclass
class Mark:
    index: int  # the claim's position in the tally
    x: float
    y: float
    label: str
    label_x: float
    anchor: str  # SVG text-anchor of the label
    vague: bool


@dataclass
class Tick:
    x: float
    text: str


@dataclass
class Rule:
    """A vertical line for low, best or high."""

    name: str
    value: int
    x: float
    label_y: float


@dataclass
class Chart:
    title: str
    width: int
    height: int
    log: bool
    disputed: bool
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    band: tuple[float, float] | None = None  # x range shaded between low and high when disputed
    axis_y: float = 0.0
    left: int = LEFT
    right: int = WIDTH - RIGHT


def _nice_step(span: float) -> float:
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _fmt(v: float) -> str:
    return f"{int(v):,}" if v >= 1 or v == 0 else f"{v:g}"


def _fit(label: str, room: float) -> str:
    """``label`` cut with an ellipsis to what ``room`` pixels hold, never clipped mid-glyph by the SVG."""
    fits = max(4, int((room - 12) / CHAR_PX))
    return label if len(label) <= fits else label[:fits - 1].rstrip(" ,") + "…"


def build(title: str, tally: Tally) -> Chart | None:
    """The chart of one tally, or None when it has no claims."""
    if not tally.claims:
        return None
    values = [c.value for c in tally.claims if c.value is not None]
    positive = [v for v in values if v > 0]
    log = bool(positive) and max(positive) / min(positive) > LOG_SPAN
    height = TOP + ROW * len(tally.claims) + AXIS
    chart = Chart(title=title, width=WIDTH, height=height, log=log, disputed=tally.disputed,
                  axis_y=TOP + ROW * len(tally.claims))
    x0, x1 = LEFT + 8, WIDTH - RIGHT

    if log:
        lo = 10 ** math.floor(math.log10(min(positive)))
        hi = 10 ** math.ceil(math.log10(max(positive)))
        if hi == lo:
            hi = lo * 10

        def scale(v: float) -> float:
            v = max(v, lo)  # a zero sits at the left end
            return x0 + (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (x1 - x0)

        decade = lo
        while decade <= hi:
            chart.ticks.append(Tick(scale(decade), _fmt(decade)))
            decade *= 10
    elif values:
        top = max(values)
        step = max(1.0, _nice_step(top or 1))  # counts are whole: never a 0.2 step printed as "0", "1", "1"
        hi = math.ceil((top or 1) / step) * step
        if hi == top:
            hi += step

        def scale(v: float) -> float:
            return x0 + v / hi * (x1 - x0)

        t = 0.0
        while t <= hi + 1e-9:
            chart.ticks.append(Tick(scale(t), _fmt(t)))
            t += step
    else:  # only vague claims ("dozens"): no number to place, so no axis of numbers

        def scale(v: float) -> float:
            return x0

    for i, c in enumerate(tally.claims):
        y = TOP + ROW * i + ROW / 2
        label = claim_label(c)
        if c.value is None:
            chart.marks.append(Mark(i, LEFT - 70, y, _fit(label, WIDTH - (LEFT - 60)), LEFT - 60, "start", True))
            continue
        x = scale(c.value)
        # The label goes on the side with room for it (about 6 px a character at 11 px); when it fits
        # neither, it is shortened with an ellipsis on the roomier side (the mark's title holds it whole).
        room_right, room_left = WIDTH - x, x
        left_side = room_right < CHAR_PX * len(label) + 12 and room_left > room_right
        label = _fit(label, room_left if left_side else room_right)
        chart.marks.append(Mark(i, x, y, label, x - 9 if left_side else x + 9, "end" if left_side else "start",
                                False))
    for name, value in (("low", tally.low), ("best", tally.best), ("high", tally.high)):
        if value is None:
            continue
        same = next((r for r in chart.rules if r.value == value), None)
        if same:  # low = best = high: one line, one label
            same.name += f" = {name}"
        else:
            chart.rules.append(Rule(name, value, scale(value), 0.0))
    # Labels of rules that fall close together are stacked, not overprinted.
    for k, rule in enumerate(chart.rules):
        rule.label_y = 12 + 10 * sum(1 for r in chart.rules[:k] if abs(r.x - rule.x) < 60)
    if tally.disputed and tally.low is not None and tally.high is not None:
        chart.band = (scale(tally.low), scale(tally.high))
    return chart
