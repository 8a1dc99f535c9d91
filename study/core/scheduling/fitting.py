"""Fitting FSRS parameters to the user's own review history.

The only module that imports ``fsrs_rs_python`` (the FSRS optimizer in Rust, no
torch), and only when a fit is asked for. The review log becomes one training
item per review made on a later day than the one before it (as Anki does);
the fit is judged by log-loss and RMSE on the same history, and the daily review
load each set of parameters gives is simulated, so the user sees the effect
before anything is saved.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

MIN_REVIEWS = 400
"""Reviews (each on a later day than the item's one before) needed before a fit is trusted."""

SIMULATED_DAYS = 365
"""How far ahead the daily review load is simulated."""

DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212,
    1.2931,
    2.3065,
    8.2956,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.8722,
    0.1666,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.5425,
    0.0912,
    0.0658,
    0.1542,
)
"""FSRS-6's defaults (the ``fsrs`` package's and fsrs-rs's), used when config.toml sets none."""


class FittingError(Exception):
    """A fit cannot be made; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """One scheduled review from the log: which item, on which study day, what rating."""

    item: str
    day: date
    rating: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How well a set of parameters predicts the history (lower is better)."""

    log_loss: float
    rmse: float
    """RMSE over bins of predicted recall, as a fraction (0.05 = 5 points)."""


@dataclass(frozen=True, slots=True)
class Fit:
    """The outcome of fitting: old and new parameters and what changes."""

    old: tuple[float, ...]
    new: tuple[float, ...]
    reviews: int
    """Training reviews used (each on a later day than the one before)."""
    items: int
    """Items with at least one such review."""
    before: Evaluation
    after: Evaluation
    daily_before: float
    """Simulated mean reviews per day with the old parameters."""
    daily_after: float
    """Simulated mean reviews per day with the new parameters."""
    set_aside: int = 0
    """Reviews left out: logged with the clock behind the card's previous review."""


def _rs() -> Any:
    try:
        import fsrs_rs_python
    except ImportError:
        raise FittingError(
            "fitting parameters needs the optional package fsrs-rs-python: "
            "pip install fsrs-rs-python"
        ) from None
    return fsrs_rs_python


def histories(reviews: Sequence[LoggedReview]) -> tuple[dict[str, list[tuple[date, int]]], int]:
    """Each item's reviews in log order, as (study day, rating), and how many were set aside.

    A review logged on an earlier study day than the item's review before it (the
    clock was behind when it was recorded) has no meaningful interval: it is set
    aside, and the next review is measured from the last one kept.
    """
    by_item: dict[str, list[tuple[date, int]]] = defaultdict(list)
    set_aside = 0
    for review in reviews:
        if not 1 <= review.rating <= 4:
            continue
        history = by_item[review.item]
        if history and review.day < history[-1][0]:
            set_aside += 1
            continue
        history.append((review.day, review.rating))
    return dict(by_item), set_aside


def training_items(by_item: dict[str, list[tuple[date, int]]]) -> list[Any]:
    """fsrs-rs items: one per review made on a later day than the review before it."""
    rs = _rs()
    items = []
    for history in by_item.values():
        reviews = []
        last = history[0][0]
        for day, rating in history:
            delta = (day - last).days
            reviews.append(rs.FSRSReview(rating, delta))
            if delta > 0:
                items.append(rs.FSRSItem(list(reviews)))
            last = day
    return items


def _daily_load(
    rs: Any,
    parameters: Sequence[float],
    retention: float,
    deck_size: int,
    new_per_day: int,
    reviews_per_day: int,
) -> float:
    config = rs.default_simulator_config()
    config.deck_size = max(deck_size, 1)
    config.learn_span = SIMULATED_DAYS
    config.learn_limit = new_per_day
    config.review_limit = reviews_per_day
    config.max_cost_perday = 86400.0  # limit by counts only, not by time
    result = rs.simulate(list(parameters), retention, config, 2024)
    days = result.review_cnt_per_day
    return float(sum(days)) / len(days) if days else 0.0


