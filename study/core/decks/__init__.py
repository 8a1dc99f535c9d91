"""Deck files to cards: where a deck is parsed.

``yamlread`` reads YAML with positions (the only ``yaml`` import), ``parse`` checks a deck's
mapping into the frozen card ``model`` (one card in ``card``, one key's value in ``field``),
``loader`` finds and reads deck files safely (bounded by ``walk``), ``cache`` and ``catalog``
make a warm start read no deck, ``collection`` puts the loaded decks and their catalog behind
one interface, ``watch`` notices changed files, ``safe_text`` keeps control characters out of
cards and outputs, ``formatting`` is the light markup (bold, italic, line breaks) and
``media`` the images and sounds a card names.

May import: the standard library, ``yaml``, ``study.core`` basics (clock, config, paths, words).
Never the other feature packages.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "cache",
    "card",
    "catalog",
    "collection",
    "field",
    "formatting",
    "loader",
    "media",
    "model",
    "parse",
    "safe_text",
    "walk",
    "watch",
    "yamlread",
]
