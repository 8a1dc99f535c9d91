"""Draft a deck from a plain text: candidate cards for the author to check and edit.

``extract`` finds what makes good cards in a document: numbered documents
(``806-NQ/QUTW``, ``130/2020/QH14``) with the kind, date and issuing body the text
gives near them; dates and figures with the sentence around them; enumerations
("First, ... Second, ...", "1- ... 2- ...", "(1)", "a)", bullets, "two goals: x; and
y"); and short quoted mottos. It never invents: a card is made only from what the
text says. ``draft_deck`` writes the candidates as deck YAML (through
``interchange.yamlout``, the one YAML writer), each card under a comment quoting
the line it came from.

Here: events, figures and mottos, ``extract`` and ``draft_deck``; the documents are found
in ``draft_documents``, the dates in ``draft_dates``, the enumerations in ``draft_lists``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from study.core.authoring.draft_dates import DATE_RE, _dates
from study.core.authoring.draft_documents import DOC_RE, _documents
from study.core.authoring.draft_lists import _enumerations
from study.core.authoring.draft_text import (
    Candidate,
    _blank,
    _candidate,
    _slug,
    _Text,
    _typed,
)
from study.core.authoring.interchange.yamlout import token, token_flow

_STOP = (
    r"(?:the|a|an|of|to|in|on|at|by|for|with|from|or|is|are|was|were|has|have|had|be|been|that|which"
    r"|as|this|its|thus|always|across|us|his|does|whereas|unless|less|besides|towards|perhaps|yes|plus)\b"
)

FIGURE_RE = re.compile(
    r"(?:\b(?:more than|over|nearly|almost|about|around|approximately|at least|up to|less "
    r"than|fewer than)\s+)?"
    r"(?<![\w/:.,-])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:/\d+)?)(?![\w/-]|[.,]\d)"
    rf"(?:\s*(?P<pct>%|per\s?cent\b)|\s+(?:out of\s+(?:the\s+)?[\d,]+\s+)?"
    rf"(?P<noun>(?:(?!{_STOP})[a-z][a-z’'-]*\s+){{0,3}}?(?!{_STOP})(?:[a-z][a-z’'-]*s|people|personnel|staff"
    r"|troops)\b))"
)
QUOTE_RE = re.compile(
    r"“\s*(?P<a>[^“”\n]+?)\s*”|\"\s*(?P<b>[^\"\n]+?)\s*\""
    r"|‘\s*(?P<c>(?:[^‘’\n]|’(?=\w))+?)\s*’(?!\w)"
)
BRACES_RE = re.compile(r"[{}]|::")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
NOT_PRINTABLE_RE = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""What may not appear raw in a YAML value or comment: control characters and line breaks."""


