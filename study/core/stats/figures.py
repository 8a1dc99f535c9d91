"""The values the statistics are made of: frozen dataclasses, and their JSON form.

``study.core.stats.compute`` computes them; the CLI prints them and the statistics screen
draws them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import NamedTuple

from study.core.decks.model import Item
from study.core.exams.plan import Forecast


class LogRow(NamedTuple):
    """One answer of the review log, as the statistics need it (times in UTC ms)."""

    item: str
    at: int
    rating: int
    duration_ms: int
    due: int | None
    """The due date the answer set; None when it did not touch the schedule (practice, exam)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What the figures cover: everything, one deck, one tag, or a deck and a tag."""

    deck: str | None = None
    tag: str | None = None

    @property
    def is_all(self) -> bool:
        """Every deck, every tag."""
        return self.deck is None and self.tag is None

    def contains(self, item: Item) -> bool:
        """Whether an item is in scope."""
        return (self.deck is None or item.card.deck_id == self.deck) and (
            self.tag is None or self.tag in item.card.tags
        )

    def label(self) -> str:
        """``all decks``, ``deck X``, ``tag Y`` or ``deck X, tag Y``."""
        parts = ([f"deck {self.deck}"] if self.deck else []) + (
            [f"tag {self.tag}"] if self.tag else []
        )
        return ", ".join(parts) or "all decks"


EVERYTHING = Scope()
"""The scope of all decks."""


@dataclass(frozen=True, slots=True)
class Day:
    """A value for one study day."""

    day: date
    value: int


@dataclass(frozen=True, slots=True)
class Activity:
    """Answers per study day over the last year, and the streaks of study days."""

    days: tuple[Day, ...]
    """The last ``HEATMAP_DAYS`` days, oldest first, today last."""
    total: int
    """Answers over the whole history."""
    studied_days: int
    """Days with at least one answer, over the whole history."""
    current_streak: int
    """Study days in a row up to today (or up to yesterday while today is still open)."""
    longest_streak: int


@dataclass(frozen=True, slots=True)
class StateCounts:
    """Items by state; ``leech`` items are also counted as suspended."""

    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    leech: int = 0

    @property
    def total(self) -> int:
        """Every item (new + learning + young + mature + suspended)."""
        return self.new + self.learning + self.young + self.mature + self.suspended


@dataclass(frozen=True, slots=True)
class Rate:
    """Passed answers out of a total, under a label."""

    label: str
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        """The share passed (None without answers)."""
        return self.passed / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class TrueRetention:
    """True retention over the whole history, against the desired retention."""

    target: float
    overall: Rate
    by_deck: tuple[Rate, ...]
    by_interval: tuple[Rate, ...]


@dataclass(frozen=True, slots=True)
class TimeSpent:
    """Time spent answering."""

    days: tuple[Day, ...]
    """Milliseconds per day over the last ``TIME_DAYS`` days, today last."""
    total_ms: int
    answers: int
    studied_days: int

    @property
    def per_answer_ms(self) -> float:
        """Average time per answer, over the whole history."""
        return self.total_ms / self.answers if self.answers else 0.0

    @property
    def per_day_ms(self) -> float:
        """Average time per study day (days with answers), over the whole history."""
        return self.total_ms / self.studied_days if self.studied_days else 0.0


@dataclass(frozen=True, slots=True)
class Hard:
    """One of the hardest items: low predicted recall, many lapses, many Again answers."""

    key: str
    prompt: str
    recall: float
    lapses: int
    reps: int
    agains: int = 0
    """Again answers, in any mode (the undone ones left out)."""


@dataclass(frozen=True, slots=True)
class Mastery:
    """Items mastered (predicted recall at least the target) out of a total."""

    name: str
    mastered: int
    total: int

    @property
    def share(self) -> float:
        """The share mastered (0 without items)."""
        return self.mastered / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ExamScore:
    """One past mock exam."""

    finished: datetime
    title: str
    questions: int
    score: float
    """Points scored, 0 to ``questions``."""

    @property
    def share(self) -> float:
        """The score as a share of the questions."""
        return self.score / self.questions if self.questions else 0.0


@dataclass(frozen=True, slots=True)
class Stats:
    """Every figure, for one scope at one moment."""

    scope: Scope
    now: datetime
    today: date
    target: float
    activity: Activity
    forecast: tuple[Day, ...]
    """Items due per day, today first (today includes the overdue)."""
    overdue: int
    """Items due before today."""
    states: StateCounts
    retention: TrueRetention
    time: TimeSpent
    hardest: tuple[Hard, ...]
    mastery_by_deck: tuple[Mastery, ...]
    mastery_by_tag: tuple[Mastery, ...]
    exams: tuple[ExamScore, ...] = ()
    """Past mock exams of the scope, oldest first."""
    exam_forecast: Forecast | None = None
    """Readiness on the exam day and the plan to get there, when an exam date is set."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (dates as ISO text, shares rounded to 4 places)."""
        base = _jsonable(
            {
                f.name: getattr(self, f.name)
                for f in fields(self)
                if f.name not in ("exam_forecast", "states", "hardest")
            }
        )
        assert isinstance(base, dict)
        return base | {
            "scope": {"deck": self.scope.deck, "tag": self.scope.tag, "label": self.scope.label()},
            "states": asdict(self.states) | {"total": self.states.total},
            "retention": {
                "target": self.target,
                **{
                    k: _rates(v)
                    for k, v in (
                        ("overall", (self.retention.overall,)),
                        ("by_deck", self.retention.by_deck),
                        ("by_interval", self.retention.by_interval),
                    )
                },
            },
            "time": {
                "days": _jsonable([asdict(d) for d in self.time.days]),
                "total_ms": self.time.total_ms,
                "answers": self.time.answers,
                "studied_days": self.time.studied_days,
                "per_answer_ms": round(self.time.per_answer_ms),
                "per_day_ms": round(self.time.per_day_ms),
            },
            "hardest": [asdict(h) | {"recall": round(h.recall, 4)} for h in self.hardest],
            "mastery_by_deck": [_mastery(m) for m in self.mastery_by_deck],
            "mastery_by_tag": [_mastery(m) for m in self.mastery_by_tag],
            "exams": [
                {
                    "finished": e.finished.isoformat(),
                    "title": e.title,
                    "questions": e.questions,
                    "score": e.score,
                    "share": round(e.share, 4),
                }
                for e in self.exams
            ],
            "exam_forecast": self.exam_forecast.to_dict() if self.exam_forecast else None,
        }


def _jsonable(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _rates(rates: Iterable[Rate]) -> list[dict[str, object]]:
    return [
        {
            "label": r.label,
            "passed": r.passed,
            "total": r.total,
            "rate": None if r.rate is None else round(r.rate, 4),
        }
        for r in rates
    ]


def _mastery(m: Mastery) -> dict[str, object]:
    return {"name": m.name, "mastered": m.mastered, "total": m.total, "share": round(m.share, 4)}
