"""The images and sounds of the card on screen: drawn where the terminal can, else named."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from study.core.decks.media import MediaKind, kind_of
from study.tui.picture import image_widget
from study.tui.text import plain


class MediaList(Vertical):
    """The card's media files, one line (or one picture) each; ``v`` opens them (the screen's
    binding)."""

    DEFAULT_CSS = """
    MediaList { height: auto; }
    MediaList .picture { width: auto; height: auto; max-height: 16; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.files: list[Path] = []
        """The files shown, in order (what ``v`` opens)."""

    def show(self, files: list[tuple[str, Path]], *, append: bool = False) -> None:
        """Show these files (each as written in the deck, and where it is)."""
        if not append:
            self.remove_children()
            self.files = []
        widgets = []
        for written, path in files:
            kind = kind_of(written)
            there = path.is_file()
            picture = image_widget(path) if there and kind is MediaKind.IMAGE else None
            if picture is not None:
                widgets.append(picture)
            label = "image" if kind is MediaKind.IMAGE else "sound"
            if not there:
                line = plain(f"[{label} missing: {written}]", "dim")
            else:
                verb = "view" if kind is MediaKind.IMAGE else "play"
                line = Text.assemble(
                    ("🖼 " if kind is MediaKind.IMAGE else "♪ ", ""),
                    plain(written, "bold"),
                    (f"  (v: {verb})", "dim"),
                )
                self.files.append(path)
            widgets.append(Static(line, classes="media-name"))
        if widgets:
            self.mount_all(widgets)
        self.display = bool(self.files) or bool(widgets) or bool(self.children)
