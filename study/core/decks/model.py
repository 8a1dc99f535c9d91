"""The deck and card model: frozen values, and the expansion of cards into study items.

A *card* is one entry of a deck file. A card expands into one or more *items*,
the things that are scheduled: a basic card with ``reverse: true`` gives two, a
cloze gives one per deletion number. Items of one card are siblings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any

from study.core.decks.safe_text import visible

DECK_SUFFIXES = (".yaml", ".yml")
"""The file names that are decks."""


class CardType(StrEnum):
    """The kinds of card a deck can hold."""

    BASIC = "basic"
    CLOZE = "cloze"
    TYPED = "typed"
    CHOICE = "choice"
    LIST = "list"
    ORDER = "order"


class Severity(IntEnum):
    """How bad a problem is: errors stop a card or deck from loading."""

    WARNING = 1
    ERROR = 2


GUID = re.compile(r"[!#-&(-~]{1,64}")
"""An Anki note GUID as a deck file holds it (``guid:``): printable ASCII without spaces,
quotes or backslashes (Anki's own are 10 base-91 characters; other tools write UUIDs or base-62)."""

MAX_NOTETYPE = (1 << 63) - 1
"""The largest Anki note type id (``notetype:``): Anki ids are signed 64-bit integers (a
millisecond timestamp, in practice)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a deck file, with where it is and what to do."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = Severity.ERROR
    transient: bool = field(default=False, compare=False)
    """The file could not be read (permissions, a vanished folder): not the file's content,
    so the problem is never cached (the next load tries again)."""

    def __str__(self) -> str:
        """The one line ``file:line:col: kind: message``; a control character in it is escaped."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        line = f"{self.path}:{self.line}:{self.col}: {kind}: {self.message}"
        return visible(line, lines=False)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for ``--json`` output."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": "error" if self.severity is Severity.ERROR else "warning",
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Source:
    """A bibliographic entry that cards cite."""

    id: str
    title: str = ""
    author: str = ""
    publication: str = ""
    date: str = ""
    url: str = ""

    def describe(self) -> str:
        """One line: title, author, publication, date."""
        parts = [
            f"“{self.title}”" if self.title else self.id,
            self.author,
            self.publication,
            self.date,
        ]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A card's citation: a source id and where in it."""

    id: str
    at: str = ""


@dataclass(frozen=True, slots=True)
class MediaRef:
    """An image or sound a card shows (``media:`` with the question, ``back_media:`` with
    the answer), as written: a path relative to the deck file's folder."""

    path: str
    back: bool = False
    """Shown with the answer (``back_media``) rather than the question."""
    line: int = 0
    col: int = 0
    """Where the deck file names it (for ``study lint``)."""


@dataclass(frozen=True, slots=True)
class Card:
    """One card of a deck, validated."""

    deck_id: str
    id: str
    type: CardType
    line: int
    tags: tuple[str, ...] = ()
    source: SourceRef | None = None
    """The card's (first) citation."""
    explain: str = ""
    front: str = ""
    back: str = ""
    text: str = ""
    accept: tuple[str, ...] = ()
    answer: str = ""
    distractors: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    item_accept: tuple[tuple[str, ...], ...] = ()
    """LIST: per item, its other accepted forms (empty when no item has any)."""
    ordered: bool = False
    reverse: bool = False
    id_given: bool = True
    more_sources: tuple[SourceRef, ...] = ()
    """Further citations, for a card that draws on several sources (``source: [...]``)."""
    guid: str = ""
    """The Anki note GUID the card came from (``guid:``), reused on export; '' if none."""
    notetype: int = 0
    """The id of the Anki note type the card's note had (``notetype:``); 0 if none."""
    media: tuple[MediaRef, ...] = ()
    """The images and sounds the card shows, question side first."""

    @property
    def citations(self) -> tuple[SourceRef, ...]:
        """Every source the card cites, in the order the deck file gives them."""
        return () if self.source is None else (self.source, *self.more_sources)

    @property
    def key(self) -> str:
        """The card's identity across files: ``deck/card``."""
        return f"{self.deck_id}/{self.id}"

    @property
    def expected(self) -> str:
        """The single answer of a basic, typed or choice card."""
        return self.answer if self.type is CardType.CHOICE else self.back


@dataclass(frozen=True, slots=True)
class Deck:
    """A loaded deck: its header and its valid cards."""

    id: str
    title: str
    path: Path
    display: str
    group: str = ""
    """The folder the file sits in, relative to its decks folder ('' at the top)."""
    description: str = ""
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    cards: tuple[Card, ...] = ()

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if the deck lists it."""
        return next((s for s in self.sources if s.id == source_id), None)


CLOZE = re.compile(r"\{\{(?:c(\d+)::)?(.+?)(?:::(.*?))?\}\}", re.DOTALL)
"""A cloze deletion: ``{{c1::answer::hint}}``, ``{{c1::answer}}`` or ``{{answer}}``."""


def cloze_numbers(text: str) -> list[int]:
    """The deletion numbers of a cloze text, in order; unnumbered ones get their own."""
    given = [
        number for number, _, _ in CLOZE.findall(text)
    ]  # one pass: expanding runs at every start
    next_free = max((int(n) for n in given if n), default=0) + 1
    numbers: list[int] = []
    for number in given:
        if number:
            numbers.append(int(number))
        else:
            numbers.append(next_free)
            next_free += 1
    return numbers


def cloze_render(text: str, number: int, reveal: bool, mark: tuple[str, str] = ("[", "]")) -> str:
    """The cloze sentence with deletion ``number`` blanked (or filled when revealed)."""
    numbers = iter(cloze_numbers(text))
    left, right = mark

    def fill(match: re.Match[str]) -> str:
        n = next(numbers)
        if n != number:
            return match.group(2)
        if reveal:
            return f"{left}{match.group(2)}{right}"
        return f"{left}{match.group(3) or '...'}{right}"

    return CLOZE.sub(fill, text)


def cloze_answers(text: str, number: int) -> list[str]:
    """The hidden texts of deletion ``number``."""
    numbers = cloze_numbers(text)
    return [m.group(2) for m, n in zip(CLOZE.finditer(text), numbers, strict=False) if n == number]


@dataclass(frozen=True, slots=True)
class Item:
    """One schedulable thing: a card, or one side or deletion of it."""

    card: Card
    variant: str = ""
    """'' for the card itself, 'r' for the reverse side, 'cN' for cloze deletion N."""
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            suffix = f"#{self.variant}" if self.variant else ""
            object.__setattr__(self, "key", f"{self.card.key}{suffix}")

    @property
    def note_key(self) -> str:
        """The key shared by siblings."""
        return self.card.key

    @property
    def cloze_number(self) -> int:
        """The deletion number of a cloze item (0 otherwise)."""
        return int(self.variant[1:]) if self.variant.startswith("c") else 0

    @property
    def prompt(self) -> str:
        """The question side, as plain text."""
        card = self.card
        if card.type is CardType.CLOZE:
            return cloze_render(card.text, self.cloze_number, reveal=False)
        if self.variant == "r":
            return card.back
        return card.front

    @property
    def prompt_media(self) -> tuple[MediaRef, ...]:
        """The images and sounds shown with the question (the answer's, on the reverse side)."""
        back = self.variant == "r"
        return tuple(m for m in self.card.media if m.back == back)

    @property
    def answer_media(self) -> tuple[MediaRef, ...]:
        """The images and sounds shown with the answer."""
        back = self.variant != "r"
        return tuple(m for m in self.card.media if m.back == back)

    @property
    def answer(self) -> str:
        """The answer side, as plain text."""
        card = self.card
        if card.type is CardType.CLOZE:
            return "; ".join(cloze_answers(card.text, self.cloze_number))
        if self.variant == "r":
            return card.front
        if card.type in (CardType.LIST, CardType.ORDER):
            return "\n".join(card.items)
        return card.expected


class _ItemParts:
    """An Item's slots, writable: ``expand`` fills one in, then it becomes an Item.

    Every card is expanded at every start (100,000 of them in a big collection);
    a frozen dataclass is built with one ``object.__setattr__`` call per field,
    plain attribute stores are about four times faster. The memory layout is
    Item's own (the same slots in the same order), so the finished object can
    take Item as its class: it is then an ordinary, frozen Item.
    """

    __slots__ = Item.__slots__


def _item(card: Card, variant: str, key: str) -> Item:
    item: Any = object.__new__(_ItemParts)
    item.card, item.variant, item.key = card, variant, key
    item.__class__ = Item
    return item  # type: ignore[no-any-return]


def expand(card: Card) -> list[Item]:
    """The study items a card gives."""
    key = f"{card.deck_id}/{card.id}"
    if card.type is CardType.CLOZE:
        return [_item(card, f"c{n}", f"{key}#c{n}") for n in sorted(set(cloze_numbers(card.text)))]
    if card.type is CardType.BASIC and card.reverse:
        return [_item(card, "", key), _item(card, "r", f"{key}#r")]
    return [_item(card, "", key)]


@dataclass(slots=True)
class LoadResult:
    """What loading gave: the usable decks and every problem found."""

    decks: list[Deck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def transient(self) -> bool:
        """Some file could not be read: what was loaded may change with nothing edited."""
        return any(p.transient for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        """Only the problems that are errors."""
        return [p for p in self.problems if p.severity >= 2]
