"""What the importers share: HTML to text, Anki note types to cards, the import result."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from study.core.authoring.interchange.bounded import ImportRefused
from study.core.authoring.interchange.html_markup import html_to_marked
from study.core.authoring.interchange.media_files import PackageMedia, refs_in
from study.core.authoring.slug import card_slug, slugify, unique_id
from study.core.decks.formatting import escape
from study.core.decks.loader import MAX_BYTES
from study.core.decks.model import CLOZE
from study.core.decks.safe_text import strip_controls

MAX_SKIPPED_LINES = 1000
"""Skipped notes listed one line each; the rest are counted (a file of a million bad rows)."""

CARD_OVERHEAD = 10
"""Bytes a card takes in a deck file besides its keys and values (``  - id: ``, a blank line)."""

STOCK = {
    "basic": "Basic",
    "reversed": "Basic (and reversed card)",
    "optional": "Basic (optional reversed card)",
    "typed": "Basic (type in the answer)",
    "cloze": "Cloze",
}
"""Anki's stock note type names."""


@dataclass(frozen=True, slots=True)
class Shape:
    """How the fields of an Anki note type make one of our cards."""

    cloze: bool = False
    front: tuple[int, ...] = (0,)
    """Fields of the question (a cloze's text)."""
    back: tuple[int, ...] = (1,)
    """Fields of the answer (unused by a cloze)."""
    extra: tuple[int, ...] = ()
    """Fields shown after the answer ("Extra", a cloze's "Back Extra"): they become ``explain``."""
    reverse: bool = False
    reverse_if: int | None = None
    """A field that, when not empty, adds the reverse card (Anki's optional reverse)."""
    typed: bool = False


STOCK_SHAPES = {
    STOCK["basic"]: Shape(),
    STOCK["reversed"]: Shape(reverse=True),
    STOCK["optional"]: Shape(reverse_if=2),
    STOCK["typed"]: Shape(typed=True),
    STOCK["cloze"]: Shape(cloze=True, front=(0,), back=(), extra=(1,)),
}

EXTRA_NAMES = frozenset(
    {"extra", "back extra", "notes", "note", "explain", "explanation", "comments"}
)
"""Field names taken as context shown after the answer."""


@dataclass(frozen=True, slots=True)
class ImportedReview:
    """One answer from another program's history, for a card of the import."""

    card: int
    """Index of the card in ``Imported.cards``."""
    variant: str
    """'' for the card, 'r' for its reverse, 'cN' for cloze deletion N."""
    at: datetime
    rating: int
    duration_ms: int
    due: datetime | None = None
    """When the answer made the card due there (Anki's interval, fuzz included), if known."""


