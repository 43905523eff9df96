"""Server-rendered SVG charts: pure functions, data in, SVG markup out (escaped).

Bars are horizontal: one row per session or certification, so the chart grows in
height, never gets cramped, and its labels stay readable at 640 px (viewBox 640 wide,
width 100 %). Each chart is an image for assistive technologies (role="img", named by
its <title> and <desc>); the page puts the same figures in a table beside it. Colours
are presentation attributes (the CSP forbids inline styles), and every bar carries its
value as text, so nothing rests on colour alone.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

WIDTH = 640
LABEL_WIDTH = 180  # left column: the row's label
VALUE_ROOM = 76  # right of the longest bar: its value
PLOT_LEFT = LABEL_WIDTH + 8
PLOT_WIDTH = WIDTH - PLOT_LEFT - VALUE_ROOM
TOP = 34  # room for the axis' tick labels (and the legend)
BAR = 20
GAP = 12
FONT = 'font-family="system-ui, sans-serif" font-size="15"'
INK = "#1b1f24"
MUTED = "#5a6270"
GRID = "#d5d9e0"
COLOURS = ("#1f4fbf", "#a15c00")  # blue, dark amber: distinct for common colour blindness
MAX_LABEL = 20


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | None  # None: no figure (shown as text, no bar)
    text: str  # the value as shown, e.g. "66,7 %" or "—"


@dataclass(frozen=True)
class Group:
    label: str
    values: tuple[int | Decimal, ...]  # one per series


def _e(text) -> str:
    return escape(str(text), quote=True)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def nice_max(value) -> int:
    """A round upper bound for the axis: 1, 2, 5, 10, 20, 50… at least `value`, at least 1."""
    value = max(float(value or 0), 1.0)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _ticks(maximum: int) -> list[int]:
    """Whole-number ticks: every unit up to 5, else 5 steps (4 for a bound of 2, 20, 200…)."""
    if maximum <= 5:
        return list(range(maximum + 1))
    steps = 4 if str(maximum)[0] == "2" else 5
    return [maximum * i // steps for i in range(steps + 1)]


def _x(value, maximum) -> float:
    return PLOT_LEFT + PLOT_WIDTH * min(float(value), float(maximum)) / float(maximum)


def _svg(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_e(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc">'
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>'
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>'
        + "".join(body) + "</svg>")


def _axis(maximum: int, height: int, unit: str) -> list[str]:
    parts = []
    for tick in _ticks(maximum):
        x = _x(tick, maximum)
        text = f"{tick}{unit}"
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 4}" '
                     f'stroke="{GRID}" stroke-width="1"/>'
                     f'<text x="{x:.1f}" y="{TOP - 10}" text-anchor="middle" fill="{MUTED}" '
                     f'{FONT}>{_e(text)}</text>')
    return parts


def _row_label(y: float, label: str) -> str:
    return (f'<text x="{LABEL_WIDTH}" y="{y:.1f}" text-anchor="end" dominant-baseline="middle" '
            f'fill="{INK}" {FONT}>{_e(_short(label))}</text>')


def _bar(y: float, value, maximum, colour: str, text: str, tooltip: str) -> str:
    width = 0.0 if value is None else _x(value, maximum) - PLOT_LEFT
    rect = (f'<rect x="{PLOT_LEFT}" y="{y:.1f}" width="{width:.1f}" height="{BAR}" '
            f'fill="{colour}"/>' if width > 0 else "")
    return (f'<g><title>{_e(tooltip)}</title>{rect}'
            f'<text x="{PLOT_LEFT + width + 4:.1f}" y="{y + BAR / 2:.1f}" dominant-baseline="middle" '
            f'fill="{INK}" {FONT}>{_e(text)}</text></g>')


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar], *,
              maximum: int | None = None, unit: str = "") -> Markup:
    """One bar per row; `maximum` fixes the axis (100 for a rate), else a round bound."""
    maximum = maximum or nice_max(max((b.value for b in bars if b.value is not None), default=0))
    height = TOP + len(bars) * (BAR + GAP) + 4
    body = _axis(maximum, height, unit)
    for i, bar in enumerate(bars):
        y = TOP + i * (BAR + GAP)
        body.append(_row_label(y + BAR / 2, bar.label))
        body.append(_bar(y, bar.value, maximum, COLOURS[0], bar.text, f"{bar.label} : {bar.text}"))
    return _svg(chart_id, title, desc, height, body)


def grouped_bar_chart(chart_id: str, title: str, desc: str, groups: Sequence[Group],
                      series: Sequence[str]) -> Markup:
    """One group of bars per row, one bar per series (each with its colour and a legend)."""
    maximum = nice_max(max((v for g in groups for v in g.values), default=0))
    legend_height = 22
    group_height = len(series) * BAR + GAP
    top = legend_height + TOP
    height = top + len(groups) * group_height + 4
    body = []
    x = PLOT_LEFT
    for i, name in enumerate(series):  # the legend, above the axis
        body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>'
                    f'<text x="{x + 16}" y="10" dominant-baseline="middle" fill="{INK}" {FONT}>'
                    f'{_e(name)}</text>')
        x += 28 + 9 * len(name)
    body.append(f'<g transform="translate(0 {legend_height})">')
    body += _axis(maximum, height - legend_height, "")
    body.append("</g>")
    for i, group in enumerate(groups):
        y = top + i * group_height
        body.append(_row_label(y + len(series) * BAR / 2, group.label))
        for j, (name, value) in enumerate(zip(series, group.values, strict=True)):
            body.append(_bar(y + j * BAR, value, maximum, COLOURS[j % len(COLOURS)], str(value),
                             f"{group.label} · {name} : {value}"))
    return _svg(chart_id, title, desc, height, body)
