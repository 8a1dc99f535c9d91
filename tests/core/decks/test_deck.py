"""Deck validation (every error at its line and column) and the expansion of cards into items.

Each file in ``tests/corpus/messages`` states what it must give, in comments:
``# expect: LINE:COL: SEVERITY: MESSAGE`` for every problem, in order, and
``# loads: ...`` for the card ids that load (or that the file is refused).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from study.core.decks.card import derived_id
from study.core.decks.loader import DeckFile, load_decks, load_file
from study.core.decks.model import (
    Card,
    CardType,
    Deck,
    Item,
    Problem,
    Severity,
    Source,
    SourceRef,
    cloze_answers,
    cloze_numbers,
    cloze_render,
    expand,
)
from study.core.decks.parse import parse_deck

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MESSAGES = Path(__file__).resolve().parents[2] / "corpus" / "messages"
BROKEN = sorted(MESSAGES.glob("*.yaml"))


def parse(text: str) -> tuple[Deck | None, list[Problem]]:
    """Parse a deck's text as the file ``t.yaml``."""
    return parse_deck(text, Path("t.yaml"), "t.yaml")


def deck_of(text: str) -> Deck:
    """The deck parsed from ``text``, which must have no problems at all."""
    deck, problems = parse(text)
    assert problems == []
    assert deck is not None
    return deck


def one_card(body: str) -> Card:
    """The single card of a deck whose card is given by ``body`` (indented as a list item)."""
    deck = deck_of("title: T\nid: d\ncards:\n  - " + body.strip().replace("\n", "\n    ") + "\n")
    assert len(deck.cards) == 1
    return deck.cards[0]


# --- the broken fixtures -----------------------------------------------------


