"""Writing decks: adding cards and ids, drafting from a text, Anki/CSV/Markdown interchange.

``writing`` appends a card to a deck file (where it goes, its checks), ``ids`` gives ids to the
cards that have none, ``deck_text`` reads a deck file for editing, ``slug`` makes readable ids,
``atomic`` saves files atomically, ``draft`` (with ``draft_text``, ``draft_documents``,
``draft_dates`` and ``draft_lists``) proposes cards from a plain text, ``interchange`` moves
cards in and out (its ``yamlout`` is the one YAML writer).

May import: ``decks``, ``progress`` (imported history), ``scheduling`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "atomic",
    "deck_text",
    "draft",
    "draft_dates",
    "draft_documents",
    "draft_lists",
    "draft_text",
    "ids",
    "interchange",
    "slug",
    "writing",
]
