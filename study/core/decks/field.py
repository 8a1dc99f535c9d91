"""One key of a deck's YAML mapping read into a checked value: texts, lists, tags, flags.

Every check that fails raises :class:`Invalid` at the offending key or value; control, bidi
and invisible characters are refused here (``safe_text`` finds them).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from study.core.decks.safe_text import control_name, find_bidi, find_control
from study.core.decks.yamlread import Mark, YList, YMap
from study.core.words import plural

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


TAG = re.compile(r"[^\s,]{1,64}")


ONE_LINE_KEYS = frozenset(
    {"title", "id", "author", "publication", "date", "url", "at", "guid", "media", "back_media"}
)
"""Keys whose text is one line: no tab or newline either (the other texts may hold both)."""


class Invalid(Exception):
    """A value failed validation; raised inside the deck parser only (field, card, parse)."""

    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _suggest(key: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _where(node: YMap, key: str) -> Mark:
    return node.value_marks.get(key, node.key_marks.get(key, node.mark))


def _no_controls(text: str, key: str, mark: Mark) -> None:
    """Refuse a control character (tab and newline are allowed where the key is not one-line)."""
    at = find_control(text, lines=key not in ONE_LINE_KEYS)
    if at >= 0 and text[at] in "\t\n":
        what = "tab" if text[at] == "\t" else "line break"
        raise Invalid(f"{key!r} must be one line: replace the {what} with a space", mark)
    if at >= 0:
        raise Invalid(
            f"{key!r} holds the control character {control_name(text[at])}, "
            "which can drive a terminal: remove it",
            mark,
        )
    at = find_bidi(text)
    if at >= 0:
        raise Invalid(
            f"{key!r} holds the bidi control {control_name(text[at])} (character {at + 1}), "
            "which shows the text in another order than it is written (Trojan Source): "
            "remove it; for right-to-left text no control is needed",
            mark,
        )


MAX_INVISIBLE = 100
"""Zero-width characters reported per file (a file full of them needs one look, not 10,000)."""


def _invisible_message(char: str) -> str:
    """What ``study lint`` says of a zero-width character (a warning: the card loads)."""
    name = control_name(char)
    if char in "\u200c\u200d":
        return (
            f"invisible {name}: keep it only if it joins letters or an emoji on purpose; "
            "elsewhere it makes the text differ from what it looks like: remove it"
        )
    if char in "\u200e\u200f":
        return (
            f"invisible {name}: it moves punctuation in mixed-direction text; keep it only "
            "if it is there on purpose"
        )
    return (
        f"invisible {name}: the text looks the same without it but is not (a typed answer "
        "with it never matches, a search misses it): remove it"
    )


def _mark_of(text: str, at: int) -> Mark:
    """The 1-based line and column of ``text[at]``."""
    line_start = text.rfind("\n", 0, at) + 1
    return Mark(text.count("\n", 0, at) + 1, at - line_start + 1)


def _text(node: YMap, key: str, *, required: bool = False) -> str:
    value = node.get(key)
    if value is None:
        if required and key in node:  # 'back:' with nothing after it
            raise Invalid(f"{key!r} is empty: write the {key}", _where(node, key))
        if required:
            raise Invalid(f"missing {key!r}: add it", node.mark)
        return ""
    if isinstance(value, (bool, YMap, YList)):
        kind = "a boolean" if isinstance(value, bool) else type(value).__name__[1:].lower()
        raise Invalid(
            f"{key!r} must be text, not {kind}; quote it if it is text", _where(node, key)
        )
    text = str(value).strip()
    if required and not text:
        raise Invalid(f"{key!r} is empty: write the {key}", _where(node, key))
    _no_controls(text, key, _where(node, key))
    return text


def _bool(node: YMap, key: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise Invalid(f"{key!r} must be true or false", _where(node, key))
    return value


def _texts(node: YMap, key: str, *, min_items: int = 0, unique: bool = True) -> tuple[str, ...]:
    value = node.get(key)
    if value is None:
        if min_items:
            raise Invalid(f"missing {key!r}: add a list", node.mark)
        return ()
    if not isinstance(value, YList):
        raise Invalid(f"{key!r} must be a list (- item per line, or [a, b])", _where(node, key))
    out: list[str] = []
    seen: set[str] = set()
    for item, mark in zip(value, value.marks, strict=False):
        if item is None or isinstance(item, (bool, YMap, YList)) or not str(item).strip():
            raise Invalid(f"each item of {key!r} must be non-empty text", mark)
        text = str(item).strip()
        _no_controls(text, key, mark)
        if unique:
            folded = text.casefold()
            if folded in seen:
                raise Invalid(f"{text!r} appears twice in {key!r}: remove one", mark)
            seen.add(folded)
        out.append(text)
    if len(out) < min_items:
        what = "is empty" if not out else f"needs at least {plural(min_items, 'item')}"
        raise Invalid(f"{key!r} {what}", _where(node, key))
    return tuple(out)


def _items(node: YMap, min_items: int) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A list card's items and each one's other accepted forms.

    An item is text, or a mapping ``{item: ..., accept: [...]}`` naming other wordings that
    earn the item (another text's words for it, a shorter form).
    """
    value = node.get("items")
    if value is None:
        raise Invalid("missing 'items': add a list", node.mark)
    if not isinstance(value, YList):
        raise Invalid("'items' must be a list (- item per line, or [a, b])", _where(node, "items"))
    items: list[str] = []
    accepts: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for entry, mark in zip(value, value.marks, strict=False):
        if isinstance(entry, YMap):
            _check_keys(entry, ("item", "accept"), "a list item ({item: ..., accept: [...]})")
            text = _text(entry, "item", required=True)
            mark = _where(entry, "item")
            accept = _texts(entry, "accept")
            if not accept and "accept" in entry:
                raise Invalid(
                    "'accept' is empty: list the other forms or remove it", _where(entry, "accept")
                )
        elif entry is None or isinstance(entry, (bool, YList)) or not str(entry).strip():
            raise Invalid(
                "each item of 'items' must be non-empty text or {item: ..., accept: [...]}", mark
            )
        else:
            text, accept = str(entry).strip(), ()
            _no_controls(text, "items", mark)
        if text.casefold() in seen:
            raise Invalid(f"{text!r} appears twice in 'items': remove one", mark)
        seen.add(text.casefold())
        items.append(text)
        accepts.append(accept)
    if len(items) < min_items:
        what = "is empty" if not items else f"needs at least {plural(min_items, 'item')}"
        raise Invalid(f"'items' {what}", _where(node, "items"))
    if not any(accepts):
        accepts = []
    return tuple(items), tuple(accepts)


def _tags(node: YMap) -> tuple[str, ...]:
    tags = _texts(node, "tags")
    value = node.get("tags")
    for tag, mark in zip(tags, value.marks if isinstance(value, YList) else [], strict=False):
        if not TAG.fullmatch(tag):
            raise Invalid(f"tag {tag!r} must be one word without spaces or commas", mark)
    return tags


def _check_keys(node: YMap, allowed: Sequence[str], what: str, others: Sequence[str] = ()) -> None:
    for key in node:
        if key in allowed:
            continue
        mark = node.key_marks[key]
        if key in others:
            raise Invalid(f"key {key!r} is not used by {what}: remove it or change 'type'", mark)
        raise Invalid(f"unknown key {key!r} in {what}{_suggest(key, allowed)}", mark)
