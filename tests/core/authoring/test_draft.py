"""The draft extractor: each pattern on small made-up texts, the deck YAML it writes,
and (when the shared source texts are present) every document and numbered list of
the five real articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from study.core.authoring.draft import Candidate, draft_deck, extract

SOURCES = Path(__file__).resolve().parents[3].parent / "shared" / "sources"
NEEDS = {
    "basic": {"front", "back"},
    "typed": {"front", "back"},
    "cloze": {"text"},
    "list": {"front", "items", "ordered"},
}
ALLOWED = {"basic": {"reverse"}, "typed": {"accept"}, "cloze": set(), "list": set()}
COMMON = {"id", "type", "tags", "source"}


def found(text: str, kind: str | None = None) -> list[Candidate]:
    """The candidates of one kind (or all) found in a text."""
    return [c for c in extract(text) if kind is None or c.kind == kind]


def cards(text: str, kind: str | None = None) -> dict[str, dict[str, object]]:
    """The cards found in a text, by id."""
    return {str(c.card["id"]): c.card for c in found(text, kind)}


def lists(text: str) -> list[tuple[int, list[str], bool]]:
    """(line, items, ordered) of each list card found in a text."""
    return [
        (c.line, list(c.card["items"]), bool(c.card["ordered"]))  # type: ignore[call-overload]
        for c in found(text, "enumeration")
    ]


def check_deck(out: str) -> dict[str, object]:
    """Load a drafted deck: it has the deck format's keys, unique ids and a comment per card."""
    deck = yaml.safe_load(out)
    assert isinstance(deck, dict)
    assert set(deck) == {"title", "id", "description", "tags", "sources", "cards"}
    assert "draft" in str(deck["description"]).lower()
    source_ids = {s["id"] for s in deck["sources"]}
    ids = [card["id"] for card in deck["cards"]]
    assert len(ids) == len(set(ids))
    for card in deck["cards"]:
        kind = card["type"]
        assert NEEDS[kind] <= set(card) <= NEEDS[kind] | ALLOWED[kind] | COMMON, card
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}", card["id"])
        assert card["source"]["id"] in source_ids
        assert re.fullmatch(r"line \d+", card["source"]["at"])
        assert all(
            isinstance(card[k], str) and card[k].strip() for k in NEEDS[kind] - {"items", "ordered"}
        )
        if kind == "list":
            assert card["items"] and all(isinstance(i, str) and i for i in card["items"])
            assert len({i.casefold() for i in card["items"]}) == len(card["items"])
        if kind == "cloze":
            assert "{{c1::" in card["text"] and card["text"].count("{{") == card["text"].count("}}")
    lines = out.splitlines()
    start = lines.index("cards:") if deck["cards"] else len(lines)
    assert sum(line.startswith("  - id: ") for line in lines[start:]) == len(ids)
    for i, line in enumerate(lines[start:], start):
        if line.startswith("  - id: "):
            assert re.match(r"  # line \d+: ", lines[i - 1]), lines[i - 1]
    return deck


# --- documents -------------------------------------------------------------------------------


def test_document_number_date_and_body_before_it() -> None:
    text = (
        "On December 31, 2013, the Central Military Commission promulgated Resolution 806-NQ/QUTW "
        "on international integration and defence diplomacy up to 2020 and beyond."
    )
    got = cards(text, "document")
    assert set(got) == {"doc-806-nq-qutw-number", "doc-806-nq-qutw-date", "doc-806-nq-qutw-body"}
    number = got["doc-806-nq-qutw-number"]
    assert number["type"] == "typed" and number["back"] == "806-NQ/QUTW"
    assert "806" not in str(number["front"]) and "international integration" in str(number["front"])
    date = got["doc-806-nq-qutw-date"]
    assert date["back"] == "31 December 2013" and "31/12/2013" in date["accept"]  # type: ignore[operator]
    assert "Resolution 806-NQ/QUTW" in str(date["front"])
    assert got["doc-806-nq-qutw-body"] == {
        "id": "doc-806-nq-qutw-body",
        "type": "basic",
        "front": "Which body issued Resolution 806-NQ/QUTW?",
        "back": "the Central Military Commission",
        "tags": ["documents"],
        "source": {"id": "text", "at": "line 1"},
    }