@pytest.mark.parametrize("path", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_fixture_gives_exactly_the_expected_problems(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = re.findall(r"^# expect: (.*)$", text, re.MULTILINE)
    _, problems = load_file(DeckFile(path, path.name))
    assert [str(p).removeprefix(f"{path.name}:") for p in problems] == expected


@pytest.mark.parametrize("path", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_fixture_loads_what_it_says(path: Path) -> None:
    (loads,) = re.findall(r"^# loads: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    deck, _ = load_file(DeckFile(path, path.name))
    if loads.startswith("nothing"):
        assert deck is None
        return
    assert deck is not None
    assert [c.id for c in deck.cards] == ([] if loads == "no cards" else loads.split(", "))


def test_every_broken_fixture_states_its_problems() -> None:
    assert len(BROKEN) >= 25
    for path in BROKEN:
        text = path.read_text(encoding="utf-8")
        assert "# loads: " in text, path.name
        if path.name != "empty-cards.yaml":
            assert "error: " in text, path.name


def test_a_bad_card_is_skipped_and_the_rest_of_its_deck_loads() -> None:
    deck, problems = parse(
        "title: T\ncards:\n"
        "  - id: one\n    front: q1\n    back: a1\n"
        "  - id: two\n    front: q2\n    bakc: a2\n"
        "  - id: three\n    front: q3\n    back: a3\n"
    )
    assert deck is not None
    assert [c.id for c in deck.cards] == ["one", "three"]
    assert [(p.line, p.col) for p in problems] == [(8, 5)]
    assert "did you mean 'back'?" in problems[0].message


def test_every_broken_deck_is_reported_and_the_good_ones_still_load() -> None:
    result = load_decks([MESSAGES, FIXTURES / "good"])
    assert {d.id for d in result.decks} >= {"full", "admm", "unknown-card-key", "cloze"}
    files_with_errors = {Path(p.path).name for p in result.errors}
    assert files_with_errors == {p.name for p in BROKEN} - {"empty-cards.yaml"}
    good = {d.id: d for d in result.decks}
    assert len(good["full"].cards) == 7


# --- individual rules, inline -----------------------------------------------


def test_problem_str_and_dict() -> None:
    problem = Problem("decks/a.yaml", 3, 5, "something is wrong")
    assert str(problem) == "decks/a.yaml:3:5: error: something is wrong"
    warning = Problem("a.yaml", 1, 1, "hm", Severity.WARNING)
    assert str(warning) == "a.yaml:1:1: warning: hm"
    assert warning.to_dict() == {
        "path": "a.yaml",
        "line": 1,
        "col": 1,
        "severity": "warning",
        "message": "hm",
    }


@pytest.mark.parametrize(
    ("value", "kind"),
    [("true", "a boolean"), ("[a, b]", "list"), ("{a: b}", "map")],
)
def test_text_expected(value: str, kind: str) -> None:
    _, problems = parse(f"title: T\ncards:\n  - id: a\n    front: q\n    back: {value}\n")
    assert [str(p) for p in problems] == [
        f"t.yaml:5:11: error: 'back' must be text, not {kind}; quote it if it is text"
    ]


def test_numbers_are_text_as_written() -> None:
    card = one_card("id: a\nfront: 1994\nback: 0800\nexplain: 1.50")
    assert (card.front, card.back, card.explain) == ("1994", "0800", "1.50")


def test_a_key_with_no_value_is_empty() -> None:
    _, problems = parse("title: T\ncards:\n  - id: a\n    front: q\n    back:\n")
    assert [str(p) for p in problems] == ["t.yaml:5:10: error: 'back' is empty: write the back"]


def test_deck_id_defaults_to_the_file_name() -> None:
    deck, _ = parse_deck("title: T\ncards: []\n", Path("folder/my-deck.yaml"), "my-deck.yaml")
    assert deck is not None and deck.id == "my-deck"


def test_a_deck_file_name_that_is_not_an_id_needs_an_id() -> None:
    deck, problems = parse_deck("title: T\ncards: []\n", Path("my deck.yaml"), "my deck.yaml")
    assert deck is None
    assert [str(p) for p in problems] == [
        "my deck.yaml:1:1: error: deck id 'my deck': use letters, digits, '-', '_' and '.'"
    ]


def test_deck_header_values() -> None:
    deck = deck_of(
        "title: ' Documents '\nid: docs\ndescription: About them.\ntags: [party, docs]\n"
        "sources:\n  - id: s1\n    title: A title\n    author: Someone\n    date: 2014\n"
        "cards:\n  - id: a\n    front: q\n    back: b\n    tags: [dates, docs]\n    source: s1\n"
    )
    assert (deck.id, deck.title, deck.description) == ("docs", "Documents", "About them.")
    assert deck.tags == ("party", "docs")
    assert deck.sources == (Source("s1", "A title", "Someone", "", "2014", ""),)
    assert deck.source("s1") is deck.sources[0] and deck.source("nope") is None
    assert deck.sources[0].describe() == "“A title”, Someone, 2014"
    card = deck.cards[0]
    assert card.tags == ("party", "docs", "dates")  # deck tags first, no repeats
    assert card.source == SourceRef("s1")
    assert (card.deck_id, card.key, card.line) == ("docs", "docs/a", 11)


def test_card_type_defaults() -> None:
    assert one_card("id: a\nfront: q\nback: b").type is CardType.BASIC
    assert one_card("id: a\ntext: x {{y}}").type is CardType.CLOZE


def test_every_card_type_is_validated_into_its_fields() -> None:
    deck, problems = load_file(DeckFile(FIXTURES / "good" / "full.yaml", "full.yaml"))
    assert problems == []
    assert deck is not None
    cards = {c.id: c for c in deck.cards}
    assert cards["r806-number"].reverse is True
    assert cards["r806-date"].accept == ("31/12/2013",)
    assert cards["r806-date"].source == SourceRef("vinh-2014", "opening paragraph")
    assert cards["r806-date"].tags == ("fixture", "dates")
    assert cards["r806-body"].expected == "The Central Military Commission"
    assert cards["r806-body"].distractors == ("The Politburo", "The National Assembly")
    assert cards["four-nos"].items[0] == "no military alliances"
    assert cards["four-nos"].ordered is False
    assert cards["white-papers"].items == ("1998", "2004", "2009", "2019")
    assert cards["first-white-paper"].back == "1998"
    assert {c.type for c in deck.cards} == set(CardType)


# --- expansion into items ----------------------------------------------------


def test_item_keys_of_the_full_fixture() -> None:
    deck, _ = load_file(DeckFile(FIXTURES / "good" / "full.yaml", "full.yaml"))
    assert deck is not None
    keys = [item.key for card in deck.cards for item in expand(card)]
    assert keys == [
        "full/r806-number",
        "full/r806-number#r",
        "full/r806-date",
        "full/motto#c1",
        "full/motto#c2",
        "full/r806-body",
        "full/four-nos",
        "full/white-papers",
        "full/first-white-paper",
    ]


def test_basic_card() -> None:
    (item,) = expand(one_card("id: a\nfront: Question?\nback: Answer"))
    assert (item.key, item.variant, item.note_key) == ("d/a", "", "d/a")
    assert (item.prompt, item.answer) == ("Question?", "Answer")


def test_basic_with_reverse_gives_two_siblings() -> None:
    forward, backward = expand(one_card("id: a\nfront: Question?\nback: Answer\nreverse: true"))
    assert (forward.key, backward.key) == ("d/a", "d/a#r")
    assert forward.note_key == backward.note_key == "d/a"
    assert (backward.prompt, backward.answer) == ("Answer", "Question?")


def test_cloze_gives_one_item_per_number() -> None:
    card = one_card("id: m\ntext: A {{c1::one}}, {{c2::two::a number}} and {{c1::uno}}.")
    items = expand(card)
    assert [i.key for i in items] == ["d/m#c1", "d/m#c2"]
    c1, c2 = items
    assert c1.note_key == c2.note_key == "d/m"
    assert c1.cloze_number == 1 and c2.cloze_number == 2
    # deletions sharing a number are hidden together; a hint shows in the blank
    assert c1.prompt == "A [...], two and [...]."
    assert c1.answer == "one; uno"
    assert c2.prompt == "A one, [a number] and uno."
    assert c2.answer == "two"
    assert cloze_render(card.text, 1, reveal=True) == "A [one], two and [uno]."
    assert cloze_render(card.text, 2, reveal=True, mark=("<", ">")) == "A one, <two> and uno."


def test_unnumbered_deletions_each_get_the_next_free_number() -> None:
    text = "{{first}}, {{c2::second}}, {{third::hint}}"
    assert cloze_numbers(text) == [3, 2, 4]
    card = one_card(f"id: u\ntext: '{text}'")
    assert [i.key for i in expand(card)] == ["d/u#c2", "d/u#c3", "d/u#c4"]
    assert cloze_render(text, 4, reveal=False) == "first, second, [hint]"
    assert cloze_answers(text, 3) == ["first"]


def test_cloze_answer_may_hold_colons_and_span_lines() -> None:
    text = "At {{c1::12:30}} the {{c2::two\nlines}} end."
    assert cloze_answers(text, 1) == ["12:30"]
    assert cloze_answers(text, 2) == ["two\nlines"]


@pytest.mark.parametrize(
    ("body", "prompt", "answer"),
    [
        (
            "type: typed\nfront: Q?\nback: 31 December 2013\naccept: [31/12/2013]",
            "Q?",
            "31 December 2013",
        ),
        ("type: choice\nfront: Q?\nanswer: The CMC\ndistractors: [X, Y]", "Q?", "The CMC"),
        ("type: list\nfront: Q?\nitems: [a, b, c]\nordered: true", "Q?", "a\nb\nc"),
        ("type: order\nfront: Q?\nitems: [first, second]", "Q?", "first\nsecond"),
    ],
)
def test_other_card_types_give_one_item(body: str, prompt: str, answer: str) -> None:
    (item,) = expand(one_card("id: x\n" + body))
    assert (item.key, item.prompt, item.answer) == ("d/x", prompt, answer)


def test_items_with_the_same_card_and_variant_are_equal() -> None:
    card = one_card("id: a\nfront: q\nback: b")
    assert Item(card) == expand(card)[0]
    assert Item(card, "r").key == "d/a#r"


# --- derived ids ------------------------------------------------------------


def test_derived_ids_are_stable_and_content_based() -> None:
    # these values must never change: progress of cards without an id is keyed on them
    assert derived_id(CardType.BASIC, "question|answer") == "h0e6d96b6"
    assert derived_id(CardType.CLOZE, "a {{c1::b}}") == "h6e2aa6d7"
    assert derived_id(CardType.BASIC, "  Question |ANSWER ") == derived_id(
        CardType.BASIC, "question |answer"
    )
    assert derived_id(CardType.TYPED, "question|answer") != derived_id(
        CardType.BASIC, "question|answer"
    )


def test_card_without_id_gets_the_same_derived_id_when_reloaded() -> None:
    text = "title: T\nid: d\ncards:\n  - front: Capital?\n    back: Ha Noi\n"
    first, problems = parse(text)
    assert [p.severity for p in problems] == [Severity.WARNING]
    second, _ = parse("# a comment moves the card down\n" + text.replace("Capital?", "capital?  "))
    assert first is not None and second is not None
    assert first.cards[0].id == second.cards[0].id
    assert first.cards[0].id.startswith("h") and not first.cards[0].id_given
    third, _ = parse(text.replace("Ha Noi", "Hanoi"))
    assert third is not None and third.cards[0].id != first.cards[0].id


def test_derived_ids_of_the_no_ids_fixture() -> None:
    deck, _ = load_file(DeckFile(MESSAGES / "no-ids.yaml", "no-ids.yaml"))
    assert deck is not None
    front_back = derived_id(CardType.BASIC, "Question one||answer|")
    cloze = derived_id(CardType.CLOZE, "|Viet Nam aims for {{c1::more friends}}.||")
    assert [c.id for c in deck.cards] == [front_back, cloze, "with-id"]


# --- several sources on one card ---------------------------------------------

TWO_SOURCES = """\
title: T
id: d
sources:
  - {id: a, title: First article, date: "2016"}
  - {id: b, title: Second article, date: "2025"}
cards:
  - id: both
    front: q
    back: b
    source: [{id: a, at: "paragraph 2"}, {id: b, at: "endnote 1"}]
  - id: one
    front: q2
    back: b2
    source: {id: a, at: "opening"}
  - id: bare-list
    front: q3
    back: b3
    source: [a, b]
"""


def test_a_card_may_cite_several_sources_and_one_source_works_as_before() -> None:
    cards = {c.id: c for c in deck_of(TWO_SOURCES).cards}
    both = cards["both"]
    assert both.source == SourceRef("a", "paragraph 2")  # the first, where one is expected
    assert both.more_sources == (SourceRef("b", "endnote 1"),)
    assert both.citations == (SourceRef("a", "paragraph 2"), SourceRef("b", "endnote 1"))
    assert cards["one"].citations == (SourceRef("a", "opening"),)
    assert cards["one"].more_sources == ()
    assert cards["bare-list"].citations == (SourceRef("a"), SourceRef("b"))
    assert one_card("id: x\nfront: q\nback: b").citations == ()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[]", "3:40: error: 'source' is an empty list: cite at least one source"),
        ("[a, nope]", "3:44: error: unknown source 'nope'"),
        ("[{id: a, at: x}, {id: a, at: x}]", "3:57: error: source 'a' is cited twice"),
        ("[a, [b]]", "3:44: error: 'source' must be a source id, {id: ..., at: ...}, or a list"),
        ("[{id: a, page: 3}]", "3:49: error: unknown key 'page'"),
    ],
)
def test_a_bad_source_list_is_reported_at_the_bad_entry(source: str, message: str) -> None:
    text = (
        "title: T\ncards:\n  - {id: c, front: q, back: b, source: "
        + source
        + "}\nsources:\n  - {id: a, title: A, date: '1'}\n  - {id: b, title: B, date: '2'}\n"
    )
    deck, problems = parse(text)
    assert deck is not None and deck.cards == ()
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"t.yaml:{message}"), str(problems[0])


def test_several_sources_survive_the_cache_and_show_in_every_export() -> None:
    from study.core.authoring.interchange.apkg_export import explain_text as _explain
    from study.core.authoring.interchange.markdown import write_markdown
    from study.core.decks.cache import decode, encode

    deck = deck_of(TWO_SOURCES)
    again, _ = decode(encode(deck, []), deck.path, deck.display, deck.group)
    assert again is not None
    assert [c.citations for c in again.cards] == [c.citations for c in deck.cards]
    assert [c.source for c in again.cards] == [c.source for c in deck.cards]
    sheet = write_markdown(deck)
    assert "*Source: a, paragraph 2*" in sheet and "*Source: b, endnote 1*" in sheet
    note = _explain(deck.cards[0], deck)
    assert "First article" in note and "paragraph 2" in note
    assert "Second article" in note and "endnote 1" in note
