"""``study draft TEXT_FILE``: a draft deck of candidate cards found in a text file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from study.commands._common import CommandError, UsageError, refuse_existing
from study.commands._deck_files import user_decks
from study.core.authoring.atomic import atomic_write
from study.core.authoring.interchange.common import deck_id_for
from study.core.decks.model import Severity
from study.core.words import plural

MAX_DRAFT_TEXT = 16 << 20
"""Largest text ``study draft`` reads (16 MiB: a deck file holds 8 MB)."""


def cmd_draft(args: argparse.Namespace) -> int:
    """Write a draft deck of candidate cards found in a text."""
    from study.core.authoring.draft import draft_deck
    from study.core.decks.parse import parse_deck

    source = Path(args.text_file)
    if not source.exists():
        raise UsageError(f"{source}: no such file")
    if not source.is_file():  # a pipe or a device could be endless
        raise CommandError(f"{source}: not a regular file: give a text file")
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_DRAFT_TEXT + 1)
        text = data.decode("utf-8")
    except OSError as exc:
        raise CommandError(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise CommandError(f"{source}: not UTF-8 text: save it as UTF-8") from None
    if len(data) > MAX_DRAFT_TEXT:
        raise CommandError(
            f"{source}: larger than {MAX_DRAFT_TEXT >> 20} MiB, the most a draft reads: "
            "split the text"
        )
    deck_id = deck_id_for(source.stem)
    out = Path(args.output).expanduser() if args.output else user_decks(args) / f"{deck_id}.yaml"
    refuse_existing(out, args.force)
    title = args.title or source.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    yaml_text = draft_deck(
        text, title=title, deck_id=deck_id, source_id="text", source_title=source.name
    )
    deck, problems = parse_deck(yaml_text, out, str(out))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, yaml_text.encode("utf-8"))
    count = len(deck.cards) if deck else 0
    print(
        f"wrote {out}: {plural(count, 'candidate card')} from {source}; edit them before studying"
    )
    for problem in errors:
        print(problem, file=sys.stderr)
    return 1 if errors else 0
