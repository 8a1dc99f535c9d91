"""The app's colour theme follows config.toml: the one named there at start, and the one chosen
later (the palette's "Change theme", or the settings screen) saved there at once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App
from textual.constants import DEFAULT_THEME
from textual.theme import Theme

from study.core.service import Service


def follow_theme(app: App[Any], service: Service) -> None:
    """Use the theme config.toml names (warn if Textual has none of that name); save each change."""
    name = service.config.theme
    if name in app.available_themes:
        app.theme = name
    elif name:
        app.notify(
            f"config.toml names the theme {name!r}, which is not one of Textual's: "
            "ctrl+p, Change theme lists them",
            title="Settings",
            severity="warning",
            markup=False,
        )

    def chosen(theme: Theme) -> None:
        if theme.name == (service.config.theme or DEFAULT_THEME):
            return
        from study.core.settings import SettingsError

        try:
            service.save_config(replace(service.config, theme=theme.name))
        except SettingsError as exc:
            app.notify(
                f"The theme is not saved: {exc}", severity="warning", timeout=8, markup=False
            )

    app.theme_changed_signal.subscribe(app, chosen)
