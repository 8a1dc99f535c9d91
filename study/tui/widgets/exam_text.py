"""What the exam screen says: the names of the question kinds, how to answer each, the clock,
and the instant-feedback line."""

from __future__ import annotations

from rich.text import Text

from study.core.decks.safe_text import visible
from study.core.exams.marking import Response, mark
from study.core.exams.questions import Question, QuestionKind

KIND_NAMES = {
    QuestionKind.TYPED: "Typed answer",
    QuestionKind.CHOICE: "Multiple choice",
    QuestionKind.TRUE_FALSE: "True or false",
    QuestionKind.LIST: "List",
    QuestionKind.ORDER: "Order",
    QuestionKind.MATCH: "Matching",
}
HINTS = {
    QuestionKind.TYPED: "Enter: answer · Tab: next · Esc, then f flag, g go to",
    QuestionKind.CHOICE: "1-9 or ↑↓ Enter: answer · ← → move · f flag · g go to",
    QuestionKind.TRUE_FALSE: "t true · f false (or 1, 2) · ← → move · * flag · g go to",
    QuestionKind.LIST: "Enter adds an item, Enter on an empty line answers · ↑ edits the last",
    QuestionKind.ORDER: "Shift+↑↓ or K J move the item · Enter: answer · f flag",
    QuestionKind.MATCH: "↑↓ pick · a-d answer · Backspace takes back · Enter: done",
}
"""How to answer each kind, under the question (the footer has the keys that move)."""


def clock_text(seconds: float) -> str:
    """Seconds as m:ss (h:mm:ss from an hour)."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def feedback_text(question: Question, response: Response | None, colors: dict[str, str]) -> Text:
    """Right, partly right or wrong, the right answer and the note (instant feedback)."""
    score = mark(question, response)
    if score >= 0.999:
        text = Text("✓ Right", style=f"bold {colors.get('success', 'green')}")
    elif score > 0:
        text = Text(
            f"≈ Partly right ({score:.0%})", style=f"bold {colors.get('warning', 'yellow')}"
        )
    else:
        text = Text("✗ Wrong", style=f"bold {colors.get('error', 'red')}")
    if score < 0.999:
        text.append("   The answer: ")
        text.append(visible(question.expected), style="bold")
    if question.explain:
        text.append("\n" + visible(question.explain), style="italic dim")
    text.append("\nEnter: next question", style="dim")
    return text
