"""A card's images and sounds on the study screen: drawn when possible, else named; 'v' opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from study.tui import opener, picture
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.widgets.media_list import MediaList
from tests.conftest import MovableClock, make_service
from tests.tui.test_study_flow import start

DECK = """\
title: Flags
cards:
  - id: fr
    media: media/fr.png
    back: France
    back_media: [media/hymn.mp3, media/gone.png]
"""


def names(app: StudyApp) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query_one(MediaList).query(Static))


async def test_an_image_only_question_is_named_and_opened(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service(tmp_path, {"flags.yaml": DECK}, clock)
    media = tmp_path / "decks" / "media"
    media.mkdir()
    (media / "fr.png").write_bytes(b"not really a png")
    (media / "hymn.mp3").write_bytes(b"ID3")
    opened: list[Path] = []
    monkeypatch.setattr(opener, "open_file", lambda p: opened.append(p) or "")
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        assert "media/fr.png" in names(app) and "v: view" in names(app)
        await pilot.press("v")
        assert opened == [media / "fr.png"]
        await pilot.press("space")
        shown = names(app)
        assert "media/hymn.mp3" in shown and "v: play" in shown
        assert "image missing: media/gone.png" in shown
        await pilot.press("v")
        assert opened[1:] == [media / "fr.png", media / "hymn.mp3"]


async def test_no_viewer_is_one_line_not_a_traceback(
    tmp_path: Path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service(tmp_path, {"flags.yaml": DECK}, clock)
    (tmp_path / "decks" / "media").mkdir()
    (tmp_path / "decks" / "media" / "fr.png").write_bytes(b"x")
    monkeypatch.setattr(opener.shutil, "which", lambda name: None)
    monkeypatch.setattr(opener.sys, "platform", "linux")
    app = make_app(service)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert app.is_running
        assert any("no xdg-open on this system" in str(n.message) for n in app._notifications)


def test_a_picture_is_drawn_by_the_prepared_widget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[object] = []

    class Fake(Static):
        def __init__(self, image: object, classes: str = "") -> None:
            super().__init__(classes=classes)
            made.append(image)

    assert picture.image_widget(tmp_path / "x.png") is None  # not prepared: the name only
    monkeypatch.setattr(picture, "_widget_class", Fake)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    assert picture.image_widget(tmp_path / "broken.png") is None  # damaged: named, no crash
    pil = pytest.importorskip("PIL.Image", reason="textual-image's Pillow is not installed")
    pil.new("RGB", (4, 2), "red").save(tmp_path / "x.png")
    assert isinstance(picture.image_widget(tmp_path / "x.png"), Fake)
    assert getattr(made[0], "size", None) == (4, 2)


def test_prepare_looks_for_a_media_folder(tmp_path: Path) -> None:
    assert not picture.has_media_folder([tmp_path])
    (tmp_path / "Geo" / "Asia" / "media").mkdir(parents=True)
    assert picture.has_media_folder([tmp_path])
    assert not picture.has_media_folder([tmp_path], depth=2)
