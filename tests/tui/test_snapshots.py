"""Snapshots of the main screens (fixed clock, fixed data, no blinking cursor)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from study.tui.app import StudyApp
from study.tui.factory import make_app
from tests.conftest import MovableClock, make_service
from tests.tui.test_study_flow import DECK

SIZE = (100, 30)


def _app(tmp_path: Path, **decks: str) -> StudyApp:
    return make_app(make_service(tmp_path, {"demo.yaml": DECK, **decks}, MovableClock()))


async def _steady(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def test_home(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        _app(tmp_path, **{"broken.yaml": "title: [oops\n"}), terminal_size=SIZE, run_before=_steady
    )


def test_home_at_80x24(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_steady)


def test_basic_card_revealed(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await _steady(pilot)
        await pilot.press("enter", "space")
        await _steady(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run)


def test_typed_card_graded(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await _steady(pilot)
        await pilot.press("enter", "space", "3", "space", "3")
        await _steady(pilot)
        await pilot.press(*"31 Dec 2031", "enter")
        await _steady(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run)


def test_summary(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await _steady(pilot)
        await pilot.press("enter", "space", "4", "escape")
        await _steady(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run)
