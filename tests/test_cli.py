"""The command line: exit codes, one-line errors, JSON output, data locations, the crash log."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import study
import study.cli
from study.cli import build_parser
from study.core.clock import Clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.progress.store import SCHEMA_VERSION, Store
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from tests.conftest import REPO, T0, Run

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"


def study_some(data: Path, ratings: list[Rating], at: datetime = T0, decks: Path = GOOD) -> Service:
    """Answer the first items of a review session at ``at`` (fuzz off), as a user would have."""
    service = Service(
        Paths.resolve(data),
        clock=Clock(lambda: at, UTC),
        deck_roots=[decks],
        config=Config(fuzz=False),
    )
    service.load()
    session = service.start_review()
    for rating in ratings:
        session.answer(rating)
    service.close()
    return service


def subcommands() -> list[str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


# --- exit codes ---------------------------------------------------------------------


def test_lint_clean_decks_exits_0(run: Run) -> None:
    code, out, err = run("lint", str(GOOD))
    assert code == 0
    assert out == ""
    assert err == "2 deck(s), 9 card(s): ok\n"


def test_lint_with_errors_exits_1_and_prints_each_problem(run: Run) -> None:
    path = BROKEN / "unknown-card-key.yaml"
    code, out, err = run("lint", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:7:5: error: unknown key 'frnt' in a basic card (did you mean 'front'?)",
        f"{path}:13:5: error: unknown key 'acept' in a typed card (did you mean 'accept'?)",
    ]
    assert err == "1 deck(s), 1 card(s): 2 error(s), 0 warning(s)\n"


def test_lint_with_warnings_only_exits_0(run: Run, tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text("title: T\ncards:\n  - front: q\n    back: a\n")
    code, out, err = run("lint", str(tmp_path))
    assert code == 0
    assert out.count("warning: card has no 'id'") == 1
    assert err.endswith("0 error(s), 1 warning(s)\n")


def test_lint_of_a_missing_path_exits_1(run: Run, tmp_path: Path) -> None:
    code, out, _ = run("lint", str(tmp_path / "nope.yaml"))
    assert code == 1
    assert out == f"{tmp_path / 'nope.yaml'}:1:1: error: no such file or folder\n"


def test_lint_json(run: Run) -> None:
    code, out, _ = run("lint", "--json", str(GOOD), str(BROKEN / "no-ids.yaml"))
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"decks", "cards", "errors", "warnings", "problems"}
    assert (report["decks"], report["cards"], report["errors"], report["warnings"]) == (3, 12, 1, 2)
    assert report["problems"][0] == {
        "path": str(BROKEN / "no-ids.yaml"),
        "line": 7,
        "col": 5,
        "severity": "warning",
        "message": "card has no 'id': its progress is lost if its text changes; "
        "run 'study ids --write' to add ids",
    }
    assert [p["severity"] for p in report["problems"]] == ["warning", "warning", "error"]


def test_lint_json_of_every_broken_fixture(run: Run) -> None:
    code, out, _ = run("lint", "--json", str(BROKEN))
    assert code == 1
    report = json.loads(out)
    assert report["errors"] == sum(1 for p in report["problems"] if p["severity"] == "error") > 25
    assert all(set(p) == {"path", "line", "col", "severity", "message"} for p in report["problems"])


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "--deck", "nosuch"],
        ["due", "--tag", "nosuch"],
        ["stats", "--deck", "nosuch"],
        ["exam", "nosuch"],
        ["plan", "nosuch"],
        ["add", "nosuch"],
        ["export", "nosuch", "out.csv"],
        ["ids", "nosuch"],
        ["review", "nosuch"],
        ["exam", "--show", "99"],
        ["restore", "nosuch"],
    ],
    ids=" ".join,
)
def test_an_unknown_name_exits_2_with_one_line(run: Run, argv: list[str]) -> None:
    code, out, err = run("--decks", str(GOOD), *argv)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("study: ")
    assert "nosuch" in err or "99" in err


def test_a_deck_folder_is_a_name_due_takes(run: Run) -> None:
    code, _, err = run("--decks", str(GOOD), "due", "--deck", "asean")
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["lint", "--bogus"],
        ["due", "--deck"],
        ["decks", "extra-argument"],
        ["--data"],
    ],
    ids=["unknown-command", "unknown-option", "missing-value", "extra-argument", "missing-dir"],
)
def test_a_bad_argument_exits_2_with_one_line(run: Run, argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("study") and "--help" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", subcommands())
def test_help_of_every_subcommand_exits_0(run: Run, name: str) -> None:
    code, out, err = run(name, "--help")
    assert code == 0
    assert out.startswith(f"usage: study {name}")
    assert "--data DIR" in out
    assert err == ""


def test_help_exits_0_and_lists_the_commands(run: Run) -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert all(name in out for name in ("lint", "decks", "due", "stats"))


def test_version_in_a_real_process() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-m", "study", "--version"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"study {study.__version__}\n", "")


# --- listing ------------------------------------------------------------------------


def test_decks(run: Run, now: list[datetime], tmp_path: Path) -> None:
    code, out, err = run("decks", "--data", str(tmp_path / "data"), "--decks", str(GOOD))
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "deck  cards  items  new  learn  due  suspended  buried  mastery",
        "full      7      9    9      0    0          0       0       0%",
        "admm      2      3    3      0    0          0       0       0%",
    ]


def test_decks_counts_buried_and_suspended_items_apart(
    run: Run, now: list[datetime], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    service = Service(
        Paths.resolve(data),
        clock=Clock(lambda: T0, UTC),
        deck_roots=[GOOD],
        config=Config(fuzz=False),
    )
    service.load()
    session = service.start_review(["admm"])
    session.bury()  # until tomorrow
    session.suspend()
    service.close()
    code, out, _ = run("decks", "--json", "--data", str(data), "--decks", str(GOOD))
    assert code == 0
    admm = json.loads(out)[1]
    assert (admm["cards"], admm["items"], admm["new"]) == (2, 3, 1)
    assert (admm["suspended"], admm["buried"]) == (1, 1)


def test_decks_json_after_some_study(run: Run, now: list[datetime], tmp_path: Path) -> None:
    data = tmp_path / "data"
    study_some(data, [Rating.EASY, Rating.GOOD, Rating.AGAIN])
    code, out, _ = run("decks", "--json", "--data", str(data), "--decks", str(GOOD))
    assert code == 0
    decks = json.loads(out)
    assert [d["id"] for d in decks] == ["full", "admm"]
    full = decks[0]
    assert full == {
        "id": "full",
        "title": "Fixture - every card type",
        "file": str(GOOD / "full.yaml"),
        "cards": 7,
        "items": 9,
        "new": 6,
        "learning": 2,
        "due": 0,
        "suspended": 0,
        "buried": 0,
        "mastery": 0.111,
    }  # the Easy one of nine items
    assert decks[1]["new"] == 3 and decks[1]["mastery"] == 0.0


def test_due(run: Run, now: list[datetime], tmp_path: Path) -> None:
    data = tmp_path / "data"
    args = ("--data", str(data), "--decks", str(GOOD))
    code, out, _ = run("due", *args)
    assert (code, out) == (0, "Nothing is due today.\n")
    study_some(data, [Rating.EASY, Rating.GOOD])  # due in 8 days, and in 10 minutes
    code, out, _ = run("due", *args)
    assert (code, out) == (
        0,
        "09:10  full/r806-date  On what date was Resolution 806-NQ/QUTW issued?\n",
    )
    now[0] = T0 + timedelta(days=8)
    code, out, _ = run("due", *args)
    assert out.splitlines() == [
        "  now  full/r806-date  On what date was Resolution 806-NQ/QUTW issued?",
        "  now  full/r806-number  Number of the CMC resolution on defence diplomacy (2013)",
    ]
    code, out, _ = run("due", "--json", *args)
    due = json.loads(out)
    assert [d["item"] for d in due] == ["full/r806-date", "full/r806-number"]
    assert due[0]["prompt"] == "On what date was Resolution 806-NQ/QUTW issued?"
    assert due[0]["due"] == "2026-03-02T09:10:00+00:00"
    assert due[1]["due"] == "2026-03-10T09:00:00+00:00"
    code, out, _ = run("due", "--json", "--deck", "admm", *args)
    assert (code, json.loads(out)) == (0, [])


def test_stats_json_counts_states_and_reviews_by_day(
    run: Run, now: list[datetime], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    study_some(data, [Rating.EASY, Rating.GOOD, Rating.AGAIN])
    study_some(data, [Rating.GOOD], at=T0 + timedelta(days=1))
    now[0] = T0 + timedelta(days=9)
    code, out, _ = run("stats", "--json", "--data", str(data), "--decks", str(GOOD))
    assert code == 0
    report = json.loads(out)
    states = report["states"]
    assert states["total"] == 12
    assert sum(states[k] for k in ("new", "learning", "young", "mature", "suspended")) == 12
    assert (states["new"], states["learning"] + states["young"] + states["mature"]) == (9, 3)
    by_day = {d["day"]: d["value"] for d in report["activity"]["days"] if d["value"]}
    assert by_day == {"2026-03-02": 3, "2026-03-03": 1}


# --- where data goes -------------------------------------------------------------------------


def test_data_option_relocates_everything(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("STUDY_HOME", str(home))
    code, _, _ = run("decks", "--data", str(tmp_path / "elsewhere"), "--decks", str(GOOD))
    assert code == 0
    assert (tmp_path / "elsewhere" / "progress.sqlite3").is_file()
    assert not home.exists()


def test_study_home_relocates_everything(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "profile"))
    code, _, _ = run("decks", "--decks", str(GOOD))
    assert code == 0
    assert (tmp_path / "profile" / "progress.sqlite3").is_file()


def test_settings_are_read_from_the_data_folder(
    run: Run, now: list[datetime], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)  # owner-only, as study makes it (else tightening is said too)
    (data / "config.toml").write_text("new_per_dya = 5\n")
    code, _, err = run("decks", "--data", str(data), "--decks", str(GOOD))
    assert code == 0
    assert err == (
        f"{data / 'config.toml'}:1:1: error: "
        "unknown setting 'new_per_dya' (did you mean 'new_per_day'?); ignored\n"
    )


# --- errors ------------------------------------------------------------------------------------


def test_a_newer_database_is_one_line_and_exit_1(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store(Paths.resolve(data).database).close()
    with sqlite3.connect(Paths.resolve(data).database) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    code, out, err = run("decks", "--data", str(data), "--decks", str(GOOD))
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and err.startswith("study: ") and "upgrade study" in err
    assert "Traceback" not in err


def test_an_unexpected_error_goes_to_the_crash_log(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(study.cli, "cmd_decks", broken)
    data = tmp_path / "data"
    code, out, err = run("decks", "--data", str(data))
    log = data / "crash.log"
    assert code == 70
    assert out == ""
    assert err == (
        f"study: unexpected error (RuntimeError: something nobody expected); details in {log}\n"
    )
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: something nobody expected" in text
    assert f"study {study.__version__}" in text
    code, _, _ = run("decks", "--data", str(data))
    assert code == 70
    assert log.read_text(encoding="utf-8").count("Traceback") == 2  # appended, not replaced


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--data", "d"],
        ["--data=d"],
        ["--decks", "a", "--decks", "b", "--data", "d"],
        ["--dat", "d"],
        ["--deck=x"],
        ["--data="],
        ["--data", "d", "--data", "e"],
    ],
)
def test_opening_the_app_needs_no_command_parser(argv: list[str]) -> None:
    from study.cli import app_arguments, build_parser

    args = app_arguments(argv)
    assert args is not None and args.handler is build_parser().parse_args(argv).handler
    full = build_parser().parse_args(argv)
    assert (args.data, args.decks) == (full.data, full.decks)


@pytest.mark.parametrize(
    "argv",
    [
        ["review"],
        ["review", "asean", "documents"],
        ["review", "asean", "--data", "d"],
        ["--decks", "x", "review", "policy/"],
        ["review", "--dat=d", "asean"],
    ],
)
def test_opening_a_review_needs_no_command_parser(argv: list[str]) -> None:
    from study.cli import app_arguments, build_parser

    args, full = app_arguments(argv), build_parser().parse_args(argv)
    assert args is not None and args.handler is full.handler is study.cli.cmd_review
    assert (args.data, args.decks, args.names) == (full.data, full.decks, full.names)


def test_review_of_a_deck_that_does_not_exist_is_one_line_before_any_screen(
    run: Run, tmp_path: Path
) -> None:
    decks = tmp_path / "decks"
    shutil.copytree(GOOD, decks)
    for path in decks.rglob("*.yaml"):  # files not being edited: the catalog is written
        os.utime(path, (1_700_000_000, 1_700_000_000))
    service = Service(Paths.resolve(tmp_path / "data"), deck_roots=[decks])
    service.load()
    assert service.save_catalog()
    service.close()
    code, out, err = run(
        "review", "nosuch", "--data", str(tmp_path / "data"), "--decks", str(decks)
    )
    assert (code, out) == (2, "")  # a bad argument, as everywhere
    assert err == "study: no deck or folder is named 'nosuch' ('study decks' lists the deck ids)\n"


def test_data_and_decks_given_before_the_command_are_kept() -> None:
    args = build_parser().parse_args(["--data", "d", "--decks", "x", "decks"])
    assert (args.data, args.decks) == ("d", ["x"])
    args = build_parser().parse_args(["decks", "--data", "d"])
    assert (args.data, args.decks) == ("d", None)


@pytest.mark.parametrize(
    "argv",
    [
        ["lint"],
        ["--help"],
        ["--version"],
        ["--data"],
        ["--nosuch"],
        ["tui"],
        ["--data", "d", "decks"],
        ["review", "--help"],
        ["review", "-x"],
        ["--d", "x"],
        ["--ver"],
        ["-h"],
        ["--"],
        ["--data", "-x"],
        ["asean", "review"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    from study.cli import app_arguments

    assert app_arguments(argv) is None


def test_opening_the_app_imports_no_command_module() -> None:
    code = (
        "import sys, study.cli\nassert study.cli.app_arguments(['--data', 'x']) is not None\n"
        "print(sorted(m for m in sys.modules"
        " if m.startswith('study.commands.') and m != 'study.commands._common'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert out.stdout.strip() == "[]"


def test_a_command_runs_with_the_garbage_collector_on(run: Run) -> None:
    """The entry point pauses the collector for a fast start; a command must not run without it."""
    import gc

    gc.disable()
    try:
        assert run("lint", str(GOOD))[0] == 0
        assert gc.isenabled()
    finally:
        gc.enable()


def test_the_app_turns_the_collector_back_on_after_the_start() -> None:
    import gc

    from study.tui.collector import collector_on as _collector_on

    gc.disable()
    try:
        _collector_on()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
