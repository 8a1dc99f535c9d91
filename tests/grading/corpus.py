"""The grading corpus (``corpus.yaml``) and the holdout (``holdout.yaml``) joined with the
bundled cards they refer to.

``typed_cases(source)`` and ``list_cases(source)`` return the cases of a corpus file
(``CORPUS`` by default, or ``HOLDOUT``), each with the bundled
:class:`~study.core.decks.model.Card` it answers. A case may carry ``known_miss: "why"``: a fair
case the grader is known to get wrong, left failing on purpose (the tests expect it to fail,
strictly; the benchmark counts it as a miss). A case that names a deck or card that
does not exist, or a card of the wrong type, raises :class:`CorpusError` with the case's
place in the file; so does a malformed case (a missing key, a share outside [0, 1]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from study.core.decks.loader import load_decks
from study.core.decks.model import Card, CardType

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.yaml"
HOLDOUT = HERE / "holdout.yaml"
"""Cases written from the texts before the grader was run on them, never tuned on."""
REPO = HERE.parents[1]
DECKS = REPO / "decks"


class CorpusError(ValueError):
    """A corpus case that is malformed or refers to no typed/list card of the bundled decks."""


@dataclass(frozen=True, slots=True)
class TypedCase:
    """One typed answer and whether it is right, with the card it answers."""

    index: int
    card: Card
    answer: str
    right: bool
    note: str
    known_miss: str = ""
    """Why the grader is known to get this fair case wrong, or ''."""

    @property
    def label(self) -> str:
        return f"typed[{self.index}] {self.card.key} {self.answer!r}"


@dataclass(frozen=True, slots=True)
class ListCase:
    """One typed list and the true share of the card's items it names, with the card."""

    index: int
    card: Card
    lines: tuple[str, ...]
    share: float
    note: str
    known_miss: str = ""
    """Why the grader is known to get this fair case wrong, or ''."""

    @property
    def label(self) -> str:
        return f"lists[{self.index}] {self.card.key} {list(self.lines)!r}"


@cache
def bundled_cards() -> dict[tuple[str, str], Card]:
    """Every card of the bundled decks by (deck id, card id); the decks must load cleanly."""
    result = load_decks([DECKS])
    if not result.decks:
        raise CorpusError(f"no bundled decks found under {DECKS}")
    return {(deck.id, card.id): card for deck in result.decks for card in deck.cards}


@cache
def _raw(source: Path = CORPUS) -> dict[str, Any]:
    with source.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or not {"typed", "lists"} <= data.keys():
        raise CorpusError(f"{source}: expected a mapping with 'typed' and 'lists'")
    return data


def _field(entry: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in entry:
        raise CorpusError(f"{where}: missing key {key!r}")
    value = entry[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise CorpusError(f"{where}: {key!r} should be {kind.__name__}, got {value!r}")
    return value


def _card(entry: Mapping[str, Any], want: CardType, where: str) -> Card:
    deck_id = _field(entry, "deck", str, where)
    card_id = _field(entry, "card", str, where)
    cards = bundled_cards()
    if not any(d == deck_id for d, _ in cards):
        raise CorpusError(f"{where}: no bundled deck with id {deck_id!r}")
    card = cards.get((deck_id, card_id))
    if card is None:
        raise CorpusError(f"{where}: deck {deck_id!r} has no card {card_id!r}")
    if card.type is not want:
        raise CorpusError(
            f"{where}: {deck_id}/{card_id} is a {card.type.value} card, not a {want.value} card"
        )
    return card


def _entries(section: str, source: Path) -> Sequence[Mapping[str, Any]]:
    entries = _raw(source)[section]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CorpusError(f"{source}: {section!r} should be a list of mappings")
    return entries


def _known_miss(entry: Mapping[str, Any], where: str) -> str:
    """The reason a case is a known miss; when the key is there, a reason must be given."""
    if "known_miss" not in entry:
        return ""
    reason = entry["known_miss"]
    if not isinstance(reason, str) or not reason.strip():
        raise CorpusError(f"{where}: 'known_miss' should say why the grader misses the case")
    return reason


@cache
def typed_cases(source: Path = CORPUS) -> tuple[TypedCase, ...]:
    """The typed cases of a corpus file, each joined with its bundled typed card."""
    cases = []
    for index, entry in enumerate(_entries("typed", source)):
        where = f"{source.name}: typed[{index}]"
        cases.append(
            TypedCase(
                index=index,
                card=_card(entry, CardType.TYPED, where),
                answer=_field(entry, "answer", str, where),
                right=_field(entry, "right", bool, where),
                note=str(entry.get("note", "")),
                known_miss=_known_miss(entry, where),
            )
        )
    return tuple(cases)


@cache
def list_cases(source: Path = CORPUS) -> tuple[ListCase, ...]:
    """The list cases of a corpus file, each joined with its bundled list card."""
    cases = []
    for index, entry in enumerate(_entries("lists", source)):
        where = f"{source.name}: lists[{index}]"
        lines = _field(entry, "lines", list, where)
        if not lines or not all(isinstance(line, str) for line in lines):
            raise CorpusError(f"{where}: 'lines' should be a non-empty list of strings")
        share = _field(entry, "share", float, where)
        if not 0.0 <= share <= 1.0:
            raise CorpusError(f"{where}: share {share} is outside [0, 1]")
        cases.append(
            ListCase(
                index=index,
                card=_card(entry, CardType.LIST, where),
                lines=tuple(lines),
                share=share,
                note=str(entry.get("note", "")),
                known_miss=_known_miss(entry, where),
            )
        )
    return tuple(cases)
