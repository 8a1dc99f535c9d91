"""``export --with-history``: the review log and schedules written into the package's
collection, checked in the SQLite file itself (tests/interop checks them in Anki)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from study.cli import main
from study.core.authoring.interchange.apkg_export import write_apkg
from study.core.authoring.interchange.apkg_history import HistoryWriter, collect
from study.core.authoring.interchange.guid import guid_for
from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.parse import parse_deck
from study.core.progress.store import Review
from study.core.scheduling.scheduler import Memory, Rating, Scheduler

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DECK = """\
title: H
id: h
cards:
  - {id: a, front: Q, back: A, reverse: true}
  - {id: c, text: "{{c1::x}} and {{c2::y}}"}
"""


def _history(
    scheduler: Scheduler, key: str, answers: list[tuple[datetime, Rating]]
) -> tuple[list[Review], Memory]:
    memory, out = Memory(), []
    for n, (at, rating) in enumerate(answers):
        memory = scheduler.replay(memory, rating, at, None)
        out.append(Review(n, key, at, int(rating), 4000, "review", None, memory.due))
    return out, memory


def _collection(path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as archive:
        (path.parent / "c.anki2").write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(path.parent / "c.anki2")


def test_the_log_and_the_schedules_go_into_the_collection(tmp_path: Path) -> None:
    deck, _ = parse_deck(DECK, Path("h.yaml"), "h.yaml")
    assert deck is not None
    clock = Clock(lambda: NOW, tz=UTC)
    scheduler = Scheduler(Config(), fuzz=False, clock=clock)
    day = timedelta(days=1)
    reviewed, state = _history(
        scheduler,
        "h/a",
        [
            (NOW - 30 * day, Rating.GOOD),
            (NOW - 30 * day + timedelta(minutes=10), Rating.GOOD),
            (NOW - 25 * day, Rating.AGAIN),
            (NOW - 25 * day + timedelta(minutes=10), Rating.GOOD),
            (NOW - 20 * day, Rating.EASY),
        ],
    )
    learning, learning_state = _history(scheduler, "h/c#c2", [(NOW - timedelta(hours=1), 1)])
    history = collect(
        deck,
        {"h/a": reviewed, "h/c#c2": learning},
        {"h/a": state, "h/c#c2": learning_state},
        suspended=["h/c#c2"],
    )
    assert sorted(history) == ["h/a", "h/c#c2"]
    writer = HistoryWriter(deck, history, scheduler, clock, 4, NOW)
    write_apkg(deck, tmp_path / "h.apkg", NOW, writer)
    assert (writer.carried.reviews, writer.carried.cards, writer.carried.missing) == (6, 2, [])
    db = _collection(tmp_path / "h.apkg")
    crt, conf = db.execute("SELECT crt, conf FROM col").fetchone()
    assert crt == int(datetime(2026, 3, 20, 4, 0, tzinfo=UTC).timestamp())
    assert json.loads(conf)["schedVer"] == 2
    cards = {
        (guid, ordinal): tuple(row)
        for guid, ordinal, *row in db.execute(
            "SELECT n.guid, c.ord, c.id, c.type, c.queue, c.due, c.ivl, c.reps, c.lapses, c.data "
            "FROM cards c JOIN notes n ON n.id = c.nid"
        )
    }
    cid, kind, queue, due, ivl, reps, lapses, data = cards[(guid_for("h/a"), 0)]
    assert state.due is not None and state.stability is not None
    assert (kind, queue, reps, lapses) == (2, 2, 5, 1)
    assert due == (state.due.date() - NOW.date()).days  # today is day 0
    assert ivl == (state.due.date() - (NOW - 20 * day).date()).days
    memory = json.loads(data)
    assert memory["s"] == pytest.approx(state.stability) and memory["dr"] == 0.9
    assert memory["lrt"] == int((NOW - 20 * day).timestamp())
    assert cards[(guid_for("h/a"), 1)][1:3] == (0, 0)  # the reverse side: new, as it was
    cloze = cards[(guid_for("h/c"), 1)]
    assert learning_state.due is not None
    assert cloze[1:4] == (1, -1, int(learning_state.due.timestamp()))  # learning, suspended
    log = db.execute(
        "SELECT id, ease, ivl, lastIvl, type, time FROM revlog WHERE cid = ? ORDER BY id", (cid,)
    ).fetchall()
    assert [r[0] for r in log] == [int(r.at.timestamp() * 1000) for r in reviewed]
    assert [(r[1], r[4]) for r in log] == [(3, 0), (3, 0), (1, 1), (3, 2), (4, 1)]
    assert log[0][2] == -600 and log[1][3] == -600 and log[1][2] > 0  # learning: seconds
    assert all(r[5] == 4000 for r in log)


def test_with_history_needs_a_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "h.yaml"
    deck.write_text(DECK)
    assert main(["export", str(deck), str(tmp_path / "h.csv"), "--with-history"]) == 2
    assert "--with-history needs an Anki package" in capsys.readouterr().err
    assert main(["export", str(deck), str(tmp_path / "h.apkg"), "--with-history"]) == 0
    assert "with the history: 0 reviews, 0 cards with their schedule" in capsys.readouterr().out


def test_an_imported_answer_keeps_the_interval_anki_gave(tmp_path: Path) -> None:
    from study.core.authoring.interchange.apkg_import import read_apkg

    package = Path(__file__).parent / "fixtures" / "anki-legacy.apkg"
    with zipfile.ZipFile(package) as archive:
        (tmp_path / "c.db").write_bytes(archive.read("collection.anki21"))
    logged = sqlite3.connect(tmp_path / "c.db").execute("SELECT id, ivl FROM revlog ORDER BY id")
    expected = [
        datetime.fromtimestamp(rid / 1000, UTC)
        + (timedelta(days=ivl) if ivl > 0 else timedelta(seconds=-ivl))
        for rid, ivl in logged
    ]
    history = read_apkg(package, with_history=True).history
    assert [r.due for r in history] == expected and len(expected) == 4
