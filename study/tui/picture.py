"""Drawing a card's image in the terminal with ``textual-image``: the one module importing it.

``textual-image`` asks the terminal what it can draw (Sixel, Kitty's graphics protocol,
or coloured half cells) when it is imported, and it can ask only before Textual takes
over the terminal's input. That takes up to 0.6 s in a terminal that does not answer
(measured in tmux), so ``prepare`` imports it before the app starts only when a decks
folder holds a ``media`` folder (a bounded look, a few ``scandir`` calls): users
without images pay nothing. When it is not installed, fails to import, or cannot read
a file, ``image_widget`` gives None and the screen names the file instead, with the key
that opens it in the system viewer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.widget import Widget

_widget_class: Any = None
_tried = False

MEDIA_DEPTH = 4
"""How deep under a decks folder ``prepare`` looks for a ``media`` folder."""


def has_media_folder(roots: Iterable[Path], depth: int = MEDIA_DEPTH) -> bool:
    """Whether a ``media`` folder sits in one of the decks folders (at most ``depth`` down)."""
    stack = [(Path(root), 0) for root in roots]
    seen = 0
    while stack:
        folder, level = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    seen += 1
                    if seen > 10_000:
                        return False
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                        if entry.name == "media":
                            return True
                        if level + 1 < depth:
                            stack.append((Path(entry.path), level + 1))
        except OSError:
            continue
    return False


def prepare(roots: Iterable[Path]) -> bool:
    """Import the image widget now (before the app starts) if images may be shown."""
    global _widget_class, _tried
    if _tried:
        return _widget_class is not None
    if not sys.stdout.isatty() or not has_media_folder(roots):
        return False
    _tried = True
    try:
        from textual_image.widget import Image  # asks the terminal what it can draw
    except Exception:  # not installed, or a terminal it cannot talk to: names are shown
        return False
    _widget_class = Image
    return True


def image_widget(path: Path) -> Widget | None:
    """A widget that draws the image at ``path``, or None (not prepared, or unreadable)."""
    if _widget_class is None:
        return None
    try:
        # decoded here, whole: the widget decodes only when drawn, and a damaged file
        # raised in the middle of a frame (it stopped the app)
        from PIL import Image as PILImage  # textual-image's own dependency

        with PILImage.open(path) as opened:
            opened.load()
            picture = opened.copy()
        widget: Widget = _widget_class(picture, classes="picture")
    except Exception:  # a damaged or unknown image: PIL raises many kinds; the name is shown
        return None
    return widget
