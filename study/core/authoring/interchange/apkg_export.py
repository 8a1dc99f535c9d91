"""Writing a deck as an Anki package (``.apkg``) with ``genanki``: the only module that imports it.

Cards become notes of Anki's stock note types, with the stock fields and templates:
basic -> "Basic" (with ``reverse`` -> "Basic (and reversed card)"), cloze -> "Cloze",
typed -> "Basic (type in the answer)"; choice, list and order cards become basic notes
(the options in the question, the items on the back). ``accept`` and ``explain`` go
where Anki shows them after the answer (``anki_fields``).

Anki maps a package's note type onto one of the collection's only when both have the same
id (and the same field and template names); otherwise it adds a copy, renamed when the
name is taken ("Basic+"). A deck imported from Anki keeps its notes' GUIDs and stock note
type ids (``guid:``, ``notetype:``), so its notes go back into the very note types they
came from, and Anki updates them instead of adding copies. A deck that never came from
Anki has no id of the user's to reuse: its note types are named "Basic (study)" and so on
(same fields and templates as the stock ones, a stable id: every later export maps onto
them). Note types are written with modification time 0, so that Anki never replaces the
user's templates or styling with these. Note GUIDs: the kept one, else one derived from
the card key (``guid``).
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import genanki

from study.core.authoring.interchange.anki_fields import extras, with_extras
from study.core.authoring.interchange.common import STOCK, stable_id
from study.core.authoring.interchange.csv_tsv import note_fields, note_type
from study.core.authoring.interchange.guid import note_guid
from study.core.authoring.interchange.media_out import MediaNames, add_media
from study.core.decks.model import Card, CardType, Deck

_CSS = (
    ".card {\n    font-family: arial;\n    font-size: 20px;\n    line-height: 1.5;\n"
    "    text-align: center;\n    color: black;\n    background-color: white;\n}\n"
)
_ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"
STOCK_TEMPLATES: dict[str, tuple[list[str], list[tuple[str, str, str]]]] = {
    STOCK["basic"]: (["Front", "Back"], [("Card 1", "{{Front}}", _ANSWER + "{{Back}}")]),
    STOCK["reversed"]: (
        ["Front", "Back"],
        [
            ("Card 1", "{{Front}}", _ANSWER + "{{Back}}"),
            ("Card 2", "{{Back}}", _ANSWER + "{{Front}}"),
        ],
    ),
    STOCK["typed"]: (
        ["Front", "Back"],
        [
            (
                "Card 1",
                "{{Front}}\n\n{{type:Back}}",
                "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}",
            )
        ],
    ),
    STOCK["cloze"]: (
        ["Text", "Back Extra"],
        [("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")],
    ),
}
"""Anki's stock note types (as Anki 26.9 makes them): field names, and each card template's
name, question and answer."""

FRESH_SUFFIX = " (study)"
"""Added to the name of a note type no card of the deck brought from Anki."""


_CLOZE_CSS = (
    ".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
    ".nightMode .cloze {\n    color: lightblue;\n}\n"
)


def _model(kind: str, model_id: int | None) -> genanki.Model:
    fields, templates = STOCK_TEMPLATES[kind]
    cloze = kind == STOCK["cloze"]
    return genanki.Model(
        model_id or stable_id(f"study/{kind}"),
        kind if model_id else kind + FRESH_SUFFIX,
        fields=[{"name": f} for f in fields],
        templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in templates],
        css=_CSS + (_CLOZE_CSS if cloze else ""),
        model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
    )


def note_type_ids(deck: Deck) -> dict[str, int]:
    """Per stock note type, the Anki note type id the deck's cards of that kind brought.

    An id goes to the kind most of its cards have (a card whose type was changed here
    does not take its old note type along), and a kind takes the id most of its cards
    brought: one id per note type in the package.
    """
    pairs = Counter(
        (note_type(card.type, card.reverse), card.notetype) for card in deck.cards if card.notetype
    )
    owner: dict[int, tuple[int, str]] = {}
    for (kind, ntid), count in sorted(pairs.items()):
        if ntid not in owner or count > owner[ntid][0]:
            owner[ntid] = (count, kind)
    found: dict[str, tuple[int, int]] = {}
    for ntid, (count, kind) in sorted(owner.items()):
        if kind not in found or count > found[kind][0]:
            found[kind] = (count, ntid)
    return {kind: ntid for kind, (_, ntid) in found.items()}


def explain_text(card: Card, deck: Deck) -> str:
    """The card's explanation and its sources, as text."""
    parts = [card.explain]
    for ref in card.citations:
        source = deck.source(ref.id)
        where = f" ({ref.at})" if ref.at else ""
        parts.append(f"Source: {source.describe() if source else ref.id}{where}")
    return "\n\n".join(p for p in parts if p)


