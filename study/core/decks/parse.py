"""Validation of deck files into the card model.

``parse_deck`` turns one file's text into a Deck and a list of Problems; a bad
card is reported and left out, a bad header leaves the whole file out. Every
problem points at the offending key or value.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from study.core.decks.media import MEDIA_KEYS, check_media_path
from study.core.decks.model import (
    CLOZE,
    GUID,
    MAX_NOTETYPE,
    Card,
    CardType,
    Deck,
    MediaRef,
    Problem,
    Severity,
    Source,
    SourceRef,
    cloze_numbers,
)
from study.core.decks.safe_text import control_name, find_bidi, find_control, find_invisible
from study.core.decks.yamlread import Mark, YamlError, YList, YMap, read_yaml
from study.core.words import plural

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
TAG = re.compile(r"[^\s,]{1,64}")
DECK_KEYS = ("title", "id", "description", "tags", "sources", "cards")
SOURCE_KEYS = ("id", "title", "author", "publication", "date", "url")
COMMON_KEYS = ("id", "type", "tags", "source", "explain", "guid", "notetype", *MEDIA_KEYS)
TYPE_KEYS: dict[CardType, tuple[str, ...]] = {
    CardType.BASIC: ("front", "back", "reverse"),
    CardType.CLOZE: ("text",),
    CardType.TYPED: ("front", "back", "accept"),
    CardType.CHOICE: ("front", "answer", "distractors"),
    CardType.LIST: ("front", "items", "ordered"),
    CardType.ORDER: ("front", "items"),
}
REQUIRED: dict[CardType, tuple[str, ...]] = {
    CardType.BASIC: ("front", "back"),
    CardType.CLOZE: ("text",),
    CardType.TYPED: ("front", "back"),
    CardType.CHOICE: ("front", "answer"),
    CardType.LIST: ("front", "items"),
    CardType.ORDER: ("front", "items"),
}


_KEYS_OF: dict[CardType, tuple[tuple[str, ...], list[str], str]] = {
    kind: (
        COMMON_KEYS + TYPE_KEYS[kind],
        sorted(
            {k for keys in TYPE_KEYS.values() for k in keys} - set(COMMON_KEYS + TYPE_KEYS[kind])
        ),
        f"{'an' if kind is CardType.ORDER else 'a'} {kind} card",
    )
    for kind in CardType
}
"""Per card type: the keys it allows, the keys of other types, and how to name it."""

ONE_LINE_KEYS = frozenset(
    {"title", "id", "author", "publication", "date", "url", "at", "guid", "media", "back_media"}
)
"""Keys whose text is one line: no tab or newline either (the other texts may hold both)."""


class Invalid(Exception):
    """A value failed validation; raised inside this module only."""

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


def _card_type(node: YMap) -> CardType:
    raw = node.get("type")
    if raw is None:
        return CardType.CLOZE if "text" in node else CardType.BASIC
    try:
        return CardType(str(raw))
    except ValueError:
        names = [t.value for t in CardType]
        raise Invalid(
            f"unknown card type {raw!r}{_suggest(str(raw), names)}; use one of {', '.join(names)}",
            _where(node, "type"),
        ) from None


def derived_id(card_type: CardType, content: str) -> str:
    """An id for a card that has none, from its normalised content."""
    norm = " ".join(content.casefold().split())
    digest = hashlib.blake2b(f"{card_type}|{norm}".encode(), digest_size=4).hexdigest()
    return f"h{digest}"


def _one_source_ref(value: object, mark: Mark, sources: dict[str, Source]) -> SourceRef:
    if isinstance(value, YMap):
        _check_keys(value, ("id", "at"), "a source reference")
        ref = SourceRef(_text(value, "id", required=True), _text(value, "at"))
        mark = _where(value, "id")
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        ref = SourceRef(str(value).strip())
    else:
        raise Invalid("'source' must be a source id, {id: ..., at: ...}, or a list of them", mark)
    if ref.id not in sources:
        known = ", ".join(sources) or "none: add a 'sources' list to the deck"
        raise Invalid(
            f"unknown source {ref.id!r}{_suggest(ref.id, list(sources))}; the deck's sources: "
            f"{known}",
            mark,
        )
    return ref


def _source_refs(node: YMap, sources: dict[str, Source]) -> tuple[SourceRef, ...]:
    """The card's citations: one source (an id or ``{id, at}``) or a list of them."""
    value = node.get("source")
    if value is None:
        return ()
    mark = _where(node, "source")
    if not isinstance(value, YList):
        return (_one_source_ref(value, mark, sources),)
    if not value:
        raise Invalid("'source' is an empty list: cite at least one source", mark)
    refs: list[SourceRef] = []
    for item, item_mark in zip(value, value.marks, strict=False):
        ref = _one_source_ref(item, item_mark, sources)
        if ref in refs:
            raise Invalid(f"source {ref.id!r} is cited twice with the same 'at'", item_mark)
        refs.append(ref)
    return tuple(refs)


