"""Writing decks: adding cards and ids, drafting from a text, Anki/CSV/Markdown interchange.

``writing`` saves deck files atomically and adds cards and ids, ``draft`` (with ``draft_text``
and ``draft_lists``) proposes cards from a plain text, ``interchange`` moves cards in and out.

May import: ``decks``, ``progress`` (imported history), ``scheduling`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "draft",
    "draft_lists",
    "draft_text",
    "interchange",
    "writing",
]
