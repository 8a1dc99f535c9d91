"""``study optimize``: enough history is needed, the fit is shown, config.toml keeps other lines."""

from __future__ import annotations

import importlib.util
import random
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import study.commands._common as common
from study.cli import main
from study.core.clock import Clock
from study.core.config import Config, load_config
from study.core.paths import Paths
from study.core.scheduling.fitting import (
    DEFAULT_PARAMETERS,
    MIN_REVIEWS,
    FittingError,
    with_parameters,
)
from study.core.scheduling.scheduler import Phase, Rating, Scheduler
from study.core.service import Service
from tests.conftest import T0

needs_optimizer = pytest.mark.skipif(
    importlib.util.find_spec("fsrs_rs_python") is None,
    reason="the optional fsrs-rs-python is not installed",
)

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def runner(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return runner


def write_deck(folder: Path, cards: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["title: Numbers", "cards:"]
    lines += [f"  - {{id: n{i}, front: 'Question {i}', back: 'Answer {i}'}}" for i in range(cards)]
    (folder / "numbers.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def simulate(data: Path, decks: Path, days: int, seed: int = 7) -> datetime:
    """A learner who recalls with FSRS's predicted probability studies every day; returns 'now'."""
    rng = random.Random(seed)
    moment = [T0]
    svc = Service(
        Paths.resolve(data),
        clock=Clock(lambda: moment[0], UTC),
        deck_roots=[decks],
        config=Config(fuzz=False, new_per_day=30),
    )
    svc.load()
    svc.store.db.execute(
        "PRAGMA synchronous = OFF"
    )  # a test's history need not survive a power cut
    for _ in range(days):
        session = svc.start_review()
        while session.current is not None:
            memory = session.memory(session.current)
            if memory.phase is Phase.REVIEW:
                recall = svc.scheduler.retrievability(memory, moment[0])
                rating = Rating.GOOD if rng.random() < recall else Rating.AGAIN
            else:
                rating = Rating.GOOD if rng.random() < 0.85 else Rating.AGAIN
            moment[0] += timedelta(seconds=20)
            session.answer(rating)
            if session.current is None and session.waiting_until is not None:
                moment[0] = max(moment[0], session.waiting_until)
                session.current = session.skip()
        moment[0] = moment[0].replace(hour=9, minute=0) + timedelta(days=1)
    svc.close()
    return moment[0]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, datetime]:
    """Forty days of study of 150 cards: (data folder, decks folder, now)."""
    root = tmp_path_factory.mktemp("history")
    decks = write_deck(root / "decks", 150)
    now = simulate(root / "data", decks, days=40)
    return root / "data", decks, now


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch, history: tuple[Path, Path, datetime]) -> None:
    monkeypatch.setattr(common, "Clock", lambda: Clock(lambda: history[2], UTC))


def copy_of(history: tuple[Path, Path, datetime], tmp_path: Path) -> Path:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(history[0], data)
    return data


def test_too_few_reviews_says_how_many_are_needed(run: Run, tmp_path: Path) -> None:
    decks = write_deck(tmp_path / "decks", 5)
    code, out, err = run("optimize", "--data", str(tmp_path / "data"), "--decks", str(decks))
    assert code == 1 and out == ""
    assert err.startswith(
        f"study: not enough reviews to fit FSRS parameters yet: 0 of the {MIN_REVIEWS} needed"
    )
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "data" / "config.toml").exists()


@needs_optimizer
def test_fit_is_shown_and_saved_with_yes(
    run: Run, history: tuple[Path, Path, datetime], fixed_now: None, tmp_path: Path
) -> None:
    data = copy_of(history, tmp_path)
    (data / "config.toml").write_text(
        "# my settings\nnew_per_day = 30  # thirty\n\nfuzz = false\n", encoding="utf-8"
    )
    code, out, err = run("optimize", "--data", str(data), "--decks", str(history[1]), "--yes")
    assert code == 0, err
    assert "log-loss" in out and "reviews/day" in out and "w20" in out
    assert f"Saved to {data / 'config.toml'}." in out
    text = (data / "config.toml").read_text(encoding="utf-8")
    assert text.startswith("# my settings\nnew_per_day = 30  # thirty\n\nfuzz = false\n")
    config, problems = load_config(data / "config.toml")
    assert problems == [] and config.new_per_day == 30 and config.fuzz is False
    assert len(config.parameters) == 21 and config.parameters != DEFAULT_PARAMETERS
    Scheduler(config)  # the scheduler accepts them
    for line in out.splitlines():
        if line.startswith("  w"):
            name, old, new = line.split()
            assert float(new) == pytest.approx(config.parameters[int(name[1:])], abs=1e-4)
            assert float(old) == pytest.approx(DEFAULT_PARAMETERS[int(name[1:])], abs=1e-4)


