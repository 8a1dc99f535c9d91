"""Answer widgets of the exam screen, built on the study screen's (``study.tui.widgets.answer``).

They differ from those in two ways: they start from the answer already given (a question
can be revisited), and they let the screen read an answer that was not sent (``draft``), so
leaving a question keeps what was typed. Each posts a dataclass message with the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from study.core.exams.marking import Response
from study.core.exams.paper import letter
from study.core.exams.questions import Question, QuestionKind
from study.tui.text import marked, plain
from study.tui.widgets.answer import ChoiceAnswer, ListAnswer, OrderAnswer, TypedAnswer

GIVEN = "   ◀ your answer"
LETTER_KEYS = "abcde"
"""Keys that give an option to a matching question (a question has at most 4 pairs; f flags)."""


class ExamChoice(ChoiceAnswer):
    """Numbered options; a number key, a click or Enter picks one. The answer given is marked."""

    def __init__(self, options: Sequence[str], chosen: int | None) -> None:
        super().__init__([text + (GIVEN if n == chosen else "") for n, text in enumerate(options)])
        self.chosen = chosen

    def on_mount(self) -> None:
        self.highlighted = self.chosen or 0


class ExamTrueFalse(ExamChoice):
    """True or false: t or 1, f or 2 (or ↑↓ Enter, or a click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "pick(0)", "True", show=False),
        Binding("f", "pick(1)", "False", show=False),
    ]

    def __init__(self, chosen: bool | None) -> None:
        super().__init__(["True  (t)", "False (f)"], None if chosen is None else int(not chosen))


