"""The package is importable, has a version, ships its decks, and the core never imports Textual."""

from __future__ import annotations

import subprocess
import sys

import study
from study.core.paths import bundled_decks


def test_version_is_set() -> None:
    assert study.__version__


def test_bundled_decks_are_found() -> None:
    decks = bundled_decks()
    assert decks.is_dir()
    assert list(decks.rglob("*.yaml"))


def test_core_and_cli_do_not_import_textual() -> None:
    code = (
        "import sys, study.core.service, study.core.review.session, study.core.stats.compute\n"
        "import study.cli\n"
        "study.cli.build_parser()\n"
        "bad = sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('textual', 'rich') or m.startswith('study.tui'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
