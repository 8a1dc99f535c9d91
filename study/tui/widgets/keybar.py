"""The footer: the keys the screen offers now, drawn as one line of text.

Textual's own ``Footer`` makes a widget per key and recomposes them all each
time the bindings change (every focus change); each new widget is styled on
its own. On the home screen that was about a third of the time to the first
frame, and half of the time from a key press to the study screen. This draws
the same line (key, description; disabled keys dimmed; the command palette on
the right) as a single widget that only repaints. A click on a key presses it.
"""

from __future__ import annotations

import string
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.keys import _character_to_key, key_to_character
from textual.screen import Screen
from textual.widget import Widget

_PUNCTUATION = {_character_to_key(c): c for c in string.punctuation}
"""Key names of punctuation and their characters: Textual's ``key_to_character`` has no
character for some ('minus', 'at'), so an answer box that types them hid only the others."""


def _types(widget: Widget | None, key: str) -> bool:
    """Whether the focused ``widget`` takes ``key`` as text (an answer box), so the key does not
    act."""
    if widget is None:
        return False
    character = key_to_character(key) or _PUNCTUATION.get(key)
    return character is not None and widget.check_consume_key(key, character)


class KeyBar(Widget):
    """The screen's shown key bindings on one line, with ``^p palette`` at the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    _keys: list[tuple[int, int, str]] = []  # noqa: RUF012 - replaced, never mutated, by each render
    """(first cell, cell after the last, key) of each key that a click presses, as last drawn."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def _key(self, line: Text, key: str, display: str, description: str, enabled: bool) -> None:
        start, first = line.cell_len, len(line.plain)
        line.append(display, self.get_component_rich_style("keybar--key"))
        if description:
            line.append(" " + description, self.get_component_rich_style("keybar--description"))
        if enabled:
            self._keys.append((start, line.cell_len, key))
        else:
            line.stylize(Style(dim=True), first)

    def render(self) -> Text:
        app = self.app
        active = self.screen.active_bindings
        line = Text(no_wrap=True, overflow="crop")
        self._keys = []
        seen: set[str] = set()
        focused = self.screen.focused
        describe = getattr(self.screen, "describe_binding", None)
        for node, binding, enabled, _tooltip in active.values():
            if binding.action in seen or binding.key == app.COMMAND_PALETTE_BINDING:
                continue
            description: str | None = binding.description if binding.show else None
            if callable(describe):  # the screen says what the key does now (None: nothing)
                description = describe(binding, description)
            if description is None:
                continue
            if node is not focused and _types(focused, binding.key):
                continue  # typed into the answer box, not a command
            seen.add(binding.action)
            self._key(line, binding.key, app.get_key_display(binding), description, enabled)
            line.append(" ")
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if palette is not None:
            _, binding, enabled, _tooltip = palette
            display = app.get_key_display(binding)
            room = self.size.width - line.cell_len - len(display) - len(binding.description) - 3
            if room >= 0:
                line.append(" " * room)
                line.append("▏", style="dim")
                self._key(line, binding.key, display, binding.description, enabled)
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for start, end, key in self._keys:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
