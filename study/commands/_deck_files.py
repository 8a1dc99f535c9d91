"""Where the deck-writing commands find and put deck files."""

from __future__ import annotations

import argparse
from pathlib import Path

from study.commands._common import CommandError, UsageError, service
from study.core.decks.model import Deck
from study.core.paths import BUNDLED_READ_ONLY, Paths, is_bundled


def user_decks(args: argparse.Namespace) -> Path:
    """Your decks folder (made if missing)."""
    paths = Paths.resolve(args.data)
    paths.ensure()
    return paths.user_decks


def scratch(args: argparse.Namespace) -> Path:
    """The folder of an import's temporary files (made if missing)."""
    paths = Paths.resolve(args.data)
    paths.ensure()
    return paths.scratch


def is_path(name: str) -> bool:
    """Whether a deck is named by a file path rather than by an id."""
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def deck_path(args: argparse.Namespace, name: str, *, own: bool = False) -> Path:
    """A deck given as a file path or as the id of a loaded deck (with ``own``, not a bundled one:
    an update of study replaces those files; its path can still be given)."""
    if is_path(name) or Path(name).is_file():
        path = Path(name).expanduser()
        if not path.is_file():
            raise UsageError(f"{path}: no such deck file")
        return path
    svc = service(args)
    deck = next((d for d in svc.decks if d.id == name), None)
    if deck is None:
        known = ", ".join(sorted(d.id for d in svc.decks)) or "none"
        raise UsageError(f"no deck with id {name!r} (decks: {known}); give its file path instead")
    if own and is_bundled(deck.path):
        folder = Paths.resolve(args.data).user_decks
        raise CommandError(
            BUNDLED_READ_ONLY.format(folder=folder) + f"; to edit the bundled file anyway, "
            f"give its path: study add {deck.path}"
        )
    return deck.path


def loaded(args: argparse.Namespace, path: Path) -> Deck:
    """The deck of the file ``path``; CommandError when it does not load."""
    svc = service(args, [str(path)])
    if not svc.decks:
        raise CommandError(f"{path}: the deck does not load: run 'study lint {path}'")
    return svc.decks[0]
