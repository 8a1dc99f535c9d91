"""The text model of ``study draft``: lines and sentences, and the candidate card made from one.

Shared by the extractors of ``draft`` (events, figures, mottos), ``draft_documents``,
``draft_dates`` and ``draft_lists`` (enumerations); ``_blank`` and ``_typed`` make their cards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
ABBREVIATIONS = frozenset(
    {
        "no",
        "nos",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "lt",
        "col",
        "gen",
        "sr",
        "jr",
        "maj",
        "capt",
        "prof",
        "assoc",
        "vol",
        "pp",
        "op",
        "cit",
        "fig",
        "art",
        "vs",
        "ph.d",
        "e.g",
        "i.e",
        "u.s",
    }
)
_ORD = "|".join(ORDINALS)
BOUNDARY_RE = re.compile(r"[.!?][”\"’)]*\s+(?=[“\"‘(]?[A-Z0-9])")
ORD_RE = re.compile(
    rf"\b(?:The\s+(?P<t>{_ORD})\b(?:\s+[a-z]+){{0,3}}?\s+(?:is|are|was|were)\b"
    rf"|The\s+(?P<u>{_ORD})\s*[,:]|(?P<o>{_ORD})(?:ly)?\s*[,:])\s*",
    re.I,
)
CLAUSE_END_RE = re.compile(r"[;:]|\.(?:\s|$)")
SENTENCE_END_RE = re.compile(r"\.(?:\s|$)")
LEADING_AND_RE = re.compile(r"^\s*(?:and|or)\s+")
NOT_ID_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Candidate:
    """One candidate card: what kind of fact, where it is, the sentence it is from and the card."""

    kind: str  # "document", "date", "figure", "enumeration" or "motto"
    line: int  # 1-based line of the text
    col: int  # 1-based column of the match in that line
    excerpt: str  # the sentence the card came from, trimmed to about 200 characters
    card: dict[str, object]  # the card to write: id, type, the keys of its type, tags, source


@dataclass(frozen=True)
class _Sentence:
    """A sentence: its 1-based line, its offset in the line, its text."""

    line: int
    start: int
    text: str


@dataclass(frozen=True)
class _Text:
    """A text's lines and the sentences of each line (index 0 is line 1)."""

    lines: tuple[str, ...]
    sentences: tuple[tuple[_Sentence, ...], ...]

    @classmethod
    def parse(cls, text: str) -> _Text:
        """Split a text into lines and each line into sentences."""
        lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        return cls(
            lines,
            tuple(
                tuple(_Sentence(i + 1, a, line[a:b]) for a, b in _split(line))
                for i, line in enumerate(lines)
            ),
        )

    def sentence_at(self, index: int, offset: int) -> _Sentence:
        """The sentence of line ``index`` (0-based) that contains ``offset``."""
        return [s for s in self.sentences[index] if s.start <= offset][-1]


def _split(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line, not breaking after abbreviations such as 'No.' or initials."""
    spans, start = [], 0
    for m in BOUNDARY_RE.finditer(line):
        words = line[start : m.start()].split()
        last = words[-1].lstrip('(“"‘').lower() if words else ""
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if line[start:].strip():
        spans.append((start, len(line)))
    return spans


def _words(text: str, limit: int) -> str:
    """The first ``limit`` words of a text, without trailing small words or punctuation."""
    words = text.split()[:limit]
    while words and words[-1].lower().strip(",") in {
        "and",
        "or",
        "of",
        "the",
        "a",
        "to",
        "in",
        "for",
        "with",
    }:
        words.pop()
    return " ".join(words).strip(" ,;:.–-")


def _phrase(text: str, limit: int = 12) -> str:
    """The first clause of a list item, trimmed to a short phrase."""
    clause = LEADING_AND_RE.sub("", CLAUSE_END_RE.split(text, maxsplit=1)[0].strip())
    words = clause.split()
    if len(words) > limit:
        comma = next((i for i, w in enumerate(words) if w.endswith(",") and i >= 2), None)
        words = words[: comma + 1] if comma is not None else words
    return _words(" ".join(words), limit)


def _slug(text: str, limit: int = 50) -> str:
    """A lower-case id fragment: letters and digits joined by '-'."""
    return NOT_ID_RE.sub("-", text.lower()).strip("-")[:limit].strip("-") or "x"


def _excerpt(text: str, limit: int = 200) -> str:
    """A sentence on one line, trimmed to about ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _candidate(
    kind: str, sentence: _Sentence, col: int, card: dict[str, object], source_id: str
) -> Candidate:
    """A candidate with its card's source reference set to the sentence's line."""
    card = {**card, "source": {"id": source_id, "at": f"line {sentence.line}"}}
    return Candidate(kind, sentence.line, col + 1, _excerpt(sentence.text), card)


def _blank(text: str, start: int, end: int, fill: str = "____", width: int = 15) -> str:
    """``text`` with ``[start:end)`` replaced by ``fill``, keeping ``width`` words either side."""
    before, after = text[:start], text[end:]
    head, tail = before.split()[-width:], after.split()[:width]
    left = ("… " if len(before.split()) > width else "") + " ".join(head)
    right = " ".join(tail) + (" …" if len(after.split()) > width else "")
    gap_l = " " if head and before[-1:].isspace() else ""
    gap_r = " " if tail and after[:1].isspace() else ""
    return f"{left}{gap_l}{fill}{gap_r}{right}".strip()


def _typed(
    card_id: str, front: str, back: str, accept: Sequence[str], *tags: str
) -> dict[str, object]:
    """A typed card (with ``accept`` only when there are other accepted forms)."""
    card: dict[str, object] = {"id": card_id, "type": "typed", "front": front, "back": back}
    return card | ({"accept": list(accept)} if accept else {}) | {"tags": list(tags)}
