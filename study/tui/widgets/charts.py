"""Chart widgets for the statistics screen, drawn with block characters in the theme's colours.

The shapes come from :mod:`study.charts` (shared with ``study stats``); the
colours from component classes whose styles use theme variables, so the charts
follow the app's theme. Each widget takes its data as reactive attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from study.charts import LEFT_EIGHTHS, WEEKDAYS, calendar, columns, level, month_labels
from study.core.decks.safe_text import visible
from study.core.stats.figures import Day


class Heatmap(Widget):
    """A year of days as a calendar: a column per week, a row per weekday, a colour per level."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--empty",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
        "heatmap--level-4",
        "heatmap--label",
    }
    DEFAULT_CSS = """
    Heatmap { height: auto; width: auto; }
    Heatmap > .heatmap--empty { color: $foreground 12%; }
    Heatmap > .heatmap--level-1 { color: $success 35%; }
    Heatmap > .heatmap--level-2 { color: $success 60%; }
    Heatmap > .heatmap--level-3 { color: $success 80%; }
    Heatmap > .heatmap--level-4 { color: $success; }
    Heatmap > .heatmap--label { color: $text-muted; }
    """
    CELL = "■"

    days: reactive[tuple[Day, ...]] = reactive((), layout=True)
    """The days to show, oldest first."""

    def render(self) -> Text:
        peak = max((d.value for d in self.days), default=0)
        label = self.get_component_rich_style("heatmap--label")
        styles = [self.get_component_rich_style("heatmap--empty")] + [
            self.get_component_rich_style(f"heatmap--level-{n}") for n in range(1, 5)
        ]
        text = Text("    " + month_labels(self.days), style=label, end="")
        for name, row in zip(WEEKDAYS, calendar(self.days), strict=False):
            text.append("\n")
            text.append(f"{name:<4}", label)
            for day in row:
                if day is None:
                    text.append(" ")
                else:
                    text.append(self.CELL, styles[level(day.value, peak)])
        text.append("\n    less ", label)
        for style in styles:
            text.append(self.CELL, style)
        text.append(" more", label)
        return text


class BarChart(Widget):
    """Columns of values over time, with the top value on the axis and the ends labelled below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "barchart--bar",
        "barchart--label",
        "barchart--highlight",
    }
    DEFAULT_CSS = """
    BarChart { height: auto; width: auto; }
    BarChart > .barchart--bar { color: $primary; }
    BarChart > .barchart--highlight { color: $accent; }
    BarChart > .barchart--label { color: $text-muted; }
    """

    values: reactive[tuple[float, ...]] = reactive((), layout=True)
    """One value per column, oldest first."""
    ends: reactive[tuple[str, str]] = reactive(("", ""), layout=True)
    """The labels under the first and the last column."""

    def __init__(
        self,
        *,
        rows: int = 4,
        bar_width: int = 2,
        unit: str = "",
        maximum: float | None = None,
        highlight_first: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.rows, self.bar_width, self.unit, self.maximum = rows, bar_width, unit, maximum
        self.highlight_first = highlight_first

    def render(self) -> Text:
        bar = self.get_component_rich_style("barchart--bar")
        label = self.get_component_rich_style("barchart--label")
        first = (
            self.get_component_rich_style("barchart--highlight") if self.highlight_first else bar
        )
        top = self.maximum if self.maximum is not None else max(self.values, default=0)
        axis = f"{top:.0f}{self.unit}"
        text = Text(end="")
        for index, row in enumerate(columns(self.values, self.rows, top)):
            if index:
                text.append("\n")
            text.append(f"{axis if index == 0 else '':>{len(axis)}} ▕", label)
            for number, char in enumerate(row):
                text.append(
                    char * (self.bar_width - 1) + (" " if self.bar_width > 1 else ""),
                    first if number == 0 else bar,
                )
        left, right = self.ends
        gap = max(1, len(self.values) * self.bar_width - 1 - len(left) - len(right))
        text.append(f"\n{'':>{len(axis)}}  {left}{' ' * gap}{right}", label)
        return text


@dataclass(frozen=True, slots=True)
class BarRow:
    """One row of a ``ShareBars``: a label, a share (None: nothing to measure) and a note
    after it."""

    label: str
    share: float | None
    note: str = ""


class ShareBars(Widget):
    """Horizontal bars of shares (0 to 1), against a target when one is given."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sharebars--good",
        "sharebars--low",
        "sharebars--track",
        "sharebars--target",
        "sharebars--label",
    }
    DEFAULT_CSS = """
    ShareBars { height: auto; width: auto; }
    ShareBars > .sharebars--good { color: $success; }
    ShareBars > .sharebars--low { color: $warning; }
    ShareBars > .sharebars--track { color: $foreground 15%; }
    ShareBars > .sharebars--target { color: $foreground; }
    ShareBars > .sharebars--label { color: $text-muted; }
    """

    rows: reactive[tuple[BarRow, ...]] = reactive((), layout=True)
    target: reactive[float | None] = reactive(None)
    """A share to reach: bars below it take the warning colour, and a mark shows it."""

    def __init__(
        self,
        *,
        bar_width: int = 20,
        label_width: int = 30,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.bar_width, self.label_width = bar_width, label_width

    def render(self) -> Text:
        width = min(self.label_width, max((len(r.label) for r in self.rows), default=0))
        label = self.get_component_rich_style("sharebars--label")
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        for index, row in enumerate(self.rows):
            if index:
                text.append("\n")
            name = row.label if len(row.label) <= width else row.label[: width - 1] + "…"
            text.append(f"{name:<{width}} ")
            self._bar(text, row.share)
            share = "   -  " if row.share is None else f"{row.share * 100:5.1f}%"
            text.append(f" {share} ")
            text.append(row.note, label)
        return text

    def _bar(self, text: Text, share: float | None) -> None:
        width, target = self.bar_width, self.target
        good = share is not None and (target is None or share >= target)
        fill = self.get_component_rich_style("sharebars--good" if good else "sharebars--low")
        track = self.get_component_rich_style("sharebars--track")
        mark = self.get_component_rich_style("sharebars--target")
        eighths = round(max(0.0, min(1.0, share or 0.0)) * width * 8)
        full, part = divmod(eighths, 8)
        target_cell = None if target is None else min(width - 1, int(target * width))
        for cell in range(width):
            if cell < full:
                text.append("█", fill)
            elif cell == full and part:
                text.append(LEFT_EIGHTHS[part], fill + Style(bgcolor=track.color))
            elif cell == target_cell:
                text.append("│", mark + Style(bgcolor=track.color))
            else:
                text.append(" ", Style(bgcolor=track.color))


def rows_of(pairs: Sequence[tuple[str, float | None, str]]) -> tuple[BarRow, ...]:
    """``BarRow`` values from (label, share, note) triples (control characters in a label
    written out: labels are deck titles and tags)."""
    return tuple(BarRow(visible(label, lines=False), share, note) for label, share, note in pairs)
