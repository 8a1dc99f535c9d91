"""Settings: defaults, every bad value reported at its line with the default used, bad TOML."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pytest

from study.core.config import Config, load_config, parse_step
from study.core.decks.model import Severity
from study.core.scheduling.scheduler import NEW, Rating, Scheduler
from tests.conftest import T0


def load(tmp_path: Path, text: str | bytes) -> tuple[Config, list[str]]:
    """Load a config.toml with this content; returns the config and the problems as text."""
    path = tmp_path / "config.toml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    config, problems = load_config(path)
    assert all(p.path == str(path) for p in problems)
    return config, [str(p).removeprefix(f"{path}:") for p in problems]


def test_defaults_when_there_is_no_file(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path / "absent.toml")
    assert problems == []
    assert config == Config()
    assert (config.desired_retention, config.new_per_day, config.reviews_per_day) == (0.9, 20, 200)
    assert (config.day_starts_at, config.leech_lapses, config.maximum_interval) == (4, 8, 36500)
    assert config.fuzz is True and config.bundled_decks is True
    assert config.learning == (timedelta(minutes=1), timedelta(minutes=10))
    assert config.relearning == (timedelta(minutes=10),)
    Scheduler(config)  # the defaults are valid FSRS settings


def test_every_setting_has_a_docstring() -> None:
    source = Path(__file__).resolve().parents[2] / "study" / "core" / "config.py"
    text = source.read_text(encoding="utf-8")
    for field in fields(Config):
        assert f"    {field.name}:" in text
        after = text.split(f"    {field.name}:", 1)[1].splitlines()[1].strip()
        assert after.startswith('"""'), f"{field.name} has no docstring"


def test_good_values_are_used(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        """
desired_retention = 0.85
learning_steps = ["30s", "5m", "1.5h"]
relearning_steps = []
maximum_interval = 365
fuzz = false
day_starts_at = 0
new_per_day = 0
reviews_per_day = 50
leech_lapses = 4
deck_folders = ["~/decks", "/srv/more.yaml"]
bundled_decks = false
fast_answer_seconds = 3
""",
    )
    assert problems == []
    assert config == Config(
        desired_retention=0.85,
        learning_steps=("30s", "5m", "1.5h"),
        relearning_steps=(),
        maximum_interval=365,
        fuzz=False,
        day_starts_at=0,
        new_per_day=0,
        reviews_per_day=50,
        leech_lapses=4,
        deck_folders=("~/decks", "/srv/more.yaml"),
        bundled_decks=False,
        fast_answer_seconds=3,
    )
    assert config.learning == (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1.5))


def test_each_bad_value_is_reported_at_its_line_and_the_default_is_used(tmp_path: Path) -> None:
    config, problems = load(
        tmp_path,
        """# my settings
desired_retention = 1.5
new_per_day = 12.5
reviews_per_day = "lots"
fuzz = "yes"
day_starts_at = 24
learning_steps = "1m"
relearning_steps = ["10 minutes"]
deck_folders = [1, 2]
parameters = [1, 2, 3]
leech_lapses = 0
maximum_interval = true
new_per_day_typo = 3
""",
    )
    assert problems == [
        "2:1: error: desired_retention must be between 0.7 and 0.99; using the default 0.9",
        "3:1: error: new_per_day must be a whole number; using the default 20",
        "4:1: error: reviews_per_day must be a number; using the default 200",
        "5:1: error: fuzz must be true or false; using the default True",
        "6:1: error: day_starts_at must be between 0 and 23; using the default 4",
        (
            '7:1: error: learning_steps must be a list, e.g. ["1m", "10m"]; '
            "using the default ('1m', '10m')"
        ),
        (
            "8:1: error: relearning_steps '10 minutes' is not a step "
            "such as '1m', '10m', '1h' or '1d'; using the default ('10m',)"
        ),
        "9:1: error: deck_folders must be a list of text values; using the default ()",
        "10:1: error: parameters must be a list of 21 numbers (or empty); using the default ()",
        "11:1: error: leech_lapses must be between 1 and 1000; using the default 8",
        "12:1: error: maximum_interval must be a number; using the default 36500",
        "13:1: error: unknown setting 'new_per_day_typo' (did you mean 'new_per_day'?); ignored",
    ]
    assert config == Config()


def test_good_and_bad_values_together(tmp_path: Path) -> None:
    config, problems = load(tmp_path, "new_per_day = 5\ndesired_retention = 0.5\nfuzz = false\n")
    assert problems == [
        "2:1: error: desired_retention must be between 0.7 and 0.99; using the default 0.9"
    ]
    assert (config.new_per_day, config.desired_retention, config.fuzz) == (5, 0.9, False)


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("desired_retension = 0.9", "desired_retention"),
        ("new_cards_per_day = 10", "new_per_day"),
        ("day_start = 4", "day_starts_at"),
        ("leech_lapse = 5", "leech_lapses"),
    ],
)
def test_unknown_setting_with_did_you_mean(tmp_path: Path, line: str, suggestion: str) -> None:
    _, problems = load(tmp_path, f"fuzz = true\n{line}\n")
    key = line.split(" =")[0]
    assert problems == [
        f"2:1: error: unknown setting {key!r} (did you mean {suggestion!r}?); ignored"
    ]