@dataclass(slots=True)
class Imported:
    """What an importer read: the deck's name, its cards (as deck-file dicts), and what it
    left out."""

    title: str
    cards: list[dict[str, object]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per note (or note type) that was left out, and why."""
    notes: list[str] = field(default_factory=list)
    """Other things worth telling (media not imported, ...)."""
    history: list[ImportedReview] = field(default_factory=list)
    media: PackageMedia | None = None
    """The package's images and sounds (cards name them by their Anki names until
    ``media_files.attach_media`` gives them their paths beside the deck)."""
    decks: list[str] = field(default_factory=list)
    """Each card's deck in the other program (``Parent::Child``), by index; empty when
    the source has no decks."""
    unlisted: int = 0
    """Skipped notes past MAX_SKIPPED_LINES: counted, not listed."""
    size: int = 0
    """About how many bytes the cards take in a deck file (their text and keys)."""
    guids: set[str] = field(default_factory=set)
    """The Anki note GUIDs given to cards so far (one card each)."""

    @property
    def skipped_total(self) -> int:
        """How many notes (or note types) were left out, listed or not."""
        return len(self.skipped) + self.unlisted

    def skip(self, line: str) -> None:
        """Say that a note was left out, and why (past MAX_SKIPPED_LINES, only count it)."""
        if len(self.skipped) < MAX_SKIPPED_LINES:
            self.skipped.append(line)
        else:
            self.unlisted += 1

    def add(self, card: dict[str, object], where: str) -> None:
        """Keep a card; ImportRefused once the cards cannot fit in one deck file.

        The cards are counted as they are read, so a file too big for a deck is
        refused after reading at most a deck file's worth of it (bounded memory),
        not after reading it all. ``where`` names the place reached (``row 5``).
        """
        self.cards.append(card)
        self.size += CARD_OVERHEAD + sum(  # a little less than the deck file will take
            len(key) + 6 + (len(v) if isinstance(v, str) else sum(len(str(x)) + 2 for x in v))
            for key, v in card.items()
            if isinstance(v, (str, list)) and v
        )
        if self.size > MAX_BYTES:
            raise too_big(f"at {where}, {len(self.cards):,} cards")


def too_big(where: str) -> ImportRefused:
    """The error for an import that makes a deck larger than a deck file may be."""
    return ImportRefused(
        f"the cards make a deck file larger than {MAX_BYTES >> 20} MB, the most a deck file "
        f"may hold ({where}): split the file and import each part with --deck NAME"
    )


_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:[^\]]*\]")


def html_to_text(value: str) -> tuple[str, int]:
    """Readable text from an Anki field, and how many images or sounds it held.

    Bold, italic and line breaks are kept as light markup (``study.core.decks.formatting``);
    the images and sounds are left to ``study.core.authoring.interchange.media``.
    """
    media = len(_IMAGE.findall(value)) + len(_SOUND.findall(value))
    text = _IMAGE.sub("", _SOUND.sub("", _DROP.sub("", value)))
    return html_to_marked(text), media


def plain_text(value: str, is_html: bool) -> tuple[str, int]:
    """A field as text: HTML stripped when the source is HTML, else only trimmed.

    Control characters are dropped (line ends become newlines), whether raw or written as
    HTML character references: nothing imported can drive a terminal or fail ``study lint``.
    """
    if is_html:
        text, media = html_to_text(value)
        return strip_controls(text).strip(), media
    return escape(strip_controls(value).strip()), 0


def card_from_note(
    shape: Shape, fields: Sequence[str], tags: Sequence[str], *, kind: str, is_html: bool = True
) -> tuple[dict[str, object] | None, str, int]:
    """A deck-file card from an Anki note; None and the reason when it cannot be one."""
    media = 0

    def part(indexes: Sequence[int]) -> str:
        nonlocal media
        texts = []
        for i in indexes:
            if i < len(fields):
                text, dropped = plain_text(fields[i], is_html)
                media += dropped
                if text:
                    texts.append(text)
        return "\n".join(texts)

    front, back, extra = part(shape.front), part(shape.back), part(shape.extra)
    shown = [n for i in shape.front if i < len(fields) for n in refs_in(fields[i])]
    after = [n for i in (*shape.back, *shape.extra) if i < len(fields) for n in refs_in(fields[i])]
    if not is_html:
        shown, after = [], []
    words = (strip_controls(t, lines=False).strip() for t in tags)
    clean_tags = [t for t in (re.sub(r"[\s,]+", "-", w) for w in words) if t][:50]
    card: dict[str, object]
    if shape.cloze:
        if not CLOZE.search(front):
            return None, f"{kind} note without a deletion: {_show(front)}".lstrip(), media
        card = {"type": "cloze", "text": front, "explain": extra}
    else:
        if (not front and not shown) or (not back and not (after and not shape.typed)):
            missing = "question" if not front else "answer"
            why = " (only an image or sound)" if media else ""
            return (
                None,
                f"{kind} note with an empty {missing}{why}: {_show(front or back)}".lstrip(),
                media,
            )
        reverse = shape.reverse or (
            shape.reverse_if is not None
            and shape.reverse_if < len(fields)
            and bool(fields[shape.reverse_if].strip())
        )
        card = {
            "type": "typed" if shape.typed else "basic",
            "front": front,
            "back": back,
            "reverse": reverse and not shape.typed,
            "explain": extra,
        }
    if shown:
        card["media"] = shown
    if [n for n in after if n not in shown]:
        card["back_media"] = [n for n in after if n not in shown]
    card["tags"] = clean_tags
    return card, "", media


def _show(text: str) -> str:
    text = " ".join(text.split())
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


def give_ids(cards: list[dict[str, object]]) -> None:
    """Give each card a readable id, unique in the list (in place)."""
    taken: set[str] = set()
    for card in cards:
        card["id"] = unique_id(card_slug(card), taken)
        taken.add(str(card["id"]))


def deck_title(name: str) -> str:
    """A deck title from another program's deck name: its last ``::`` part, on one line."""
    return " ".join(strip_controls(name.split("::")[-1], lines=False).split())


def deck_id_for(title: str) -> str:
    """A deck id from a title."""
    return slugify(title, words=8, limit=60, drop_common=False)


def stable_id(text: str, low: int = 1 << 30, high: int = 1 << 31) -> int:
    """A stable integer id in [low, high) for a name (Anki model and deck ids)."""
    value = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    return low + value % (high - low)
