"""``study new NAME``: a deck file with one example of every card type."""

from __future__ import annotations

import argparse
from pathlib import Path

from study.commands._common import CommandError
from study.commands._deck_files import is_path, user_decks
from study.core.authoring.atomic import atomic_write
from study.core.authoring.interchange.common import deck_id_for
from study.core.authoring.interchange.yamlout import new_deck_text
from study.core.decks.field import ID


def _explicit(name: str) -> bool:
    """Whether a path names its own place (absolute, ~, ./ or ../); other paths (sub/deck) are
    in the decks folder."""
    return Path(name).expanduser().is_absolute() or name.startswith(("./", "../", ".\\", "..\\"))


def cmd_new(args: argparse.Namespace) -> int:
    """Create a deck file with one example of every card type (a relative path such as
    ``sub/folder/deck`` goes into the decks folder; ``./deck`` or an absolute one where it says)."""
    name: str = args.name
    if is_path(name):
        path = Path(name).expanduser()
        if not _explicit(name):
            path = user_decks(args) / path
        path = path if path.suffix in (".yaml", ".yml") else path.with_suffix(".yaml")
        title = args.title or path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
        deck_id = path.stem if ID.fullmatch(path.stem) else deck_id_for(path.stem)
    else:
        deck_id = deck_id_for(name)
        path = user_decks(args) / f"{deck_id}.yaml"
        title = args.title or name
    if path.exists():
        raise CommandError(f"{path} already exists: pick another name (nothing was changed)")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write(
            path, new_deck_text(title, deck_id, str(path)).encode("utf-8"), overwrite=False
        )
    except FileExistsError:
        raise CommandError(
            f"{path} already exists: pick another name (nothing was changed)"
        ) from None
    print(f"created {path} (deck id {deck_id!r}) with one example card of each type")
    in_decks = path.resolve().is_relative_to(user_decks(args).resolve())
    add = deck_id if in_decks else str(path)  # a deck elsewhere is not loaded: name its file
    print(
        f"next: edit it, then check it with 'study lint {path}'; add cards with 'study add {add}'"
    )
    return 0
