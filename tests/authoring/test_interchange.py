"""Import and export: Anki-made packages and text files, round trips, Markdown."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from study.core.authoring.interchange.apkg_bytes import PackageError
from study.core.authoring.interchange.apkg_export import write_apkg
from study.core.authoring.interchange.apkg_import import read_apkg
from study.core.authoring.interchange.common import html_to_text
from study.core.authoring.interchange.csv_tsv import read_csv, write_csv
from study.core.authoring.interchange.deckfile import build_deck
from study.core.authoring.interchange.markdown import write_markdown
from study.core.decks.model import Card, Deck
from study.core.decks.parse import parse_deck
from tests.conftest import T0

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = [  # what the notes made by Anki (make_anki_fixtures.py) become
    {
        "type": "basic",
        "front": "Number of the CMC resolution on defence diplomacy (2013)",
        "back": "**806-NQ/QUTW**",
        "tags": ["documents", "resolutions"],
    },
    {
        "type": "basic",
        "front": "Viet Nam joined UN peacekeeping in which year?",
        "back": "2014\n(June)",
        "tags": ["peacekeeping"],
    },
    {
        "type": "basic",
        "front": "Four Nos",
        "reverse": True,
        "tags": ["policy"],
        "back": (
            "No military alliances, no siding with one country against another, "
            "no foreign bases, no use of force"
        ),
    },
    {
        "type": "basic",
        "front": "ADMM",
        "back": "ASEAN Defence Ministers' Meeting",
        "reverse": True,
        "tags": ["asean"],
    },
    {
        "type": "basic",
        "front": "ADMM+",
        "back": "ADMM-Plus: ASEAN and eight partners",
        "tags": ["asean"],
    },
    {"type": "typed", "front": "Year of Resolution 806-NQ/QUTW?", "back": "2013", "tags": []},
    {
        "type": "cloze",
        "text": "Foreign policy: {{c1::more friends}}, {{c2::fewer enemies}}.",
        "explain": "A *motto* of Vietnamese diplomacy",
        "tags": ["mottos"],
    },
    {
        "type": "cloze",
        "text": "Conclusion {{c1::53-KL/TW::number}} dates from {{c2::2023}}.",
        "tags": ["documents"],
    },
    {
        "type": "basic",
        "front": "hợp tác",
        "back": "cooperation\nhợp tác quốc phòng: defence cooperation",
        "tags": ["vocab"],
    },
]


def _essentials(card: dict[str, object]) -> dict[str, object]:
    return {
        k: v
        for k, v in card.items()
        if k not in ("id", "guid", "notetype") and v not in ("", False)
    }


@pytest.mark.parametrize("name", ["anki-current.apkg", "anki-legacy.apkg"])
def test_packages_made_by_anki_import(name: str) -> None:
    imported = read_apkg(FIXTURES / name, with_history=True)
    assert imported.title == "Defence diplomacy"
    assert [_essentials(c) for c in imported.cards] == EXPECTED
    assert imported.skipped == [
        "skipped 1 note of type 'Image Occlusion': image occlusion is not supported"
    ]
    assert imported.notes == []
    assert imported.media is not None and len(imported.media.members) == 1  # the occlusion's
    assert [(r.card, r.variant, r.rating) for r in imported.history] == [
        (0, "", 3),
        (1, "", 3),
        (2, "", 1),
        (3, "", 4),
    ]
    text, kept = build_deck(imported, "Defence diplomacy", "defence-diplomacy")
    deck, problems = parse_deck(text, Path("d.yaml"), "d.yaml")
    assert deck is not None and problems == [] and len(kept) == len(deck.cards) == 9


def test_the_package_formats_are_the_ones_anki_writes() -> None:
    with zipfile.ZipFile(FIXTURES / "anki-current.apkg") as current:
        assert {"collection.anki21b", "meta", "media"} <= set(current.namelist())
    with zipfile.ZipFile(FIXTURES / "anki-legacy.apkg") as legacy:
        assert "collection.anki21" in legacy.namelist()


def test_anki_text_export_imports() -> None:
    text = (FIXTURES / "anki-notes.txt").read_text(encoding="utf-8")
    imported = read_csv(text, name="notes", suffix=".txt")
    assert imported.title == "Defence diplomacy"
    assert [_essentials(c) for c in imported.cards] == EXPECTED
    assert len(imported.skipped) == 1 and "Image Occlusion" in imported.skipped[0]


def test_plain_csv_without_headers() -> None:
    imported = read_csv('"Q, with comma",A\nThe {{c1::x}} y,\n\n,empty\n', name="plain")
    assert imported.title == "plain"
    cards = [_essentials(c) for c in imported.cards]
    assert cards[0] == {"type": "basic", "front": "Q, with comma", "back": "A", "tags": []}
    assert cards[1] == {"type": "cloze", "text": "The {{c1::x}} y", "tags": []}
    assert imported.skipped == ["skipped row 4: note with an empty question: 'empty'"]
    with_header = read_csv("front,back\nQ,A\n,empty\n", name="plain")
    assert with_header.skipped == ["skipped row 3: note with an empty question: 'empty'"]


@pytest.mark.parametrize(
    "text",
    [
        "front,back\nCapital of Vietnam?,Hanoi\n",
        "Front,Back,Tags\nCapital of Vietnam?,Hanoi,geo\n",
        "\nQuestion;Answer\nCapital of Vietnam?;Hanoi\n",
        "back,front\nHanoi,Capital of Vietnam?\n",
    ],
)
def test_a_plain_header_row_names_the_columns(text: str) -> None:
    cards = [_essentials(c) for c in read_csv(text, name="plain", suffix=".txt").cards]
    assert len(cards) == 1
    assert (cards[0]["front"], cards[0]["back"]) == ("Capital of Vietnam?", "Hanoi")


def test_a_first_row_that_is_a_card_stays_a_card() -> None:
    cards = read_csv("front page,back page\nQ,A\n", name="plain").cards
    assert len(cards) == 2


def test_headers_columns_and_separators() -> None:
    text = (
        "#separator:Semicolon\n#html:false\n#columns:Text;Extra;Tags\n#tags:extra-tag\n#deck:A::B\n"
        "The {{c1::Four Nos}};<b>kept</b> as is;policy\n"
    )
    imported = read_csv(text, name="x")
    assert imported.title == "B"
    assert [_essentials(c) for c in imported.cards] == [
        {
            "type": "cloze",
            "text": "The {{c1::Four Nos}}",
            "explain": "<b>kept</b> as is",
            "tags": ["policy", "extra-tag"],
        }
    ]


def test_html_becomes_text() -> None:
    assert html_to_text("a<br>b&nbsp;<b>c</b>&amp;<img src='x.png'>[sound:y.mp3]<div>d</div>") == (
        "a\nb **c**&\nd",
        2,
    )


def _deck(text: str) -> Deck:
    deck, problems = parse_deck(text, Path("rt.yaml"), "rt.yaml")
    assert deck is not None and not problems
    return deck


ROUND = """\
title: Round trip
id: rt
cards:
  - {id: b1, front: "Q <1> & 2", back: "A\\nsecond line", tags: [t1, t2], explain: Why it is so}
  - {id: b2, front: Four Nos, back: No alliances, reverse: true}
  - {id: c1, text: "The {{c1::Four Nos}} and {{c2::one::hint}}", explain: context}
  - {id: t1, type: typed, front: Year?, back: "2013"}