def test_two_documents_in_one_sentence_keep_their_own_dates_and_bodies() -> None:
    text = (
        "Implement the Politburo’s Resolution No. 34-NQ/TW, dated 9th January, 2023, "
        "on key orientations, and Directive No. 25-CT/TW, dated August 8, 2018, "
        "by the Secretariat on multilateral diplomacy; "
        "Conclusion No. 57-KL/TW dated 15th June, 2023, of the Politburo."
    )
    got = cards(text, "document")
    assert got["doc-34-nq-tw-date"]["back"] == "9 January 2023"
    assert got["doc-34-nq-tw-body"]["back"] == "the Politburo"
    assert got["doc-25-ct-tw-date"]["back"] == "8 August 2018"
    assert got["doc-25-ct-tw-body"]["back"] == "the Secretariat"
    assert "Directive" in str(got["doc-25-ct-tw-date"]["front"])
    assert got["doc-57-kl-tw-date"]["back"] == "15 June 2023"
    assert "Conclusion" in str(got["doc-57-kl-tw-body"]["front"])


def test_missing_pieces_are_left_out_never_invented() -> None:
    text = (
        "The Government discussed it in 2021. "
        "Continuing to enhance participation in UN peacekeeping operations "
        "as per Resolution No. 130/2020/QH14, with an approach to expand the scope."
    )
    got = cards(text, "document")
    assert set(got) == {"doc-130-2020-qh14-number"}
    front = str(got["doc-130-2020-qh14-number"]["front"])
    assert "____" in front and "130/2020" not in front


def test_body_mentioned_after_the_number_must_be_the_issuer() -> None:
    text = "Directive 25-CT/TW was later discussed by the Government at length in Ha Noi."
    assert set(cards(text, "document")) == {"doc-25-ct-tw-number"}


def test_date_and_body_from_an_adjacent_sentence_about_issuing() -> None:
    text = (
        "Resolution 22-NQ/TW sets out the strategy for integration. "
        "It was adopted by the Politburo on 24 January 2019."
    )
    got = cards(text, "document")
    assert got["doc-22-nq-tw-date"]["back"] == "24 January 2019"
    assert got["doc-22-nq-tw-body"]["back"] == "the Politburo"
    unrelated = "Resolution 22-NQ/TW sets out the strategy. The minister visited Hue on 3 May 2019."
    assert set(cards(unrelated, "document")) == {"doc-22-nq-tw-number"}


def test_repeated_document_gives_one_set_of_cards_with_numeric_dates() -> None:
    text = (
        "The CMC issued Resolution 24-NQ/QUTW on 5/10/2012.\n"
        "Later the Resolution 24-NQ/QUTW of the CMC was reviewed."
    )
    got = cards(text, "document")
    assert set(got) == {"doc-24-nq-qutw-number", "doc-24-nq-qutw-date", "doc-24-nq-qutw-body"}
    assert got["doc-24-nq-qutw-date"]["back"] == "5 October 2012"
    assert got["doc-24-nq-qutw-body"]["back"] == "the Central Military Commission"


# --- dates and figures -----------------------------------------------------------------------


def test_dates_with_events() -> None:
    text = (
        "In 2005, Viet Nam informed the United Nations of its plan to join peacekeeping.\n"
        "The 12th Shangri-La Dialogue opened on 31st May 2013 "
        "with a speech by the Prime Minister.\n"
        "Tuesday, 2/6/2020\n"
        "The exchange took place in 2022 (May 15, 2022) on the border with Cambodia."
    )
    got = {c.line: c.card for c in found(text, "date")}
    assert set(got) == {1, 2, 4}
    assert got[1]["back"] == "2005" and "In ____," in str(got[1]["front"])
    assert got[2]["back"] == "31 May 2013" and "May 31, 2013" in got[2]["accept"]  # type: ignore[operator]
    assert got[4]["back"] == "15 May 2022"


def test_figures_with_what_they_count() -> None:
    text = (
        "Vietnam has defence ties with more than 100 countries "
        "and sent over 1,100 military personnel; "
        "exercises grew 8 times, 45% of units trained 30 officers in the 12th course of 2023."
    )
    got = {str(c["back"]): c for c in cards(text, "figure").values()}
    assert set(got) == {"100", "1,100", "8", "45", "30"}
    assert str(got["100"]["front"]).startswith("How many countries?") and "more than ____" in str(
        got["100"]["front"]
    )
    assert got["1,100"]["accept"] == ["1100"] and got["1,100"]["id"] == "fig-line-1-1100-personnel"
    assert str(got["45"]["front"]).startswith("What percentage?")