def test_unknown_setting_without_a_close_match(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "colour_scheme = 'dark'\n")
    assert problems == ["1:1: error: unknown setting 'colour_scheme'; ignored"]


def test_a_table_and_a_quoted_key_are_found_at_their_line(tmp_path: Path) -> None:
    _, problems = load(tmp_path, 'fuzz = true\n"new_per_day" = -1\n\n[scheduling]\nx = 1\n')
    assert problems == [
        "2:1: error: new_per_day must be between 0 and 100000; using the default 20",
        "4:1: error: unknown setting 'scheduling'; ignored",
    ]


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("new_per_day = 20\nfuzz = \n", 2, 8),
        ("new_per_day 20\n", 1, 13),
        ("a = 1\na = 2\n", 2, 6),
        ('learning_steps = ["1m", "10m"\nfuzz = true\n', 2, 1),
    ],
)
def test_invalid_toml_gives_line_and_column_and_the_defaults(
    tmp_path: Path, text: str, line: int, col: int
) -> None:
    config, problems = load(tmp_path, text)
    assert config == Config()
    assert len(problems) == 1
    assert problems[0].startswith(f"{line}:{col}: error: invalid TOML: ")
    assert problems[0].endswith("; using the defaults")
    assert "(at line" not in problems[0]


def test_a_settings_file_that_is_not_utf8(tmp_path: Path) -> None:
    config, problems = load(tmp_path, b"fuzz = false\n# caf\xe9\n")
    assert config == Config()
    assert len(problems) == 1 and problems[0].startswith("1:1: error: cannot read the settings")


def test_problems_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("fuzz = 1\n")
    _, problems = load_config(path)
    assert [p.severity for p in problems] == [Severity.ERROR]


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("1m", timedelta(minutes=1)),
        ("10m", timedelta(minutes=10)),
        (" 2h ", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("30s", timedelta(seconds=30)),
        ("1.5h", timedelta(minutes=90)),
    ],
)
def test_parse_step(text: str, delta: timedelta) -> None:
    assert parse_step(text) == delta


@pytest.mark.parametrize("text", ["", "10", "m", "1w", "-1m", "1 m x", "ten minutes"])
def test_parse_step_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not a step"):
        parse_step(text)


def test_parameters_out_of_the_fsrs_bounds_are_reported_not_fatal(tmp_path: Path) -> None:
    from study.core.paths import Paths
    from study.core.service import Service

    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("parameters = [" + ", ".join(["0"] * 21) + "]\n")
    service = Service(Paths.resolve(home))
    assert service.config.parameters == ()
    assert [str(p) for p in service.problems] == [
        (
            f"{home / 'config.toml'}:1:1: error: parameters are not usable "
            "(parameters[20] = 0.0 is out of bounds: (0.1, 0.8)); using the default ()"
        )
    ]
    assert service.scheduler.review(NEW, Rating.GOOD, T0).due == T0 + timedelta(minutes=10)


def test_valid_fitted_parameters_are_used(tmp_path: Path) -> None:
    from study.core.paths import Paths
    from study.core.service import Service

    home = tmp_path / "home"
    home.mkdir()
    fitted = [
        0.3,
        1.2,
        3.0,
        15.0,
        7.0,
        0.5,
        1.5,
        0.01,
        1.5,
        0.2,
        1.0,
        1.9,
        0.1,
        0.3,
        2.2,
        0.2,
        3.0,
        0.5,
        0.1,
        0.1,
        0.2,
    ]
    (home / "config.toml").write_text(f"parameters = {fitted}\n")
    service = Service(Paths.resolve(home))
    assert service.problems == []
    assert service.config.parameters == tuple(fitted)
    easy = service.scheduler.review(NEW, Rating.EASY, T0)
    assert easy.stability == pytest.approx(15.0)  # the fourth parameter: initial stability for Easy


@pytest.mark.parametrize("step", ["99999999d", "366d", "0s", "0.5s", "9" * 30 + "d"])
def test_a_step_out_of_range_is_reported_at_its_line_and_the_default_is_used(
    tmp_path: Path, step: str
) -> None:
    # "99999999d" was accepted, then the first answer overflowed the calendar (OverflowError)
    config, problems = load(tmp_path, f'new_per_day = 5\nlearning_steps = ["1m", "{step}"]\n')
    assert problems == [
        f"2:1: error: learning_steps {step!r} is out of range: a step is from 1s to 365d; "
        "using the default ('1m', '10m')"
    ]
    assert config.learning_steps == ("1m", "10m")
    Scheduler(config).review(NEW, Rating.AGAIN, T0)  # the first answer works


def test_the_longest_step_is_accepted_and_too_many_steps_are_refused(tmp_path: Path) -> None:
    config, problems = load(tmp_path, 'relearning_steps = ["365d"]\n')
    assert problems == [] and config.relearning == (timedelta(days=365),)
    Scheduler(config).review(NEW, Rating.AGAIN, T0)
    config, problems = load(tmp_path, "learning_steps = [" + ", ".join(['"1m"'] * 21) + "]\n")
    assert problems == [
        "1:1: error: learning_steps holds 21 steps; give at most 20; "
        "using the default ('1m', '10m')"
    ]
