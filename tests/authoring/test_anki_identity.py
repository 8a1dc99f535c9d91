"""A note's identity kept through Anki and back: ``guid``/``notetype`` in the deck file,
stock note types on export, ``accept`` and ``explain`` in fields Anki shows."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from study.core.authoring.interchange.anki_fields import extras, split_extras, with_extras
from study.core.authoring.interchange.apkg_export import write_apkg
from study.core.authoring.interchange.apkg_import import read_apkg
from study.core.authoring.interchange.deckfile import build_deck
from study.core.authoring.interchange.guid import guid_for
from study.core.decks.model import Deck
from study.core.decks.parse import parse_deck
from tests.conftest import T0

FIXTURES = Path(__file__).parent / "fixtures"


def _deck(text: str) -> Deck:
    deck, problems = parse_deck(text, Path("d.yaml"), "d.yaml")
    assert deck is not None and not problems, [str(p) for p in problems]
    return deck


def _errors(cards: str) -> list[str]:
    _, problems = parse_deck(f"title: T\ncards:\n{cards}", Path("d.yaml"), "d.yaml")
    return [str(p) for p in problems]


def test_a_card_keeps_its_guid_and_note_type() -> None:
    deck = _deck(
        "title: T\ncards:\n"
        '  - {id: a, front: q, back: r, guid: "f#8Qx/a", notetype: 1796248575483}\n'
    )
    assert (deck.cards[0].guid, deck.cards[0].notetype) == ("f#8Qx/a", 1796248575483)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ('{id: a, front: q, back: r, guid: "two words"}', "1:1 no spaces"),
        ("{id: a, front: q, back: r, guid: x, notetype: -3}", "a positive whole number"),
        ("{id: a, front: q, back: r, guid: x, notetype: [1]}", "a positive whole number"),
        ("{id: a, front: q, back: r, notetype: 12}", "goes with a 'guid'"),
        ("{id: a, front: q, back: r, guid: }", "'guid' is empty"),
    ],
)
def test_lint_checks_guid_and_notetype(card: str, message: str) -> None:
    errors = _errors(f"  - {card}\n")
    assert len(errors) == 1 and message.split()[-1] in errors[0], errors
    assert errors[0].startswith("d.yaml:3:")


def test_two_cards_with_one_guid_are_refused() -> None:
    errors = _errors(
        "  - {id: a, front: q, back: r, guid: g1}\n  - {id: b, front: q2, back: r, guid: g1}\n"
    )
    assert errors == [
        "d.yaml:4:39: error: guid 'g1' is also on the card at line 3: Anki would take both "
        "for one note; remove one"
    ]


def _collection(path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as archive:
        data = archive.read("collection.anki2")
    db_path = path.with_suffix(".anki2")
    db_path.write_bytes(data)
    return sqlite3.connect(db_path)


DECK = """\
title: Identity
id: ident
cards:
  - {id: kept, front: Capital of France?, back: Paris, guid: "c(2yo4qxIJ", notetype: 1795352082785}
  - {id: fresh, front: Capital of Italy?, back: Rome, explain: Since 1871}
  - {id: typed, type: typed, front: Year?, back: "2013", accept: [two thousand thirteen]}
  - {id: cz, text: "The {{c1::Four Nos}}", explain: a motto}
