"""Moving cards in and out of decks: CSV/TSV (Anki's text format), Anki packages, Markdown.

Importers return an ``Imported`` (cards as deck-file dicts, what was skipped, and
optionally review history); ``study.core.authoring.interchange.deckfile`` turns it into a
validated deck file. Exporters take a loaded ``Deck``.
"""
