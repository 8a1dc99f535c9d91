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

from study.core.decks.formatting import parse
from study.core.decks.safe_text import visible


def plain(text: str, style: str = "", *, lines: bool = True) -> Text:
    """``text`` as a Rich ``Text`` in ``style``: shown literally, control characters escaped.

    Without ``lines``, a tab or a line break is escaped too (for one-line labels).
    """
    return Text(visible(text, lines=lines), style=style)


def marked(text: str, style: str = "") -> Text:
    """Deck text with its light formatting (``**bold**``, ``*italic*``) drawn as styles.

    The markers are read by ``study.core.decks.formatting`` into ranges and applied as Rich
    styles: the text itself is never parsed as markup, and control characters are escaped
    as by ``plain``.
    """
    bare, spans = parse(text)
    shown = visible(bare)
    out = Text(shown, style=style)
    if len(shown) == len(bare):  # an escaped control character would shift the ranges
        for span in spans:
            out.stylize(
                " ".join(s for s, on in (("bold", span.bold), ("italic", span.italic)) if on),
                span.start,
                span.end,
            )
    return out


__all__ = ["marked", "plain", "visible"]
