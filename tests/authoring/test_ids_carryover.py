"""Ids are inserted without touching anything else; progress follows edited cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from study.core.authoring.ids import plan_ids, write_ids
from study.core.authoring.slug import slugify
from study.core.progress.carryover import carry_over, move_renamed, orphans
from study.core.scheduling.scheduler import Rating
from tests.conftest import MovableClock, make_service

DECK = """\
# comments stay
title: Ids
cards:
  - front: Việt Nam joined ASEAN in which year?   # no id
    back: 1995
  - id: keep
    front: a
    back: b
  - type: cloze
    text: The {{c1::Four Nos}} policy
  - {front: A flow card, back: x}
  -
    front: Việt Nam joined ASEAN in which year?
    back: something else
"""


def _remove(new: str, inserted: list[str]) -> str:
    for piece in inserted:
        at = new.index(piece)
        new = new[:at] + new[at + len(piece) :]
    return new


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_ids_are_pure_insertions(tmp_path: Path, eol: str) -> None:
    path = tmp_path / "ids.yaml"
    path.write_bytes(DECK.replace("\n", eol).encode())
    deck, changes = write_ids(path)
    assert [c.new for c in changes] == [
        "viet-nam-joined-asean-year",
        "four-nos-policy",
        "flow-card",
        "viet-nam-joined-asean-year-2",
    ]
    new = path.read_bytes().decode()
    pieces = [
        f"id: viet-nam-joined-asean-year{eol}    ",
        f"id: four-nos-policy{eol}    ",
        "id: flow-card, ",
        f"id: viet-nam-joined-asean-year-2{eol}    ",
    ]
    assert _remove(new, pieces) == DECK.replace("\n", eol)
    assert all(c.id_given for c in deck.cards)
    assert write_ids(path)[1] == []  # a second run changes nothing
    assert path.read_bytes().decode() == new


def test_ids_refuses_a_broken_deck(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: x\ncards:\n  - front: [unclosed\n")
    with pytest.raises(Exception, match="fix"):
        write_ids(path)


def test_slugs_are_readable() -> None:
    assert slugify("What is the {{c1::Four Nos}} policy of Đổi Mới?") == "four-nos-policy-doi-moi"
    assert slugify("???") == "card"
    assert plan_ids("title: t\ncards: []\n") == ("title: t\ncards: []\n", [])


def _answer(service: object, key: str, clock: MovableClock) -> None:
    store = service.store  # type: ignore[attr-defined]
    store.record_answer(key, clock.moment, Rating.GOOD, 1000, None, service.scheduler, 8)  # type: ignore[attr-defined]


CLOZE_DECK = (
    "title: C\ncards:\n"
    "  - text: Viet Nam follows the {{c1::Four Nos}} defence policy since {{c2::2019}}.\n"
)


def test_an_edited_card_keeps_its_progress(tmp_path: Path, clock: MovableClock) -> None:
    svc = make_service(tmp_path, {"c.yaml": CLOZE_DECK}, clock)
    assert (
        carry_over(svc.store, svc.clock, svc.loaded, svc.items) == []
    )  # remembers the text of the card
    old = sorted(svc.items)
    for key in old:
        _answer(svc, key, clock)
    memories = {k: svc.store.memory(k) for k in old}
    clock.advance(days=1)
    edited = CLOZE_DECK.replace("defence policy since", "defence policy, since")
    (tmp_path / "decks" / "c.yaml").write_text(edited)
    svc.load()
    new = sorted(svc.items)
    assert set(new).isdisjoint(old) and orphans(svc.store, svc.items) == old
    carried = carry_over(svc.store, svc.clock, svc.loaded, svc.items)
    assert len(carried) == 1 and carried[0].items == 2 and carried[0].similarity >= 0.9
    assert "progress carried over" in str(carried[0])
    assert {k: svc.store.memory(k) for k in new} == {
        n: memories[o] for o, n in zip(old, new, strict=False)
    }
    assert orphans(svc.store, svc.items) == []
    assert svc.store.replay_all(svc.scheduler) == {
        n: memories[o] for o, n in zip(old, new, strict=False)
    }  # log agrees
    assert [a[:2] for a in svc.store.aliases()] == list(zip(old, new, strict=False))
    assert carry_over(svc.store, svc.clock, svc.loaded, svc.items) == []


def test_a_different_card_does_not_take_the_progress(tmp_path: Path, clock: MovableClock) -> None:
    svc = make_service(tmp_path, {"c.yaml": CLOZE_DECK}, clock)
    carry_over(svc.store, svc.clock, svc.loaded, svc.items)
    for key in svc.items:
        _answer(svc, key, clock)
    (tmp_path / "decks" / "c.yaml").write_text(
        "title: C\ncards:\n  - text: ASEAN was founded in {{c1::1967}} in {{c2::Bangkok}}.\n"
    )
    svc.load()
    assert carry_over(svc.store, svc.clock, svc.loaded, svc.items) == []
    assert len(orphans(svc.store, svc.items)) == 2


def test_nothing_is_carried_inside_a_deck_with_errors(tmp_path: Path, clock: MovableClock) -> None:
    svc = make_service(tmp_path, {"c.yaml": CLOZE_DECK}, clock)
    carry_over(svc.store, svc.clock, svc.loaded, svc.items)
    for key in svc.items:
        _answer(svc, key, clock)
    edited = CLOZE_DECK.replace("policy since", "policy, since") + "  - front: broken card\n"
    (tmp_path / "decks" / "c.yaml").write_text(edited)
    svc.load()
    assert svc.loaded.errors and carry_over(svc.store, svc.clock, svc.loaded, svc.items) == []


def test_renamed_cards_move_their_progress(tmp_path: Path, clock: MovableClock) -> None:
    svc = make_service(tmp_path, {"c.yaml": CLOZE_DECK}, clock)
    path = tmp_path / "decks" / "c.yaml"
    old = sorted(svc.items)
    for key in old:
        _answer(svc, key, clock)
    deck, changes = write_ids(path)
    svc.load()
    moved = move_renamed(svc.store, svc.clock, deck.id, {c.old: c.new for c in changes})
    assert [str(m.new) for m in moved] == ["c/viet-nam-follows-four-nos"]
    assert orphans(svc.store, svc.items) == [] and all(svc.store.memory(k) for k in svc.items)
