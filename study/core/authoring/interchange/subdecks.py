"""Anki's subdecks as folders, and folders as subdecks.

An import whose cards sit in several Anki decks writes one deck file per deck:
``Geo::Europe::Rivers`` becomes ``Geo/Europe/Rivers.yaml`` (title "Rivers"), and
the cards of ``Geo`` itself go to ``Geo.yaml`` beside the ``Geo/`` folder, so the
export names it ``Geo`` again. Names are made safe for every file system (no
``/ \\ : * ? " < > |``, no control character, no reserved name such as ``CON``,
at most 80 characters); two decks whose names would give the same file (``a/b`` and
``a_b``, or ``Rivers`` and ``rivers``) get ``Rivers``, ``Rivers (2)``. Deck ids
come from the whole name (``geo-europe-rivers``), so two ``Misc`` subdecks of
different parents do not clash. An export names each deck by its folders and its
title: ``Geo/Europe/Rivers.yaml`` titled "Rivers" is ``Geo::Europe::Rivers``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from study.core.authoring.interchange.common import deck_id_for, deck_title
from study.core.authoring.slug import unique_id
from study.core.decks.safe_text import strip_controls

__all__ = ["Part", "anki_name", "safe_name", "split_by_deck"]

_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
)


def safe_name(name: str, fallback: str = "deck") -> str:
    """One part of a path from a deck name: what every file system accepts."""
    name = strip_controls(name, lines=False)
    name = re.sub(r'[/\\:*?"<>|]', "_", name)
    name = " ".join(name.split()).strip(". ")[:80].strip(". ")
    if not name:
        return fallback
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return name


@dataclass(frozen=True, slots=True)
class Part:
    """The cards of one Anki deck and the deck file they go to."""

    anki_name: str
    path: Path
    """The deck file, relative to the folder the import writes into."""
    title: str
    deck_id: str
    indexes: tuple[int, ...]
    """The cards' indexes in the import."""


def split_by_deck(names: Sequence[str]) -> list[Part] | None:
    """One part per Anki deck the cards (named by ``names``, one per card) sit in.

    None when they all sit in one deck: the import then writes one file, as always.
    """
    by_deck: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        by_deck.setdefault(name, []).append(index)
    if len(by_deck) < 2:
        return None
    taken_ids: set[str] = set()
    # each folder's children: safe name (casefolded) -> the Anki name part it stands for
    children: dict[tuple[str, ...], dict[str, str]] = {}

    def place(folder: tuple[str, ...], part: str, kind: str) -> str:
        siblings = children.setdefault(folder, {})
        base = safe_name(part)
        candidate, n = base, 2
        while siblings.get(f"{kind}:{candidate.casefold()}", part) != part:
            candidate, n = f"{base} ({n})", n + 1
        siblings[f"{kind}:{candidate.casefold()}"] = part
        return candidate

    parts: list[Part] = []
    for name in sorted(by_deck, key=lambda n: [p.casefold() for p in n.split("::")]):
        pieces = [p.strip() or "deck" for p in name.split("::")]
        folder: tuple[str, ...] = ()
        for piece in pieces[:-1]:
            folder = (*folder, place(folder, piece, "dir"))
        stem = place(folder, pieces[-1], "file")
        deck_id = unique_id(deck_id_for(" ".join(pieces)), taken_ids)
        taken_ids.add(deck_id)
        parts.append(
            Part(
                anki_name=name,
                path=Path(*folder, f"{stem}.yaml"),
                title=deck_title(name) or stem,
                deck_id=deck_id,
                indexes=tuple(by_deck[name]),
            )
        )
    return parts


def anki_name(deck_path: Path, title: str, base: Path) -> str:
    """The Anki deck name of a deck file: its folders under ``base``, then its title."""
    try:
        folders = deck_path.parent.resolve().relative_to(base.resolve()).parts
    except ValueError:
        folders = ()
    clean = [" ".join(p.replace("::", ":").split()) for p in (*folders, title)]
    return "::".join(p for p in clean if p)