# --- enumerations ----------------------------------------------------------------------------


def test_first_second_third_across_lines_with_prose_between() -> None:
    text = (
        "The congress set the following requirements:\n"
        "First, integration should serve national development, and defence.\n"
        "This matters a lot. First and foremost, it needs care.\n"
        "\n"
        "Second, the army should catch up with advanced forces.\n"
        "Third, commitments must be honoured.\n"
    )
    [(line, items, ordered)] = lists(text)
    assert line == 2 and ordered
    assert items == [
        "integration should serve national development, and defence",
        "the army should catch up with advanced forces",
        "commitments must be honoured",
    ]
    [card] = cards(text, "enumeration").values()
    assert card["front"] == "The congress set the following requirements (name all 3)"


def test_ordinals_within_one_paragraph() -> None:
    assert lists(
        "The plan has aims. Firstly, build trust. Secondly , share data. Thirdly, train staff."
    ) == [(1, ["build trust", "share data", "train staff"], True)]
    assert lists(
        "It raised four elements: first, navy cooperation; second, hot lines; third, exchanges; "
        "fourth, restraint at sea."
    ) == [(1, ["navy cooperation", "hot lines", "exchanges", "restraint at sea"], True)]
    assert lists(
        "There are two tasks. The first is to modernise the army. The second is to train officers."
    ) == [(1, ["to modernise the army", "to train officers"], True)]


def test_numbered_and_lettered_items_in_a_paragraph() -> None:
    assert lists(
        "ADMM approved initiatives, including: 1- Establishing ADMM+; 2- Using military resources; "
        "3- Cooperation of defence industry."
    ) == [
        (
            1,
            ["Establishing ADMM+", "Using military resources", "Cooperation of defence industry"],
            True,
        )
    ]
    assert lists("The goals are: (1) peace; (2) stability, and (3) development.")[0][1] == [
        "peace",
        "stability",
        "development",
    ]
    assert lists("Two steps: a) plan the visit, b) sign the memorandum.")[0][1] == [
        "plan the visit",
        "sign the memorandum",
    ]


def test_numbered_and_bulleted_lines() -> None:
    text = "The focuses:\n1. Research and forecasting\n2. Wider cooperation\n\n3. Coordination\n"
    assert lists(text) == [
        (2, ["Research and forecasting", "Wider cooperation", "Coordination"], True)
    ]
    bullets = "Partners:\n- Russia\n- India\n* Japan\n"
    assert lists(bullets) == [(2, ["Russia", "India", "Japan"], False)]
    assert lists("Steps:\n(1) Plan the visit\n(2) Sign the memorandum\n")[0][:2] == (
        2,
        ["Plan the visit", "Sign the memorandum"],
    )
    assert lists("Steps:\na) Plan\nb) Act\nc) Review\n") == [(2, ["Plan", "Act", "Review"], True)]


def test_lists_announced_by_their_count() -> None:
    text = (
        "So defense integration has two goals: Increasing partners while reducing adversaries; "
        "and promoting the country’s position and power."
    )
    assert lists(text) == [
        (
            1,
            [
                "Increasing partners while reducing adversaries",
                "promoting the country’s position and power",
            ],
            False,
        )
    ]
    areas = (
        "ASEAN has strengthened cooperation in three pivotal areas such as politics - security, "
        "economics and culture - society, at the same time expanding relations."
    )
    assert lists(areas)[0][1] == ["politics - security", "economics", "culture - society"]
    assert lists("Vietnam has three partners: Laos and Cambodia.") == []


def test_footnotes_and_section_numbers_are_not_lists() -> None:
    text = (
        "1- In implementing the policy, cooperation made progress in these areas:\n"
        "First, building trust (1) .\n"
        "A paragraph of prose about it, citing a source (2) .\n"
        "Second, meetings with other countries.\n"
        "2- Recent experience shows more to do.\n"
        "-----\n"
        "(1) Document of the 11th Congress, p. 233\n"
        "(2) Op. cit. p. 47\n"
    )
    assert lists(text) == [(2, ["building trust (1)", "meetings with other countries"], True)]


