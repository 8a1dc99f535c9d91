"""``study sync``: exchange answers with other machines through a shared folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from study.commands._common import CommandError, service
from study.core.progress.sync import sync_here
from study.core.words import plural


def cmd_sync(args: argparse.Namespace) -> int:
    """Sync once; exit 0 (messages about set-aside lines go to stderr)."""
    svc = service(args, load=False)
    try:
        folder = args.folder or svc.config.sync_folder
        if not folder:
            raise CommandError(
                "no sync folder: give --folder DIR or set sync_folder in the settings"
            )
        path = Path(folder).expanduser()
        try:
            result = sync_here(
                svc.store, path, svc.paths.machine_id, svc.scheduler, svc.clock.now()
            )
        except OSError as exc:
            raise CommandError(f"cannot sync through {path}: {exc.strerror or exc}") from exc
    finally:
        svc.close()
    for message in result.messages:
        print(f"study: {message}", file=sys.stderr)
    if args.json:
        print(json.dumps({"written": result.written, "received": result.received}))
    else:
        print(
            f"{plural(result.written, 'answer')} sent, {result.received} received, through {path}"
        )
    return 0
