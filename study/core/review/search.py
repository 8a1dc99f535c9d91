"""The card search: a small query language, parsed here and run over a ``Corpus`` of items.

A query is terms separated by spaces; an item matches when every term does:

- a word or a ``"quoted phrase"``: in the card's text (case, accents and ``đ`` don't matter);
- ``deck:ID``: the deck with that id, or the decks of that folder (``deck:asean``);
- ``tag:NAME``: the card has that tag; both take ``*`` as a wildcard (``tag:date*``);
- ``is:new|learning|review|due|suspended|buried|flagged|leech``: the item's state now;
- ``-`` before a term negates it (``-is:suspended``, ``-"fewer enemies"``).

Other ``name:value`` words are refused (quote them to search the text: ``"note:x"``), so a
mistyped filter is an error with its column instead of a search that finds nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import IntFlag, StrEnum
from fnmatch import fnmatchcase


class State(IntFlag):
    """What ``is:`` tests; an item has one of the first three and any of the others."""

    NEW = 1
    LEARNING = 2
    REVIEW = 4
    DUE = 8
    SUSPENDED = 16
    BURIED = 32
    FLAGGED = 64
    LEECH = 128


STATE_NAMES = {s.name.lower(): s for s in State if s.name}
"""``is:`` values, by name."""


class Field(StrEnum):
    """What a term looks at."""

    TEXT = "text"
    DECK = "deck"
    TAG = "tag"
    IS = "is"


class QueryError(ValueError):
    """A query that cannot be read; ``column`` (from 1) is where the problem is."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message, self.column = message, column

    def __str__(self) -> str:
        return f"column {self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class Term:
    """One condition of a query."""

    field: Field
    value: str
    """Folded (see ``fold``) for text; lower case for the other fields."""
    negated: bool = False
    column: int = dc_field(default=1, compare=False)
    """Where the term starts in the query (from 1); not part of what the term means."""


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every term must hold (no terms: everything matches)."""

    text: str
    terms: tuple[Term, ...] = ()


def fold(text: str) -> str:
    """Text for matching: case-folded, without accents (``Việt Nam`` -> ``viet nam``)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    bare = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return bare.replace("đ", "d")


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The phrase in the quotes opening at ``start``, and the index after the closing one."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError("this quote is not closed", start + 1)
    return text[start + 1 : end], end + 1


def parse(text: str) -> Query:
    """Read a query; raises QueryError (with the column) when it cannot."""
    terms: list[Term] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = text[i] == "-"
        if negated:
            i += 1
            if i == n or text[i].isspace():
                raise QueryError("'-' must stand before a term, as in -is:suspended", start + 1)
        if text[i] == '"':
            phrase, i = _quoted(text, i)
            if phrase.strip():
                terms.append(Term(Field.TEXT, fold(phrase), negated, start + 1))
            continue
        word_start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        word = text[word_start:i]
        name, colon, value = word.partition(":")
        filtered = name.lower() in _FILTERS
        if colon and not filtered and name.isascii() and name.isalpha() and value:
            raise QueryError(
                f"unknown filter '{name}:' (deck:, tag: or is:; quote it to search the text)",
                word_start + 1,
            )
        if not (colon and filtered):
            if i < n and text[i] == '"':  # a quote inside a word: a phrase glued to it
                raise QueryError("put a space before this quote", i + 1)
            terms.append(Term(Field.TEXT, fold(word), negated, start + 1))
            continue
        field = Field(name.lower())
        value_column = word_start + len(name) + 2
        if not value and i < n and text[i] == '"':
            value, i = _quoted(text, i)
        if not value.strip():
            raise QueryError(f"'{name}:' needs a value, as in {_EXAMPLES[field]}", word_start + 1)
        value = value.strip().lower()
        if field is Field.IS and value not in STATE_NAMES:
            raise QueryError(
                f"is:{value} is not a state (is: {'|'.join(STATE_NAMES)})", value_column
            )
        terms.append(Term(field, value, negated, start + 1))
    return Query(text, tuple(terms))


_FILTERS = ("deck", "tag", "is")