# --- mottos ----------------------------------------------------------------------------------


def test_quoted_mottos_become_clozes() -> None:
    text = (
        "Relations are diversified under the motto of “more friends, fewer enemies”; it keeps the "
        '"four no\'s" policy, fights “democracy” abuses and follows “keeping calm is to cope with '
        "multi-unexpected changes”. "
        "“This quotation is far too long to be a motto for anyone to learn by heart really”."
    )
    got = [str(c["text"]) for c in cards(text, "motto").values()]
    assert len(got) == 3
    assert "“{{c1::more friends, fewer enemies}}”" in got[0]
    assert '"{{c1::four no\'s}}"' in got[1]
    assert "“keeping calm is to cope with {{c1::multi-unexpected}} changes”" in got[2]


# --- the deck YAML ---------------------------------------------------------------------------

SAMPLE = (
    "On December 31, 2013, the Central Military Commission promulgated Resolution 806-NQ/QUTW on "
    'defence diplomacy.\nThe resolution has the following focuses:\nFirst, research: "forecasting" '
    "and # advice.\nSecond, wider cooperation with more than 100 countries.\n"
    "It follows the motto “more friends, fewer enemies” \\ since 2013."
)


def test_draft_deck_is_valid_yaml_in_the_deck_format() -> None:
    out = draft_deck(
        SAMPLE,
        title='Notes: "R806" # draft',
        deck_id="r806-draft",
        source_id="vinh-2014",
        source_title="Resolution 806 and its focuses",
    )
    deck = check_deck(out)
    assert deck["title"] == 'Notes: "R806" # draft' and deck["id"] == "r806-draft"
    assert deck["sources"] == [{"id": "vinh-2014", "title": "Resolution 806 and its focuses"}]
    by_id = {c["id"]: c for c in deck["cards"]}  # type: ignore[attr-defined]
    assert {
        "doc-806-nq-qutw-number",
        "doc-806-nq-qutw-date",
        "doc-806-nq-qutw-body",
        "enum-line-3",
        "motto-more-friends-fewer-enemies",
    } <= set(by_id)
    assert by_id["enum-line-3"]["items"] == [
        "research",
        "wider cooperation with more than 100 countries",
    ]
    assert by_id["doc-806-nq-qutw-date"]["source"] == {"id": "vinh-2014", "at": "line 1"}
    assert "  # line 1: On December 31, 2013, the Central Military Commission" in out
    assert [c.card for c in extract(SAMPLE, source_id="vinh-2014")] == deck["cards"]


def test_draft_deck_loads_with_the_project_deck_parser() -> None:
    deck_module = pytest.importorskip("study.core.decks.parse")
    out = draft_deck(SAMPLE, title="Draft", deck_id="draft")
    deck, problems = deck_module.parse_deck(out, Path("draft.yaml"), "draft.yaml")
    assert deck is not None and not problems, problems
    assert len(deck.cards) == len(extract(SAMPLE))


def test_empty_text_and_bad_ids() -> None:
    deck = check_deck(draft_deck("", title="Empty", deck_id="empty"))
    assert deck["cards"] == [] and deck["sources"] == [{"id": "text", "title": "Empty"}]
    with pytest.raises(ValueError):
        draft_deck("x", title="t", deck_id="my notes")
    with pytest.raises(ValueError):
        draft_deck("x", title="t", deck_id="notes", source_id="")
    with pytest.raises(ValueError):
        draft_deck("x", title=" ", deck_id="notes")


def test_duplicate_ids_get_a_suffix() -> None:
    text = (
        "In 2005, the army sent 30 officers abroad. "
        "In 2005, the army sent 30 officers abroad again."
    )
    ids = [c.card["id"] for c in extract(text)]
    assert ids == ["date-line-1-2005", "fig-line-1-30-officers", "date-line-1-2005-2"]


FRAGMENTS = [
    "First, ",
    "Second, ",
    "Third, ",
    "1- ",
    "2- ",
    "(1) ",
    "(2) ",
    "a) ",
    "b) ",
    "\n",
    "\n- ",
    "Resolution 806-NQ/QUTW ",
    "dated 31st December, 2013, ",
    "of the Politburo ",
    "in 2005 ",
    "more than 100 countries ",
    "45% ",
    "“more friends, fewer enemies” ",
    '"four no\'s" ',
    "; ",
    ": ",
    ". ",
    "two goals: ",
    "the army ",
    '"',
    "“",
    "}}",
    "{{c1::",
    "#",
    "\\",
    "\t",
    "\x85",
    "\u2028",
    "\x00",
    "\ufeff",
    "é",
    "'",
    "`",
    "— ",
    "No. ",
    "12/3/2025 ",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40))
