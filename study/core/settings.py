"""Changing the settings: ``config.toml`` rewritten with its comments kept, and the workload a
desired retention implies.

The only module that imports ``tomlkit`` (a TOML document that keeps the file's comments,
order and spacing); it is imported when the settings are saved, never at start. Reading the
settings is ``study.core.config``'s job.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from study.core.config import Config, load_config
from study.core.scheduling.fitting import DEFAULT_PARAMETERS, SIMULATED_DAYS, daily_load
from study.core.words import plural


class SettingsError(Exception):
    """The settings cannot be saved; the message says why (one line)."""


def save_settings(path: Path, config: Config) -> None:
    """Write the settings of ``config`` that differ from the file's into ``path``, atomically.

    Every other line (comments, blank lines, unknown keys, the order) stays as it was; a
    setting the file does not have is added only when it differs from its default.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read {path} ({exc})") from None
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise SettingsError(f"{path} is not valid TOML ({exc}): fix it first") from None
    current, _ = load_config(path)
    defaults = Config()
    for field in fields(Config):
        name = field.name
        value = getattr(config, name)
        if value == getattr(current, name) and (
            name in document or value == getattr(defaults, name)
        ):
            continue
        document[name] = list(value) if isinstance(value, tuple) else value
    _write(path, tomlkit.dumps(document))


def _write(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` all at once (a crash leaves the old file or the new one)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(temp, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise SettingsError(f"cannot write {path} ({exc.strerror or exc})") from None


def workload(config: Config, items: int) -> float:
    """Reviews a day, on average over the next year, for ``items`` study items learned at the
    settings' pace: fsrs-rs's simulator when it is installed (about 10 ms), else an estimate."""
    parameters = config.parameters or DEFAULT_PARAMETERS
    simulated = daily_load(
        parameters,
        config.desired_retention,
        items,
        config.new_per_day,
        config.reviews_per_day,
    )
    if simulated is not None:
        return simulated
    return estimate_load(parameters, config, items)


_FIRST = ((1, 0.24), (2, 0.094), (3, 0.495), (4, 0.171))
"""How often a new card's first answer is each rating (fsrs-rs's simulator's defaults)."""
_RECALLED = ((2, 0.224), (3, 0.632), (4, 0.144))
"""How often a recalled card is rated Hard, Good and Easy (the same defaults)."""
_PATHS = 400
"""Cards followed by the estimate (a fixed seed: the same settings give the same figure)."""


def estimate_load(parameters: Sequence[float], config: Config, items: int) -> float:
    """Mean reviews a day over a year, by FSRS-6's formulas: ``_PATHS`` cards followed from
    their first answer, each review recalled with the predicted probability (a fixed seed),
    the days they fall on spread over the days the items are introduced."""
    import random

    w, retention = parameters, config.desired_retention
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    rng = random.Random(2024)

    def initial_difficulty(rating: int) -> float:
        return w[4] - math.exp(w[5] * (rating - 1)) + 1

    def clamp(value: float) -> float:
        return min(max(value, 1.0), 10.0)

    offsets = [0] * SIMULATED_DAYS
    for _ in range(_PATHS):
        rating = rng.choices([r for r, _ in _FIRST], [p for _, p in _FIRST])[0]
        stability, difficulty = w[rating - 1], clamp(initial_difficulty(rating))
        day = 0
        while True:
            interval = min(
                max(1, round(stability / factor * (retention ** (1 / decay) - 1))),
                config.maximum_interval,
            )
            day += interval
            if day >= SIMULATED_DAYS:
                break
            offsets[day] += 1
            recall = (1 + factor * interval / stability) ** decay
            if rng.random() < recall:
                rating = rng.choices([r for r, _ in _RECALLED], [p for _, p in _RECALLED])[0]
                bonus = w[15] if rating == 2 else w[16] if rating == 4 else 1.0
                growth = math.exp(w[8]) * (11 - difficulty) * stability ** -w[9]
                stability *= 1 + growth * (math.exp(w[10] * (1 - recall)) - 1) * bonus
            else:
                rating = 1
                forgot = w[11] * difficulty ** -w[12] * ((stability + 1) ** w[13] - 1)
                forgot *= math.exp(w[14] * (1 - recall))
                stability = min(forgot, stability / math.exp(w[17] * w[18]))
            step = -w[6] * (rating - 3)
            moved = difficulty + step * (10 - difficulty) / 9
            difficulty = clamp(w[7] * initial_difficulty(4) + (1 - w[7]) * moved)
    per_day = [0.0] * SIMULATED_DAYS
    learned = 0
    for start in range(SIMULATED_DAYS):
        batch = min(config.new_per_day, items - learned)
        if batch <= 0:
            break
        learned += batch
        for offset in range(1, SIMULATED_DAYS - start):
            per_day[start + offset] += batch * offsets[offset] / _PATHS
    capped = [min(load, config.reviews_per_day) for load in per_day]
    return sum(capped) / SIMULATED_DAYS


def describe_workload(load: float, items: int, config: Config) -> str:
    """One line: what the retention costs, e.g. ``≈ 31 reviews a day over the next year (…)``."""
    return (
        f"≈ {plural(round(load), 'review')} a day over the next year "
        f"({plural(items, 'study item')}, {config.new_per_day} new a day)"
    )


def changed(old: Config, new: Config) -> list[str]:
    """The names of the settings that differ."""
    return [f.name for f in fields(Config) if getattr(old, f.name) != getattr(new, f.name)]


def parse_field(name: str, text: str) -> object:
    """What is typed in the settings form for ``name``, as config.toml keeps it; ValueError
    (a few words) if it is not a good value. Steps are separated by spaces or commas, deck
    folders by new lines; a retention may be a percentage (90%)."""
    from study.core.config import check_setting

    value: object
    stripped = text.strip()
    default = getattr(Config(), name)
    if name.endswith("steps"):
        value = [step for step in stripped.replace(",", " ").split() if step]
    elif name == "deck_folders":
        value = [line.strip() for line in text.splitlines() if line.strip()]
        for folder in value:
            if not Path(folder).expanduser().exists():
                raise ValueError(f"no such folder or file: {folder}")
    elif isinstance(default, (bool, str)):
        value = stripped if isinstance(default, str) else stripped.lower() == "true"
    elif isinstance(default, int):
        try:
            value = int(stripped)
        except ValueError:
            raise ValueError("must be a whole number") from None
    else:
        try:
            value = float(stripped[:-1]) / 100 if stripped.endswith("%") else float(stripped)
        except ValueError:
            raise ValueError("must be a number") from None
    checked = check_setting(name, value)
    return checked