_EXAMPLES = {
    Field.DECK: "deck:admm",
    Field.TAG: "tag:dates",
    Field.IS: "is:due",
}


@dataclass(frozen=True, slots=True)
class Corpus:
    """What a search runs over: the same index ``i`` in each list is one item."""

    text: Sequence[str]
    """Each item's card text, folded (items of one card may share the string)."""
    deck: Sequence[str]
    """Each item's deck id."""
    tags: Sequence[tuple[str, ...]]
    """Each item's tags, lower case."""
    state: Sequence[int]
    """Each item's ``State`` bits now."""
    folders: dict[str, str]
    """Each deck's folder ('' at the top of its decks folder)."""


def _decks(pattern: str, folders: dict[str, str]) -> set[str]:
    """The deck ids that ``deck:pattern`` stands for: the deck itself, or a folder's decks."""
    wanted = pattern.rstrip("/")
    found: set[str] = set()
    for deck_id, folder in folders.items():
        here = folder.lower()
        if (
            fnmatchcase(deck_id.lower(), wanted)
            or fnmatchcase(here, wanted)
            or here.startswith(wanted + "/")
        ):
            found.add(deck_id)
    return found


def check_decks(query: Query, folders: dict[str, str]) -> None:
    """Raise QueryError for a ``deck:`` term that names no deck or folder (``folders``: each
    deck's folder, by deck id)."""
    for term in query.terms:
        if term.field is Field.DECK and not _decks(term.value, folders):
            raise QueryError(
                f"no deck or folder is named '{term.value}' ('study decks' lists the deck ids)",
                term.column + term.negated + len("deck:"),
            )


def search(query: Query, corpus: Corpus, among: Sequence[int] | None = None) -> list[int]:
    """The indices of the items that match, in corpus order (or ``among``'s order).

    ``corpus.text`` and ``corpus.tags`` are read only for text and tag terms.
    """
    found = list(range(len(corpus.deck))) if among is None else list(among)
    # the cheap terms first: each narrows what the next one reads
    order = {Field.DECK: 0, Field.IS: 1, Field.TAG: 2, Field.TEXT: 3}
    for term in sorted(query.terms, key=lambda t: order[t.field]):
        if term.field is Field.TEXT:
            text, value = corpus.text, term.value
            if term.negated:
                found = [i for i in found if value not in text[i]]
            else:
                found = [i for i in found if value in text[i]]
            continue
        if term.field is Field.DECK:
            hit = _in_decks(_decks(term.value, corpus.folders), corpus.deck)
        elif term.field is Field.TAG:
            hit = _tagged(term.value, corpus.tags, found)
        else:
            hit = _in_state(int(STATE_NAMES[term.value]), corpus.state)
        found = [i for i in found if not hit(i)] if term.negated else list(filter(hit, found))
    return found


def _in_decks(ids: set[str], decks: Sequence[str]) -> Callable[[int], bool]:
    """Whether item ``i`` is in one of these decks."""
    return lambda i: decks[i] in ids


def _in_state(bit: int, states: Sequence[int]) -> Callable[[int], bool]:
    """Whether item ``i`` has this ``State`` bit."""
    return lambda i: states[i] & bit != 0


def _tagged(
    pattern: str, tags: Sequence[tuple[str, ...]], among: list[int]
) -> Callable[[int], bool]:
    """Whether item ``i`` has a tag matching ``pattern`` (``*``, ``?`` and ``[...]`` allowed)."""
    if not any(c in pattern for c in "*?["):
        return lambda i: pattern in tags[i]
    wanted = {t for i in among for t in tags[i] if fnmatchcase(t, pattern)}
    return lambda i: not wanted.isdisjoint(tags[i])


def narrows(before: Query, after: Query) -> bool:
    """Whether every item matching ``after`` also matches ``before`` (a search may then run only
    over ``before``'s results): each term of ``before`` is in ``after``, or is a word that a
    word of ``after`` contains (typing on at the end of a word)."""
    return all(
        old in after.terms
        or any(
            new.field is old.field is Field.TEXT
            and not new.negated
            and not old.negated
            and old.value in new.value
            for new in after.terms
        )
        for old in before.terms
    )
