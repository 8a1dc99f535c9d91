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
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import genanki

from study.core.formatting import to_html
from study.core.interchange.common import STOCK, guid_for, stable_id
from study.core.interchange.csv_tsv import note_fields, note_type
from study.core.interchange.media_out import MediaNames, add_media
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


def build_package(
    deck: Deck, name: str | None = None, media: MediaNames | None = None
) -> genanki.Package:
    """The genanki package for a deck, named ``name`` in Anki (``Parent::Child``; its title
    by default); its images and sounds are named in ``media`` and listed in ``media_files``."""
    media = media if media is not None else MediaNames()
    target = genanki.Deck(
        stable_id(f"study-deck/{deck.id}"), name or deck.title, description=deck.description
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
        add_media(fields, card, deck.path, media)
        target.add_note(
            genanki.Note(model=model, fields=fields, tags=list(card.tags), guid=guid_for(card.key))
        )
    return genanki.Package(target, media_files=media.files())


def write_apkg(deck: Deck, path: Path, now: datetime) -> int:
    """Write ``deck`` to ``path`` as an Anki package; returns the number of notes."""
    return write_decks([(deck, deck.title)], path, now)


def write_decks(decks: Sequence[tuple[Deck, str]], path: Path, now: datetime) -> int:
    """Write decks (each with its Anki name, ``Parent::Child``) to ``path`` as one Anki
    package, with the images and sounds their cards name; returns the number of notes.

    The zip is written here rather than by ``Package.write_to_file``, which stamps
    each member with the clock and the temporary file's time (so the same deck at
    the same ``now`` gave different bytes) and leaves its temporary file behind.
    Every member is stamped with ``now`` (UTC; zip times start in 1980).
    """
    media = MediaNames()
    packages = [build_package(deck, name, media) for deck, name in decks]
    package = genanki.Package([p.decks[0] for p in packages], media_files=media.files())
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
        listing = json.dumps({str(n): name for n, name in enumerate(media.names())})
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in (("collection.anki2", db_path.read_bytes()), ("media", listing)):
                archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
            for n, file in enumerate(media.files()):
                info = zipfile.ZipInfo(str(n), date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(file, "rb") as source, archive.open(info, "w") as out:
                    shutil.copyfileobj(source, out)
    return sum(len(deck.cards) for deck, _ in decks)
