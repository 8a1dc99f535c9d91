"""``python -m study`` and the ``study`` command."""

from __future__ import annotations

import gc
import sys


def run() -> None:
    """Entry point of the ``study`` script.

    The cyclic garbage collector is paused while the program starts: importing it and
    Textual makes a few hundred thousand objects that all live on, and the collector's
    passes over them are about a tenth of the time to the first frame. ``study.cli.main``
    turns it back on before a command runs; the app does so once its first frame is drawn.
    """
    gc.disable()
    from study.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