def test_any_text_gives_a_valid_deck(parts: list[str]) -> None:
    check_deck(draft_deck("".join(parts), title="t" + "".join(parts[:3]), deck_id="d"))


# --- the five real articles ------------------------------------------------------------------

EXPECTED_DOCUMENTS: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "000_2511aea7d73600b1.txt": {},
    "001_86d00f9e133ffe8c.txt": {},
    "002_d757bc35243899b5.txt": {
        "806-NQ/QUTW": ("31 December 2013", "the Central Military Commission")
    },
    "003_b0f05d24c5e5a57d.txt": {
        "34-NQ/TW": ("9 January 2023", "the Politburo"),
        "53-KL/TW": ("28 April 2023", "the Politburo"),
        "25-CT/TW": ("8 August 2018", "the Secretariat"),
        "130/2020/QH14": (None, None),
        "57-KL/TW": ("15 June 2023", "the Politburo"),
        "806-NQ/QUTW": ("31 December 2013", "the Central Military Commission"),
    },
    "004_2f60d01fb2b15905.txt": {
        "25-CT/TW": ("8 August 2018", "the Secretariat"),
        "34-NQ/TW": ("9 January 2023", "the Politburo"),
        "53-KL/TW": ("28 April 2023", "the Politburo"),
        "59-NQ/TW": ("24 January 2025", "the Politburo"),
        "2662-NQ/QUTW": ("26 February 2024", "the Central Military Commission"),
    },
}
"""Every numbered document of each text: number -> (date, issuing body) as the text gives them."""

EXPECTED_NUMBERED_LISTS: dict[str, set[tuple[int, int]]] = {
    "000_2511aea7d73600b1.txt": {(14, 3)},
    "001_86d00f9e133ffe8c.txt": {(8, 3), (12, 5), (14, 4), (32, 4)},
    "002_d757bc35243899b5.txt": {(5, 5)},
    "003_b0f05d24c5e5a57d.txt": {(7, 5)},
    "004_2f60d01fb2b15905.txt": {(12, 5), (14, 3)},
}
"""Every numbered enumeration of each text: (line of its first item, number of items).

Numbered as "First, ...", as "1- ..." or inline as "first, ... second, ...".
"""

EXPECTED_COUNTED_LISTS = {
    "000_2511aea7d73600b1.txt": {(18, 2)},
    "001_86d00f9e133ffe8c.txt": {(12, 3)},
}
"""Lists announced by a count ("two goals: ...", "three pivotal areas such as ...")."""


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the shared source texts are not here")
@pytest.mark.parametrize("name", sorted(EXPECTED_DOCUMENTS))
def test_real_articles_every_document_and_numbered_list(name: str) -> None:
    text = (SOURCES / name).read_text(encoding="utf-8")
    candidates = extract(text)
    documents = [c.card for c in candidates if c.kind == "document"]
    numbers = {str(c["back"]) for c in documents if str(c["id"]).endswith("-number")}
    assert numbers == set(EXPECTED_DOCUMENTS[name])
    for number, (date, body) in EXPECTED_DOCUMENTS[name].items():
        about = [c for c in documents if re.search(rf"\b{re.escape(number)}\?$", str(c["front"]))]
        assert {str(c["id"]).rsplit("-", 1)[1]: c["back"] for c in about} == (
            ({"date": date} if date else {}) | ({"body": body} if body else {})
        ), number
    enumerations = [c for c in candidates if c.kind == "enumeration"]
    numbered = {(c.line, len(c.card["items"])) for c in enumerations if c.card["ordered"]}  # type: ignore[arg-type]
    counted = {(c.line, len(c.card["items"])) for c in enumerations if not c.card["ordered"]}  # type: ignore[arg-type]
    assert numbered == EXPECTED_NUMBERED_LISTS[name]
    assert counted == EXPECTED_COUNTED_LISTS.get(name, set())
    check_deck(draft_deck(text, title=name, deck_id="real"))
