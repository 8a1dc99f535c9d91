"""Readable ids from text: slugs of a card's question, made unique within a deck."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from study.core.decks.model import CLOZE

__all__ = [
    "slugify",
    "unique_id",
]


_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "this",
        "that",
    ]
)


def slugify(text: str, *, words: int = 5, limit: int = 40, drop_common: bool = True) -> str:
    """A readable id from text: the first words (common short words left out), ASCII, lower case."""
    text = CLOZE.sub(lambda m: m.group(2), text).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    parts = [p for p in parts if not drop_common or p not in _STOPWORDS] or parts
    slug = ""
    for part in parts[:words]:
        if slug and len(slug) + 1 + len(part) > limit:
            break
        slug = f"{slug}-{part}" if slug else part[:limit]
    return slug or "card"


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def card_slug(card: Mapping[str, object]) -> str:
    """The readable id a card would get from its question (or cloze text)."""
    media = card.get("media")
    shown = media[0] if isinstance(media, list) and media else media  # an image-only question
    stem = str(shown).rsplit("/", 1)[-1].rsplit(".", 1)[0] if shown else ""
    return slugify(str(card.get("front") or card.get("text") or card.get("answer") or stem))
