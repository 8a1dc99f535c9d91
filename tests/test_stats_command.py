"""``study stats``: the text report, its scope options, and one-line errors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from study.core.scheduling.scheduler import Rating
from tests.conftest import T0, Run
from tests.test_cli import GOOD, study_some

SECTIONS = (
    "Cards:",
    "Activity:",
    "Due:",
    "True retention",
    "Time:",
    "Hardest cards",
    "Mastery",
    "Mock exams",
)


def test_the_report_has_every_section_and_fits_80_columns(
    run: Run,
    now: list[datetime],
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    study_some(data, [Rating.EASY, Rating.GOOD, Rating.AGAIN])
    now[0] = T0 + timedelta(days=3)
    code, out, err = run("stats", "--data", str(data), "--decks", str(GOOD))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Statistics for all decks on Thu 05 Mar 2026 (desired retention 90%)"
    starts = [next(i for i, line in enumerate(lines) if line.startswith(name)) for name in SECTIONS]
    assert starts == sorted(starts)
    assert max(len(line) for line in lines) <= 80
    assert "Activity: 3 answers in the last 365 days; streak 0 days (longest 1 day)" in lines
    assert "  No exam date set." in lines


def test_an_empty_history_reads_well(run: Run, now: list[datetime], tmp_path: Path) -> None:
    code, out, _ = run("stats", "--data", str(tmp_path / "data"), "--decks", str(GOOD))
    assert code == 0
    for line in (
        "  No answers yet.",
        "  No reviews of cards in review yet.",
        "  None studied yet.",
        "  None taken yet.",
        "Due: 0 today, 0 tomorrow, 0 in 7 days, 0 in 30 days",
    ):
        assert line in out.splitlines()


def test_deck_and_tag_options(run: Run, now: list[datetime], tmp_path: Path) -> None:
    data = tmp_path / "data"
    study_some(data, [Rating.GOOD, Rating.GOOD])
    code, out, _ = run(
        "stats", "--json", "--tag", "dates", "--data", str(data), "--decks", str(GOOD)
    )
    assert code == 0
    report = json.loads(out)
    assert report["scope"] == {"deck": None, "tag": "dates", "label": "tag dates"}
    assert [m["name"] for m in report["mastery_by_tag"]][:1] == ["dates"]
    code, out, _ = run("stats", "--deck", "full", "--data", str(data), "--decks", str(GOOD))
    assert code == 0 and out.startswith("Statistics for deck full on ")


def test_unknown_deck_or_tag_is_one_line_and_exit_2(run: Run, tmp_path: Path) -> None:
    args = ("--data", str(tmp_path / "data"), "--decks", str(GOOD))
    assert run("stats", "--deck", "nope", *args) == (
        2,
        "",
        "study: no deck with id 'nope'; 'study decks' lists them\n",
    )
    assert run("stats", "--tag", "nope", *args) == (
        2,
        "",
        "study: no card has the tag 'nope'; check its spelling in the deck files\n",
    )


def test_decks_without_any_tag(run: Run, now: list[datetime], tmp_path: Path) -> None:
    """No loaded deck has a tag (issue 16): the report says so instead of max() of nothing."""
    decks = tmp_path / "d"
    decks.mkdir()
    (decks / "t.yaml").write_text("title: T\ncards:\n  - {id: a, front: q, back: a}\n")
    data = tmp_path / "data"
    study_some(data, [Rating.GOOD, Rating.GOOD], decks=decks)
    for days in (0, 30):  # before any review of a card in review, then after one
        now[0] = T0 + timedelta(days=days)
        code, out, err = run("stats", "--data", str(data), "--decks", str(decks))
        assert (code, err) == (0, "")
        assert "  by tag: no card has a tag." in out.splitlines()
    code, out, _ = run("stats", "--json", "--data", str(data), "--decks", str(decks))
    assert code == 0 and json.loads(out)["mastery_by_tag"] == []
