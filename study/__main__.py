"""``python -m study`` and the ``study`` command."""

from __future__ import annotations

import sys

from study import collector


def run() -> None:
    """Entry point of the ``study`` script: the collector is paused before the program is
    imported (why: ``study.collector``)."""
    collector.pause()
    from study.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
