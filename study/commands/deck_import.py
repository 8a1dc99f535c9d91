"""``study import FILE``: a deck file (or one per Anki deck) from a CSV/TSV file or an Anki
package, with its media and, if asked, its review history."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from study.commands._common import CommandError, UsageError, refuse_existing, service
from study.commands._deck_files import scratch, user_decks
from study.core.authoring.atomic import atomic_write
from study.core.authoring.interchange.common import deck_id_for
from study.core.words import plural

if TYPE_CHECKING:
    from study.core.authoring.interchange.common import Imported


def cmd_import(args: argparse.Namespace) -> int:
    """Make a deck file from a CSV/TSV file or an Anki package (several, for subdecks)."""
    source = Path(args.file).expanduser()
    suffix = source.suffix.casefold()
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    from study.core.authoring.interchange.bounded import ImportRefused

    try:
        if suffix == ".apkg":
            from study.core.authoring.interchange.apkg_import import read_apkg

            imported = read_apkg(source, with_history=args.with_history, scratch=scratch(args))
        elif suffix in (".csv", ".tsv", ".txt"):
            from study.core.authoring.interchange.csv_tsv import read_csv_file

            if args.with_history:
                raise UsageError(
                    "--with-history needs an Anki package (.apkg): text files hold no history"
                )
            imported = read_csv_file(source, name=source.stem, suffix=suffix)
        else:
            raise UsageError(f"{source}: unknown kind of file: import .apkg, .csv, .tsv or .txt")
    except ImportRefused as exc:
        raise CommandError(f"{source}: {exc}") from None
    jobs = _import_jobs(args, imported, source)
    for job in jobs:  # every file checked before any is written
        refuse_existing(job.out, args.force)
    wrote = 0
    for job in jobs:
        wrote += _import_one(args, imported, source, job)
    if not wrote:
        raise CommandError(f"{source}: no card could be imported (nothing was written)")
    return 0


@dataclass(frozen=True, slots=True)
class _Job:
    """One deck file an import writes."""

    out: Path
    title: str
    deck_id: str
    indexes: tuple[int, ...]


def _import_jobs(args: argparse.Namespace, imported: Imported, source: Path) -> list[_Job]:
    """The deck files of an import: one, or one per Anki deck (subdecks as folders).

    ``--deck NAME`` or ``-o FILE.yaml`` puts every card in one deck, as before; ``-o DIR``
    is the folder the subdeck files go into.
    """
    from study.core.authoring.interchange.subdecks import split_by_deck

    output = Path(args.output).expanduser() if args.output else None
    one_file = args.deck or (output is not None and output.suffix in (".yaml", ".yml"))
    parts = None
    if not one_file and len(imported.decks) == len(imported.cards):
        parts = split_by_deck(imported.decks)
    if parts is None:
        title = args.deck or imported.title or source.stem
        deck_id = deck_id_for(title)
        out = output or user_decks(args) / f"{deck_id}.yaml"
        return [_Job(out, title, deck_id, tuple(range(len(imported.cards))))]
    root = output or user_decks(args)
    return [_Job(root / p.path, p.title, p.deck_id, p.indexes) for p in parts]


def _import_one(args: argparse.Namespace, imported: Imported, source: Path, job: _Job) -> int:
    """Write one deck file of an import (its media first); returns the cards written."""
    from study.core.authoring.interchange.bounded import ImportRefused
    from study.core.authoring.interchange.common import Imported
    from study.core.authoring.interchange.deckfile import build_deck, replay_history
    from study.core.authoring.interchange.media_files import FOLDER, attach_media, write_media

    whole = len(job.indexes) == len(imported.cards)
    part = Imported(
        title=job.title,
        cards=[imported.cards[i] for i in job.indexes],
        skipped=imported.skipped if whole else [],
        unlisted=imported.unlisted if whole else 0,
    )
    plan = attach_media(part.cards, imported.media, job.out.parent / FOLDER)
    try:
        text, kept = build_deck(
            part, job.title, job.deck_id, comment=f"Imported from {source.name} by 'study import'."
        )
    except ImportRefused as exc:
        raise CommandError(f"{source}: {exc}") from None
    unlisted = [f"... and {part.unlisted} more skipped"] if part.unlisted else []
    if not kept:
        for line in part.skipped + unlisted:
            print(line, file=sys.stderr)
        if whole:
            raise CommandError(f"{source}: no card could be imported (nothing was written)")
        print(f"  {job.out}: no card of this deck could be imported (not written)")
        return 0
    job.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        written = write_media(plan)
    except OSError as exc:
        raise CommandError(
            f"{plan.folder}: cannot write the media ({exc.strerror or exc}); nothing of "
            f"{job.out.name} was written"
        ) from None
    atomic_write(job.out, text.encode("utf-8"))
    print(f"wrote {job.out}: {plural(len(kept), 'card')} imported, {part.skipped_total} skipped")
    notes = list(imported.notes) if whole or job.indexes[0] == 0 else []
    if written or plan.reused:
        notes.append(
            f"{plural(written + plan.reused, 'media file')} in {plan.folder}"
            + (f" ({plan.reused} already there)" if plan.reused else "")
        )
    if plan.missing:
        notes.append(
            f"{plural(len(plan.missing), 'media file')} named by the cards not in the package "
            f"(or too large), left out: {', '.join(plan.missing[:5])}"
        )
    for line in part.skipped + unlisted + notes:
        print(f"  {line}")
    if args.with_history and imported.history:
        svc = service(args, None)
        if not any(d.id == job.deck_id for d in svc.decks):
            svc = service(args, [str(job.out)])
        ids = [str(part.cards[i]["id"]) for i in kept]
        position = {full: n for n, full in enumerate(job.indexes)}
        index = {local: new for new, local in enumerate(kept)}  # kept: indexes into part.cards
        history = [
            replace(r, card=index[position[r.card]])
            for r in imported.history
            if r.card in position and position[r.card] in index
        ]
        count, skipped = replay_history(
            svc.store, svc.scheduler, svc.items, job.deck_id, ids, history
        )
        print(
            f"  imported {plural(count, 'review')} of the history"
            + (
                f"; {plural(skipped, 'item')} already had progress here and kept it"
                if skipped
                else ""
            )
        )
    return len(kept)
