"""The answer widgets of the study screen, one per card type that needs input.

Each posts ``Submitted`` (a dataclass message) with what the user gave; the
screen grades it (``study.core.grading.answers``) and shows the marking made here.
Attributes down, messages up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from study.tui.text import marked, plain, visible

if TYPE_CHECKING:
    from study.core.grading.answers import Grade, Segment
    from study.core.grading.credit import ListGrade, OrderGrade


class TypedAnswer(Input):
    """One line to type the answer into; Enter submits."""

    @dataclass
    class Answered(Message):
        """The user pressed Enter."""

        text: str

    def __init__(self) -> None:
        super().__init__(placeholder="Type your answer, then Enter")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(event.value))


class ChoiceAnswer(OptionList):
    """Numbered options; a number key or Enter picks one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)
    ]

    @dataclass
    class Picked(Message):
        """An option was chosen."""

        index: int

    def __init__(self, options: list[str]) -> None:
        super().__init__(
            *[Option(Text.assemble(f"{n}. ", marked(t))) for n, t in enumerate(options, 1)]
        )
        self.choices = options

    def action_pick(self, index: int) -> None:
        """Choose option ``index`` (0-based)."""
        if index < len(self.choices):
            self.post_message(self.Picked(index))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(event.option_index))


class LineInput(Input):
    """An input that empties as soon as Enter sends its line, so a second Enter typed quickly
    (before the line is handled) sends an empty line instead of the same one again."""

    async def action_submit(self) -> None:
        await super().action_submit()
        self.value = ""


