"""A deck file beside a folder of its name is one row, as Anki shows a parent deck."""

from __future__ import annotations

from pathlib import Path

from study.tui.factory import make_app
from study.tui.widgets.deck_tree import DeckTree
from tests.conftest import MovableClock, make_service

GEO = "title: Geo\ncards:\n  - {id: g, front: Capital of France?, back: Paris}\n"
EUROPE = "title: Europe\ncards:\n  - {id: e, front: Capital of Italy?, back: Rome}\n"
OTHER = 'title: Other\ncards:\n  - {id: o, front: One?, back: "1"}\n'


async def test_the_parent_deck_is_the_folder_row(tmp_path: Path, clock: MovableClock) -> None:
    decks = {"Geo.yaml": GEO, "Geo/Europe.yaml": EUROPE, "Other.yaml": OTHER}
    app = make_app(make_service(tmp_path, decks, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(DeckTree)
        top = [(str(n.label).split()[0], n.data) for n in tree.root.children]
        assert top == [("Other", "Other"), ("Geo", "Geo/")]  # one Geo row, not Geo and Geo/
        geo = tree.root.children[1]
        assert [str(n.label).split()[0] for n in geo.children] == ["Europe"]
        assert str(geo.label).split()[1:3] == ["2", "0"]  # its own card and Europe's
        assert tree.folder_decks("Geo/") == ["Geo", "Europe"]
        tree.cursor_line = 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "StudyScreen"
        assert "2" in str(app.screen.query_one("#progress").render())
