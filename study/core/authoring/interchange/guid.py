"""An Anki note's identity: the GUID (and note type id) a card keeps, or one made for it.

Anki matches an imported note to one it has by GUID: a package whose notes carry the
GUIDs of notes already in the collection updates them instead of adding copies. A card
imported from Anki keeps its note's GUID in the deck file (``guid:``) and, when the note
had one of Anki's stock note types, that note type's id (``notetype:``): Anki updates a
note only when the package's note type has the same id as the note's own. A card made
here gets a GUID derived from its key (deck id and card id): the same on every export.
What a deck file may hold as a GUID is the deck format's rule (``decks.model.GUID``).
"""

from __future__ import annotations

import hashlib

_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def guid_for(key: str) -> str:
    """A stable Anki note GUID for a card key (the same as ``genanki.guid_for(key)``)."""
    value = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    out = []
    while value:
        value, digit = divmod(value, len(_BASE91))
        out.append(_BASE91[digit])
    return "".join(reversed(out))


def note_guid(key: str, kept: str) -> str:
    """The GUID a card's note is exported with: the one it kept from Anki, else its own."""
    return kept or guid_for(key)
