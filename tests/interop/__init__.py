"""Tests against the real Anki (the ``anki`` package from PyPI, in the ``test`` extra)."""

SKIP_REASON = "the 'anki' package is not installed: pip install -e '.[test]' (or '.[anki]')"
