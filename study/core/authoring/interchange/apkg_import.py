"""Reading Anki packages (``.apkg``): the current format and the legacy ones.

A package is a zip file. The current format (Anki 2.1.50+, the default export)
holds ``collection.anki21b``, a zstd-compressed SQLite database whose note types
live in the ``notetypes``/``fields``/``templates`` tables (protobuf configs), a
``meta`` file, and a zstd-compressed protobuf media map. The legacy formats hold
``collection.anki21`` (or ``collection.anki2``) with note types as JSON in the
``col`` table, and a JSON media map. This is the one module that reads a foreign
SQLite file, and the only one that imports ``zstandard``.

How notes become cards: a cloze note type gives cloze cards; any other note type
is read from its card templates (question fields -> ``front``, answer fields ->
``back``, ``{{type:...}}`` -> a typed card, a second template that swaps them ->
``reverse``). Note types that fit none of this (image occlusion, three or more
templates) are skipped with one line each.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import zstandard

from study.core.authoring.interchange import apkg_identity as identity
from study.core.authoring.interchange.bounded import (
    MAX_META,
    ImportRefused,
    foreign_database,
    open_package,
    read_member,
    scratch_folder,
    table_names,
)
from study.core.authoring.interchange.common import (
    EXTRA_NAMES,
    Imported,
    Review,
    Shape,
    card_from_note,
    deck_title,
    give_ids,
    too_big,
)
from study.core.authoring.interchange.media_files import PackageMedia, package_media
from study.core.words import plural

MAX_COLLECTION = 1 << 30
"""Largest uncompressed collection accepted (1 GiB)."""

MAX_CARDS = 500_000
"""Most cards in a collection read (a deck file holds about 150,000)."""

MAX_REVIEWS = 2_000_000
"""Most answers of the review history imported (ten years of 500 reviews a day)."""

_LAST_MS = int(datetime(9999, 1, 1, tzinfo=UTC).timestamp() * 1000)
_FIELD_REF = re.compile(r"\{\{([^{}#/^!][^{}]*)\}\}")
_SPECIAL = frozenset({"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"})


class PackageError(ImportRefused):
    """The file is not an Anki package this tool can read; the message says why."""


_DAMAGED = "the package is damaged or not made by Anki"


def _proto(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """The (field number, value) pairs of a protobuf message (varints and bytes only)."""
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while True:
            if i >= len(data) or shift > 63:
                raise PackageError(f"a truncated or overlong number in the package: {_DAMAGED}")
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            yield number, varint()
        elif wire == 2:
            size = varint()
            yield number, data[i : i + size]
            i += size
        elif wire in (1, 5):
            i += 8 if wire == 1 else 4
        else:
            raise PackageError(f"unreadable settings in the package: {_DAMAGED}")


def unzstd(data: bytes, limit: int) -> bytes | None:
    """zstd-compressed bytes decompressed (at most ``limit`` of them), None if damaged."""
    try:
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=limit)
    except zstandard.ZstdError:
        return None


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


def _version(archive: zipfile.ZipFile) -> int:
    if "meta" not in archive.namelist():
        return 2 if "collection.anki21" in archive.namelist() else 1
    value = _first(read_member(archive, "meta", MAX_META, "meta file"), 1, 1)
    return int(value) if isinstance(value, int) else 1


def _extract(archive: zipfile.ZipFile, version: int, folder: Path) -> Path:
    names = archive.namelist()
    target = folder / "collection.db"
    if version >= 3 and "collection.anki21b" in names:
        with archive.open("collection.anki21b") as raw, open(target, "wb") as out:
            reader = zstandard.ZstdDecompressor().stream_reader(raw)
            copied = 0
            while chunk := reader.read(1 << 20):
                copied += len(chunk)
                if copied > MAX_COLLECTION:
                    raise PackageError(
                        "the collection inside the package is too large (over 1 GiB)"
                    )
                out.write(chunk)
        return target
    for name in ("collection.anki21", "collection.anki2"):
        if name in names:
            if archive.getinfo(name).file_size > MAX_COLLECTION:
                raise PackageError("the collection inside the package is too large (over 1 GiB)")
            with archive.open(name) as raw, open(target, "wb") as out:
                shutil.copyfileobj(raw, out)
            return target
    raise PackageError("no Anki collection in the package: is it an .apkg exported by Anki?")


def read_apkg(path: Path, *, with_history: bool = False, scratch: Path | None = None) -> Imported:
    """The cards (and optionally the review history) of an Anki package.

    ``scratch``: the folder for the temporary copy of the collection (the data
    folder's, so that one left by a killed import is found and removed next time).
    Raises PackageError (an ImportRefused) with one line for any damage found.
    """
    try:
        with open_package(path) as archive, scratch_folder(scratch) as tmp:
            result, version, members = _read_package(archive, tmp, with_history)
    except PackageError:
        raise
    except ImportRefused as exc:
        raise PackageError(str(exc)) from None
    except zstandard.ZstdError as exc:
        raise PackageError(f"the collection in the package is damaged ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise PackageError(f"the collection in the package cannot be read ({exc})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise PackageError(f"the package cannot be unpacked ({exc}): {_DAMAGED}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        what = f"{type(exc).__name__}: {exc}"[:120]
        raise PackageError(f"unexpected content in the collection ({what}): {_DAMAGED}") from None
    except OSError as exc:
        raise PackageError(f"cannot read the package ({exc.strerror or exc})") from None
    if members:
        result.media = PackageMedia(path, version, members)
    return result


def _read_package(
    archive: zipfile.ZipFile, tmp: Path, with_history: bool
) -> tuple[Imported, int, dict[str, str]]:
    version = _version(archive)
    if version > 3:
        raise PackageError(
            f"the package was made by a newer Anki (format {version}): "
            "export it again with 'Support older Anki versions' ticked"
        )
    db_path = _extract(archive, version, tmp)
    with foreign_database(db_path) as db:
        result = _read(_Collection(db), with_history)
    return result, version, package_media(archive, version)


def _read(col: _Collection, with_history: bool) -> Imported:
    types = col.note_types()
    decks = col.deck_names()
    cards_of: dict[int, list[tuple[int, int, int]]] = {}
    rows = col.db.execute(
        "SELECT id, nid, ord, did FROM cards ORDER BY id LIMIT ?", (MAX_CARDS + 1,)
    )
    for number, (cid, nid, ordinal, did) in enumerate(rows, 1):
        if number > MAX_CARDS:
            raise too_big(f"the collection holds more than {MAX_CARDS:,} cards")
        cards_of.setdefault(nid, []).append((cid, ordinal, did))
    where = Counter(did for rows in cards_of.values() for _, _, did in rows)
    title = "Imported from Anki"
    if where:
        best = max(where, key=lambda d: (decks.get(d, "Default") != "Default", where[d]))
        title = decks.get(best, title)
    result = Imported(title=deck_title(title) or "Imported from Anki")
    skipped_types: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    by_card: dict[int, tuple[int, str]] = {}
    schemas = identity.schemas(col.db, col.modern)
    notes = col.db.execute("SELECT id, mid, tags, flds, guid FROM notes ORDER BY id")
    for number, (nid, mid, tags, flds, guid) in enumerate(notes, 1):
        name, shape = types.get(mid, ("(missing note type)", "its note type is missing"))
        if isinstance(shape, str):
            skipped_types[name] += 1
            reasons[name] = shape
            continue
        fields, accept, explain = identity.without_extras(flds.split("\x1f"))
        card, why, _ = card_from_note(shape, fields, tags.split(), kind=name)
        if card is None:
            result.skip(f"skipped: {why}")
            continue
        identity.add_extras(card, accept, explain)
        identity.keep_identity(card, str(guid), int(mid), schemas.get(mid), result.guids)
        index = len(result.cards)
        result.add(card, f"note {number:,}")
        first = min(cards_of.get(nid, [(0, 0, 0)]), key=lambda c: c[1])
        result.decks.append(decks.get(first[2], "Default"))
        for cid, ordinal, _ in cards_of.get(nid, []):
            variant = (
                f"c{ordinal + 1}"
                if shape.cloze
                else ("r" if ordinal == 1 and card.get("reverse") else "")
            )
            if shape.cloze or ordinal == 0 or variant:
                by_card[cid] = (index, variant)
    for name, count in sorted(skipped_types.items()):
        result.skipped.append(f"skipped {plural(count, 'note')} of type {name!r}: {reasons[name]}")
    give_ids(result.cards)
    if with_history:
        result.history = _history(col, by_card)
    return result


def _history(col: _Collection, by_card: dict[int, tuple[int, str]]) -> list[Review]:
    """Answers from the review log (manual reschedules and 'forget' rows left out)."""
    out: list[Review] = []
    for rid, cid, ease, duration, kind, ivl in col.db.execute(
        "SELECT id, cid, ease, time, type, ivl FROM revlog ORDER BY id"
    ):
        if cid not in by_card or not 1 <= ease <= 4 or kind not in (0, 1, 2, 3):
            continue
        if len(out) >= MAX_REVIEWS:
            raise PackageError(
                f"the history holds more than {MAX_REVIEWS:,} answers for these cards, the most "
                "imported: import without --with-history"
            )
        if not isinstance(rid, int) or not 0 < rid < _LAST_MS:
            continue  # a time no calendar holds: not an answer Anki logged
        index, variant = by_card[cid]
        at = datetime.fromtimestamp(rid / 1000, UTC)
        due = _due(at, ivl)
        out.append(Review(index, variant, at, int(ease), max(0, int(duration)), due))
    return out


MAX_IVL_DAYS = 36_500
"""Longest interval read from a review log (Anki's maximum is 100 years)."""


def _due(at: datetime, ivl: object) -> datetime | None:
    """When an answer made the card due: ``ivl`` days after it (seconds when negative, as
    Anki logs learning steps), None when the log says nothing usable."""
    if not isinstance(ivl, int) or ivl == 0 or not -MAX_IVL_DAYS * 86400 <= ivl <= MAX_IVL_DAYS:
        return None
    return at + (timedelta(days=ivl) if ivl > 0 else timedelta(seconds=-ivl))
