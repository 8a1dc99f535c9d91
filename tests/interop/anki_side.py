"""The Anki side of the interop tests: the ``anki`` package from PyPI (the same Rust backend
as the desktop app), installed by the ``test`` extra. Test modules skip before importing
this when ``anki`` is missing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from anki.collection import Collection
from anki.import_export_pb2 import (
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)


@contextmanager
def collection(folder: Path) -> Iterator[Any]:
    """A new Anki collection with FSRS on (Anki's defaults otherwise: rollover at 4 o'clock)."""
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    col.set_config("fsrs", True)
    try:
        yield col
    finally:
        col.close()


def import_package(col: Any, path: Path) -> Any:
    """Import a package as Anki's import dialog does by default (with scheduling, update
    notes and note types if newer, no merging of note types); returns Anki's log."""
    options = ImportAnkiPackageOptions(
        merge_notetypes=False, with_scheduling=True, with_deck_configs=False
    )
    result = col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=options)
    )
    return result.log


def export_package(col: Any, path: Path) -> None:
    """Export the whole collection as Anki does, with scheduling."""
    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False
    )
    col.export_anki_package(out_path=str(path), options=options, limit=None)
