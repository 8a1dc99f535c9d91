"""Images and sounds beside a deck: what a card may name, and whether the files are there.

A card names its files with ``media:`` (shown with the question) and ``back_media:``
(shown with the answer), each a path or a list of paths relative to the deck file's
folder, such as ``media/flag.png``. A path stays inside that folder (no absolute
path, no ``..``), uses ``/``, and ends in a known image or sound extension. The
files themselves are checked by ``missing_media`` (``study lint`` and every load
report a missing one at the line and column that names it); the deck file is parsed
and cached without looking at them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path, PurePosixPath

from study.core.decks.model import Deck, MediaRef, Problem, Severity

__all__ = [
    "IMAGE_SUFFIXES",
    "SOUND_SUFFIXES",
    "MediaKind",
    "check_media_path",
    "kind_of",
    "media_file",
    "missing_media",
]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg", ".avif"})
SOUND_SUFFIXES = frozenset({".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".flac", ".aac"})
MEDIA_KEYS = ("media", "back_media")
"""The card keys that name files."""


class MediaKind(StrEnum):
    """What a media file is, by its extension."""

    IMAGE = "image"
    SOUND = "sound"


def kind_of(name: str) -> MediaKind | None:
    """An image, a sound, or None for a file a card cannot show."""
    suffix = PurePosixPath(name).suffix.casefold()
    if suffix in IMAGE_SUFFIXES:
        return MediaKind.IMAGE
    if suffix in SOUND_SUFFIXES:
        return MediaKind.SOUND
    return None


def check_media_path(path: str) -> str:
    """Why ``path`` cannot name a card's file ('' when it can)."""
    if "\\" in path:
        return f"write the path {path!r} with '/', not '\\'"
    pure = PurePosixPath(path)
    if pure.is_absolute() or path.startswith("~") or (len(path) > 1 and path[1] == ":"):
        return (
            f"the path {path!r} must be relative to the deck file's folder (e.g. media/{pure.name})"
        )
    if ".." in pure.parts:
        return f"the path {path!r} leaves the deck file's folder: keep media beside the deck"
    if kind_of(path) is None:
        known = ", ".join(sorted(IMAGE_SUFFIXES | SOUND_SUFFIXES))
        return f"{path!r} is not an image or sound file this app knows ({known})"
    return ""


def media_file(deck_path: Path, ref: MediaRef) -> Path:
    """The file a card's media reference names."""
    return deck_path.parent.joinpath(*PurePosixPath(ref.path).parts)


def missing_media(deck: Deck) -> list[Problem]:
    """An error for each media file a card names that is not there (one stat per file)."""
    problems: list[Problem] = []
    for card in deck.cards:
        for ref in card.media:
            if not media_file(deck.path, ref).is_file():
                key = "back_media" if ref.back else "media"
                problems.append(
                    Problem(
                        deck.display,
                        ref.line,
                        ref.col,
                        f"{key}: no file {ref.path!r} beside the deck file: put it there or fix "
                        "the path (the card is shown without it)",
                        Severity.ERROR,
                    )
                )
    return problems
