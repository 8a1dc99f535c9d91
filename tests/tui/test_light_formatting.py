"""Bold and italic in a card are drawn as styles; the text itself is never read as markup."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from study.tui.factory import make_app
from study.tui.text import marked
from tests.conftest import MovableClock, make_service
from tests.tui.test_study_flow import start

DECK = """\
title: Formatted
cards:
  - id: b
    front: "Which **resolution** of *2013* [b]not markup[/b]?"
    back: "**Resolution 806**\\nof the CMC"
  - id: t
    type: typed
    front: Number?
    back: "**Resolution 806**"
"""


def styles_of(text: Text, word: str) -> set[str]:
    start = text.plain.index(word)
    return {
        str(span.style)
        for span in text.spans
        if span.start <= start and span.end >= start + len(word)
    }


def test_marked_builds_styles_and_keeps_brackets() -> None:
    text = marked("**a** [b]c[/b] *d*")
    assert text.plain == "a [b]c[/b] d"
    assert "bold" in styles_of(text, "a") and "italic" in styles_of(text, "d")


async def test_the_study_screen_draws_bold_and_italic(tmp_path: Path, clock: MovableClock) -> None:
    service = make_service(tmp_path, {"f.yaml": DECK}, clock)
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        prompt = app.screen.query_one("#prompt", Static).content
        assert isinstance(prompt, Text)
        assert "Which resolution of 2013 [b]not markup[/b]?" in prompt.plain
        assert "italic" in styles_of(prompt, "2013")
        await pilot.press("space")
        answer = app.screen.query_one("#answer", Static).content
        assert isinstance(answer, Text)
        assert answer.plain.startswith("Resolution 806\nof the CMC")
        await pilot.press("3")
        await pilot.pause()
        await pilot.press(*"Resolution 806", "enter")
        await pilot.pause()
        shown = app.screen.query_one("#answer", Static).content
        assert isinstance(shown, Text) and "**" not in shown.plain
        assert "Resolution 806" in shown.plain
    reviews = service.store.reviews()
    assert [r.rating for r in reviews][-1] >= 3  # graded right: the markers are not the answer
