"""A card's images and sounds in an Anki note: ``<img src="x.png">``, ``[sound:y.mp3]``.

Anki keeps every file of a collection in one flat folder, so each file goes into
the package under its own name (``media/flags/fr.png`` -> ``fr.png``); two different
files with one name get the second a name with a short hash (``fr-1a2b3c4d.png``).
The same file named by several cards (or decks) goes in once. A file that is not
there is left out (``study lint`` names it).
"""

from __future__ import annotations

import hashlib
import html
import os
from dataclasses import dataclass, field
from pathlib import Path

from study.core.decks.media import MediaKind, kind_of, media_file
from study.core.decks.model import Card, CardType

__all__ = ["MediaNames", "add_media"]


@dataclass(slots=True)
class MediaNames:
    """The files an export packs, each with its name in Anki."""

    by_file: dict[str, str] = field(default_factory=dict)
    """Real path -> Anki name, in the order they were first named."""
    taken: set[str] = field(default_factory=set)

    def name(self, path: Path) -> str | None:
        """The Anki name of a file (None when it is not there)."""
        real = os.path.realpath(path)
        if real in self.by_file:
            return self.by_file[real]
        if not os.path.isfile(real):
            return None
        base = path.name
        if base.casefold() in self.taken:
            stem, dot, suffix = base.rpartition(".")
            digest = hashlib.sha256(real.encode("utf-8")).hexdigest()[:8]
            base = f"{stem}-{digest}.{suffix}" if dot else f"{base}-{digest}"
        self.taken.add(base.casefold())
        self.by_file[real] = base
        return base

    def files(self) -> list[str]:
        """The files to pack, in order (their index is their zip member's name)."""
        return list(self.by_file)

    def names(self) -> list[str]:
        """Their Anki names, in the same order."""
        return list(self.by_file.values())


def _html(name: str) -> str:
    if kind_of(name) is MediaKind.SOUND:
        return f"[sound:{name}]"
    return f'<img src="{html.escape(name)}">'


def add_media(fields: list[str], card: Card, deck_path: Path, media: MediaNames) -> None:
    """Put the card's media into its note's fields (in place): the question's into the
    first, the answer's into the second (a cloze's into its "Back Extra")."""
    for ref in card.media:
        name = media.name(media_file(deck_path, ref))
        if name is None:
            continue
        index = 1 if ref.back else 0
        if ref.back and card.type is CardType.CLOZE:
            index = len(fields) - 1
        glue = "<br>" if fields[index] and kind_of(name) is MediaKind.IMAGE else " "
        fields[index] = f"{fields[index]}{glue}{_html(name)}" if fields[index] else _html(name)