def _events(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A card asking the date for each dated sentence that is not about a numbered document."""
    for line in text.sentences:
        for sentence in line:
            if DOC_RE.search(sentence.text):
                continue
            dates = _dates(sentence.text)
            full = {y for d in dates if d.unit != "year" for y in d.years}
            for d in dates:
                words = len(sentence.text[: d.start].split()) + len(sentence.text[d.end :].split())
                if (d.unit == "year" and set(d.years) <= full) or words < 5:
                    continue
                front = f"Which {d.unit} goes in the blank? {_blank(sentence.text, d.start, d.end)}"
                card = _typed(
                    f"date-line-{sentence.line}-{_slug(d.text)}", front, d.text, d.accept, "dates"
                )
                yield _candidate("date", sentence, sentence.start + d.start, card, source_id)


def _figures(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A card for each figure with what it counts ('more than 100 countries', '45%')."""
    seen: set[tuple[str, str]] = set()
    for line in text.sentences:
        for sentence in line:
            s = sentence.text
            taken = [m.span() for m in (*DATE_RE.finditer(s), *DOC_RE.finditer(s))]
            for m in FIGURE_RE.finditer(s):
                (a, b), number = m.span("n"), m["n"]
                what = "percent" if m["pct"] else " ".join(m["noun"].split())
                if any(a < y and x < b for x, y in taken) or (number, what) in seen:
                    continue
                seen.add((number, what))
                plain = number.replace(",", "")
                front = ("What percentage? " if m["pct"] else f"How many {what}? ") + _blank(
                    s, a, b
                )
                card = _typed(
                    f"fig-line-{sentence.line}-{_slug(plain + ' ' + what.split()[-1])}",
                    front,
                    number,
                    [plain] if plain != number else [],
                    "figures",
                )
                yield _candidate("figure", sentence, sentence.start + a, card, source_id)


def _mottos(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A cloze for each short quoted phrase (2 to 12 words), the phrase or its key word deleted."""
    seen: set[str] = set()
    for index, line in enumerate(text.lines):
        for m in QUOTE_RE.finditer(line):
            group = "a" if m["a"] is not None else "b" if m["b"] is not None else "c"
            phrase = m[group]
            if (
                not 2 <= len(phrase.split()) <= 12
                or phrase.casefold() in seen
                or BRACES_RE.search(phrase)
            ):
                continue
            words = [w.strip(".,;:!?()’'") for w in phrase.split()]
            key = phrase if len(words) <= 4 else max(words, key=len)
            at = re.search(rf"(?<!\w){re.escape(key)}(?!\w)", phrase) if key else None
            if at is None:
                continue
            seen.add(phrase.casefold())
            cloze = phrase[: at.start()] + "{{c1::" + at.group() + "}}" + phrase[at.end() :]
            card: dict[str, object] = {
                "id": f"motto-{_slug(phrase, 40)}",
                "type": "cloze",
                "text": _blank(
                    line.replace("{", "(").replace("}", ")"), m.start(group), m.end(group), cloze
                ),
                "tags": ["mottos"],
            }
            yield _candidate(
                "motto", text.sentence_at(index, m.start()), m.start(), card, source_id
            )


def extract(text: str, *, source_id: str = "text") -> list[Candidate]:
    """Every candidate card found in ``text``, in text order, with unique card ids."""
    parsed = _Text.parse(text)
    found = [
        *_documents(parsed, source_id),
        *_events(parsed, source_id),
        *_figures(parsed, source_id),
        *_enumerations(parsed, source_id),
        *_mottos(parsed, source_id),
    ]
    seen: set[str] = set()
    out = []
    for c in sorted(found, key=lambda c: (c.line, c.col)):
        base = card_id = str(c.card["id"])
        k = 2
        while card_id in seen:
            card_id, k = f"{base}-{k}", k + 1
        seen.add(card_id)
        out.append(c if card_id == base else replace(c, card={**c.card, "id": card_id}))
    return out


HEADER = (
    "# DRAFT deck written by `study draft`: every card below is a machine-made candidate.",
    "# Above each card is the line and sentence it came from: check the card against it,",
    "# rewrite it in your own words or delete it, then remove the 'draft' tag.",
)
DESCRIPTION = (
    "DRAFT: candidate cards found automatically in the text. Check each one against the "
    "line quoted above it, then edit or delete it."
)


def _render(candidate: Candidate) -> list[str]:
    """One card as YAML lines, under a comment with its line and excerpt."""
    excerpt = NOT_PRINTABLE_RE.sub("?", candidate.excerpt)
    out = [f"  # line {candidate.line}: {excerpt}"]
    for i, (key, value) in enumerate(candidate.card.items()):
        lead = "  - " if i == 0 else "    "
        if key == "items" and isinstance(value, list):
            out += [f"{lead}{key}:", *(f"      - {token(str(v))}" for v in value)]
        else:
            out.append(f"{lead}{key}: {token_flow(value)}")
    return out


def draft_deck(
    text: str, *, title: str, deck_id: str, source_id: str = "text", source_title: str | None = None
) -> str:
    """The YAML text of a draft deck of the candidates found in ``text``.

    Raises ValueError if ``title`` is blank or ``deck_id`` or ``source_id`` is not a valid id.
    """
    for label, value in (("deck_id", deck_id), ("source_id", source_id)):
        if not ID_RE.fullmatch(value):
            raise ValueError(f"{label} {value!r}: use letters, digits, '-', '_' and '.'")
    if not title.strip():
        raise ValueError("the deck needs a title")
    candidates = extract(text, source_id=source_id)
    out = [
        *HEADER,
        f"title: {token(title)}",
        f"id: {token(deck_id)}",
        f"description: {token(DESCRIPTION)}",
        "tags: [draft]",
        "sources:",
        f"  - id: {token(source_id)}",
        f"    title: {token(source_title or title)}",
        "cards:" if candidates else "cards: []",
    ]
    for candidate in candidates:
        out += ["", *_render(candidate)]
    return "\n".join(out) + "\n"


__all__ = [
    "Candidate",
    "draft_deck",
    "extract",
]
