"""The images and sounds of an Anki package: found in the notes, kept beside the deck.

An Anki field names its files as ``<img src="x.png">`` and ``[sound:y.mp3]``; the
package holds them as numbered zip members (zstd-compressed in the current format)
with a map from number to name. An import keeps the ones its cards name in a
``media`` folder beside the deck file and writes the card's ``media:`` /
``back_media:`` as ``media/<name>``. A file already there with the same bytes is
reused; one with other bytes is never replaced: the new file gets another name.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from study.core.authoring.interchange.apkg_bytes import _proto, unzstd
from study.core.authoring.interchange.bounded import MAX_MEDIA, read_member
from study.core.decks.media import MEDIA_KEYS, kind_of
from study.core.decks.safe_text import strip_controls

__all__ = [
    "MAX_MEDIA_FILE",
    "MediaPlan",
    "PackageMedia",
    "attach_media",
    "package_media",
    "plan_media",
    "refs_in",
    "write_media",
]

MAX_MEDIA_FILE = 64 << 20
"""Largest media file kept (64 MiB); a larger one is left out with a note."""

MAX_MEDIA_TOTAL = 2 << 30
"""Most bytes of media one import writes (2 GiB)."""

FOLDER = "media"
"""The folder beside the deck file."""

_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]*)\]")


def refs_in(value: str) -> list[str]:
    """The file names an Anki field shows, in order (images and sounds; links left out)."""
    found: list[tuple[int, str]] = []
    for match in _IMG.finditer(value):
        name = next(g for g in match.groups() if g is not None)
        found.append((match.start(), html.unescape(name)))
    for match in _SOUND.finditer(value):
        found.append((match.start(), html.unescape(match.group(1))))
    names = [n.strip() for _, n in sorted(found)]
    return [n for n in dict.fromkeys(names) if n and "://" not in n and not n.startswith("data:")]


def package_media(archive: zipfile.ZipFile, version: int) -> dict[str, str]:
    """The package's media: file name -> zip member ({} when there is no readable map)."""
    names = set(archive.namelist())
    if "media" not in names:
        return {}
    data = read_member(archive, "media", MAX_MEDIA, "media list")
    out: dict[str, str] = {}
    if version >= 3:
        data = unzstd(data, MAX_MEDIA) or b""
        index = 0
        for number, entry in _proto(data):
            if number != 1 or not isinstance(entry, bytes):
                continue
            parts = dict(_proto(entry))
            name = parts.get(1, b"")
            legacy = parts.get(255)
            member = str(legacy if isinstance(legacy, int) else index)
            index += 1
            if isinstance(name, bytes) and member in names:
                out[name.decode("utf-8", "replace")] = member
        return out
    try:
        listing = json.loads(data or b"{}")
    except ValueError:
        return {}
    if isinstance(listing, dict):
        for member, name in listing.items():
            if isinstance(name, str) and str(member) in names:
                out[name] = str(member)
    return out


def read_media(archive: zipfile.ZipFile, member: str, version: int) -> bytes | None:
    """A media file's bytes (None when it is larger than MAX_MEDIA_FILE or unreadable)."""
    info = archive.getinfo(member)
    if info.file_size > MAX_MEDIA_FILE * 2:
        return None
    with archive.open(member) as raw:
        data = raw.read(MAX_MEDIA_FILE + 1)
    if version >= 3 and data[:4] == b"\x28\xb5\x2f\xfd":  # the zstd frame magic
        data = unzstd(data, MAX_MEDIA_FILE) or b""
    return data if data and len(data) <= MAX_MEDIA_FILE else None


def safe_file_name(name: str) -> str:
    """A name every file system takes: no folder parts, no reserved characters or names."""
    name = strip_controls(name.replace("\\", "/").split("/")[-1], lines=False)
    name = re.sub(r'[<>:"|?*\x00-\x1f]', "_", name).strip().strip(".")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip() or "file"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    stem = stem[:80]
    return f"{stem}.{suffix[:10]}" if suffix else stem


_RESERVED = frozenset(
    {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{n}" for n in range(1, 10)),
        *(f"LPT{n}" for n in range(1, 10)),
    }
)


@dataclass(frozen=True, slots=True)
class PackageMedia:
    """Where an import's media are: the package, its format, and name -> zip member."""

    path: Path
    version: int
    members: dict[str, str]


@dataclass(slots=True)
class MediaPlan:
    """Where each file of an import goes: its Anki name -> the path written in the deck."""

    folder: Path
    """The media folder (beside the deck file)."""
    paths: dict[str, str] = field(default_factory=dict)
    """Anki name -> ``media/<file>`` as the card names it."""
    data: dict[str, bytes] = field(default_factory=dict)
    """The bytes to write, by file name in the folder (files already there are not listed)."""
    reused: int = 0
    missing: list[str] = field(default_factory=list)
    """Names the cards show that the package does not hold (or that are too big)."""


def plan_media(
    wanted: Iterable[str],
    available: dict[str, str],
    archive: zipfile.ZipFile,
    version: int,
    folder: Path,
) -> MediaPlan:
    """Decide each file's name in ``folder`` (read from the package, nothing written yet)."""
    plan = MediaPlan(folder)
    taken: set[str] = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    total = 0
    for name in dict.fromkeys(wanted):
        member = available.get(name) or available.get(unquote(name))
        data = read_media(archive, member, version) if member is not None else None
        if data is None or kind_of(name) is None or total + len(data) > MAX_MEDIA_TOTAL:
            plan.missing.append(name)
            continue
        base = safe_file_name(unquote(name) if member == available.get(unquote(name)) else name)
        target = base
        n = 2
        while True:
            existing = folder / target
            if target.casefold() in {k.casefold() for k in plan.data}:
                if plan.data.get(target) == data:
                    break  # the same file, named twice by the package
            elif target.casefold() not in taken:
                plan.data[target] = data
                total += len(data)
                break
            elif existing.is_file() and _same(existing, data):
                plan.reused += 1
                break
            stem, dot, suffix = base.rpartition(".")
            target = f"{stem}-{n}.{suffix}" if dot else f"{base}-{n}"
            n += 1
        plan.paths[name] = f"{FOLDER}/{target}"
    return plan


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(data).digest()
    except OSError:
        return False


def write_media(plan: MediaPlan) -> int:
    """Write the planned files (never over an existing one); returns how many were written."""
    if not plan.data:
        return 0
    plan.folder.mkdir(parents=True, exist_ok=True)
    for name, data in plan.data.items():
        with open(plan.folder / name, "xb") as out:  # 'x': an existing file is never replaced
            out.write(data)
    return len(plan.data)


def attach_media(
    cards: list[dict[str, object]], media: PackageMedia | None, folder: Path
) -> MediaPlan:
    """Plan the files the cards name into ``folder`` and write their paths into the cards.

    A name the package does not hold is dropped from its card (and listed in
    ``missing``): the card then fails its check if it was only that image.
    """
    from study.core.authoring.interchange.bounded import open_package

    wanted = [str(n) for card in cards for key in MEDIA_KEYS for n in _names(card.get(key))]
    if media is None or not wanted:
        plan = MediaPlan(folder, missing=list(dict.fromkeys(wanted)))
    else:
        with open_package(media.path) as archive:
            plan = plan_media(wanted, media.members, archive, media.version, folder)
    for card in cards:
        for key in MEDIA_KEYS:
            names = _names(card.get(key))
            card[key] = [plan.paths[n] for n in names if n in plan.paths]
    return plan


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
