"""Exam and study options draw ``**bold**`` and ``*italic*`` as styles, never as markers."""

from __future__ import annotations

from rich.text import Text

from study.tui.widgets.answer import ChoiceAnswer, OrderAnswer
from study.tui.widgets.exam_answers import ExamChoice, _Option
from tests.tui.test_light_formatting import styles_of


def _prompts(widget: ChoiceAnswer | OrderAnswer) -> list[Text]:
    out = []
    for index in range(widget.option_count):
        prompt = widget.get_option_at_index(index).prompt
        assert isinstance(prompt, Text)
        out.append(prompt)
    return out


def test_choice_options_are_styled_not_marked() -> None:
    first, second = _prompts(ExamChoice(["The **806** one", "A *plain* [b]x[/b]"], chosen=1))
    assert first.plain == "1. The 806 one"
    assert "bold" in styles_of(first, "806")
    assert second.plain.startswith("2. A plain [b]x[/b]")  # brackets stay text
    assert "italic" in styles_of(second, "plain")


def test_order_items_are_styled_not_marked() -> None:
    widget = OrderAnswer(["**first**", "second"], [1, 0])
    widget._render_items()
    texts = [p.plain for p in _prompts(widget)]
    assert all("*" not in t for t in texts)
    assert any("first" in t for t in texts)


def test_match_options_are_styled_not_marked() -> None:
    content = _Option(0, "*en banc*").content
    assert isinstance(content, Text)
    assert content.plain == "A. en banc"
    assert "italic" in styles_of(content, "en banc")
