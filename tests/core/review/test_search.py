"""The card search's query language: what it reads, what it refuses (and where), what it finds."""

from __future__ import annotations

import pytest

from study.core.review.search import (
    Corpus,
    Field,
    Query,
    QueryError,
    State,
    Term,
    check_decks,
    fold,
    narrows,
    parse,
    search,
)


def terms(text: str) -> list[tuple[str, str, bool]]:
    return [(t.field.value, t.value, t.negated) for t in parse(text).terms]


def test_words_phrases_filters_and_negation() -> None:
    assert terms(
        'Hanoi "More Friends" deck:ADMM tag:dates is:Due -is:suspended -"fewer enemies"'
    ) == [
        ("text", "hanoi", False),
        ("text", "more friends", False),
        ("deck", "admm", False),
        ("tag", "dates", False),
        ("is", "due", False),
        ("is", "suspended", True),
        ("text", "fewer enemies", True),
    ]


def test_an_empty_query_has_no_terms() -> None:
    assert parse("").terms == () and parse("   ").terms == ()
    assert parse('""').terms == ()


def test_quoted_filter_values_and_text_that_looks_like_a_filter() -> None:
    assert terms('deck:"asean/admm" tag:"x"') == [
        ("deck", "asean/admm", False),
        ("tag", "x", False),
    ]
    # a time, a word ending with a colon and a quoted 'name:value' are text
    assert terms('12:30 Resolution: "note:x"') == [
        ("text", "12:30", False),
        ("text", "resolution:", False),
        ("text", "note:x", False),
    ]


def test_a_dash_inside_a_word_is_text() -> None:
    assert terms("806-NQ/QUTW") == [("text", "806-nq/qutw", False)]


def test_columns_of_terms() -> None:
    assert [t.column for t in parse('a  -is:new "b c"').terms] == [1, 4, 12]


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ('deck:admm "fewer', 11, "not closed"),
        ("dek:admm", 1, "unknown filter 'dek:'"),
        ("x is:nothing", 6, "is:nothing is not a state"),
        ("hanoi deck:", 7, "'deck:' needs a value"),
        ("tag: x", 1, "'tag:' needs a value"),
        ("a - b", 3, "'-' must stand before a term"),
        ("a -", 3, "'-' must stand before a term"),
        ('more"friends"', 5, "put a space before this quote"),
    ],
)
def test_errors_say_what_and_where(text: str, column: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.column == column
    assert words in caught.value.message
    assert str(caught.value).startswith(f"column {column}: ")


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Việt Nam ĐÀ NẴNG") == "viet nam da nang"
    assert fold("ASEAN") == "asean"


FOLDERS = {"admm": "asean", "arf": "asean/forums", "timeline": ""}


def corpus() -> Corpus:
    return Corpus(
        text=["viet nam joined admm", "more friends, fewer enemies", "the 1995 accession", "hanoi"],
        deck=["admm", "arf", "timeline", "timeline"],
        tags=[("dates",), ("mottos",), ("dates", "asean"), ()],
        state=[
            State.NEW,
            State.REVIEW | State.DUE,
            State.REVIEW | State.SUSPENDED | State.LEECH,
            State.LEARNING | State.FLAGGED | State.BURIED,
        ],
        folders=FOLDERS,
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", [0, 1, 2, 3]),
        ("Viet", [0]),
        ('"fewer enemies"', [1]),
        ("friends enemies", [1]),  # every word, anywhere
        ('"enemies friends"', []),
        ("deck:admm", [0]),
        ("deck:asean", [0, 1]),  # a folder: its decks and those of its sub-folders
        ("deck:asean/forums", [1]),
        ("deck:a*", [0, 1]),
        ("-deck:timeline", [0, 1]),
        ("tag:dates", [0, 2]),
        ("tag:DATES -deck:admm", [2]),
        ("tag:m*", [1]),
        ("is:due", [1]),
        ("is:review", [1, 2]),
        ("is:learning", [3]),
        ("is:new", [0]),
        ("is:suspended", [2]),
        ("is:leech", [2]),
        ("is:flagged is:buried", [3]),
        ("-is:review", [0, 3]),
        ("tag:dates -is:suspended 1995", []),
        ("tag:dates -is:suspended", [0]),
    ],
)
def test_search(text: str, found: list[int]) -> None:
    assert search(parse(text), corpus()) == found


def test_search_within_earlier_results_keeps_their_order() -> None:
    assert search(parse("is:review"), corpus(), among=[2, 1, 0]) == [2, 1]


def test_a_deck_term_that_names_no_deck_is_an_error_at_its_value() -> None:
    check_decks(parse("deck:admm deck:asean deck:a*"), FOLDERS)
    with pytest.raises(QueryError) as caught:
        check_decks(parse("x -deck:nosuch"), FOLDERS)
    assert caught.value.column == 9
    assert "no deck or folder is named 'nosuch'" in caught.value.message


def test_narrows_when_a_word_grows_or_a_term_is_added() -> None:
    assert narrows(parse("viet"), parse("vietnam"))
    assert narrows(parse("viet"), parse("viet is:due"))
    assert narrows(parse(""), parse("anything"))
    assert narrows(parse("is:due x"), parse("is:due   xy"))  # columns do not matter
    assert not narrows(parse("vietnam"), parse("viet"))
    assert not narrows(parse("-viet"), parse("-vietnam"))  # a longer excluded word excludes less
    assert not narrows(parse("deck:a"), parse("deck:ab"))  # a deck id is matched whole
    assert not narrows(parse("is:due"), parse("x"))


def test_terms_compare_without_their_column() -> None:
    assert Term(Field.TEXT, "a", column=1) == Term(Field.TEXT, "a", column=9)
    assert Query("a").terms == ()
