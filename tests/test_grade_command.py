"""``study grade DECK CARD [--json]``: grades standard input as the study screen does."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from study.cli import main
from tests.conftest import REPO

DECKS = str(REPO / "decks")


Grade = Callable[..., tuple[int, str, str]]


@pytest.fixture
def grade(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Grade:
    """``grade(stdin, *argv)``: the exit code, stdout and stderr of ``study grade ...``."""

    def run(stdin: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            code = main(["grade", "--data", str(tmp_path), "--decks", DECKS, *argv])
        except SystemExit as exc:  # --help exits from argparse
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_typed_answer_read_by_meaning(grade: Grade) -> None:
    code, out, _ = grade("185/193\n", "figures", "diplomatic-2016")
    assert code == 0
    assert out.splitlines() == ["right  (share 100%)", "expected: 185", "read as 185 of 193"]


def test_json_of_a_typed_answer(grade: Grade) -> None:
    code, out, _ = grade("Resolution 807", "documents", "r806-by-date", "--json")
    data = json.loads(out)
    assert (code, data["verdict"], data["share"]) == (0, "wrong", 0.0)


def test_a_list_shows_what_each_line_matched(grade: Grade) -> None:
    code, out, _ = grade(
        "engineering, military medicine\nI forget\n",
        "peacekeeping",
        "pk-fields-2013",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert data["verdict"] == "wrong"
    assert data["share"] == pytest.approx(2 / 3, abs=1e-3)
    assert [i["line"] for i in data["items"]] == [1, 1, None]
    assert data["items"][1]["how"] == "as “military medicine”"
    assert data["unmatched"] == ["I forget"]
    assert data["how"].endswith("= 67%")


def test_a_full_list_is_right(grade: Grade) -> None:
    lines = "engineering\narmy medical\nmilitary observation\n"
    code, out, _ = grade(lines, "peacekeeping", "pk-fields-2013")
    assert code == 0
    assert out.splitlines()[0] == "right  (share 100%)"
    assert out.splitlines()[-1] == "credit: 3 of 3 items (3 in full) = 100%"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("nodeck", "x"), "study grade: no deck with id 'nodeck'; 'study decks' lists them"),
        (("figures", "nocard"), "study grade: deck 'figures' has no card with id 'nocard'"),
        (
            ("peacekeeping", "pk-field-in-both"),
            "study grade: peacekeeping/pk-field-in-both is a basic card; "
            "only typed and list cards are graded from text",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(grade: Grade, argv: tuple[str, ...], message: str) -> None:
    code, out, err = grade("", *argv)
    assert (code, out, err.strip()) == (2, "", message)


def test_help_says_who_it_is_for(grade: Grade) -> None:
    code, out, _ = grade("", "--help")
    assert code == 0
    assert "for deck authors" in " ".join(out.split())
