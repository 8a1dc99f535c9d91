"""``study cards QUERY`` and ``study suspend|unsuspend|unbury|forget QUERY``."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from study.core.clock import Clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.progress.store import FORGET, Store
from study.core.scheduling.scheduler import Rating, Scheduler
from study.core.service import Service
from tests.conftest import T0, Run
from tests.core.review.test_browse import DECK, OTHER


class TTY(io.StringIO):
    """Standard input that is a terminal, with a reply typed in advance."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def where(tmp_path: Path) -> list[str]:
    decks = tmp_path / "decks"
    (decks / "group").mkdir(parents=True)
    (decks / "demo.yaml").write_text(DECK, encoding="utf-8")
    (decks / "group" / "other.yaml").write_text(OTHER, encoding="utf-8")
    service = Service(
        Paths.resolve(tmp_path / "data"),
        clock=Clock(lambda: T0),
        deck_roots=[decks],
        config=Config(fuzz=False),
    )
    service.load()
    session = service.start_review()
    session.answer(Rating.GOOD)  # demo/capital, learning
    service.close()
    return ["--data", str(tmp_path / "data"), "--decks", str(decks)]


def store(where: list[str]) -> Store:
    return Store(Path(where[1]) / "progress.sqlite3")


def test_cards_lists_what_a_query_finds(run: Run, now: list[datetime], where: list[str]) -> None:
    code, out, err = run("cards", "deck:demo", "-is:new", *where)
    assert code == 0
    header, line = out.splitlines()
    assert header.split() == ["item", "state", "due", "stab.", "recall", "lapses", "last", "card"]
    assert line.split()[:4] == ["demo/capital", "learning", "due", "09:10"]
    assert line.endswith("Capital of Việt Nam?")
    assert err == "1 card match 'deck:demo -is:new' (of 6).\n"
    code, out, err = run("cards", *where, "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 3
    assert err == "6 cards, 2 listed.\n"


def test_cards_json(run: Run, now: list[datetime], where: list[str]) -> None:
    code, out, _ = run("cards", '"fewer enemies"', "--json", *where)
    assert code == 0
    rows = json.loads(out)
    assert [r["item"] for r in rows] == ["demo/motto#c1", "demo/motto#c2"]
    assert rows[0]["states"] == ["new"] and rows[0]["due"] is None
    assert rows[0]["prompt"] == "More [...], fewer enemies."


@pytest.mark.parametrize("command", ["cards", "suspend", "forget"])
def test_a_bad_query_is_one_line_with_its_column_and_exit_2(
    run: Run, where: list[str], command: str
) -> None:
    code, out, err = run(command, "x is:nothing", *where)
    assert code == 2 and out == ""
    assert err.startswith(f"study {command}: bad query at column 6: is:nothing is not a state")
    assert err.count("\n") == 1
    code, _, err = run(command, "deck:nosuch", *where)
    assert code == 2 and "column 6: no deck or folder is named 'nosuch'" in err


def test_suspend_then_unsuspend_say_how_many(
    run: Run, now: list[datetime], where: list[str]
) -> None:
    code, out, _ = run("suspend", "tag:documents", *where)
    assert (code, out) == (0, "Suspended 2 cards.\n")
    code, out, _ = run("suspend", "deck:demo -deck:group tag:documents", *where)
    assert out == "Suspended 0 cards (2 were suspended already).\n"
    code, out, _ = run("cards", "is:suspended", "--json", *where)
    assert [r["item"] for r in json.loads(out)] == ["demo/resolution", "demo/resolution#r"]
    code, out, _ = run("unsuspend", "is:suspended", *where)
    assert (code, out) == (0, "Unsuspended 2 cards.\n")
    code, out, err = run("unsuspend", "is:suspended", *where)
    assert (code, out) == (0, "") and "nothing was changed" in err


def test_unbury(run: Run, now: list[datetime], where: list[str]) -> None:
    db = store(where)
    db.set_flag("demo/capital", buried_until=T0 + timedelta(hours=5))
    db.close()
    code, out, _ = run("unbury", "is:buried", *where)
    assert (code, out) == (0, "Unburied 1 card.\n")


def test_forget_needs_yes_without_a_terminal(
    run: Run, now: list[datetime], where: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run("forget", "-is:new", *where)
    assert code == 1 and out == ""
    assert err == "study: forget would reset 1 card: add --yes (there is no terminal to ask)\n"
    code, out, _ = run("forget", "-is:new", "--yes", *where)
    assert (code, out) == (0, "Reset 1 card to new.\n")
    db = store(where)
    assert [r.mode for r in db.reviews()] == ["review", FORGET]
    assert db.memories() == {} == db.replay_all(Scheduler(Config(fuzz=False)))
    db.close()


@pytest.mark.parametrize(("reply", "changed"), [("y\n", True), ("n\n", False), ("", False)])
def test_forget_asks_on_a_terminal(
    run: Run,
    now: list[datetime],
    where: list[str],
    monkeypatch: pytest.MonkeyPatch,
    reply: str,
    changed: bool,
) -> None:
    monkeypatch.setattr("sys.stdin", TTY(reply))
    code, out, err = run("forget", "deck:demo", *where)
    assert "Forget 6 cards" not in out  # only the matching ones are counted
    assert "Forget 5 cards (reset to new; their answers stay in the log)? [y/N]" in out
    db = store(where)
    assert (db.memory("demo/capital") is None) is changed
    db.close()
    assert code == (0 if changed else 1)
    if not changed:
        assert err == "Nothing was changed.\n"


def test_forget_with_no_query_is_refused(run: Run, where: list[str]) -> None:
    code, _, err = run("forget", *where)
    assert code == 2 and "the following arguments are required: QUERY" in err
