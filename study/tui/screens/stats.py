"""The statistics screen: activity, forecast, retention, time, hardest cards, mastery and exams.

The figures are computed in a thread worker (``Service.stats``), so a
long history never freezes the screen. ``c`` asks the app to cram the hardest
cards shown (``StatsScreen.CramRequested``); the scope selector at the top
switches between all decks, one deck and one tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label, Select, Static
from textual.worker import Worker, WorkerState

from study.charts import day_label, duration
from study.core.service import Service
from study.core.stats.compute import HEATMAP_DAYS, MATURE_DAYS
from study.core.stats.figures import Scope, Stats
from study.core.words import plural, points
from study.tui.text import plain
from study.tui.widgets.charts import BarChart, Heatmap, ShareBars, rows_of
from study.tui.widgets.keybar import KeyBar

TAGS_SHOWN = 15
"""Tags shown under mastery (the largest ones)."""
ALL = "*"


def scope_value(scope: Scope) -> str:
    """The scope selector's value for a scope."""
    if scope.deck and scope.tag:
        return f"both:{scope.deck}:{scope.tag}"
    return f"deck:{scope.deck}" if scope.deck else f"tag:{scope.tag}" if scope.tag else ALL


def scope_of(value: str) -> Scope:
    """The scope for a selector value."""
    kind, _, name = value.partition(":")
    if kind == "both":
        deck, _, tag = name.partition(":")
        return Scope(deck, tag)
    return Scope(deck=name) if kind == "deck" else Scope(tag=name) if kind == "tag" else Scope()


class Section(Vertical):
    """A titled block of the statistics."""

    DEFAULT_CSS = """
    Section { height: auto; padding: 0 1; margin-bottom: 1; }
    Section > .section-title { text-style: bold; color: $primary; }
    Section > .section-note { color: $text-muted; }
    """

    def __init__(self, title: str, *children: Widget, id: str | None = None) -> None:
        super().__init__(Static(title, classes="section-title"), *children, id=id)