class ListAnswer(Vertical):
    """Type the items one per line: Enter adds a line, Enter on an empty line submits."""

    @dataclass
    class Submitted(Message):
        """The lines the user typed."""

        lines: list[str]

    def __init__(self, count: int, ordered: bool) -> None:
        super().__init__()
        self.count = count
        self.ordered = ordered
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="lines")
        hint = "in order" if self.ordered else "any order"
        yield LineInput(
            placeholder=f"Item 1 of {self.count} ({hint}); Enter adds, Enter on empty line checks",
            id="list-input",
        )

    def focus(self, scroll_visible: bool = True) -> ListAnswer:
        self.query_one(Input).focus(scroll_visible)
        return self

    @on(Input.Submitted)
    def _line(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.post_message(self.Submitted(list(self.lines)))
            return
        self.lines.append(text)
        event.input.value = ""
        number = len(self.lines) + 1
        event.input.placeholder = (
            f"Item {number} of {self.count}; Enter on an empty line checks"
            if number <= self.count
            else "Enter on an empty line checks your list"
        )
        self.query_one("#lines", Static).update(
            plain("\n".join(f"{n}. {line}" for n, line in enumerate(self.lines, 1)))
        )


class OrderAnswer(OptionList):
    """Put items in order: Shift+↑/↓ (or K/J) moves the highlighted item, Enter checks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("shift+up,K", "move(-1)", "Move up"),
        Binding("shift+down,J", "move(1)", "Move down"),
        Binding("enter", "check", "Check", priority=True),
    ]

    @dataclass
    class Submitted(Message):
        """The order chosen, as indices into the correct order."""

        order: list[int]

    def __init__(self, items: list[str], shuffled: list[int]) -> None:
        super().__init__()
        self.texts = items
        self.order = shuffled

    def on_mount(self) -> None:
        self._render_items()
        self.highlighted = 0

    def _render_items(self) -> None:
        self.clear_options()
        self.add_options(
            [
                Option(Text.assemble(f"{pos}. ", marked(self.texts[i])))
                for pos, i in enumerate(self.order, 1)
            ]
        )

    def action_move(self, delta: int) -> None:
        """Move the highlighted item up or down."""
        index = self.highlighted
        if index is None or not 0 <= index + delta < len(self.order):
            return
        self.order[index], self.order[index + delta] = self.order[index + delta], self.order[index]
        self._render_items()
        self.highlighted = index + delta

    def action_check(self) -> None:
        """Submit the order."""
        self.post_message(self.Submitted(list(self.order)))


def diff_text(segments: Sequence[Segment], colors: dict[str, str]) -> Text:
    """A typed answer's difference: equal as is, missing underlined in the warning colour, extra
    struck."""
    text = Text()
    for segment in segments:
        op, part = segment.op, visible(segment.text)
        if op == "equal":
            text.append(part, style=colors.get("success", "green"))
        elif op == "missing":
            text.append(part, style=f"underline {colors.get('warning', 'yellow')}")
        else:
            text.append(part, style=f"strike {colors.get('error', 'red')}")
    return text


def typed_marking(given: str, grade: Grade, colors: dict[str, str]) -> Text:
    """The verdict on a typed answer and what was typed: right, nearly (the difference), wrong."""
    from study.core.grading.answers import Verdict

    verdict = {
        Verdict.EXACT: "✓ Right",
        Verdict.CLOSE: "≈ Almost: check the spelling",
        Verdict.WRONG: "✗ Not quite",
    }[grade.verdict]
    if not given.strip():
        shown = Text("(no answer)", style="dim")
    elif grade.verdict is Verdict.EXACT:
        shown = plain(given, colors.get("success", "green"))
    elif grade.verdict is Verdict.CLOSE:
        shown = diff_text(grade.diff, colors)
    else:
        shown = Text.assemble("you wrote ", plain(given, f"strike {colors.get('error', 'red')}"))
    marking = Text.assemble((verdict, "bold"), "   ", shown)
    if grade.read_as and grade.verdict is Verdict.EXACT:
        marking.append_text(Text.assemble("\n", ("read as ", "dim"), visible(grade.read_as)))
    return marking


def _marked(
    text: Text, items: Sequence[str], right: Sequence[bool], colors: dict[str, str]
) -> Text:
    for n, (expected, ok) in enumerate(zip(items, right, strict=False), 1):
        style = colors.get("success", "green") if ok else colors.get("error", "red")
        text.append(f"{'✓' if ok else '✗'} {n}. {visible(expected)}\n", style=style)
    return text


def list_marking(items: Sequence[str], grade: ListGrade, colors: dict[str, str]) -> Text:
    """Each item of a list: ticked (or half-ticked) with the line that earned it and how, or
    marked missing; the lines that matched no item; how the credit was counted."""
    good, bad = colors.get("success", "green"), colors.get("error", "red")
    part = colors.get("warning", "yellow")
    text = Text()
    credits = grade.credits or tuple(float(m is not None) for m in grade.matched)
    for n, (expected, line, credit) in enumerate(
        zip(items, grade.matched, credits, strict=False), 1
    ):
        if line is None:
            text.append(f"✗ {n}. {visible(expected)}", style=bad)
            text.append("   missing\n", style="dim")
            continue
        mark, style = ("✓", good) if credit >= 0.999 else ("½", part)
        text.append(f"{mark} {n}. {visible(expected)}", style=style)
        given = grade.given[n - 1] if n - 1 < len(grade.given) else ""
        how = grade.hows[n - 1] if n - 1 < len(grade.hows) else ""
        if given:
            text.append(f"   ← line {line + 1}: ", style="dim")
            text.append(visible(given))
            if how:
                text.append(f" ({visible(how)})", style="dim")
        text.append("\n")
    for extra in grade.extra:
        text.append("  matched no item: ", style="dim")
        text.append(f"{visible(extra)}\n")
    got = sum(m is not None for m in grade.matched)
    how = grade.how or f"{got} of {len(items)} recalled"
    text.append(f"Credit: {visible(how)}", style="bold")
    return text


def order_marking(items: Sequence[str], grade: OrderGrade, colors: dict[str, str]) -> Text:
    """The right order, each item ticked if it was put in its place; the credit."""
    text = _marked(Text("Right order:\n"), items, grade.correct, colors)
    text.append(
        f"{sum(grade.correct)} of {len(items)} in place ({grade.share:.0%} credit)", style="bold"
    )
    return text
