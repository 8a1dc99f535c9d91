"""Text from files and people, made safe to draw: never markup, no raw control character.

A deck's text, a file name, an error message or what the user typed is shown as it is:
``[/x]`` or ``[@click=app.quit]`` in a card stays those characters (as markup it would
crash the app or become an action), and a control character is written ``\\u001b`` (raw,
``ESC ] 0 ;`` would set the terminal's title). Widgets take such text through ``plain``
(a Rich ``Text``, which Textual never parses as markup); text appended to a ``Text`` goes
through ``visible``. The app's ``notify`` does the same for every toast.
"""

from __future__ import annotations

from rich.text import Text

from study.core.decks.safe_text import visible


def plain(text: str, style: str = "", *, lines: bool = True) -> Text:
    """``text`` as a Rich ``Text`` in ``style``: shown literally, control characters escaped.

    Without ``lines``, a tab or a line break is escaped too (for one-line labels).
    """
    return Text(visible(text, lines=lines), style=style)


__all__ = ["plain", "visible"]
