"""Both directions checked with Anki's own importer and exporter (the ``anki`` package).

- study -> Anki: counts, fields, tags and note types of an exported deck as Anki imports it;
- ``export --with-history``: Anki's revlog, due dates and FSRS memory state equal study's;
- Anki -> study -> Anki: the notes come back as updates of the originals, not copies;
- and the reverse of the history: Anki's own export of that history, imported here, gives
  the due dates study had.

Anki keeps its own clock: the history is simulated up to the real now (seeded, so the
answers are the same on every run), and both sides count days from 4 o'clock local time.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.interop import SKIP_REASON

pytest.importorskip("anki.collection", reason=SKIP_REASON)

from study.cli import main
from study.core.authoring.interchange.common import ImportedReview
from study.core.authoring.interchange.deckfile import replay_history
from study.core.authoring.interchange.guid import note_guid
from study.core.clock import system_now
from study.core.decks.model import expand
from study.core.paths import Paths
from study.core.scheduling.scheduler import Memory, Phase, Rating
from study.core.service import Service
from study.core.words import plural
from tests.interop.anki_side import collection, export_package, import_package

DECK = """\
title: Interop
id: interop
cards:
  - {id: capital, front: Capital of France?, back: Paris, tags: [geo, eu], explain: Since 987}
  - {id: nos, front: Four Nos, back: No alliances, reverse: true, tags: [policy]}
  - {id: year, type: typed, front: Year of the resolution?, back: "2013", accept: [MMXIII]}
  - {id: motto, text: "{{c1::More friends}}, {{c2::fewer enemies}}", explain: a motto}
  - {id: pick, type: choice, front: Pick the capital, answer: Rome, distractors: [Milan]}
"""


SIM_CARDS = 120
"""Cards of the simulated deck: basic, every fifth reversed, every seventh a two-part cloze."""


def _sim_deck() -> str:
    lines = ["title: Simulated", "id: sim", "cards:"]
    for n in range(SIM_CARDS):
        if n % 7 == 0:
            lines.append(f'  - {{id: c{n}, text: "{{{{c1::part {n}}}}} and {{{{c2::more {n}}}}}"}}')
        else:
            reverse = ", reverse: true" if n % 5 == 0 else ""
            lines.append(f"  - {{id: b{n}, front: Question {n}, back: Answer {n}{reverse}}}")
    return "\n".join(lines) + "\n"


def _home() -> Path:
    return Paths.resolve(None).user_decks


@pytest.fixture
def svc() -> Iterator[Service]:
    decks = _home()
    decks.mkdir(parents=True, exist_ok=True)
    (decks / "interop.yaml").write_text(DECK)
    (decks / "sim.yaml").write_text(_sim_deck())
    service = Service(Paths.resolve(None))
    service.load()
    yield service
    service.close()


def _cards(col: Any) -> dict[tuple[str, int], Any]:
    """Anki's cards by (note GUID, template ordinal)."""
    rows = col.db.all("SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid")
    return {(guid, ordinal): col.get_card(cid) for cid, guid, ordinal in rows}


def _ordinal(variant: str) -> int:
    return 1 if variant == "r" else int(variant[1:]) - 1 if variant.startswith("c") else 0


def test_an_export_imports_into_anki_with_its_fields_tags_and_stock_note_types(
    svc: Service, tmp_path: Path
) -> None:
    assert main(["export", "interop", str(tmp_path / "out.apkg")]) == 0
    with collection(tmp_path / "anki") as col:
        log = import_package(col, tmp_path / "out.apkg")
        assert len(log.new) == 5 and not log.conflicting and not log.duplicate
        assert col.note_count() == 5
        assert col.card_count() == len([k for k in svc.items if k.startswith("interop/")]) == 7
        notes = {n: col.get_note(n) for n in col.find_notes("")}
        by_front = {note.fields[0].split("<")[0]: note for note in notes.values()}
        capital = by_front["Capital of France?"]
        assert capital.note_type()["name"] == "Basic (study)"
        assert capital.fields[1].startswith("Paris<br>") and "Since 987" in capital.fields[1]
        assert sorted(capital.tags) == ["eu", "geo"]
        year = by_front["Year of the resolution?"]
        assert year.fields[1] == "2013" and "Also accepted: " in year.fields[0]
        assert "MMXIII" in year.fields[0]
        # what Anki shows: the explanation after the answer only; a typed card's extras folded
        shown = col.get_card(capital.card_ids()[0])
        assert "Since 987" in shown.answer() and "Since 987" not in shown.question()
        typed = col.get_card(year.card_ids()[0])
        assert "<details" in typed.question() and "MMXIII" in typed.answer()
        names = sorted(nt.name for nt in col.models.all_names_and_ids())
        assert not [n for n in names if n.endswith("+")], names
        # the same export again maps onto the note types the first one made
        assert main(["export", "interop", str(tmp_path / "again.apkg")]) == 0
        import_package(col, tmp_path / "again.apkg")
        assert sorted(nt.name for nt in col.models.all_names_and_ids()) == names
        assert col.note_count() == 5