def daily_load(
    parameters: Sequence[float],
    retention: float,
    deck_size: int,
    new_per_day: int,
    reviews_per_day: int,
) -> float | None:
    """Simulated mean reviews a day over ``SIMULATED_DAYS`` (None without fsrs-rs-python)."""
    try:
        import fsrs_rs_python
    except ImportError:
        return None
    return _daily_load(
        fsrs_rs_python, parameters, retention, deck_size, new_per_day, reviews_per_day
    )


def fit(
    reviews: Sequence[LoggedReview],
    current: Sequence[float],
    *,
    retention: float,
    deck_size: int,
    new_per_day: int,
    reviews_per_day: int,
    min_reviews: int = MIN_REVIEWS,
) -> Fit:
    """Fit parameters to the reviews; raises FittingError when there are too few."""
    by_item, set_aside = histories(reviews)
    usable = sum(a[0] < b[0] for h in by_item.values() for a, b in pairwise(h))
    if usable < min_reviews:
        raise FittingError(
            f"not enough reviews to fit FSRS parameters yet: {usable} of the "
            f"{min_reviews} needed (only reviews on a later day than the card's "
            "previous one count); keep studying, the defaults work well until then"
        )
    rs = _rs()
    items = training_items(by_item)
    old = tuple(float(w) for w in (current or DEFAULT_PARAMETERS))
    new = tuple(round(float(w), 4) for w in rs.FSRS(list(old)).compute_parameters(items))
    before, after = rs.FSRS(list(old)).evaluate(items), rs.FSRS(list(new)).evaluate(items)
    loads = [
        _daily_load(rs, w, retention, deck_size, new_per_day, reviews_per_day) for w in (old, new)
    ]
    return Fit(
        old=old,
        new=new,
        reviews=len(items),
        items=sum(1 for h in by_item.values() if any(a[0] < b[0] for a, b in pairwise(h))),
        before=Evaluation(before.log_loss, before.rmse_bins),
        after=Evaluation(after.log_loss, after.rmse_bins),
        daily_before=loads[0],
        daily_after=loads[1],
        set_aside=set_aside,
    )


def logged_reviews(
    rows: Sequence[tuple[str, datetime, int]], study_day: Callable[[datetime], date]
) -> list[LoggedReview]:
    """Log rows (item, when, rating) as reviews on study days."""
    return [LoggedReview(item, study_day(at), rating) for item, at, rating in rows]


_KEY = re.compile(r"\s*parameters\s*=")


def _toml_list(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:.4f}".rstrip("0").rstrip(".") if v else "0" for v in values) + "]"


def with_parameters(text: str, parameters: Sequence[float]) -> str:
    """config.toml's text with ``parameters = [...]`` set; every other line kept as it is."""
    lines = text.splitlines(keepends=True)
    new_line = f"parameters = {_toml_list(parameters)}\n"
    start = next((i for i, line in enumerate(lines) if _KEY.match(line)), None)
    if start is None:
        table = next(
            (
                i
                for i, line in enumerate(lines)
                if line.lstrip().startswith("[") and not _KEY.match(line)
            ),
            len(lines),
        )
        if table == len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.insert(table, new_line)
    else:
        end = start  # a list may span several lines: take lines until its brackets balance
        depth = lines[start].split("#")[0].count("[") - lines[start].split("#")[0].count("]")
        while depth > 0 and end + 1 < len(lines):
            end += 1
            code = lines[end].split("#")[0]
            depth += code.count("[") - code.count("]")
        lines[start : end + 1] = [new_line]
    result = "".join(lines)
    saved = tomllib.loads(result).get("parameters")
    if saved is None or [round(v, 4) for v in saved] != [round(v, 4) for v in parameters]:
        raise FittingError("config.toml could not be updated safely: set 'parameters' by hand")
    return result


def save_parameters(path: Path, parameters: Sequence[float]) -> None:
    """Write the parameters into config.toml (created if absent), atomically."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise FittingError(f"cannot read {path} ({exc})") from None
    try:
        updated = with_parameters(text, parameters)
    except tomllib.TOMLDecodeError as exc:
        raise FittingError(f"{path} is not valid TOML ({exc}): fix it first") from None
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp.write_text(updated, encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FittingError(f"cannot write {path} ({exc})") from None