def anki_identity(node: YMap) -> tuple[str, int]:
    """A card's ``guid`` (an Anki note GUID) and ``notetype`` (an Anki note type id)."""
    guid = _text(node, "guid")
    if guid and not GUID.fullmatch(guid):
        raise Invalid(
            "'guid' is an Anki note GUID: 1 to 64 characters, no spaces or quotes "
            "(written by 'study import'; remove it to make a new note in Anki)",
            _where(node, "guid"),
        )
    if "guid" in node and not guid:
        raise Invalid("'guid' is empty: remove it", _where(node, "guid"))
    raw = node.get("notetype")
    if raw is None:
        if "notetype" in node:
            raise Invalid("'notetype' is empty: remove it", _where(node, "notetype"))
        return guid, 0
    text = str(raw).strip()
    if (
        isinstance(raw, (bool, YMap, YList))
        or not text.isdigit()
        or not 0 < int(text) <= MAX_NOTETYPE
    ):
        raise Invalid(
            "'notetype' is the id of an Anki note type, a positive whole number "
            "(written by 'study import')",
            _where(node, "notetype"),
        )
    if not guid:
        raise Invalid(
            "'notetype' goes with a 'guid': add it or remove 'notetype'", _where(node, "notetype")
        )
    return guid, int(text)


def _media(node: YMap) -> tuple[MediaRef, ...]:
    """The card's ``media`` and ``back_media``: each a path or a list of paths."""
    refs: list[MediaRef] = []
    for key in MEDIA_KEYS:
        value = node.get(key)
        if value is None:
            continue
        if isinstance(value, YList):
            if not value:
                raise Invalid(
                    f"{key!r} is an empty list: name a file or remove it", _where(node, key)
                )
            pairs = list(zip(value, value.marks, strict=False))
        else:
            pairs = [(value, _where(node, key))]
        for item, mark in pairs:
            if not isinstance(item, str) or not item.strip():
                raise Invalid(f"{key!r} must be a file path (media/x.png) or a list of them", mark)
            path = item.strip()
            _no_controls(path, key, mark)
            why = check_media_path(path)
            if why:
                raise Invalid(f"{key}: {why}", mark)
            refs.append(MediaRef(path, key == "back_media", mark.line, mark.col))
    return tuple(refs)


def _optional(card_type: CardType, key: str, node: YMap) -> bool:
    """A question may be only an image or sound (``media``); a basic answer too (``back_media``)."""
    if key == "front":
        return "media" in node
    return key == "back" and card_type is CardType.BASIC and "back_media" in node


def _card(
    node: object, mark: Mark, deck_id: str, sources: dict[str, Source], deck_tags: tuple[str, ...]
) -> Card:
    if not isinstance(node, YMap):
        raise Invalid("a card must be a mapping of keys (front: ..., back: ...)", mark)
    card_type = _card_type(node)
    allowed, others, what = _KEYS_OF[card_type]
    _check_keys(node, allowed, what, others)
    media = _media(node)
    for key in REQUIRED[card_type]:
        if key not in node and not _optional(card_type, key, node):
            raise Invalid(f"{what} needs {key!r}: add it", node.mark)
    fields: dict[str, object] = {
        k: _text(node, k, required=k in REQUIRED[card_type] and not _optional(card_type, k, node))
        for k in ("front", "back", "answer", "text")
        if k in TYPE_KEYS[card_type]
    }
    if card_type is CardType.CLOZE:
        text = str(fields["text"])
        if not CLOZE.search(text):
            raise Invalid("a cloze needs a deletion such as {{c1::answer}}", _where(node, "text"))
        if text.count("{{") != text.count("}}"):
            raise Invalid("unbalanced '{{' and '}}' in the cloze text", _where(node, "text"))
    if card_type is CardType.TYPED:
        fields["accept"] = _texts(node, "accept")
    if card_type is CardType.CHOICE:
        distractors = _texts(node, "distractors")
        answer = str(fields["answer"]).casefold()
        value = node.get("distractors")
        for text, dmark in zip(
            distractors, value.marks if isinstance(value, YList) else [], strict=False
        ):
            if text.casefold() == answer:
                raise Invalid(f"the answer {text!r} is also a distractor: remove it", dmark)
        fields["distractors"] = distractors
    if card_type in (CardType.LIST, CardType.ORDER):
        fields["items"], item_accept = _items(node, 2 if card_type is CardType.ORDER else 1)
        if card_type is CardType.LIST:
            fields["item_accept"] = item_accept
        elif item_accept:
            raise Invalid(
                "an order card's items are placed, not typed: remove their 'accept'",
                _where(node, "items"),
            )
    if card_type is CardType.LIST:
        fields["ordered"] = _bool(node, "ordered")
    if card_type is CardType.BASIC:
        fields["reverse"] = _bool(node, "reverse")
    raw_id = node.get("id")
    if raw_id is None:
        content = "|".join(str(fields.get(k, "")) for k in ("front", "text", "back", "answer"))
        card_id, given = derived_id(card_type, content), False
    else:
        card_id, given = str(raw_id).strip(), True
        if isinstance(raw_id, (bool, YMap, YList)) or not ID.fullmatch(card_id):
            raise Invalid(
                "a card id uses letters, digits, '-', '_' and '.', starting with a letter or digit",
                _where(node, "id"),
            )
    tags = tuple(dict.fromkeys(deck_tags + _tags(node)))
    refs = _source_refs(node, sources)
    guid, notetype = anki_identity(node)
    return Card(
        deck_id=deck_id,
        id=card_id,
        type=card_type,
        line=node.mark.line,
        tags=tags,
        source=refs[0] if refs else None,
        more_sources=refs[1:],
        explain=_text(node, "explain"),
        id_given=given,
        guid=guid,
        notetype=notetype,
        media=media,
        **fields,  # type: ignore[arg-type]
    )