def _simulate(svc: Service, now: datetime, seed: int = 19) -> list[ImportedReview]:
    """Weeks of answers for every item, sessions at random hours, as study schedules them."""
    rng = random.Random(seed)
    deck = next(d for d in svc.decks if d.id == "sim")
    out: list[ImportedReview] = []
    for index, card in enumerate(deck.cards):
        for item in expand(card):
            at = now - timedelta(days=rng.uniform(25, 60), hours=rng.uniform(0, 23))
            memory = Memory()
            while at < now:
                rating = rng.choices([1, 2, 3, 4], [1, 1.5, 6, 1.5])[0]
                memory = svc.scheduler.replay(memory, Rating(rating), at, None)
                out.append(
                    ImportedReview(index, item.variant, at, rating, rng.randint(2000, 20000))
                )
                assert memory.due is not None
                at = memory.due + timedelta(hours=rng.uniform(0, 30))
    return out


def _agreement(svc: Service, col: Any) -> tuple[int, int, float, float]:
    """How many of the studied items Anki has due on study's due day (learning: at study's
    due second), of how many, and the largest stability and difficulty differences."""
    deck = next(d for d in svc.decks if d.id == "sim")
    cards = _cards(col)
    today = svc.scheduler.study_day(system_now())
    equal = total = 0
    worst_s = worst_d = 0.0
    for card in deck.cards:
        for item in expand(card):
            memory = svc.store.memory(item.key)
            assert memory is not None and memory.due is not None
            anki = cards[(note_guid(card.key, card.guid), _ordinal(item.variant))]
            total += 1
            if memory.phase is Phase.REVIEW:
                assert anki.queue == 2, item.key
                anki_day = today + timedelta(days=anki.due - col.sched.today)
                equal += anki_day == svc.scheduler.study_day(memory.due)
            else:
                equal += anki.due == int(memory.due.timestamp())
            state = anki.memory_state
            assert memory.stability is not None and memory.difficulty is not None
            worst_s = max(worst_s, abs(state.stability - memory.stability))
            worst_d = max(worst_d, abs(state.difficulty - memory.difficulty))
    return equal, total, worst_s, worst_d


def _computed(svc: Service, col: Any) -> tuple[float, float]:
    """The largest relative differences between study's stability and difficulty and the ones
    Anki's FSRS computes from the review log it imported."""
    deck = next(d for d in svc.decks if d.id == "sim")
    cards = _cards(col)
    worst_s = worst_d = 0.0
    for card in deck.cards:
        for item in expand(card):
            memory = svc.store.memory(item.key)
            assert memory is not None and memory.stability and memory.difficulty
            anki = cards[(note_guid(card.key, card.guid), _ordinal(item.variant))]
            state = col.compute_memory_state(anki.id)
            worst_s = max(worst_s, abs(state.stability - memory.stability) / memory.stability)
            worst_d = max(worst_d, abs(state.difficulty - memory.difficulty) / memory.difficulty)
    return worst_s, worst_d


