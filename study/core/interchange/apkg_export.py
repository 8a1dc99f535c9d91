"""Writing a deck as an Anki package (``.apkg``) with ``genanki``: the only module that imports it.

Cards become notes of Anki's usual kinds, named as Anki names them: basic ->
"Basic" (with ``reverse`` -> "Basic (and reversed card)"), cloze -> "Cloze",
typed -> "Basic (type in the answer)"; choice, list and order cards become basic
notes (the options in the question, the items on the back). Each basic-like note
type has a third field, "Extra", shown after the answer, for ``explain``; a
cloze's goes in "Back Extra". Note GUIDs come from the card keys, so exporting
again updates the notes in Anki instead of duplicating them.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import genanki

from study.core.formatting import to_html
from study.core.interchange.common import STOCK, guid_for, stable_id
from study.core.interchange.csv_tsv import note_fields, note_type
from study.core.model import Card, CardType, Deck
from study.core.safe_text import visible

_CSS = (
    ".card { font-family: arial; font-size: 20px; text-align: center; color: black; "
    "background-color: white; }"
)
_EXTRA = "{{#Extra}}<br><br><div class=extra>{{Extra}}</div>{{/Extra}}"
_FIELDS = [{"name": "Front"}, {"name": "Back"}, {"name": "Extra"}]


def _model(kind: str) -> genanki.Model:
    answer = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}" + _EXTRA
    if kind == STOCK["cloze"]:
        return genanki.Model(
            stable_id("study/cloze"),
            kind,
            fields=[{"name": "Text"}, {"name": "Back Extra"}],
            templates=[
                {
                    "name": "Cloze",
                    "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}<br>\n{{Back Extra}}",
                }
            ],
            css=_CSS,
            model_type=genanki.Model.CLOZE,
        )
    if kind == STOCK["typed"]:
        templates = [
            {
                "name": "Card 1",
                "qfmt": "{{Front}}\n\n{{type:Back}}",
                "afmt": "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}" + _EXTRA,
            }
        ]
    else:
        templates = [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": answer}]
        if kind == STOCK["reversed"]:
            templates.append(
                {
                    "name": "Card 2",
                    "qfmt": "{{Back}}",
                    "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}" + _EXTRA,
                }
            )
    return genanki.Model(
        stable_id(f"study/{kind}"), kind, fields=_FIELDS, templates=templates, css=_CSS
    )


def _explain(card: Card, deck: Deck) -> str:
    parts = [card.explain]
    for ref in card.citations:
        source = deck.source(ref.id)
        where = f" ({ref.at})" if ref.at else ""
        parts.append(f"Source: {source.describe() if source else ref.id}{where}")
    return to_html(visible("\n\n".join(p for p in parts if p)))


def build_package(deck: Deck) -> genanki.Package:
    """The genanki package for a deck."""
    target = genanki.Deck(
        stable_id(f"study-deck/{deck.id}"), deck.title, description=deck.description
    )
    models: dict[str, genanki.Model] = {}
    for card in deck.cards:
        kind = note_type(card.type, card.reverse)
        model = models.setdefault(kind, _model(kind))
        first, second = note_fields(
            card.type,
            card.front,
            card.back,
            card.text,
            card.items,
            card.answer,
            card.distractors,
            card.ordered,
        )
        fields = (
            [first, _explain(card, deck)]
            if card.type is CardType.CLOZE
            else [first, second, _explain(card, deck)]
        )
        target.add_note(
            genanki.Note(model=model, fields=fields, tags=list(card.tags), guid=guid_for(card.key))
        )
    return genanki.Package(target)


def write_apkg(deck: Deck, path: Path, now: datetime) -> int:
    """Write ``deck`` to ``path`` as an Anki package; returns the number of notes.

    The zip is written here rather than by ``Package.write_to_file``, which stamps
    each member with the clock and the temporary file's time (so the same deck at
    the same ``now`` gave different bytes) and leaves its temporary file behind.
    Every member is stamped with ``now`` (UTC; zip times start in 1980).
    """
    package = build_package(deck)
    timestamp = now.timestamp()
    stamp = max(now.astimezone(UTC), datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]
    with tempfile.TemporaryDirectory(prefix="study-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        db = sqlite3.connect(db_path)
        try:
            package.write_to_db(db.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            db.commit()
        finally:
            db.close()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in (("collection.anki2", db_path.read_bytes()), ("media", b"{}")):
                archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
    return len(deck.cards)
