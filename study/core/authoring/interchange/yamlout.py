"""Writing deck YAML without a YAML library: scalars, cards and whole decks (the one YAML writer).

Every value is written so that the project's own reader gives back exactly the
same string: plain when that is unambiguous, double-quoted (with escapes)
otherwise (:func:`scalar`); drafts quote all but simple tokens (:func:`token`).
Callers still parse what they write before saving it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

CARD_KEYS = (
    "id",
    "type",
    "front",
    "media",
    "back",
    "back_media",
    "text",
    "answer",
    "distractors",
    "accept",
    "items",
    "ordered",
    "reverse",
    "tags",
    "source",
    "explain",
    "guid",
    "notetype",
)
"""The order keys are written in."""

_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SPECIAL = frozenset({"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"})
_NUMBERISH = re.compile(r"[-+.]?[0-9][0-9_.,:eExXoObB+-]*|[-+]?\.(?:inf|nan)", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z][a-z0-9-]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if text.casefold() in _SPECIAL or _NUMBERISH.fullmatch(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    return all(c.isprintable() and c not in "\u2028\u2029\x85\ufeff" for c in text)


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif not ch.isprintable() or ch in "\u2028\u2029\x85\ufeff":
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def scalar(value: object, *, flow: bool = False) -> str:
    """One value as YAML: booleans as ``true``/``false``, text plain when safe, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return text if _plain_ok(text, flow) else quoted(text)


def flow_list(values: Sequence[object]) -> str:
    """``[a, b, "c, d"]``."""
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def token(value: str) -> str:
    """``value`` plain only when it is a simple lower-case token (an id, a tag, a type), else
    double-quoted: the drafts' style, which quotes every sentence."""
    return value if _TOKEN.fullmatch(value) and value not in _SPECIAL else quoted(value)


def token_flow(value: object) -> str:
    """A value in flow style, its text written by :func:`token`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {token_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(token_flow(v) for v in value) + "]"
    return token(str(value))


def _source(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_source(v) for v in value) + "]"
    if isinstance(value, Mapping):
        parts = [f"{k}: {scalar(value[k], flow=True)}" for k in ("id", "at") if value.get(k)]
        return "{" + ", ".join(parts) + "}"
    return scalar(value)


def clean_card(card: Mapping[str, object]) -> dict[str, object]:
    """The card's keys in writing order, without empty values (unknown keys kept at the end)."""
    out: dict[str, object] = {}
    for key in [*CARD_KEYS, *(k for k in card if k not in CARD_KEYS)]:
        value = card.get(key)
        if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
            continue
        if key in ("ordered", "reverse") and value is False:
            continue
        out[key] = list(value) if isinstance(value, (list, tuple)) else value
    return out


def card_block(card: Mapping[str, object]) -> tuple[list[str], dict[str, int]]:
    """A card as block-mapping lines (no indentation) and the line each key starts on."""
    lines: list[str] = []
    where: dict[str, int] = {}
    for key, value in clean_card(card).items():
        where[key] = len(lines)
        if key == "source":
            lines.append(f"{key}: {_source(value)}")
        elif isinstance(value, list):
            short = key != "items" and len(flow_list(value)) <= 70
            if short:
                lines.append(f"{key}: {flow_list(value)}")
            else:
                lines.append(f"{key}:")
                lines.extend(f"  - {scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {scalar(value)}")
    return lines, where


def card_flow(card: Mapping[str, object]) -> str:
    """A card as one flow mapping: ``{id: x, front: "...", back: "..."}``."""
    parts = []
    for key, value in clean_card(card).items():
        if key == "source":
            parts.append(f"{key}: {_source(value)}")
        elif isinstance(value, list):
            parts.append(f"{key}: {flow_list(value)}")
        else:
            parts.append(
                f"{key}: {quoted(str(value)) if not isinstance(value, bool) else scalar(value)}"
            )
    return "{" + ", ".join(parts) + "}"


def deck_text(
    title: str,
    deck_id: str,
    cards: Sequence[Mapping[str, object]],
    *,
    description: str = "",
    tags: Sequence[str] = (),
    sources: Sequence[Mapping[str, str]] = (),
    comment: str = "",
) -> str:
    """A whole deck file: header keys, then one block per card separated by blank lines."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    lines += [f"title: {scalar(title)}", f"id: {scalar(deck_id)}"]
    if description:
        lines.append(f"description: {scalar(description)}")
    if tags:
        lines.append(f"tags: {flow_list(tags)}")
    if sources:
        lines.append("sources:")
        for source in sources:
            keys = [
                k for k in ("id", "title", "author", "publication", "date", "url") if source.get(k)
            ]
            for n, key in enumerate(keys):
                lines.append(f"{'  - ' if n == 0 else '    '}{key}: {scalar(source[key])}")
    if not cards:
        lines.append("cards: []")
    else:
        lines.append("cards:")
        for n, card in enumerate(cards):
            if n:
                lines.append("")
            block, _ = card_block(card)
            lines.extend(("  - " if i == 0 else "    ") + line for i, line in enumerate(block))
    return "\n".join(lines) + "\n"


_TEMPLATE = """\
# A deck for `study`. Edit the example cards below into your own, then check the
# file with:  study lint {path}
# The full format is in the README ("Deck format"). Lines starting with # are comments.
title: {title}
id: {deck_id}                 # progress is kept per deck id + card id: keep both stable
description: What this deck covers, in one paragraph.
# tags: [my-course]           # tags added to every card of the deck
# sources:                    # what the cards cite (source: ID on a card)
#   - id: my-textbook
#     title: The textbook
#     author: Its author
#     date: "2024"
cards:
  # basic: recall the back, then grade yourself. reverse: true also asks back -> front.
  - id: example-basic
    type: basic
    front: "What does a basic card with 'reverse: true' add?"
    back: A second card that asks the back and expects the front
    reverse: false
    tags: [example]
    explain: Shown after you answer; optional on every card.

  # cloze: one card per deletion number; {{{{c1::answer::hint}}}} shows a hint.
  - id: example-cloze
    type: cloze
    text: A cloze hides {{{{c1::one part}}}} of a sentence, or {{{{c2::another::a hint}}}}.

  # typed: type the answer; it is graded for you. accept: other right answers.
  - id: example-typed
    type: typed
    front: In which year was the first YAML specification published?
    back: "2001"
    accept: [the year 2001]

  # choice: pick the answer among distractors (drawn from similar cards when omitted).
  - id: example-choice
    type: choice
    front: Which key gives a card its stable identity?
    answer: id
    distractors: [title, tags, explain]

  # list: type every item you remember; ordered: true if the order matters.
  - id: example-list
    type: list
    front: The keys every card may have
    ordered: false
    items:
      - id
      - type
      - tags
      - source
      - explain

  # order: put the items in the right order (at least two).
  - id: example-order
    type: order
    front: Put the steps of writing a deck in order
    items:
      - study new
      - edit the cards
      - study lint
      - study
"""


def new_deck_text(title: str, deck_id: str, path: str = "FILE") -> str:
    """A new deck file: the header and one commented example card of each type."""
    return _TEMPLATE.format(title=scalar(title), deck_id=scalar(deck_id), path=path)
