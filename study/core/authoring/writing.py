"""Appending a card to a deck file: where it goes in the text, its checks, the write.

The card is a pure insertion into the file's text (see ``deck_text``), so comments, order and
formatting are kept byte for byte. The new text is parsed with the project's own validator
before it replaces the old file, and the replacement is atomic (``atomic``). Beside it: ``slug``
(readable ids), ``ids`` (ids for the cards that have none).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from study.core.authoring.atomic import atomic_write
from study.core.authoring.deck_text import _BREAK, AuthoringError, _parse, _root, read_deck_text
from study.core.authoring.interchange.yamlout import CARD_KEYS, card_block, card_flow, clean_card
from study.core.authoring.interchange.yamlout import deck_text as deck_text_for
from study.core.authoring.slug import card_slug, unique_id
from study.core.decks.model import Card, Problem, Severity
from study.core.decks.parse import parse_deck
from study.core.decks.yamlread import YList, YMap


@dataclass(frozen=True, slots=True)
class CardIssue:
    """A problem with a card being written, tied to one of its keys ('' for the card)."""

    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        return f"{kind}: {where}{self.message}"


@dataclass(frozen=True, slots=True)
class Insertion:
    """Where and how a card goes into a deck's text."""

    text: str
    line: int
    where: dict[str, int]
    """The first line of each key of the new card, in the new text."""


def _is_comment_or_blank(line: str, indent: int) -> bool:
    stripped = line.lstrip(" \t")
    return not stripped or (stripped.startswith("#") and len(line) - len(stripped) <= indent)


