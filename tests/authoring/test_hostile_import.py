"""Imports of hostile text (issue 16): control characters are dropped, never copied into a deck."""

from __future__ import annotations

import re
from pathlib import Path

import genanki

from study.core.authoring.interchange.apkg_import import read_apkg
from study.core.authoring.interchange.csv_tsv import read_csv
from study.core.authoring.interchange.deckfile import build_deck
from study.core.decks.parse import parse_deck

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _texts(cards: list[dict[str, object]]) -> list[str]:
    out: list[str] = []
    for card in cards:
        for value in card.values():
            out += [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return out


def _imports_cleanly(imported_cards: list[dict[str, object]], imported: object) -> None:
    assert not any(CONTROL.search(text) for text in _texts(imported_cards))
    text, kept = build_deck(imported, "Hostile", "hostile")  # type: ignore[arg-type]
    deck, problems = parse_deck(text, Path("hostile.yaml"), "hostile.yaml")
    assert deck is not None and problems == [] and len(kept) == len(imported_cards)


def test_csv_import_drops_control_characters() -> None:
    text = (
        "#separator:tab\n#html:false\n#columns:Front\tBack\tTags\n#deck:Evil\x1b[2J\n"
        "\x1b]0;pwned\x07Question\tAnswer\x9b2J\x7f\tta\x1bg\n"
        '"two\r\nlines\rand\x0bmore"\tback\n'
    )
    imported = read_csv(text, name="x")
    assert imported.title == "Evil[2J"
    assert [(c["front"], c["back"], c["tags"]) for c in imported.cards] == [
        ("]0;pwnedQuestion", "Answer2J", ["tag"]),
        ("two\nlines\nand\nmore", "back", []),
    ]
    _imports_cleanly(imported.cards, imported)


def test_csv_html_import_drops_character_references_to_control_characters() -> None:
    imported = read_csv("#separator:tab\n#html:true\nQ&#27;[2J&#x9b;\tA<br>&#7;b\n", name="x")
    # HTML reads &#x9b; as the Windows-1252 character it stands for: '›', not CSI
    assert [(c["front"], c["back"]) for c in imported.cards] == [("Q[2J›", "A\nb")]
    _imports_cleanly(imported.cards, imported)


def test_apkg_import_drops_control_characters(tmp_path: Path) -> None:
    model = genanki.Model(
        1607392319,
        "Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    deck = genanki.Deck(2059400110, "Top::Evil\x1b]0;x\x07")
    deck.add_note(
        genanki.Note(model=model, fields=["\x1b]0;pwned\x07Q", "A&#27;[2J\x85b"], tags=["t\x1bx"])
    )
    path = tmp_path / "evil.apkg"
    genanki.Package(deck).write_to_file(str(path), timestamp=0)
    imported = read_apkg(path)
    assert imported.title == "Evil]0;x"
    assert [(c["front"], c["back"], c["tags"]) for c in imported.cards] == [
        ("]0;pwnedQ", "A[2J\nb", ["tx"])
    ]
    _imports_cleanly(imported.cards, imported)