class StatsScreen(Screen[None]):
    """Progress you can see, for all decks, one deck or one tag."""

    @dataclass
    class CramRequested(Message):
        """The user asked to practise the hardest cards shown."""

        item_keys: tuple[str, ...]
        """The items, hardest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("c", "cram", "Cram hardest"),
        Binding("s", "choose_scope", "Scope"),
        Binding("r", "reload", "Refresh"),
    ]
    AUTO_FOCUS = "#stats-body"
    DEFAULT_CSS = """
    StatsScreen #scope-bar { height: 1; padding: 0 1; background: $boost; }
    StatsScreen #scope-bar Label { width: auto; padding-right: 1; color: $text-muted; }
    StatsScreen #scope { width: 1fr; }
    StatsScreen #stats-body { height: 1fr; }
    StatsScreen #stats-error { color: $text-error; padding: 1 2; }
    StatsScreen .caption { color: $text; }
    StatsScreen .muted { color: $text-muted; }
    """

    def __init__(
        self, service: Service, deck_id: str | None = None, tag: str | None = None
    ) -> None:
        super().__init__()
        self.service = service
        self.scope = Scope(deck_id, tag)
        self.stats: Stats | None = None

    # --- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="scope-bar"):
            yield Label("Statistics for")
            yield Select(
                self._scope_options(),
                value=scope_value(self.scope),
                allow_blank=False,
                compact=True,
                id="scope",
            )
        with VerticalScroll(id="stats-body"):
            yield Static(id="stats-error")
            yield Section("At a glance", Static(id="glance", classes="caption"), id="sec-glance")
            yield Section(
                "Activity", Heatmap(id="heatmap"), Static(id="activity-note", classes="caption")
            )
            yield Section(
                "Due in the next 30 days",
                BarChart(id="forecast", highlight_first=True),
                Static(id="forecast-note", classes="caption"),
            )
            yield Section(
                "True retention",
                Static(id="retention-note", classes="muted"),
                ShareBars(id="retention"),
            )
            yield Section(
                "Time spent",
                BarChart(id="time", unit="m"),
                Static(id="time-note", classes="caption"),
            )
            yield Section(
                "Hardest cards", Static(id="hardest"), Static(id="hardest-note", classes="muted")
            )
            yield Section(
                "Mastery", Static(id="mastery-note", classes="muted"), ShareBars(id="mastery")
            )
            yield Section(
                "Mock exams",
                BarChart(id="exams", unit="%", maximum=100),
                Static(id="exams-note", classes="caption"),
            )
        yield KeyBar()

    def _scope_options(self) -> list[tuple[Text, str]]:
        """The scopes to pick (a Select's prompts are markup when given as strings: Text here)."""
        options = [("All decks", ALL)]
        if self.scope.deck and self.scope.tag:
            options.append((self.scope.label(), scope_value(self.scope)))
        options += [(f"Deck: {deck.title}", f"deck:{deck.id}") for deck in self.service.decks]
        tags = sorted({tag for item in self.service.items.values() for tag in item.card.tags})
        options += [(f"Tag: {tag}", f"tag:{tag}") for tag in tags]
        return [(plain(prompt, lines=False), value) for prompt, value in options]

    def on_mount(self) -> None:
        self.query_one("#stats-error").display = False
        self.load()

    # --- loading ---------------------------------------------------------------

    def load(self) -> None:
        """Compute the figures for the current scope in a worker."""
        self.query_one("#stats-body").loading = True
        self._compute(self.scope)

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _compute(self, scope: Scope) -> Stats:
        return self.service.stats(scope)

    @on(Worker.StateChanged)
    def _computed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "stats" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.query_one("#stats-body").loading = False
        error = self.query_one("#stats-error", Static)
        if event.state is WorkerState.ERROR:
            error.update(plain(f"The statistics could not be computed: {event.worker.error}"))
            error.display = True
            return
        error.display = False
        result = event.worker.result
        if isinstance(result, Stats) and result.scope == self.scope:
            self.show(result)

    # --- showing -----------------------------------------------------------------

    def show(self, stats: Stats) -> None:
        """Fill every section from the figures."""
        self.stats = stats
        s, a, target = stats.states, stats.activity, stats.target
        overall = stats.retention.overall
        mastered = sum(m.mastered for m in stats.mastery_by_deck)
        total = sum(m.total for m in stats.mastery_by_deck)
        self.query_one("#glance", Static).update(
            f"{plural(s.total, 'card')}: {s.new} new, {s.learning} learning, {s.young} young, "
            f"{s.mature} mature, {s.suspended} suspended ({plural(s.leech, 'leech', 'leeches')})\n"
            f"Due today {stats.forecast[0].value} · streak {_days(a.current_streak)} · "
            f"retention {_pct(overall.rate)} (target {target:.0%}) · "
            f"mastered {mastered}/{total}"
        )
        self._activity(stats)
        self._forecast(stats)
        self._retention(stats)
        self._time(stats)
        self._hardest(stats)
        self._mastery(stats)
        self._exams(stats)

    def _activity(self, stats: Stats) -> None:
        a = stats.activity
        self.query_one(Heatmap).days = a.days
        last_year = sum(d.value for d in a.days)
        self.query_one("#activity-note", Static).update(
            f"{plural(last_year, 'answer')} in the last {HEATMAP_DAYS} days, on "
            f"{_days(sum(1 for d in a.days if d.value))}. "
            f"Streak: {_days(a.current_streak)} (longest {_days(a.longest_streak)})."
        )

    def _forecast(self, stats: Stats) -> None:
        chart = self.query_one("#forecast", BarChart)
        values = [d.value for d in stats.forecast]
        chart.values = tuple(values)
        chart.ends = (day_label(stats.forecast[0].day, stats.today), f"+{len(values) - 1}d")
        chart.display = sum(values) > 0
        overdue = f" ({stats.overdue} overdue)" if stats.overdue else ""
        self.query_one("#forecast-note", Static).update(
            f"Today {values[0]}{overdue} · tomorrow {values[1]} · next 7 days {sum(values[:7])} · "
            f"next 30 days {sum(values)}"
        )

    def _retention(self, stats: Stats) -> None:
        r = stats.retention
        bars = self.query_one("#retention", ShareBars)
        bars.target = r.target
        note = self.query_one("#retention-note", Static)
        if not r.overall.total:
            note.update("Reviews passed (Hard, Good or Easy) of cards in review: none yet.")
            bars.display = False
            return
        bars.display = True
        note.update(
            "Reviews passed (Hard, Good or Easy) of cards in review; │ marks the target "
            f"{r.target:.0%}."
        )
        rows = [("All reviews", r.overall.rate, f"{r.overall.passed}/{r.overall.total}")]
        rows += [(f"  interval {x.label}", x.rate, f"{x.passed}/{x.total}") for x in r.by_interval]
        rows += [
            (f"  {_deck_title(self.service, x.label)}", x.rate, f"{x.passed}/{x.total}")
            for x in r.by_deck
        ]
        bars.rows = rows_of(rows)

    def _time(self, stats: Stats) -> None:
        t = stats.time
        chart = self.query_one("#time", BarChart)
        chart.values = tuple(d.value / 60000 for d in t.days)
        chart.ends = (f"-{len(t.days) - 1}d", "today")
        chart.display = any(d.value for d in t.days)
        self.query_one("#time-note", Static).update(
            f"Last 30 days {duration(sum(d.value for d in t.days))} · in all "
            f"{duration(t.total_ms)} · "
            f"{duration(t.per_day_ms)} per study day · {duration(t.per_answer_ms)} per answer"
        )

    def _hardest(self, stats: Stats) -> None:
        note = self.query_one("#hardest-note", Static)
        table = self.query_one("#hardest", Static)
        if not stats.hardest:
            studied = stats.states.learning + stats.states.young + stats.states.mature
            table.update(
                "No hard cards: none studied is below the target, lapsed or answered Again."
                if studied
                else "No cards studied yet."
            )
            note.update("")
            return
        grid = Table.grid(padding=(0, 1), expand=True)
        for _ in range(3):
            grid.add_column(justify="right", no_wrap=True, min_width=6)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_row(*(Text(head, style="bold") for head in ("recall", "lapses", "agains", "card")))
        for hard in stats.hardest:  # Text, not str: a table reads a string as markup
            grid.add_row(
                f"{hard.recall:.0%}",
                str(hard.lapses),
                str(hard.agains),
                plain(" ".join(hard.prompt.split())),
            )
        table.update(grid)
        count = len(stats.hardest)
        note.update(
            "Studied cards: lowest predicted recall now, then most lapses and Again answers. "
            f"Press c to cram {'this card' if count == 1 else 'these ' + plural(count, 'card')}."
        )

    def _mastery(self, stats: Stats) -> None:
        bars = self.query_one("#mastery", ShareBars)
        self.query_one("#mastery-note", Static).update(
            f"Cards in review with a predicted recall now of at least {stats.target:.0%}; "
            f"mature means a stability of {MATURE_DAYS} days or more."
        )
        rows = [
            (_deck_title(self.service, m.name), m.share, f"{m.mastered}/{m.total}")
            for m in stats.mastery_by_deck
        ]
        rows += [
            (f"#{m.name}", m.share, f"{m.mastered}/{m.total}")
            for m in stats.mastery_by_tag[:TAGS_SHOWN]
        ]
        bars.rows = rows_of(rows)

    def _exams(self, stats: Stats) -> None:
        chart = self.query_one("#exams", BarChart)
        exams = stats.exams[-30:]
        chart.values = tuple(e.share * 100 for e in exams)
        chart.ends = (
            (f"{exams[0].finished:%d %b}", f"{exams[-1].finished:%d %b}") if exams else ("", "")
        )
        chart.display = len(exams) > 1
        lines = []
        if stats.exams:
            shares = [e.share for e in stats.exams]
            last = stats.exams[-1]
            lines.append(
                f"{len(shares)} taken · last {last.share:.0%} "
                f"({points(last.score)}/{last.questions}, "
                f"{last.title}) · best {max(shares):.0%}"
            )
        else:
            lines.append("No mock exam taken yet.")
        plan = stats.exam_forecast
        if plan is None:
            lines.append("No exam date set.")
        else:
            lines.append(
                f"Exam day {plan.exam_date:%a %d %b %Y} (in {_days(plan.days_left)}): predicted "
                "score "
                f"{plan.expected_score:.0%} if you stop now, {plan.planned_score:.0%} if you keep "
                "the "
                f"plan: {plan.new_per_day} new a day, about "
                f"{plural(round(plan.reviews_per_day), 'review')} a day."
            )
            lines += [f"! {warning}" for warning in plan.warnings]
        self.query_one("#exams-note", Static).update(plain("\n".join(lines)))

    # --- actions -----------------------------------------------------------------

    @on(Select.Changed, "#scope")
    def _scope_changed(self, event: Select.Changed) -> None:
        scope = scope_of(str(event.value))
        if scope != self.scope:
            self.scope = scope
            self.load()

    def action_choose_scope(self) -> None:
        """Open the scope selector."""
        select = self.query_one("#scope", Select)
        select.focus()
        select.action_show_overlay()

    def action_reload(self) -> None:
        """Compute the figures again."""
        self.load()

    def action_cram(self) -> None:
        """Ask the app to practise the hardest cards shown."""
        if self.stats is None or not self.stats.hardest:
            self.notify("No cards studied yet: nothing to cram.", title="Cram")
            return
        self.post_message(self.CramRequested(tuple(h.key for h in self.stats.hardest)))

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        self.dismiss()


def _days(count: int) -> str:
    return plural(count, "day")


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _deck_title(service: Service, deck_id: str) -> str:
    return next((deck.title for deck in service.decks if deck.id == deck_id), deck_id)