class ExamListAnswer(ListAnswer):
    """The list widget, starting from the lines already given.

    ↑ on an empty line takes the last back.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "take_back", "Edit the last item", show=False)
    ]

    def __init__(self, count: int, ordered: bool, lines: Sequence[str] = ()) -> None:
        super().__init__(count, ordered)
        self.lines = list(lines)

    def on_mount(self) -> None:
        self._show_lines()

    @on(Input.Submitted)
    def _reword(self) -> None:
        """After the study widget took the line: say what Enter does here."""
        self.call_later(self._show_lines)

    @property
    def draft(self) -> tuple[str, ...]:
        """The lines given and the one being typed."""
        typed = self.query_one(Input).value.strip()
        return tuple([*self.lines, typed] if typed else self.lines)

    def action_take_back(self) -> None:
        """Put the last item back in the box to change it."""
        box = self.query_one(Input)
        if not box.value and self.lines:
            box.value = self.lines.pop()
            self._show_lines()

    def _show_lines(self) -> None:
        if not self.is_attached:
            return
        self.query_one("#lines", Static).update(
            plain("\n".join(f"{n}. {line}" for n, line in enumerate(self.lines, 1)))
        )
        number = len(self.lines) + 1
        self.query_one(Input).placeholder = (
            f"Item {number} of {self.count} ({'in order' if self.ordered else 'any order'}); "
            "Enter adds it, "
            "Enter on an empty line answers"
            if number <= self.count
            else "Enter on an empty line answers"
        )


class _Order(OrderAnswer):
    """The order list, remembering whether anything was moved."""

    touched = False

    def action_move(self, delta: int) -> None:
        super().action_move(delta)
        self.touched = True


class ExamOrder(Vertical):
    """Items to put in order: Shift+↑↓ or K/J (or the buttons) move the highlighted one.

    Enter answers.
    """

    def __init__(self, items: Sequence[str], order: Sequence[int], given: bool) -> None:
        super().__init__()
        self.items = list(items)
        self.start = list(order)
        self.given = given
        """The order shown is an answer already given."""

    def compose(self) -> ComposeResult:
        yield _Order(self.items, list(self.start))
        with Horizontal(classes="exam-order-buttons"):
            for label, button_id in (
                ("▲ Up (K)", "up"),
                ("▼ Down (J)", "down"),
                ("✓ Answer (Enter)", "done"),
            ):
                button = Button(label, id=f"order-{button_id}", compact=True)
                button.can_focus = False
                yield button

    def focus(self, scroll_visible: bool = True) -> ExamOrder:
        self.query_one(_Order).focus(scroll_visible)
        return self

    @property
    def order(self) -> tuple[int, ...]:
        """The order on screen."""
        return tuple(self.query_one(_Order).order)

    @property
    def touched(self) -> bool:
        """Whether the order shown is an answer (given before, or items were moved)."""
        return self.given or self.query_one(_Order).touched

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        widget = self.query_one(_Order)
        if event.button.id == "order-done":
            widget.action_check()
        else:
            widget.action_move(-1 if event.button.id == "order-up" else 1)


class _Pair(Horizontal):
    """One question to match (left) and the option picked for it (right); a click selects it."""

    def __init__(self, index: int) -> None:
        super().__init__(
            Static(classes="match-number"),
            Static(classes="match-left"),
            Static(classes="match-right"),
            classes="match-pair",
        )
        self.index = index

    def show(self, number: Text, left: Text, right: Text | Group) -> None:
        """Draw the question and the option picked."""
        self.query_one(".match-number", Static).update(number)
        self.query_one(".match-left", Static).update(left)
        self.query_one(".match-right", Static).update(right)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if isinstance(self.parent, MatchAnswer):
            self.parent.select(self.index)


class _Option(Static):
    """One option to match; a click gives it to the selected question."""

    def __init__(self, index: int, text: str) -> None:
        super().__init__(
            Text.assemble((f"{letter(index)}. ", "bold"), marked(text)), classes="match-option"
        )
        self.index = index

    def on_click(self, event: events.Click) -> None:
        event.stop()
        match = next((a for a in self.ancestors if isinstance(a, MatchAnswer)), None)
        if match is not None:
            match.assign(self.index)


class MatchAnswer(Vertical, can_focus=True):
    """Matching: pick a question (↑↓ or a click), then its option (a letter or a click).

    Enter answers.
    """

    DEFAULT_CSS = """
    MatchAnswer { height: auto; }
    MatchAnswer:focus { background-tint: $foreground 3%; }
    MatchAnswer .match-pair { height: auto; }
    MatchAnswer .match-number { width: 5; }
    MatchAnswer .match-left { width: 1fr; }
    MatchAnswer .match-right { width: 40%; padding-left: 2; }
    MatchAnswer .match-pair.selected { background: $accent 25%; }
    MatchAnswer #match-choices { height: auto; layout: grid; grid-size: 2; grid-rows: auto;
        grid-gutter: 0 2;
        margin-top: 1;
        background: $boost; }
    MatchAnswer .match-option { height: auto; padding: 0 1; }
    MatchAnswer .match-option:hover, MatchAnswer .match-pair:hover { background: $boost; }
    """

    @dataclass
    class Changed(Message):
        """An option was given to a question or taken back."""

        choices: tuple[int | None, ...]

    @dataclass
    class Submitted(Message):
        """Enter: this is the answer."""

        choices: tuple[int | None, ...]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Previous question", show=False),
        Binding("down,j", "move(1)", "Next question", show=False),
        Binding("backspace,delete,minus", "unset", "Take back", show=False),
        Binding("enter", "submit", "Answer", show=False),
        *(Binding(key, f"assign({n})", show=False) for n, key in enumerate(LETTER_KEYS)),
    ]

    def __init__(
        self, lefts: Sequence[str], options: Sequence[str], choices: Sequence[int | None] = ()
    ) -> None:
        super().__init__()
        self.lefts = list(lefts)
        self.options = list(options)
        self.choices: list[int | None] = list(choices) or [None] * len(lefts)
        self.row = next((i for i, c in enumerate(self.choices) if c is None), 0)
        self.marks: list[bool] | None = None
        """Set once marked (instant feedback): whether each pair is right."""

    def compose(self) -> ComposeResult:
        for i in range(len(self.lefts)):
            yield _Pair(i)

        with Vertical(id="match-choices"):
            for i, text in enumerate(self.options):
                yield _Option(i, text)

    def on_mount(self) -> None:
        self._redraw()

    def on_resize(self, event: events.Resize) -> None:
        """The answers' column as wide as the longest option needs, at most 40%."""
        longest = max(
            (len(letter(i)) + 2 + len(text) for i, text in enumerate(self.options)), default=10
        )
        width = max(12, min(longest + 8, event.size.width * 2 // 5))
        for cell in self.query(".match-right"):
            cell.styles.width = width

    def _redraw(self) -> None:
        for pair in self.query(_Pair):
            i = pair.index
            choice = self.choices[i]
            number = Text.assemble(
                ("▸ " if i == self.row and self.marks is None else "  "), (f"{i + 1}.", "bold")
            )
            left = marked(self.lefts[i])
            right = Text("→ ")
            selected = i == self.row and self.marks is None
            if choice is None:
                right.append("?  (a letter)" if selected else "?", style="dim")
            else:
                right.append_text(
                    Text.assemble(f"{letter(choice)}. ", marked(self.options[choice]), style="bold")
                )
            if self.marks is not None:
                right.append("  ✓" if self.marks[i] else "  ✗", style="bold")
            shown: Text | Group = right
            if selected:  # the options beside the question being matched, so they are in view
                grid = Table.grid(padding=(0, 1))
                grid.add_column(no_wrap=True)
                grid.add_column(ratio=1)
                for n, option in enumerate(self.options):
                    style = "bold" if n == choice else "dim"
                    grid.add_row(Text(f"{letter(n)}.", style=style), marked(option, style))
                shown = Group(right, Padding(grid, (0, 0, 0, 2)))
            pair.show(number, left, shown)
            pair.set_class(selected, "selected")

    def select(self, row: int) -> None:
        """Make question ``row`` the one the next option goes to."""
        if self.marks is None and 0 <= row < len(self.lefts):
            self.row = row
            self._redraw()
            self.focus(scroll_visible=False)
            self.call_after_refresh(self._show_row)

    def _show_row(self) -> None:
        """Scroll the question being matched into view."""
        pair = next((p for p in self.query(_Pair) if p.index == self.row), None)
        if pair is not None:
            pair.scroll_visible(animate=False)

    def action_move(self, delta: int) -> None:
        """Select the previous or next question."""
        self.select(max(0, min(len(self.lefts) - 1, self.row + delta)))

    def assign(self, option: int) -> None:
        """Give ``option`` to the selected question (taking it from another that had it)."""
        if self.marks is not None or not 0 <= option < len(self.options):
            return
        self.choices = [None if c == option else c for c in self.choices]
        self.choices[self.row] = option
        following = [i for i in range(self.row + 1, len(self.lefts)) if self.choices[i] is None]
        if following:
            self.row = following[0]
        self._redraw()
        self.call_after_refresh(self._show_row)
        self.post_message(self.Changed(tuple(self.choices)))

    def action_assign(self, option: int) -> None:
        """A letter key."""
        self.assign(option)

    def action_unset(self) -> None:
        """Take back the option of the selected question."""
        if self.marks is None and self.choices[self.row] is not None:
            self.choices[self.row] = None
            self._redraw()
            self.post_message(self.Changed(tuple(self.choices)))

    def action_submit(self) -> None:
        """Answer with the pairs as they are."""
        self.post_message(self.Submitted(tuple(self.choices)))

    def show_marks(self, marks: Sequence[bool]) -> None:
        """Show which pairs are right (instant feedback); no more changes."""
        self.marks = list(marks)
        self._redraw()


def answer_widget(question: Question, response: Response | None) -> Widget:
    """The widget to answer ``question`` with, showing ``response`` (the answer given so far)."""
    kind = question.kind
    if kind is QuestionKind.CHOICE:
        return ExamChoice(question.options, response if isinstance(response, int) else None)
    if kind is QuestionKind.TRUE_FALSE:
        return ExamTrueFalse(response if isinstance(response, bool) else None)
    if kind is QuestionKind.LIST:
        lines = tuple(str(r) for r in response) if isinstance(response, tuple) else ()
        return ExamListAnswer(len(question.answers), question.ordered, lines)
    if kind is QuestionKind.ORDER:
        given = isinstance(response, tuple)
        order = (
            [int(str(r)) for r in response]
            if isinstance(response, tuple)
            else list(range(len(question.options)))
        )
        return ExamOrder(question.options, order, given)
    if kind is QuestionKind.MATCH:
        choices = (
            [None if r is None else int(r) for r in response] if isinstance(response, tuple) else []
        )
        return MatchAnswer(question.lefts, question.options, choices)
    typed = TypedAnswer()
    typed.value = str(response) if isinstance(response, str) else ""
    return typed
