"""Plain-text charts made of block characters, shared by ``study stats`` and the statistics screen.

Only strings and numbers: no Rich, no Textual. The screen colours the same
characters with styles from the app's theme.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from study.core.stats.figures import Day

EIGHTHS = " ▁▂▃▄▅▆▇█"
"""Column blocks by eighths of a cell, from empty to full."""
LEFT_EIGHTHS = " ▏▎▍▌▋▊▉█"
"""Bar blocks by eighths of a cell, from empty to full."""
SHADES = "·░▒▓█"
"""Heatmap cells by level, in plain text (level 0 is a day without answers)."""
LEVELS = 4
"""Levels of a heatmap cell with answers."""
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
"""Row labels of the calendar (every other day, as on GitHub)."""


def hbar(share: float, width: int) -> str:
    """A horizontal bar ``width`` cells wide, filled to ``share`` (0 to 1) in eighths."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (LEFT_EIGHTHS[part] if part else "")).ljust(width)


def columns(values: Sequence[float], height: int, maximum: float | None = None) -> list[str]:
    """A column chart: ``height`` rows, top first, one character per value.

    Any value above 0 shows.
    """
    top = maximum if maximum is not None else max(values, default=0)
    eighths = [
        0 if v <= 0 or top <= 0 else max(1, round(min(v, top) / top * height * 8)) for v in values
    ]
    rows = []
    for row in range(height):
        floor = (height - 1 - row) * 8
        rows.append("".join(EIGHTHS[max(0, min(8, e - floor))] for e in eighths))
    return rows


def level(value: int, maximum: int) -> int:
    """A heatmap level: 0 for no answers, else 1 to ``LEVELS`` by the share of the busiest day."""
    if value <= 0 or maximum <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * value / maximum)))


def calendar(days: Sequence[Day]) -> list[list[Day | None]]:
    """Seven rows (Monday first) of week columns; cells outside ``days`` are None."""
    if not days:
        return [[] for _ in range(7)]
    first = days[0].day - timedelta(days=days[0].day.weekday())
    weeks = (days[-1].day - first).days // 7 + 1
    grid: list[list[Day | None]] = [[None] * weeks for _ in range(7)]
    for entry in days:
        offset = (entry.day - first).days
        grid[offset % 7][offset // 7] = entry
    return grid


def month_labels(days: Sequence[Day]) -> str:
    """A line naming each month above the week column in which it begins (when there is room)."""
    if not days:
        return ""
    first = days[0].day - timedelta(days=days[0].day.weekday())
    line = ""
    for entry in days:
        if entry.day.day != 1 and entry is not days[0]:
            continue
        column = (entry.day - first).days // 7
        if line and column <= len(line):
            if line.strip() != days[0].day.strftime("%b"):
                continue
            line = ""  # the partial first month gives way to the next one
        line = line.ljust(column) + entry.day.strftime("%b")
    return line


def heatmap_text(days: Sequence[Day]) -> list[str]:
    """The calendar heatmap as plain lines: month labels, then a row per weekday."""
    peak = max((d.value for d in days), default=0)
    lines = ["    " + month_labels(days)]
    for label, row in zip(WEEKDAYS, calendar(days), strict=False):
        cells = "".join(" " if d is None else SHADES[level(d.value, peak)] for d in row)
        lines.append(f"{label:<4}{cells}".rstrip())
    return lines


def duration(ms: float) -> str:
    """A short duration: ``8.5s``, ``12m``, ``3h 20m``."""
    seconds = ms / 1000
    if seconds == 0:
        return "0s"
    if seconds < 60:
        return f"{seconds:.1f}s" if seconds < 10 else f"{seconds:.0f}s"
    minutes = round(seconds / 60)
    return f"{minutes}m" if minutes < 60 else f"{minutes // 60}h {minutes % 60:02d}m"


def percent(share: float | None) -> str:
    """``87.5%``, or ``-`` when there is nothing to measure."""
    return "-" if share is None else f"{share * 100:.1f}%"


def day_label(day: date, today: date) -> str:
    """``today``, ``tomorrow``, or ``Mon 3 Mar``."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return f"{day:%a} {day.day} {day:%b}"