def test_export_with_history_gives_anki_the_same_due_dates_and_memory(
    svc: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = system_now()
    history = _simulate(svc, now)
    deck = next(d for d in svc.decks if d.id == "sim")
    items = sum(len(expand(c)) for c in deck.cards)
    ids = [c.id for c in deck.cards]
    count, _ = replay_history(svc.store, svc.scheduler, svc.items, "sim", ids, history)
    assert count == len(history) > 500
    assert main(["export", "sim", str(tmp_path / "h.apkg"), "--with-history"]) == 0
    assert (
        f"with the history: {plural(count, 'review')}, {plural(items, 'card')}"
        in capsys.readouterr().out
    )
    with collection(tmp_path / "anki") as col:
        import_package(col, tmp_path / "h.apkg")
        assert col.db.scalar("SELECT COUNT(*) FROM revlog") == count
        logged = sorted(
            (int(r.at.timestamp() * 1000), r.rating)
            for key in svc.items
            if key.startswith("sim/")
            for r in svc.store.reviews_of(key)
        )
        assert sorted(map(tuple, col.db.all("SELECT id, ease FROM revlog"))) == logged
        equal, total, worst_s, worst_d = _agreement(svc, col)
        with capsys.disabled():  # the figures, for the README (pytest -s)
            print(f"\nin Anki: {count} reviews, due dates equal on {equal} of {total}; ", end="")
            print(f"largest |dS| {worst_s:.1e}, |dD| {worst_d:.1e}")
        assert (equal, total) == (items, items)
        assert worst_s < 1e-4 and worst_d < 1e-3  # Anki keeps S to 4 decimals, D to 3
        # Anki's own FSRS, run on the exported log, gives the memory study has
        computed = _computed(svc, col)
        with capsys.disabled():
            print(f"Anki's FSRS on the log: largest relative |dS| {computed[0]:.1e}, ", end="")
            print(f"|dD| {computed[1]:.1e}")
        assert computed[0] < 1e-3 and computed[1] < 1e-3
        # the reverse: Anki's own export of that history, imported here, gives the same states
        export_package(col, tmp_path / "from-anki.apkg")
    before = {key: svc.store.memory(key) for key in svc.items if key.startswith("sim/")}
    svc.close()
    assert (
        main(["import", str(tmp_path / "from-anki.apkg"), "--with-history", "--deck", "Back"]) == 0
    )
    out = capsys.readouterr().out
    assert f"imported {plural(count, 'review')} of the history" in out
    again = Service(Paths.resolve(None))
    again.load()
    back = {c.guid: c for d in again.decks if d.id == "back" for c in d.cards}
    same = 0
    for card in deck.cards:
        twin = back[note_guid(card.key, card.guid)]
        for item, twin_item in zip(expand(card), expand(twin), strict=True):
            mine, theirs = before[item.key], again.store.memory(twin_item.key)
            assert mine is not None and theirs is not None
            assert mine.due is not None and theirs.due is not None
            same += again.scheduler.study_day(theirs.due) == svc.scheduler.study_day(mine.due)
            assert theirs.stability == pytest.approx(mine.stability, rel=1e-9)
    with capsys.disabled():
        print(f"back in study: due dates equal on {same} of {items}")
    assert same == items
    again.close()


def _anki_deck(col: Any) -> None:
    """Notes of the stock note types, made in Anki."""

    def add(kind: str, *fields: str, tags: tuple[str, ...] = ()) -> None:
        note = col.new_note(col.models.by_name(kind))
        for i, value in enumerate(fields):
            note.fields[i] = value
        note.tags = list(tags)
        col.add_note(note, col.decks.id("Mine"))

    add("Basic", "Capital of France?", "Paris", tags=("geo",))
    add("Basic", "Capital of Italy?", "Rome")
    add("Basic (and reversed card)", "ADMM", "ASEAN Defence Ministers' Meeting")
    add("Basic (type in the answer)", "Year?", "2013")
    add("Cloze", "{{c1::More friends}}, {{c2::fewer enemies}}", "a motto")
    col.db.execute("UPDATE notes SET mod = mod - 60")  # made a minute before the export


def test_a_round_trip_updates_the_notes_instead_of_copying_them(tmp_path: Path) -> None:
    with collection(tmp_path / "anki") as col:
        _anki_deck(col)
        types = sorted(nt.name for nt in col.models.all_names_and_ids())
        export_package(col, tmp_path / "mine.apkg")
        assert main(["import", str(tmp_path / "mine.apkg"), "--deck", "Mine"]) == 0
        path = _home() / "mine.yaml"
        text = path.read_text()
        assert text.count("guid: ") == 5 and text.count("notetype: ") == 5
        mine = Service(Paths.resolve(None))  # Anki -> study: cards, fields, tags
        mine.load()
        cards = next(d for d in mine.decks if d.id == "mine").cards
        assert [(c.type, c.front or c.text, c.back, c.reverse, c.tags) for c in cards] == [
            ("basic", "Capital of France?", "Paris", False, ("geo",)),
            ("basic", "Capital of Italy?", "Rome", False, ()),
            ("basic", "ADMM", "ASEAN Defence Ministers' Meeting", True, ()),
            ("typed", "Year?", "2013", False, ()),
            ("cloze", "{{c1::More friends}}, {{c2::fewer enemies}}", "", False, ()),
        ]
        assert cards[4].explain == "a motto"
        mine.close()
        path.write_text(text.replace("back: Paris\n", "back: Paris, France\n"))
        assert main(["export", "mine", str(tmp_path / "back.apkg")]) == 0
        log = import_package(col, tmp_path / "back.apkg")
        assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 5, 0)
        assert col.note_count() == 5 and col.card_count() == 7
        assert sorted(nt.name for nt in col.models.all_names_and_ids()) == types
        fronts = {col.get_note(n).fields[0]: col.get_note(n) for n in col.find_notes("")}
        assert fronts["Capital of France?"].fields[1] == "Paris, France"
        assert fronts["Capital of France?"].tags == ["geo"]
        assert (
            re.sub(r"<[^>]*>", "", fronts["{{c1::More friends}}, {{c2::fewer enemies}}"].fields[1])
            == "a motto"
        )


