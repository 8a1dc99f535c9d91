"""``study ids``: give cards without an id a readable one (their progress follows);
``--orphans``: list (and ``--prune``) progress whose card is in no deck."""

from __future__ import annotations

import argparse
import sys

from study.commands._common import CommandError, UsageError, service
from study.commands._deck_files import deck_path
from study.core.authoring.deck_text import AuthoringError, read_deck_text
from study.core.authoring.ids import plan_ids, write_ids
from study.core.progress.carryover import carry_over, move_renamed, orphans
from study.core.words import plural


def _report_carried(args: argparse.Namespace) -> None:
    svc = service(args)
    for carried in carry_over(svc.store, svc.clock, svc.loaded, svc.items):
        print(carried)


def cmd_ids(args: argparse.Namespace) -> int:
    """Give cards without an id a readable one; list or prune orphaned progress."""
    if args.orphans or args.prune:
        return _orphans(args)
    if not args.deck:
        raise UsageError("give a deck (id or file), or --orphans")
    path = deck_path(args, args.deck)
    if not args.write:
        _, changes = plan_ids(read_deck_text(path), path)
        for change in changes:
            print(f"{path}:{change.line}: id: {change.new}")
        print(
            f"{plural(len(changes), 'card')} without an id"
            + (": add them with --write" if changes else "")
        )
        return 0
    try:
        deck, changes = write_ids(path)
    except AuthoringError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CommandError(str(exc)) from None
    print(f"{path}: gave an id to {plural(len(changes), 'card')}")
    svc = service(args, [str(path)] if args.decks else None)
    renames = {c.old: c.new for c in changes if c.old}
    for carried in move_renamed(svc.store, svc.clock, deck.id, renames):
        print(carried)
    return 0


def _orphans(args: argparse.Namespace) -> int:
    svc = service(args)
    for carried in carry_over(svc.store, svc.clock, svc.loaded, svc.items):
        print(carried)
    keys = orphans(svc.store, svc.items)
    texts = svc.store.card_texts()
    for key in keys:
        card = key.split("#")[0]
        was = f"  (was: {texts[card][1][:60]!r})" if card in texts else ""
        print(f"{key}{was}")
    print(f"{plural(len(keys), 'item')} with progress but no card in any deck", file=sys.stderr)
    if not args.prune or not keys:
        if keys:
            print(
                "prune them with 'study ids --orphans --prune' (their reviews are deleted)",
                file=sys.stderr,
            )
        return 0
    if args.decks:
        raise UsageError("--prune works on all your decks: run it without --decks")
    if svc.loaded.errors:
        raise CommandError(
            "some decks have errors, so their cards look orphaned: fix them "
            "('study lint') before pruning"
        )
    from study.core.progress.backup import BackupError, Kind, make_backup

    try:
        backup = make_backup(svc.store, svc.paths.backups, Kind.BEFORE_PRUNE, svc.clock.now())
    except BackupError as exc:
        raise CommandError(f"not pruned: no backup could be made first ({exc})") from None
    removed = svc.store.prune(keys)
    print(f"pruned the progress of {plural(removed, 'item')}; backup first: {backup.path}")
    return 0