"""


def _same(a: Card, b: Card) -> tuple[object, ...]:
    return (a.type, a.front, a.back, a.text, a.reverse, a.tags, a.explain) == (
        b.type,
        b.front,
        b.back,
        b.text,
        b.reverse,
        b.tags,
        b.explain,
    ), (a, b)


def test_round_trip_through_an_apkg(tmp_path: Path) -> None:
    deck = _deck(ROUND)
    path = tmp_path / "rt.apkg"
    assert write_apkg(deck, path, T0) == 4
    imported = read_apkg(path)
    assert imported.title == "Round trip" and imported.skipped == []
    text, _ = build_deck(imported, deck.title, deck.id)
    again = _deck(text)
    assert all(_same(a, b)[0] for a, b in zip(deck.cards, again.cards, strict=True))


def test_the_same_deck_at_the_same_time_gives_the_same_apkg_whatever_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _deck(ROUND)
    path = tmp_path / "rt.apkg"
    write_apkg(deck, path, T0)
    first = path.read_bytes()
    later = time.time() + 3 * 3600  # the wall clock an hour later: not part of the file
    monkeypatch.setattr(time, "time", lambda: later)
    write_apkg(deck, path, T0)
    assert path.read_bytes() == first
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {T0.timetuple()[:6]}


def test_round_trip_through_csv_and_tsv() -> None:
    deck = _deck(ROUND)
    for separator, suffix in ((",", ".csv"), ("\t", ".tsv")):
        imported = read_csv(write_csv(deck, separator), name="x", suffix=suffix)
        again = _deck(build_deck(imported, deck.title, deck.id)[0])
        for a, b in zip(deck.cards, again.cards, strict=True):
            explain = a.explain if a.type == "cloze" else ""
            assert (a.type, a.front, a.back, a.text, a.reverse, a.tags) == (
                b.type,
                b.front,
                b.back,
                b.text,
                b.reverse,
                b.tags,
            ) and b.explain == explain


def test_choice_list_and_order_export_as_basic_notes(tmp_path: Path) -> None:
    deck = _deck(
        "title: O\ncards:\n"
        "  - {id: ch, type: choice, front: Pick, answer: right, distractors: [wrong, other]}\n"
        "  - {id: li, type: list, front: List, items: [a, b]}\n"
        "  - {id: or, type: order, front: Order, items: [first, second, third]}\n"
    )
    write_apkg(deck, tmp_path / "o.apkg", T0)
    cards = read_apkg(tmp_path / "o.apkg").cards
    assert [(c["type"], c["back"]) for c in cards] == [
        ("basic", "right"),
        ("basic", "a\nb"),
        ("basic", "first\nsecond\nthird"),
    ]
    assert cards[0]["front"] == "Pick\nother\nright\nwrong"


def test_markdown_study_sheet() -> None:
    sheet = write_markdown(_deck(ROUND))
    assert sheet.startswith("# Round trip\n")
    assert "1. **Q \\<1\\> & 2**\n   A  \n   second line\n   > Why it is so" in sheet
    assert "3. The **Four Nos** and **one**" in sheet


def test_not_a_package(tmp_path: Path) -> None:
    bad = tmp_path / "x.apkg"
    bad.write_text("not a zip")
    with pytest.raises(PackageError, match="not a zip"):
        read_apkg(bad)
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(PackageError, match="no Anki collection"):
        read_apkg(bad)


def test_build_deck_checks_cards_in_batches_and_writes_what_deck_text_writes() -> None:
    from study.core.authoring.interchange.deckfile import BATCH
    from study.core.authoring.interchange.yamlout import deck_text

    rows = [f"q{n},a{n}\n" for n in range(2 * BATCH + 7)]
    rows[3] = rows[BATCH + 1] = "{{c1::x}} }},unbalanced\n"  # a cloze the deck parser refuses
    imported = read_csv("".join(rows), name="t")
    text, kept = build_deck(imported, "T", "t", comment="from a test")
    assert len(kept) == 2 * BATCH + 5 and 3 not in kept and BATCH + 1 not in kept
    assert (
        imported.skipped
        == ["skipped card '{{c1::x}} }}': unbalanced '{{' and '}}' in the cloze text"] * 2
    )
    assert text == deck_text("T", "t", [imported.cards[i] for i in kept], comment="from a test")