def test_answers_made_in_anki_keep_anki_s_due_dates_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anki's intervals carry its fuzz: the import keeps them instead of recomputing."""
    with collection(tmp_path / "anki") as col:
        basic = col.models.by_name("Basic")
        for n in range(40):
            note = col.new_note(basic)
            note.fields[0], note.fields[1] = f"Question {n}", f"Answer {n}"
            col.add_note(note, col.decks.id("Fuzzed"))
        config = col.decks.get_config(1)
        config["new"]["perDay"] = 100
        col.decks.update_config(config)
        col.decks.select(col.decks.id("Fuzzed"))
        for rating in (4, 3, 4):  # Easy: a review card; then Good and Easy once more each
            for _ in range(40):
                queued = col.sched.get_queued_cards().cards
                if not queued:
                    break
                card = col.get_card(queued[0].card.id)
                card.start_timer()
                col.sched.answerCard(card, rating)
        due = {
            guid: (queue, day)
            for guid, queue, day in col.db.all(
                "SELECT n.guid, c.queue, c.due FROM cards c JOIN notes n ON n.id = c.nid"
            )
        }
        today = col.sched.today
        reviews = col.db.scalar("SELECT COUNT(*) FROM revlog")
        export_package(col, tmp_path / "fuzzed.apkg")
    assert main(["import", str(tmp_path / "fuzzed.apkg"), "--with-history"]) == 0
    assert f"imported {plural(reviews, 'review')}" in capsys.readouterr().out
    svc = Service(Paths.resolve(None))
    svc.load()
    deck = next(d for d in svc.decks if d.id == "fuzzed")
    now_day = svc.scheduler.study_day(system_now())
    same = total = 0
    for card in deck.cards:
        queue, day = due[card.guid]
        memory = svc.store.memory(card.key)
        assert memory is not None and memory.due is not None
        if queue == 2:
            total += 1
            same += svc.scheduler.study_day(memory.due) == now_day + timedelta(days=day - today)
    svc.close()
    with capsys.disabled():
        print(
            f"\nAnki -> study: {reviews} reviews, due day equal on {same} of {total} cards", end=""
        )
        print(f" ({len({d for _, d in due.values()})} different due days: Anki's fuzz)")
    assert total == 40 and same == total
    assert len({d for _, d in due.values()}) > 1  # the fuzz spread them: kept, not recomputed
