"""Moving cards in and out of decks: CSV/TSV (Anki's text format), Anki packages, Markdown.

Importers return an ``Imported`` (cards as deck-file dicts, what was skipped, and
optionally review history); ``study.core.authoring.interchange.deckfile`` turns it into a
validated deck file. Exporters take a loaded ``Deck``. ``yamlout`` is the one YAML writer.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "anki_fields",
    "apkg_collection",
    "apkg_export",
    "apkg_history",
    "apkg_identity",
    "apkg_import",
    "bounded",
    "common",
    "csv_tsv",
    "deckfile",
    "guid",
    "html_markup",
    "markdown",
    "media_files",
    "media_out",
    "subdecks",
    "yamlout",
]