def _accepted(card: Card) -> list[str]:
    if card.type is CardType.TYPED:
        return list(card.accept)
    return [
        f"{item} ({', '.join(alts)})"
        for item, alts in zip(card.items, card.item_accept, strict=False)
        if alts
    ]


def card_fields(card: Card, deck: Deck) -> list[str]:
    """The note's fields, in the stock note type's order."""
    first, second = note_fields(card)
    part = extras(_accepted(card), explain_text(card, deck))
    if card.type is CardType.CLOZE:
        return [first, extras([], explain_text(card, deck))]
    if card.type is CardType.TYPED:
        return [with_extras(first, part, folded=True), second]
    return [first, with_extras(second, part)]


def build_package(
    deck: Deck, name: str | None = None, media: MediaNames | None = None
) -> genanki.Package:
    """The genanki package for a deck, named ``name`` in Anki (``Parent::Child``; its title
    by default); its images and sounds are named in ``media`` and listed in ``media_files``."""
    media = media if media is not None else MediaNames()
    target = genanki.Deck(
        stable_id(f"study-deck/{deck.id}"), name or deck.title, description=deck.description
    )
    ids = note_type_ids(deck)
    models: dict[str, genanki.Model] = {}
    for card in deck.cards:
        kind = note_type(card.type, card.reverse)
        model = models.setdefault(kind, _model(kind, ids.get(kind)))
        fields = card_fields(card, deck)
        add_media(fields, card, deck.path, media)
        target.add_note(
            genanki.Note(
                model=model,
                fields=fields,
                tags=list(card.tags),
                guid=note_guid(card.key, card.guid),
            )
        )
    return genanki.Package(target, media_files=media.files())


Finish = Callable[[sqlite3.Connection], None]
"""A last change to the written collection, before it is packed (``apkg_history``)."""


def write_apkg(deck: Deck, path: Path, now: datetime, finish: Finish | None = None) -> int:
    """Write ``deck`` to ``path`` as an Anki package; returns the number of notes."""
    return write_decks([(deck, deck.title)], path, now, finish)


def write_decks(
    decks: Sequence[tuple[Deck, str]], path: Path, now: datetime, finish: Finish | None = None
) -> int:
    """Write decks (each with its Anki name, ``Parent::Child``) to ``path`` as one Anki
    package, with the images and sounds their cards name; returns the number of notes.

    The zip is written here rather than by ``Package.write_to_file``, which stamps
    each member with the clock and the temporary file's time (so the same deck at
    the same ``now`` gave different bytes) and leaves its temporary file behind.
    Every member is stamped with ``now`` (UTC; zip times start in 1980). ``finish``
    changes the collection genanki wrote before it is packed.
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
            _old_note_types(db)
            if finish is not None:
                finish(db)
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


def _old_note_types(db: sqlite3.Connection) -> None:
    """Stamp the note types with modification time 0: Anki then keeps the user's own."""
    (models,) = db.execute("SELECT models FROM col").fetchone()
    table = json.loads(models)
    for model in table.values():
        model["mod"] = 0
    db.execute("UPDATE col SET models = ?", (json.dumps(table),))