def _sources(node: YMap, report: Callable[[str, Mark], None]) -> dict[str, Source]:
    value = node.get("sources")
    if value is None:
        return {}
    if not isinstance(value, YList):
        raise Invalid("'sources' must be a list of {id: ..., title: ...}", _where(node, "sources"))
    sources: dict[str, Source] = {}
    for item, mark in zip(value, value.marks, strict=False):
        try:
            if not isinstance(item, YMap):
                raise Invalid("a source must be a mapping with at least an 'id'", mark)
            _check_keys(item, SOURCE_KEYS, "a source")
            source = Source(**{k: _text(item, k, required=k == "id") for k in SOURCE_KEYS})
            if source.id in sources:
                raise Invalid(f"duplicate source id {source.id!r}", _where(item, "id"))
            sources[source.id] = source
        except Invalid as exc:
            report(exc.message, exc.mark)
    return sources


def parse_deck(
    text: str, path: Path, display: str, group: str = ""
) -> tuple[Deck | None, list[Problem]]:
    """Validate one deck file's text. Returns the deck (None if unusable) and its problems."""
    problems: list[Problem] = []

    def report(message: str, mark: Mark, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(display, mark.line, mark.col, message, severity))

    try:
        root, root_mark = read_yaml(text)
        if root is None:
            raise Invalid("the file is empty: a deck needs 'title' and 'cards'", root_mark)
        if not isinstance(root, YMap):
            raise Invalid(
                "a deck must be a mapping with 'title' and 'cards' at the top level", root_mark
            )
        _check_keys(root, DECK_KEYS, "a deck")
        title = _text(root, "title", required=True)
        description = _text(root, "description")
        deck_id = _text(root, "id") or path.stem
        if not ID.fullmatch(deck_id):
            raise Invalid(
                f"deck id {deck_id!r}: use letters, digits, '-', '_' and '.'", _where(root, "id")
            )
        deck_tags = _tags(root)
        sources = _sources(root, report)
        cards_node = root.get("cards")
        if not isinstance(cards_node, YList):
            what = "missing 'cards'" if cards_node is None else "'cards' must be a list of cards"
            raise Invalid(f"{what}: add 'cards:' with one '- ...' per card", _where(root, "cards"))
    except YamlError as exc:
        report(exc.message, exc.mark)
        return None, problems
    except Invalid as exc:
        report(exc.message, exc.mark)
        return None, problems
    cards: list[Card] = []
    seen: dict[str, int] = {}
    guids: dict[str, int] = {}
    for node, mark in zip(cards_node, cards_node.marks, strict=False):
        raw_id = node.get("id") if isinstance(node, YMap) else None
        if isinstance(raw_id, (str, int)) and str(raw_id) in seen:
            report(
                f"duplicate card id {str(raw_id)!r}, first at line {seen[str(raw_id)]}: make it "
                "unique",
                _where(node, "id"),  # type: ignore[arg-type]
            )
            continue
        if isinstance(raw_id, (str, int)):
            seen[str(raw_id)] = mark.line
        try:
            card = _card(node, mark, deck_id, sources, deck_tags)
        except Invalid as exc:
            report(exc.message, exc.mark)
            continue
        if not card.id_given and card.id in seen:
            report(f"this card repeats the card at line {seen[card.id]}: remove one", mark)
            continue
        seen[card.id] = card.line
        if card.guid and card.guid in guids:
            report(
                f"guid {card.guid!r} is also on the card at line {guids[card.guid]}: Anki would "
                "take both for one note; remove one",
                _where(node, "guid") if isinstance(node, YMap) else mark,
            )
            continue
        if card.guid:
            guids[card.guid] = card.line
        if not card.id_given:
            report(
                "card has no 'id': its progress is lost if its text changes; "
                "run 'study ids --write' to add ids",
                mark,
                Severity.WARNING,
            )
        cards.append(card)
    if not cards_node:
        report("the deck has no cards yet", _where(root, "cards"), Severity.WARNING)
    for at in find_invisible(text)[:MAX_INVISIBLE]:
        report(_invisible_message(text[at]), _mark_of(text, at), Severity.WARNING)
    deck = Deck(
        id=deck_id,
        title=title,
        path=path,
        display=display,
        group=group,
        description=description,
        tags=deck_tags,
        sources=tuple(sources.values()),
        cards=tuple(cards),
    )
    return deck, problems


__all__ = ["cloze_numbers", "derived_id", "parse_deck"]
