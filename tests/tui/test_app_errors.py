"""An unexpected error in the app: one line and the crash log, never a traceback with locals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from study.cli import main
from study.tui.app import StudyApp
from study.tui.screens.study import StudyScreen

DECK = "title: D\nid: d\ncards:\n  - {id: a, front: 'A secret front', back: 'Its back'}\n"


def test_an_error_in_a_key_handler_goes_to_the_crash_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "d.yaml").write_text(DECK, encoding="utf-8")
    home = tmp_path / "home"

    def reveal(self: StudyScreen) -> None:
        raise RuntimeError("something nobody expected\nwith a second line")

    real_run = StudyApp.run

    def run_headless(self: StudyApp, **_: Any) -> Any:
        async def keys(pilot: Any) -> None:
            await pilot.pause()
            await pilot.press("a")  # study every deck
            await pilot.pause()
            await pilot.press("space")
            await pilot.pause()
            if self.is_running:
                await pilot.exit(0)

        return real_run(self, headless=True, size=(100, 30), auto_pilot=keys)

    monkeypatch.setattr(StudyScreen, "action_reveal", reveal)
    monkeypatch.setattr(StudyApp, "run", run_headless)
    code = main(["--data", str(home), "--decks", str(decks)])
    out, err = capsys.readouterr()
    log = home / "crash.log"
    assert code == 70, err
    assert err == (
        f"study: unexpected error (RuntimeError: something nobody expected); details in {log}\n"
    )
    assert "A secret front" not in out + err and "Traceback" not in out + err
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in reveal" in text
    assert "RuntimeError: something nobody expected" in text