@needs_optimizer
def test_json_reports_the_effect_and_dry_run_saves_nothing(
    run: Run, history: tuple[Path, Path, datetime], fixed_now: None, tmp_path: Path
) -> None:
    import json

    data = copy_of(history, tmp_path)
    code, out, _ = run(
        "optimize", "--data", str(data), "--decks", str(history[1]), "--json", "--dry-run"
    )
    assert code == 0
    report = json.loads(out)
    assert report["saved"] is False and report["reviews"] >= MIN_REVIEWS
    assert report["old"] == pytest.approx(list(DEFAULT_PARAMETERS))
    assert len(report["new"]) == 21 and report["new"] != report["old"]
    assert report["log_loss"][1] <= report["log_loss"][0]  # fitted to this very history
    assert all(day > 0 for day in report["reviews_per_day"])
    assert not (data / "config.toml").exists()


@needs_optimizer
def test_without_a_terminal_nothing_is_saved_unless_asked(
    run: Run, history: tuple[Path, Path, datetime], fixed_now: None, tmp_path: Path
) -> None:
    data = copy_of(history, tmp_path)
    code, out, _ = run("optimize", "--data", str(data), "--decks", str(history[1]))
    assert code == 0 and "Nothing saved: run 'study optimize --yes' to save them." in out
    assert not (data / "config.toml").exists()


PARAMS = tuple(float(i) / 10 for i in range(21))


@pytest.mark.parametrize(
    "before",
    [
        "",
        "fuzz = false",
        "fuzz = false\nparameters = []\nnew_per_day = 5\n",
        "parameters = [\n  1.0, 2.0,  # old\n  3.0,\n]\nnew_per_day = 5\n",
        '# comment\n\nlearning_steps = ["1m", "10m"]\n',
    ],
)
def test_with_parameters_changes_only_that_setting(before: str) -> None:
    after = with_parameters(before, PARAMS)
    assert tomllib.loads(after)["parameters"] == pytest.approx(list(PARAMS))
    kept = {k: v for k, v in tomllib.loads(before).items() if k != "parameters"}
    assert {k: v for k, v in tomllib.loads(after).items() if k != "parameters"} == kept
    others = [
        line
        for line in before.splitlines()
        if line and not line.startswith(("parameters", "  ", "]"))
    ]
    assert all(line in after.splitlines() for line in others)
    assert after.count("parameters") == 1


def test_with_parameters_refuses_to_write_what_it_cannot_read_back() -> None:
    with pytest.raises(FittingError):
        with_parameters("[section]\nparameters = [1.0]\n", PARAMS)


def test_the_command_line_does_not_load_the_optimizer_until_asked() -> None:
    import subprocess
    import sys

    code = (
        "import sys, study.cli\nstudy.cli.build_parser()\nprint('fsrs_rs_python' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_the_optimizer_package_the_error_says_how_to_get_it(
    run: Run,
    history: tuple[Path, Path, datetime],
    fixed_now: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # importing it now fails
    data = copy_of(history, tmp_path)
    code, out, err = run("optimize", "--data", str(data), "--decks", str(history[1]), "--yes")
    assert code == 1 and out == ""
    assert err == (
        "study: fitting parameters needs the optional package fsrs-rs-python: "
        "pip install fsrs-rs-python\n"
    )


@needs_optimizer
def test_an_answer_logged_with_the_clock_behind_is_set_aside_not_a_crash(
    run: Run, history: tuple[Path, Path, datetime], fixed_now: None, tmp_path: Path
) -> None:
    import json

    data = copy_of(history, tmp_path)
    now = history[2]
    svc = Service(
        Paths.resolve(data),
        clock=Clock(lambda: now, UTC),
        deck_roots=[history[1]],
        config=Config(fuzz=False),
    )
    svc.load()
    last = max((r for r in svc.store.reviews() if r.due is not None), key=lambda r: r.at)
    behind = last.at - timedelta(days=3)  # the clock was three days behind at this answer
    svc.store.record_answer(last.item, behind, Rating.GOOD, 4000, None, svc.scheduler, 8)
    svc.close()
    code, out, err = run("optimize", "--data", str(data), "--decks", str(history[1]), "--dry-run")
    assert code == 0, err
    assert "1 review set aside: recorded with the clock behind the card's previous review." in out
    code, out, _ = run(
        "optimize", "--data", str(data), "--decks", str(history[1]), "--json", "--dry-run"
    )
    assert code == 0 and json.loads(out)["set_aside"] == 1
