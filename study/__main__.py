"""``python -m study`` and the ``study`` command."""

from __future__ import annotations

import sys

from study.cli import main


def run() -> None:
    """Entry point of the ``study`` script."""
    sys.exit(main())


if __name__ == "__main__":
    run()
