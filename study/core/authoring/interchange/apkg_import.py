"""Reading Anki packages (``.apkg``): the current format and the legacy ones.

A package is a zip file. The current format (Anki 2.1.50+, the default export)
holds ``collection.anki21b``, a zstd-compressed SQLite database whose note types
live in the ``notetypes``/``fields``/``templates`` tables (protobuf configs), a
``meta`` file, and a zstd-compressed protobuf media map. The legacy formats hold
``collection.anki21`` (or ``collection.anki2``) with note types as JSON in the
``col`` table, and a JSON media map. This module opens the package (its zstd members
through ``apkg_bytes``), copies the collection out and reads its cards and review
history; the collection's note types and decks are read by ``apkg_collection``, which
with this module is the one place that reads a foreign SQLite file.

How notes become cards is ``apkg_collection.shape_of``'s. Note types that fit no card
type here (image occlusion, three or more templates) are skipped with one line each.
"""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
import zlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from study.core.authoring.interchange import apkg_identity as identity
from study.core.authoring.interchange.apkg_bytes import (
    _DAMAGED,
    PackageError,
    ZstdError,
    zstd_reader,
)
from study.core.authoring.interchange.apkg_collection import _Collection, _first
from study.core.authoring.interchange.bounded import (
    MAX_META,
    ImportRefused,
    foreign_database,
    open_package,
    read_member,
    scratch_folder,
)
from study.core.authoring.interchange.common import (
    Imported,
    ImportedReview,
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
            reader = zstd_reader(raw)
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
    except ZstdError as exc:
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


def _history(col: _Collection, by_card: dict[int, tuple[int, str]]) -> list[ImportedReview]:
    """Answers from the review log (manual reschedules and 'forget' rows left out)."""
    out: list[ImportedReview] = []
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
        out.append(ImportedReview(index, variant, at, int(ease), max(0, int(duration)), due))
    return out


MAX_IVL_DAYS = 36_500
"""Longest interval read from a review log (Anki's maximum is 100 years)."""


def _due(at: datetime, ivl: object) -> datetime | None:
    """When an answer made the card due: ``ivl`` days after it (seconds when negative, as
    Anki logs learning steps), None when the log says nothing usable."""
    if not isinstance(ivl, int) or ivl == 0 or not -MAX_IVL_DAYS * 86400 <= ivl <= MAX_IVL_DAYS:
        return None
    return at + (timedelta(days=ivl) if ivl > 0 else timedelta(seconds=-ivl))
