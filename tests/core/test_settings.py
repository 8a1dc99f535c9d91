"""Saving the settings: comments kept, atomic, checked; the workload a retention implies."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from study.core import settings as settings_module
from study.core.config import Config, load_config
from study.core.scheduling.fitting import DEFAULT_PARAMETERS
from study.core.settings import (
    SettingsError,
    estimate_load,
    parse_field,
    save_settings,
    workload,
)

FILE = """\
# My settings: this comment stays
desired_retention = 0.9   # what I aim for
unknown_key = 1

# limits
new_per_day = 20
"""


def test_saving_keeps_the_comments_and_changes_only_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FILE, encoding="utf-8")
    config, _ = load_config(path)
    save_settings(path, replace(config, desired_retention=0.85, learning_steps=("2m",)))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# My settings: this comment stays\n")
    assert "desired_retention = 0.85   # what I aim for\n" in text
    assert "unknown_key = 1\n\n# limits\nnew_per_day = 20\n" in text
    assert 'learning_steps = ["2m"]' in text
    assert "reviews_per_day" not in text  # a default the file does not have is not added
    assert load_config(path)[0] == replace(config, desired_retention=0.85, learning_steps=("2m",))
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left


def test_a_new_file_gets_only_what_differs_from_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_settings(path, replace(Config(), new_per_day=5, theme="nord"))
    assert path.read_text(encoding="utf-8") == 'new_per_day = 5\ntheme = "nord"\n'


def test_a_broken_file_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("new_per_day = = 3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        save_settings(path, Config())
    assert path.read_text(encoding="utf-8") == "new_per_day = = 3\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("desired_retention", "0.95", 0.95),
        ("desired_retention", "90%", 0.9),
        ("learning_steps", "1m, 10m 1h", ("1m", "10m", "1h")),
        ("new_per_day", " 30 ", 30),
        ("fast_answer_seconds", "4", 4.0),
        ("deck_folders", "", ()),
    ],
)
def test_good_fields(name: str, text: str, expected: object) -> None:
    assert parse_field(name, text) == expected


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("desired_retention", "0.5", "must be between 0.7 and 0.99"),
        ("desired_retention", "high", "must be a number"),
        ("learning_steps", "1m 10x", "'10x' is not a step"),
        ("new_per_day", "2.5", "must be a whole number"),
        ("day_starts_at", "24", "must be between 0 and 23"),
        ("deck_folders", "/no/such/folder", "no such folder or file: /no/such/folder"),
    ],
)
def test_bad_fields(name: str, text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_field(name, text)


def test_the_workload_grows_with_the_retention() -> None:
    loads = [workload(Config(desired_retention=r), 1000) for r in (0.8, 0.9, 0.95)]
    assert loads[0] < loads[1] < loads[2]
    assert 20 < loads[1] < 45  # fsrs-rs's simulator: about 31 a day for 1,000 cards, 20 new a day


def test_without_the_simulator_the_estimate_is_near_it(monkeypatch: pytest.MonkeyPatch) -> None:
    simulated = workload(Config(desired_retention=0.9), 1000)
    monkeypatch.setattr(settings_module, "daily_load", lambda *args: None)
    estimated = workload(Config(desired_retention=0.9), 1000)
    assert estimated == estimate_load(DEFAULT_PARAMETERS, Config(), 1000)
    assert 0.7 * simulated < estimated < 1.3 * simulated
    assert estimate_load(DEFAULT_PARAMETERS, Config(), 0) == 0
