"""Settings: read from ``config.toml``, each checked, each with a documented default.

A bad value is reported (``config.toml:LINE:COL: ...``) and its default is used,
so a typo in the settings never stops anyone from studying.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from study.core.decks.model import Problem
from study.core.words import plural

_STEP = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

MAX_STEP = timedelta(days=365)
"""Longest learning or relearning step: a step is a wait before the card's next
answer, and longer ones overflowed the calendar at the first answer."""

MAX_STEPS = 20
"""Most learning (or relearning) steps."""


def parse_step(text: str) -> timedelta:
    """``"10m"`` -> 10 minutes; units s, m, h, d; from 1 second to MAX_STEP."""
    match = _STEP.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a step such as '1m', '10m', '1h' or '1d'")
    seconds = float(match.group(1)) * _SECONDS[match.group(2)]
    if not 1 <= seconds <= MAX_STEP.total_seconds():
        raise ValueError(f"{text!r} is out of range: a step is from 1s to {MAX_STEP.days}d")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


@dataclass(frozen=True, slots=True)
class Config:
    """The settings, with their defaults."""

    desired_retention: float = 0.9
    """Share of reviews you aim to pass (0.70-0.99); higher means more reviews."""
    learning_steps: tuple[str, ...] = ("1m", "10m")
    """Waits between the first answers to a new card."""
    relearning_steps: tuple[str, ...] = ("10m",)
    """Waits after a forgotten card before it returns to long intervals."""
    maximum_interval: int = 36500
    """Longest interval in days."""
    fuzz: bool = True
    """Spread intervals a little so cards learned together do not stay together."""
    day_starts_at: int = 4
    """Hour (local time, 0-23) when a new study day begins."""
    new_per_day: int = 20
    """New cards introduced per day."""
    reviews_per_day: int = 200
    """Most reviews shown per day."""
    leech_lapses: int = 8
    """Lapses after which a card is flagged as a leech and suspended."""
    deck_folders: tuple[str, ...] = ()
    """Extra folders (or files) of decks to load, besides the bundled and user decks."""
    bundled_decks: bool = True
    """Whether the decks that ship with the tool are loaded."""
    parameters: tuple[float, ...] = ()
    """FSRS parameters fitted to your history (empty: the FSRS defaults)."""
    exam_counts_as_review: bool = False
    """Whether answers in mock exams update the schedule (first answer of the day only)."""
    fast_answer_seconds: float = 6.0
    """A correct typed answer faster than this is rated Easy instead of Good."""
    theme: str = ""
    """The app's colour theme by name (empty: Textual's default); the theme picker saves it."""
    sync_folder: str = ""
    """A folder a file-sync tool shares between machines, for ``study sync`` (empty: none)."""

    @property
    def learning(self) -> tuple[timedelta, ...]:
        """Learning steps as durations."""
        return tuple(parse_step(s) for s in self.learning_steps)

    @property
    def relearning(self) -> tuple[timedelta, ...]:
        """Relearning steps as durations."""
        return tuple(parse_step(s) for s in self.relearning_steps)


_RANGES: dict[str, tuple[float, float]] = {
    "desired_retention": (0.7, 0.99),
    "maximum_interval": (1, 36500),
    "day_starts_at": (0, 23),
    "new_per_day": (0, 100000),
    "reviews_per_day": (0, 1000000),
    "leech_lapses": (1, 1000),
    "fast_answer_seconds": (0, 600),
}


def check_setting(name: str, value: object) -> object:
    """``value`` as the setting ``name`` keeps it; ValueError (why, in a few words) if it is bad."""
    return _check(name, value, getattr(Config(), name))


def _check(name: str, value: object, default: object) -> object:
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError("must be text")
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("must be a number")
        if isinstance(default, int) and not isinstance(value, int):
            raise ValueError("must be a whole number")
        low, high = _RANGES[name]
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}")
        return value
    if not isinstance(value, list):
        raise ValueError('must be a list, e.g. ["1m", "10m"]')
    if name == "parameters":
        if value and (len(value) != 21 or not all(isinstance(v, (int, float)) for v in value)):
            raise ValueError("must be a list of 21 numbers (or empty)")
        return tuple(float(v) for v in value)
    if not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of text values")
    if name.endswith("steps"):
        if len(value) > MAX_STEPS:
            raise ValueError(f"holds {plural(len(value), 'step')}; give at most {MAX_STEPS}")
        for step in value:
            parse_step(step)
    return tuple(value)


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        name = line.split("=", 1)[0].strip()
        if key in (name, name.strip("\"'"), name.strip("[] ")):  # key = ..., "key" = ..., [key]
            return number
    return 1


def load_config(path: Path) -> tuple[Config, list[Problem]]:
    """The settings in ``path`` (defaults when it is absent) and any problems in it."""
    if not path.exists():
        return Config(), []
    import difflib  # imported here: most starts have no settings file
    import tomllib

    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return Config(), [
            Problem(display, 1, 1, f"cannot read the settings ({exc}); using the defaults")
        ]
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        reason = str(exc).split(" (at line")[0]
        return Config(), [
            Problem(display, line, col, f"invalid TOML: {reason}; using the defaults")
        ]
    defaults = Config()
    known = {f.name for f in fields(Config)}
    changes: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                Problem(display, _line_of(text, key), 1, f"unknown setting {key!r}{hint}; ignored")
            )
            continue
        try:
            changes[key] = _check(key, value, getattr(defaults, key))
        except ValueError as exc:
            problems.append(
                Problem(
                    display,
                    _line_of(text, key),
                    1,
                    f"{key} {exc}; using the default {getattr(defaults, key)!r}",
                )
            )
    return replace(defaults, **changes), problems
