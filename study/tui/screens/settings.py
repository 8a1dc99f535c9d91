"""The settings screen: config.toml as a form, each field checked as it is typed, saved with the
file's comments kept, in effect at once (the service's settings and scheduler are replaced).

The desired retention shows the workload it implies (reviews a day over the next year,
simulated in a worker thread: 10-30 ms). The theme takes effect as it is picked, and the
app saves it (``study.tui.theme``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static, TextArea

from study.core.config import Config
from study.core.service import Service
from study.core.settings import SettingsError, changed, describe_workload, parse_field, workload
from study.tui.host import host
from study.tui.widgets.keybar import KeyBar
from study.tui.widgets.titlebar import TitleBar

FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "desired_retention",
        "Desired retention",
        "share of reviews you aim to pass, 0.70-0.99 (or 90%); higher means more reviews",
    ),
    ("learning_steps", "Learning steps", "waits between the first answers to a new card: 1m 10m"),
    ("relearning_steps", "Relearning steps", "waits after a forgotten card: 10m"),
    ("new_per_day", "New cards a day", "new cards introduced each study day"),
    ("reviews_per_day", "Reviews a day", "the most reviews shown each study day"),
    ("day_starts_at", "Day starts at", "the hour (0-23, local time) a new study day begins"),
    (
        "fast_answer_seconds",
        "Fast answer (seconds)",
        "a correct typed answer faster than this is rated Easy, not Good",
    ),
    (
        "deck_folders",
        "Deck folders",
        "more folders (or files) of decks, one a line, besides the bundled and your own",
    ),
)
"""Each field of the form: the setting, its label and a line of help."""


def shown(name: str, config: Config) -> str:
    """A setting's value as the form shows it."""
    value = getattr(config, name)
    if name == "deck_folders":
        return "\n".join(value)
    if isinstance(value, tuple):
        return " ".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class SettingsScreen(Screen[None]):
    """Edit config.toml: ctrl+s (or Enter) saves, Esc goes back."""

    DEFAULT_CSS = """
    SettingsScreen #settings { padding: 0 1; }
    SettingsScreen .setting { height: auto; margin-top: 1; }
    SettingsScreen .setting-label { width: 24; text-style: bold; padding-top: 0; }
    SettingsScreen .setting Input { width: 1fr; }
    SettingsScreen .setting Select { width: 1fr; }
    SettingsScreen .setting TextArea { width: 1fr; height: 3; background: $boost; }
    SettingsScreen .setting-help { color: $text-muted; padding-left: 24; }
    SettingsScreen .field-error { color: $text-error; padding-left: 24; height: auto; }
    SettingsScreen #workload { color: $text-accent; padding-left: 24; }
    SettingsScreen #settings-buttons { height: 1; margin-top: 1; align: left middle; }
    SettingsScreen #settings-buttons Button { margin-right: 2; }
    SettingsScreen #settings-file { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service
        self.values: dict[str, object] = {}
        """Each field's value as typed, once checked (absent while the field has an error)."""
        self.errors: dict[str, str] = {}
        """Each field's error, if it has one."""
        self._warned = False

    def compose(self) -> ComposeResult:
        config = self.service.config
        yield TitleBar()
        with VerticalScroll(id="settings"):
            for name, label, help_text in FIELDS:
                with Horizontal(classes="setting"):
                    yield Static(label, classes="setting-label")
                    if name == "deck_folders":
                        yield TextArea(
                            shown(name, config), id=f"field-{name}", compact=True, soft_wrap=False
                        )
                    else:
                        yield Input(shown(name, config), id=f"field-{name}", compact=True)
                yield Static(help_text, classes="setting-help")
                if name == "desired_retention":
                    yield Static(id="workload")
                yield Static(id=f"error-{name}", classes="field-error")
            with Horizontal(classes="setting"):
                yield Static("Theme", classes="setting-label")
                themes = sorted(self.app.available_themes)
                yield Select(
                    [(theme, theme) for theme in themes],
                    value=self.app.theme,
                    allow_blank=False,
                    id="field-theme",
                    compact=True,
                )
            yield Static(
                "colours, applied and saved as soon as you pick one", classes="setting-help"
            )
            with Horizontal(id="settings-buttons"):
                yield Button("Save (ctrl+s)", id="settings-save", variant="primary", compact=True)
                yield Button("Back (Esc)", id="settings-back", compact=True)
            yield Static(Text(f"Saved in {self.service.paths.config}"), id="settings-file")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Settings"
        for name, _, _ in FIELDS:
            self.check(name, shown(name, self.service.config))
        self.query_one("#field-desired_retention", Input).focus()

    # --- checking as typed -------------------------------------------------------

    def check(self, name: str, text: str) -> None:
        """Check one field's text; show its error (or clear it) and, for the figures behind the
        workload, compute it again."""
        self._warned = False
        try:
            self.values[name] = parse_field(name, text)
        except ValueError as exc:
            self.values.pop(name, None)
            self.errors[name] = str(exc)
        else:
            self.errors.pop(name, None)
        message = self.errors.get(name, "")
        line = self.query_one(f"#error-{name}", Static)
        line.update(Text(message[:1].upper() + message[1:]))
        line.display = bool(message)
        if name in ("desired_retention", "new_per_day", "reviews_per_day"):
            self.show_workload()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("field-"):
            self.check(event.input.id.removeprefix("field-"), event.value)

    @on(TextArea.Changed)
    def _folders_typed(self, event: TextArea.Changed) -> None:
        self.check("deck_folders", event.text_area.text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Select.Changed, "#field-theme")
    def _theme_picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.app.theme:
            self.app.theme = event.value  # the app saves it (study.tui.theme)

    def edited(self) -> Config:
        """The settings as the form has them (the fields with an error as they were)."""
        return replace(self.service.config, **self.values)  # type: ignore[arg-type]

    # --- the workload ------------------------------------------------------------

    def show_workload(self) -> None:
        """The reviews a day the retention asks for (left as it was while a figure has an error)."""
        if {"desired_retention", "new_per_day", "reviews_per_day"} & set(self.errors):
            self.query_one("#workload", Static).update("")
            return
        self._workload(self.edited())

    @work(thread=True, exclusive=True, group="workload")
    def _workload(self, config: Config) -> None:
        service = self.service
        if service.ready:
            items = len(service.items)
        else:
            items = sum(summary.counts.total for summary in service.summaries())
        line = describe_workload(workload(config, items), items, config)
        self.app.call_from_thread(self.query_one("#workload", Static).update, line)

    # --- saving --------------------------------------------------------------------

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#settings-back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_save(self) -> None:
        """Save the settings and use them now; refused (and why) while a field has an error."""
        if self.errors:
            bad = ", ".join(label for name, label, _ in FIELDS if name in self.errors)
            self.notify(f"Not saved: fix {bad} first.", severity="error", markup=False)
            return
        old, new = self.service.config, self.edited()
        names = changed(old, new)
        if not names:
            self.notify("Nothing to save: the settings are as they were.")
            self.dismiss()
            return
        try:
            self.service.save_config(new)
        except SettingsError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10, markup=False)
            return
        labels = [label for name, label, _ in FIELDS if name in names]
        self.notify(
            f"Saved {', '.join(labels).lower()}; in effect now.", title="Settings", markup=False
        )
        if "deck_folders" in names:
            host(self).reload_decks()
        self.dismiss()

    def action_back(self) -> None:
        """Go back; with unsaved changes, the first Esc says so and the second leaves them."""
        if not self._warned and (self.errors or changed(self.service.config, self.edited())):
            self._warned = True
            self.notify("Unsaved changes: ctrl+s saves them, Esc again leaves without saving.")
            return
        self.dismiss()
