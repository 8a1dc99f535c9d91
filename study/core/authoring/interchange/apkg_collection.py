"""The collection database inside an Anki package, read: its note types, their shapes, its decks.

Note types live in the ``notetypes``/``fields``/``templates`` tables (protobuf configs,
read by ``_proto``) in the current format, as JSON in the ``col`` table in the legacy ones.
``shape_of`` says how a note type's notes become cards: a cloze note type gives cloze cards;
any other is read from its card templates (question fields -> ``front``, answer fields ->
``back``, ``{{type:...}}`` -> a typed card, a second template that swaps them -> ``reverse``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from study.core.authoring.interchange.apkg_bytes import _DAMAGED, PackageError, _proto
from study.core.authoring.interchange.bounded import (
    table_names,
)
from study.core.authoring.interchange.common import (
    EXTRA_NAMES,
    Shape,
)

_FIELD_REF = re.compile(r"\{\{([^{}#/^!][^{}]*)\}\}")


_SPECIAL = frozenset({"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"})


def _first(data: bytes, number: int, default: int | bytes) -> int | bytes:
    return next((v for n, v in _proto(data) if n == number), default)


def _refs(template: str) -> list[str]:
    """Field names a template shows, in order (filters such as ``type:`` removed)."""
    names = []
    for ref in _FIELD_REF.findall(template):
        name = ref.split(":")[-1].strip()
        if name and name not in _SPECIAL and name not in names:
            names.append(name)
    return names


def shape_of(
    name: str, cloze: bool, fields: list[str], templates: list[tuple[str, str]]
) -> Shape | str:
    """How notes of a note type become cards, or why they cannot."""
    index = {f: i for i, f in enumerate(fields)}
    extra = tuple(i for i, f in enumerate(fields) if f.casefold() in EXTRA_NAMES)
    if not templates:
        return "it has no card template"
    qfmt, afmt = templates[0]
    if "image-occlusion" in qfmt or "image-occlusion" in afmt:
        return "image occlusion is not supported"
    if cloze:
        text = re.search(r"\{\{(?:[^{}]*:)?cloze:([^{}]+)\}\}", qfmt)
        if not text or text.group(1) not in index:
            return "its cloze field was not found"
        return Shape(
            cloze=True,
            front=(index[text.group(1)],),
            back=(),
            extra=tuple(i for i in extra if fields[i] != text.group(1)),
        )
    question = [f for f in _refs(qfmt) if f in index]
    answer = [f for f in _refs(afmt) if f in index and f not in question]
    typed = re.search(r"\{\{type:([^{}]+)\}\}", qfmt)
    if typed and typed.group(1) in index:
        question = [f for f in question if f != typed.group(1)]
        answer = [typed.group(1)]
    back = [f for f in answer if index[f] not in extra]
    if not question or not back:
        return "its question or answer field was not found"
    shape = Shape(
        front=tuple(index[f] for f in question),
        back=tuple(index[f] for f in back),
        extra=tuple(index[f] for f in answer if index[f] in extra),
        typed=bool(typed),
    )
    if len(templates) == 1:
        return shape
    if len(templates) == 2 and not typed:
        q2, a2 = templates[1]
        condition = re.search(r"\{\{#([^{}]+)\}\}", q2)
        shown = [f for f in _refs(q2) if f in index]
        if (
            shown == back
            and [f for f in _refs(a2) if f in index and f not in shown][: len(question)] == question
        ):
            if (
                condition
                and condition.group(1) in index
                and condition.group(1) not in question + back
            ):
                return Shape(
                    front=shape.front,
                    back=shape.back,
                    extra=shape.extra,
                    reverse_if=index[condition.group(1)],
                )
            return Shape(front=shape.front, back=shape.back, extra=shape.extra, reverse=True)
    return f"its {len(templates)} card templates do not map to a card type here"


class _Collection:
    """The parts of an Anki collection database an import needs."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        tables = table_names(db)
        self.modern = "notetypes" in tables
        needed = {"notes", "cards", "revlog"} | (
            {"notetypes", "fields", "templates", "decks"} if self.modern else {"col"}
        )
        missing = sorted(needed - tables)
        if missing:  # absent, or a view (a recursive view hung the import)
            raise PackageError(
                f"the collection has no {missing[0]!r} table (or it is a view): {_DAMAGED}"
            )

    def note_types(self) -> dict[int, tuple[str, Shape | str]]:
        out: dict[int, tuple[str, Shape | str]] = {}
        if self.modern:
            for ntid, name, config in self.db.execute("SELECT id, name, config FROM notetypes"):
                fields = [
                    r[0]
                    for r in self.db.execute(
                        "SELECT name FROM fields WHERE ntid = ? ORDER BY ord", (ntid,)
                    )
                ]
                templates = []
                for (tconfig,) in self.db.execute(
                    "SELECT config FROM templates WHERE ntid = ? ORDER BY ord", (ntid,)
                ):
                    parts = dict(_proto(tconfig))
                    templates.append(
                        (bytes(parts.get(1, b"")).decode(), bytes(parts.get(2, b"")).decode())
                    )
                cloze = _first(config, 1, 0) == 1
                out[ntid] = (name, shape_of(name, cloze, fields, templates))
        else:
            models = _json(self.db.execute("SELECT models FROM col").fetchone(), "note types")
            for model in models.values():
                fields = [f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"])]
                templates = [
                    (t["qfmt"], t["afmt"]) for t in sorted(model["tmpls"], key=lambda t: t["ord"])
                ]
                out[int(model["id"])] = (
                    model["name"],
                    shape_of(model["name"], model.get("type") == 1, fields, templates),
                )
        return out

    def deck_names(self) -> dict[int, str]:
        if self.modern:
            rows = self.db.execute("SELECT id, name FROM decks")
            return {int(i): str(n).replace("\x1f", "::") for i, n in rows}
        decks = _json(self.db.execute("SELECT decks FROM col").fetchone(), "decks")
        return {int(d["id"]): str(d["name"]) for d in decks.values()}


def _json(row: tuple[object, ...] | None, what: str) -> dict[str, Any]:
    """The JSON object in a column of ``col`` (``models``, ``decks``); PackageError if not one."""
    value = row[0] if row else None
    try:
        data = json.loads(value or "{}") if isinstance(value, (str, bytes, type(None))) else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise PackageError(f"the {what} in the collection are not readable JSON: {_DAMAGED}")
    return data
