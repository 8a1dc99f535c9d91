"""SQL ``IN (...)`` lists in slices, under SQLite's limit on bound variables.

A basic: imports nothing of the core, so every room may use it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def in_batches(keys: Sequence[str], size: int = 500) -> Iterator[tuple[Sequence[str], str]]:
    """``keys`` in slices for ``IN (...)`` queries: each slice and its ``?,?,...`` placeholders."""
    for start in range(0, len(keys), size):
        chunk = keys[start : start + size]
        yield chunk, ",".join("?" * len(chunk))