def _closing_bracket(body: str, start: int) -> int:
    """The index of the ']' that closes the flow list opening at ``start``."""
    depth, i, quote = 0, start, ""
    while i < len(body):
        ch = body[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                if quote == "'" and body[i + 1 : i + 2] == "'":
                    i += 1
                else:
                    quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and body[i - 1] in " \t\n":
            i = body.find("\n", i)
            if i < 0:
                break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise AuthoringError("cannot find the end of the 'cards' list: fix the file first")


def _lines_before(text: str) -> int:
    return len(_BREAK.findall(text))


def plan_insertion(text: str, card: Mapping[str, object]) -> Insertion:
    """The new text with ``card`` added after the last card; nothing else changes."""
    src, root = _root(text)
    body, eol = src.body, src.eol
    cards = root["cards"]
    key_mark = root.key_marks["cards"]
    value_mark = root.value_marks.get("cards", key_mark)
    block, where = card_block(card)
    if isinstance(cards, YList) and cards and body[src.offset(cards.mark)] == "-":
        last = cards.marks[-1]
        prefix = src.line(last.line)[: last.col - 1]
        if "-" not in prefix:  # "-" alone on its line, the card below it
            prefix = " " * (cards.mark.col - 1) + "- "
        indent = " " * len(prefix)
        if body[src.offset(last)] == "{":
            lines, where = [prefix + card_flow(card)], dict.fromkeys(where, 0)
        else:
            lines = [(prefix if i == 0 else indent) + line for i, line in enumerate(block)]
        blank = len(cards) > 1 and any(
            not src.line(n).strip() for n in range(cards.marks[-2].line + 1, last.line)
        )
        if blank:
            lines.insert(0, "")  # the deck separates its cards by a blank line
        later = [m.line for m in root.key_marks.values() if m.line > key_mark.line]
        if later:  # insert right after the last card, before what follows the list
            end_line = min(later) - 1
            while end_line > last.line and _is_comment_or_blank(src.line(end_line), len(indent)):
                end_line -= 1
            at = src.starts[end_line] if end_line < len(src.starts) else len(body)
        else:  # 'cards' is the last key: append
            at = len(body)
        lead = "" if at == 0 or body[at - 1] in "\r\n" else eol
        edits = [(at, at, lead + eol.join(lines) + eol)]
        first = _lines_before(body[:at] + lead) + 1 + blank
    elif isinstance(cards, YList) and cards:  # a flow list with cards: add one more
        close = _closing_bracket(body, src.offset(cards.mark))
        edits = [(close, close, ", " + card_flow(card))]
        first, where = _lines_before(body[:close]) + 1, dict.fromkeys(where, 0)
    elif (isinstance(cards, YList) and not cards) or cards is None:
        line_end = src.starts[key_mark.line - 1] + len(src.line(key_mark.line))
        edits = []
        if value_mark != key_mark and value_mark.line == key_mark.line:  # "[]", "~" or "null"
            start = src.offset(value_mark)
            stop = (
                _closing_bracket(body, start) + 1
                if body[start] == "["
                else start + len(re.match(r"[^\s#]*", body[start:]).group())  # type: ignore[union-attr]
            )
            while start > 0 and body[start - 1] in " \t":
                start -= 1
            edits.append((start, stop, ""))
        lines = [("  - " if i == 0 else "    ") + line for i, line in enumerate(block)]
        edits.append((line_end, line_end, eol + eol.join(lines)))
        first = key_mark.line + 1
    else:
        raise AuthoringError("'cards' is not a list: fix the file first")
    return Insertion(src.insert(edits), first, {k: first + n for k, n in where.items()})


def _issues(problems: list[Problem], insertion: Insertion, span: int) -> list[CardIssue]:
    """The problems inside the new card, each tied to the key it is about."""
    issues = []
    by_line = sorted(insertion.where.items(), key=lambda kv: kv[1])
    for problem in problems:
        if not insertion.line <= problem.line < insertion.line + span:
            continue
        named = re.search(r"'(\w+)'", problem.message)
        if named and named.group(1) in CARD_KEYS:
            field = named.group(1)
        else:
            field = next((k for k, line in reversed(by_line) if line <= problem.line), "")
        issues.append(CardIssue(field, problem.message, problem.severity))
    return issues


def _quick_check(card: Mapping[str, object], deck_text: str, path: Path) -> list[CardIssue]:
    """The card's problems, checked in a one-card deck with the same id and sources (fast)."""
    _, root = _root(deck_text)
    sources = root.get("sources")
    source_dicts = (
        [
            {k: str(v) for k, v in s.items() if isinstance(v, (str, int, float))}
            for s in sources
            if isinstance(s, YMap)
        ]
        if isinstance(sources, YList)
        else []
    )
    deck_id = str(root.get("id") or path.stem)
    mini = deck_text_for(str(root.get("title") or "deck"), deck_id, [], sources=source_dicts)
    insertion = plan_insertion(mini, card)
    _, problems = parse_deck(insertion.text, path, str(path))
    issues = _issues(problems, insertion, len(card_block(card)[0]))
    cards = root.get("cards")
    taken = (
        {str(c.get("id")) for c in cards if isinstance(c, YMap)}
        if isinstance(cards, YList)
        else set()
    )
    if str(card.get("id", "")) in taken:
        issues.append(
            CardIssue("id", f"the deck already has a card with id {card['id']!r}: choose another")
        )
    return issues


def check_card(
    card: Mapping[str, object],
    deck_text: str,
    path: Path = Path("deck.yaml"),
    *,
    quick: bool = False,
) -> tuple[list[CardIssue], Card | None]:
    """Validate ``card`` as it would be added to the deck whose text is ``deck_text``.

    Returns the card's problems (each tied to a key when possible) and the card as
    the deck would load it (None when it has errors). Problems elsewhere in the
    file that adding the card did not cause are not reported. ``quick=True`` checks
    the card in a one-card copy of the deck (its id and sources) instead of the whole
    file: fast enough for every keystroke of a form, and returns no card.
    """
    if quick:
        try:
            return _quick_check(card, deck_text, path), None
        except AuthoringError as exc:
            return [CardIssue("", str(exc))], None
    try:
        insertion = plan_insertion(deck_text, card)
    except AuthoringError as exc:
        return [CardIssue("", str(exc))], None
    block, _ = card_block(card)
    deck, problems = _parse(insertion.text, path)
    issues = _issues(problems, insertion, len(block))
    others = [
        p
        for p in problems
        if p.severity is Severity.ERROR and not any(i.message == p.message for i in issues)
    ]
    if others or deck is None:  # only then is the old file parsed, to tell old errors from new
        _, old_problems = _parse(deck_text, path)
        old_errors = {p.message for p in old_problems if p.severity is Severity.ERROR}
        issues += [
            CardIssue("", f"line {p.line}: {p.message}")
            for p in others
            if p.message not in old_errors
        ]
    if deck is None:
        return issues or [CardIssue("", "the deck does not load: run 'study lint' on it")], None
    added = next((c for c in deck.cards if c.line == insertion.line), None)
    if added is None and not any(i.severity is Severity.ERROR for i in issues):
        issues.append(CardIssue("", "the card was not read back as written: please report this"))
    errors = any(i.severity is Severity.ERROR for i in issues)
    return issues, None if errors else added


def suggest_id(card: Mapping[str, object], deck_text: str) -> str:
    """A readable id for ``card`` that no card of the deck uses yet."""
    try:
        _, root = _root(deck_text)
    except AuthoringError:
        return card_slug(card)
    cards = root.get("cards")
    taken = (
        {str(c.get("id")) for c in cards if isinstance(c, YMap)}
        if isinstance(cards, YList)
        else set()
    )
    return unique_id(card_slug(card), taken)


def append_card(path: Path, card: Mapping[str, object]) -> Card:
    """Add ``card`` after the last card of the deck file at ``path``; return it as loaded.

    Raises AuthoringError (with the problems) if the card or the new file does not
    validate; the file is then left untouched.
    """
    text = read_deck_text(path)
    card = clean_card(card)
    issues, added = check_card(card, text, path)
    errors = [i for i in issues if i.severity is Severity.ERROR]
    if errors or added is None:
        raise AuthoringError(
            "the card was not added: " + "; ".join(str(i) for i in errors or issues)
        )
    atomic_write(path, plan_insertion(text, card).text.encode("utf-8"))
    return added


__all__ = [
    "CardIssue",
    "append_card",
    "check_card",
    "plan_insertion",
    "suggest_id",
]