"""


def test_export_reuses_kept_guids_and_note_types(tmp_path: Path) -> None:
    write_apkg(_deck(DECK), tmp_path / "i.apkg", T0)
    db = _collection(tmp_path / "i.apkg")
    notes = dict(db.execute("SELECT flds, guid FROM notes"))
    assert notes["Capital of France?\x1fParis"] == "c(2yo4qxIJ"
    guid_of_fresh = next(g for f, g in notes.items() if f.startswith("Capital of Italy?"))
    assert guid_of_fresh == guid_for("ident/fresh")
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    described = sorted(
        (m["name"], [f["name"] for f in m["flds"]], [t["name"] for t in m["tmpls"]], m["mod"])
        for m in models.values()
    )
    assert described == [
        ("Basic", ["Front", "Back"], ["Card 1"], 0),
        ("Basic (type in the answer) (study)", ["Front", "Back"], ["Card 1"], 0),
        ("Cloze (study)", ["Text", "Back Extra"], ["Cloze"], 0),
    ]
    assert models["1795352082785"]["name"] == "Basic"


def test_accept_and_explain_go_where_anki_shows_them_and_come_back(tmp_path: Path) -> None:
    write_apkg(_deck(DECK), tmp_path / "i.apkg", T0)
    db = _collection(tmp_path / "i.apkg")
    fields = [f.split("\x1f") for (f,) in db.execute("SELECT flds FROM notes ORDER BY id")]
    assert fields[1][1].startswith('Rome<br><div class="study-explain"')
    assert fields[2][1] == "2013"  # Anki checks the typed answer against all of Back
    assert "Also accepted: " in fields[2][0] and "<details" in fields[2][0]
    cards = read_apkg(tmp_path / "i.apkg").cards
    assert [(c.get("back"), c.get("accept"), c.get("explain")) for c in cards] == [
        ("Paris", None, ""),
        ("Rome", None, "Since 1871"),
        ("2013", ["two thousand thirteen"], ""),
        (None, None, "a motto"),
    ]


def test_split_extras_undoes_extras() -> None:
    part = extras(["a & b", "c"], "why\nso")
    assert split_extras(with_extras("Back", part)) == ("Back", ["a & b", "c"], "why<br>so")
    assert split_extras(with_extras("Q", part, folded=True)) == ("Q", ["a & b", "c"], "why<br>so")
    assert split_extras("plain <div>field</div>") == ("plain <div>field</div>", [], "")


def test_import_keeps_guids_and_stock_note_type_ids() -> None:
    imported = read_apkg(FIXTURES / "anki-current.apkg")
    assert all("guid" in c for c in imported.cards)
    assert len({c["guid"] for c in imported.cards}) == len(imported.cards)
    with_type = [c for c in imported.cards if "notetype" in c]
    # stock Basic, reversed, typed and Cloze notes keep their note type; the optional-reverse
    # and custom note types have other fields, so their notes would not map back onto them
    assert {c["type"] for c in with_type} == {"basic", "typed", "cloze"}
    text, kept = build_deck(imported, "D", "d")
    deck = _deck(text)
    assert [c.guid for c in deck.cards] == [imported.cards[i]["guid"] for i in kept]


def test_guid_and_notetype_survive_the_deck_cache() -> None:
    from study.core.decks.cache import decode, encode

    deck = _deck(DECK)
    again, _ = decode(encode(deck, []), deck.path, deck.display, deck.group)
    assert again is not None and again.cards == deck.cards
    assert again.cards[0].guid == "c(2yo4qxIJ" and again.cards[0].notetype == 1795352082785


def test_anki_text_files_keep_the_guid_both_ways() -> None:
    from study.core.authoring.interchange.csv_tsv import read_csv, write_csv

    text = write_csv(_deck(DECK), "\t")
    assert "\nc(2yo4qxIJ\t" in text and f"\n{guid_for('ident/fresh')}\t" in text
    cards = read_csv(text, name="x", suffix=".tsv").cards
    assert cards[0]["guid"] == "c(2yo4qxIJ" and cards[1]["guid"] == guid_for("ident/fresh")


def test_a_note_type_id_goes_to_the_kind_most_of_its_cards_have() -> None:
    from study.core.authoring.interchange.apkg_export import note_type_ids

    deck = _deck(
        "title: T\ncards:\n"
        "  - {id: t, type: typed, front: q0, back: r, guid: g0, notetype: 11}\n"  # was Basic
        "  - {id: a, front: q1, back: r, guid: g1, notetype: 11}\n"
        "  - {id: b, front: q2, back: r, guid: g2, notetype: 11}\n"
        "  - {id: c, front: q3, back: r, guid: g3, notetype: 12}\n"
        '  - {id: z, text: "{{c1::x}}", guid: g4, notetype: 13}\n'
    )
    assert note_type_ids(deck) == {"Basic": 11, "Cloze": 13}


def test_a_guid_two_notes_share_goes_to_the_first_only(tmp_path: Path) -> None:
    path = tmp_path / "i.apkg"
    write_apkg(_deck(DECK), path, T0)
    db = _collection(path)
    db.execute("UPDATE notes SET guid = 'same'")
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(path.with_suffix(".anki2"), "collection.anki2")
    imported = read_apkg(path)
    assert [c.get("guid") for c in imported.cards] == ["same", None, None, None]
    text, kept = build_deck(imported, "D", "d")
    assert len(kept) == 4 and _deck(text).cards[0].guid == "same"
