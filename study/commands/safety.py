"""Keeping progress safe: ``study backup``, ``study restore [FILE]`` and ``study doctor``."""

from __future__ import annotations

import argparse
import json
import sys

from study.commands._common import CommandError, UsageError, service, table
from study.core.clock import Clock
from study.core.paths import Paths
from study.core.progress.backup import (
    Backup,
    BackupError,
    Kind,
    latest_good_backup,
    list_backups,
    make_backup,
    parse_name,
    resolve_backup,
    restore,
)
from study.core.progress.doctor import examine
from study.core.progress.store import Store, StoreError
from study.core.words import plural


def _size(size: int) -> str:
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _describe(backup: Backup, clock: Clock) -> str:
    return f"{clock.local(backup.at):%Y-%m-%d %H:%M}, {backup.kind}, {_size(backup.size)}"


def cmd_backup(args: argparse.Namespace) -> int:
    """Make a backup now, or list them."""
    paths, clock = Paths.resolve(args.data), Clock()
    if args.list:
        backups = list_backups(paths.backups, salvaged=True)
        if args.json:
            print(json.dumps([b.to_dict() for b in backups], indent=2))
        elif not backups:
            print(f"No backups yet in {paths.backups}.")
        else:
            print(
                table(
                    ("file", "made", "kind", "size"),
                    [
                        (
                            b.path.name,
                            f"{clock.local(b.at):%Y-%m-%d %H:%M}",
                            "salvaged (partial)" if b.kind is Kind.SALVAGED else str(b.kind),
                            _size(b.size),
                        )
                        for b in backups
                    ],
                )
            )
            print(f"\nIn {paths.backups}. 'study restore FILE' puts one back.", file=sys.stderr)
            salvaged = next((b for b in backups if b.kind is Kind.SALVAGED), None)
            if salvaged is not None:
                print(
                    "salvaged-* files hold what 'study doctor' could read of a damaged database "
                    "(some answers may be missing; card states rebuilt from the log): restore one "
                    f"only when no backup is good, with 'study restore {salvaged.path.name}'.",
                    file=sys.stderr,
                )
        return 0
    if not paths.database.exists():
        raise CommandError(f"there is no progress to back up yet ({paths.database} does not exist)")
    svc = service(args, load=False)
    try:
        backup = make_backup(svc.store, paths.backups, Kind.MANUAL, svc.clock.now())
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    finally:
        svc.close()
    if args.json:
        print(json.dumps(backup.to_dict(), indent=2))
    else:
        print(f"Backed up your progress to {backup.path} ({_size(backup.size)}).")
    return 0


def _current(paths: Paths) -> str:
    """One line about the progress that a restore would replace."""
    if not paths.database.exists():
        return "no progress database yet."
    try:
        store = Store(paths.database)
    except StoreError:
        return f"{paths.database} cannot be opened; it will be moved into the backups folder."
    try:
        last = store.last_review()
        count = len(store.reviews(include_undone=True))
    finally:
        store.close()
    when = f", the last on {Clock().local(last.at):%Y-%m-%d %H:%M}" if last else ""
    return f"{plural(count, 'answer')}{when}; kept as a backup first."


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the progress database by a backup, after keeping the current one."""
    paths, clock = Paths.resolve(args.data), Clock()
    if args.file:
        source = resolve_backup(args.file, paths.backups)
        named = parse_name(source)
        what = f"{source} ({_describe(named, clock)})" if named else str(source)
    else:
        latest = latest_good_backup(paths.backups)
        if latest is None:
            raise CommandError(f"there is no good backup in {paths.backups} to restore")
        source, what = latest.path, f"{latest.path} ({_describe(latest, clock)})"
    if not source.is_file():
        raise UsageError(f"no such backup: {source} (see 'study backup --list')")
    if not args.yes:
        print(f"Backup:  {what}")
        print(f"Current: {_current(paths)}")
        try:
            reply = input("Replace your progress with this backup? [y/N] ")
        except EOFError:
            reply = ""
        if reply.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.", file=sys.stderr)
            return 1
    try:
        kept = restore(paths.database, source, paths.backups, clock.now())
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"Restored {source}.")
    if kept is not None:
        print(f"Your previous progress is kept in {kept}.")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Check and repair; exit 1 when the database is damaged or cannot be opened."""
    svc = service(args)
    try:
        report = examine(
            svc.paths,
            lambda: svc.store,
            svc.scheduler,
            svc.clock,
            svc.loaded,
            svc.items,
            prune=args.prune,
        )
    finally:
        svc.close()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print("\n".join(report.lines()))
    return 0 if report.ok else 1
