"""One card of a deck file checked into a :class:`~study.core.decks.model.Card`.

Its type and the keys that type allows, its fields, its source references, its media and its Anki
identity; ``derived_id`` names a card written without an id.
"""

from __future__ import annotations

import hashlib

from study.core.decks.field import (
    ID,
    Invalid,
    _bool,
    _check_keys,
    _items,
    _no_controls,
    _suggest,
    _tags,
    _text,
    _texts,
    _where,
)
from study.core.decks.media import MEDIA_KEYS, check_media_path
from study.core.decks.model import (
    CLOZE,
    GUID,
    MAX_NOTETYPE,
    Card,
    CardType,
    MediaRef,
    Source,
    SourceRef,
)
from study.core.decks.yamlread import Mark, YList, YMap

__all__ = [
    "derived_id",
]


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
