"""Appending a card keeps every other byte of the deck file; writes are atomic."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from study.core.authoring import atomic
from study.core.authoring.atomic import atomic_write
from study.core.authoring.deck_text import AuthoringError
from study.core.authoring.interchange.yamlout import new_deck_text, scalar
from study.core.authoring.writing import append_card, check_card, plan_insertion
from study.core.decks.parse import parse_deck
from study.core.decks.yamlread import read_yaml

CARD = {
    "id": "new-card",
    "type": "typed",
    "front": "Year: Viet Nam joined ASEAN?",
    "back": "1995",
    "accept": ["in 1995"],
    "tags": ["asean"],
    "explain": "28 July 1995 # a date",
}

HEADER = "# my deck\ntitle: T   # the title\n"
BLOCK = (
    HEADER
    + "cards:\n  - id: a\n    front: x\n    back: y\n\n"
    + "  - id: b  # second\n    front: x2\n    back: y2\n"
)


def _deck(text: str) -> tuple[object, list[object]]:
    return parse_deck(text.removeprefix("\ufeff"), Path("d.yaml"), "d.yaml")


def _write(tmp_path: Path, text: str, name: str = "d.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _added(path: Path) -> object:
    deck, problems = _deck(path.read_bytes().decode("utf-8"))
    assert deck is not None and not [p for p in problems if p.severity == 2]
    return next(c for c in deck.cards if c.id == "new-card")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        BLOCK,
        BLOCK.rstrip("\n"),  # no newline at the end
        BLOCK.replace("\n", "\r\n"),  # Windows line endings
        "\ufeff" + BLOCK,  # a byte-order mark
        HEADER + "cards:\n- id: a\n  front: x\n  back: y\n",  # cards not indented
        # wide, comment
        HEADER + "cards:\n    -   id: a\n        front: x\n        back: y\n    # the end\n",
        HEADER + "cards:\n  - {id: a, front: x, back: y}\n",  # flow cards
        HEADER
        + "cards:\n  - id: a\n    front: x\twith a tab\n    back: y\t# a tab, then a comment\n",
    ],
)
def test_append_when_cards_is_last_only_adds_bytes_at_the_end(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    old = path.read_bytes()
    append_card(path, CARD)
    new = path.read_bytes()
    assert new.startswith(old)
    assert new[len(old) :].strip()
    card = _added(path)
    assert (card.front, card.back, card.accept, card.explain) == (  # type: ignore[attr-defined]
        CARD["front"],
        "1995",
        ("in 1995",),
        CARD["explain"],
    )
    eol = b"\r\n" if b"\r\n" in old else b"\n"
    assert new.count(b"\n") == new.count(eol)  # the file's line endings are kept


def test_blank_lines_between_cards_are_followed(tmp_path: Path) -> None:
    path = _write(tmp_path, BLOCK)
    append_card(path, CARD)
    assert path.read_text().endswith(
        "    back: y2\n\n  - id: new-card\n    type: typed\n"
        '    front: "Year: Viet Nam joined ASEAN?"\n    back: "1995"\n'
        "    accept: [in 1995]\n    tags: [asean]\n"
        '    explain: "28 July 1995 # a date"\n'
    )


def test_insertion_after_the_last_card_when_keys_follow(tmp_path: Path) -> None:
    head = (
        HEADER
        + "cards:\n  - id: a\n    front: x\n    back: y\n"
        + "    explain: |\n      # not a comment\n      text\n"
    )
    tail = "  # comment about the sources\n\nsources:\n  - id: s\n"
    path = _write(tmp_path, head + tail)
    append_card(path, CARD)
    new = path.read_text()
    assert new.startswith(head) and new.endswith(tail)
    inserted = new[len(head) : len(new) - len(tail)]
    assert inserted.startswith("  - id: new-card\n") and inserted.count("\n") == 7
    assert _added(path).line == head.count("\n") + 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "cards, expected",
    [
        ("cards: []\n", "cards:\n  - id: new-card\n"),
        ("cards: [ ]   # none yet\n", "cards:   # none yet\n  - id: new-card\n"),
        ("cards:\n", "cards:\n  - id: new-card\n"),
    ],
)
def test_empty_cards_become_a_block_list(tmp_path: Path, cards: str, expected: str) -> None:
    path = _write(tmp_path, HEADER + cards + "description: after\n")
    append_card(path, CARD)
    new = path.read_text()
    assert new.startswith(HEADER + expected) and new.endswith("description: after\n")
    _added(path)


def test_a_flow_list_gets_one_more_flow_card(tmp_path: Path) -> None:
    text = HEADER + 'cards: [{id: a, front: x, back: "]"}]  # flow\n'
    path = _write(tmp_path, text)
    append_card(path, CARD)
    new = path.read_text()
    at = text.index("]  # flow")
    assert new[:at] == text[:at] and new.endswith(text[at:])
    _added(path)


def test_an_invalid_card_is_refused_and_the_file_untouched(tmp_path: Path) -> None:
    path = _write(tmp_path, BLOCK)
    before = path.read_bytes()
    with pytest.raises(AuthoringError, match="'back'"):
        append_card(path, {"id": "x", "type": "basic", "front": "q"})
    with pytest.raises(AuthoringError, match="duplicate card id"):
        append_card(path, {"id": "a", "front": "q", "back": "r"})
    assert path.read_bytes() == before


@pytest.mark.parametrize("quick", [False, True])
def test_check_card_ties_problems_to_fields(quick: bool) -> None:
    issues, card = check_card(
        {"type": "choice", "front": "q", "answer": "a", "distractors": ["b", "a"]},
        BLOCK,
        quick=quick,
    )
    assert card is None and [i.field for i in issues if i.severity == 2] == ["distractors"]
    issues, card = check_card({"type": "cloze", "text": "no deletion"}, BLOCK, quick=quick)
    assert card is None and issues[0].field == "text"
    issues, card = check_card({"type": "basic", "front": "q"}, BLOCK, quick=quick)
    assert [i.field for i in issues if i.severity == 2] == ["back"]
    issues, card = check_card(
        {"id": "ok", "type": "basic", "front": "q", "back": "r"}, BLOCK, quick=quick
    )
    assert issues == [] and (quick or (card is not None and card.key == "deck/ok"))
    issues, _ = check_card(
        {"id": "ok", "type": "basic", "front": "q", "back": "r", "source": "nope"},
        BLOCK,
        quick=quick,
    )
    assert [i.field for i in issues] == ["source"]
    issues, _ = check_card(
        {"id": "b", "type": "basic", "front": "q", "back": "r"}, BLOCK, quick=quick
    )
    assert [i.field for i in issues] == ["id"]


def test_a_crash_while_replacing_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, BLOCK)
    before = path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        append_card(path, CARD)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]  # no temporary file left


def test_atomic_write_keeps_the_mode_and_a_symlink(tmp_path: Path) -> None:
    target = _write(tmp_path, BLOCK, "real.yaml")
    os.chmod(target, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    append_card(link, CARD)
    assert link.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert "new-card" in target.read_text()
    with pytest.raises(FileExistsError):
        atomic_write(target, b"x", overwrite=False)
    assert "new-card" in target.read_text()


def test_the_template_is_a_clean_deck_with_every_card_type() -> None:
    deck, problems = _deck(new_deck_text("My course: part 1", "my-course", "x.yaml"))
    assert problems == []
    assert deck is not None and deck.title == "My course: part 1"  # type: ignore[attr-defined]
    assert sorted(c.type for c in deck.cards) == sorted(
        ["basic", "cloze", "typed", "choice", "list", "order"]
    )  # type: ignore[attr-defined]
    assert plan_insertion(new_deck_text("T", "t"), CARD).text.count("new-card") == 1


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_written_scalars_read_back_unchanged(text: str) -> None:
    value, _ = read_yaml("k: " + scalar(text) + "\n")
    assert value == {"k": text}
