"""What an imported Anki note keeps of its identity: its GUID and stock note type id.

Read from the collection an import opened (``apkg_import``): the field and template
names of every note type, to tell which are Anki's stock ones (Anki compares names and
ids, not templates), and the parts of a field that ``anki_fields`` wrote on export
(``accept`` and ``explain`` come back as themselves).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from study.core.authoring.interchange.anki_fields import split_extras
from study.core.authoring.interchange.common import plain_text
from study.core.decks.model import GUID

Schema = tuple[tuple[str, ...], tuple[str, ...]]

STOCK_SCHEMAS: dict[str, Schema] = {
    "basic": (("Front", "Back"), ("Card 1",)),
    "reversed": (("Front", "Back"), ("Card 1", "Card 2")),
    "typed": (("Front", "Back"), ("Card 1",)),
    "cloze": (("Text", "Back Extra"), ("Cloze",)),
}
"""The field and template names of the stock note types a card can become, by card kind."""


def schemas(db: sqlite3.Connection, modern: bool) -> dict[int, Schema]:
    """Every note type's field and template names, by note type id."""
    if modern:
        out: dict[int, Schema] = {}
        for (ntid,) in db.execute("SELECT id FROM notetypes"):
            fields = tuple(
                str(r[0])
                for r in db.execute("SELECT name FROM fields WHERE ntid = ? ORDER BY ord", (ntid,))
            )
            templates = tuple(
                str(r[0])
                for r in db.execute(
                    "SELECT name FROM templates WHERE ntid = ? ORDER BY ord", (ntid,)
                )
            )
            out[int(ntid)] = (fields, templates)
        return out
    row = db.execute("SELECT models FROM col").fetchone()
    models = json.loads(row[0] or "{}") if row else {}
    return {
        int(m["id"]): (
            tuple(str(f["name"]) for f in sorted(m["flds"], key=lambda f: f["ord"])),
            tuple(str(t["name"]) for t in sorted(m["tmpls"], key=lambda t: t["ord"])),
        )
        for m in models.values()
    }


def kind_of(card: dict[str, object]) -> str:
    """The stock note type a card of the deck becomes on export."""
    if card.get("type") == "cloze":
        return "cloze"
    if card.get("type") == "typed":
        return "typed"
    return "reversed" if card.get("reverse") else "basic"


def keep_identity(
    card: dict[str, object], guid: str, ntid: int, schema: Schema | None, seen: set[str]
) -> None:
    """Give an imported card its note's GUID, and its note type id when that is a stock one
    of the card's kind (so an export goes back into it). ``seen``: the GUIDs given so far."""
    if not GUID.fullmatch(guid) or guid in seen:
        return  # one no deck file may hold (spaces, quotes, twice): the export makes a new one
    seen.add(guid)
    card["guid"] = guid
    if schema == STOCK_SCHEMAS[kind_of(card)] and ntid > 0:
        card["notetype"] = ntid


def without_extras(fields: Sequence[str]) -> tuple[list[str], list[str], str]:
    """The fields without what an export by this tool added, its accepted answers and
    explanation (as text)."""
    out: list[str] = []
    accept: list[str] = []
    explain: list[str] = []
    for field in fields:
        rest, more, why = split_extras(field)
        out.append(rest)
        accept.extend(more)
        if why:
            explain.append(plain_text(why, True)[0])
    return out, accept, "\n\n".join(explain)


def add_extras(card: dict[str, object], accept: list[str], explain: str) -> None:
    """Put back what ``without_extras`` took out: ``accept`` on a typed card (elsewhere, in
    the explanation), ``explain`` before any the note type's extra fields gave."""
    if accept and card.get("type") == "typed":
        card["accept"] = list(dict.fromkeys(a for a in accept if a != card.get("back")))
    elif accept:
        explain = "\n".join(filter(None, [f"Also accepted: {', '.join(accept)}", explain]))
    if explain:
        card["explain"] = "\n\n".join(filter(None, [explain, str(card.get("explain") or "")]))


__all__ = ["add_extras", "keep_identity", "schemas", "without_extras"]
