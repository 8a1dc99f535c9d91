"""The parts of a mock exam's results, as Rich renderables: the breakdown tables, the marks, the
mistakes (drawn by ``study.tui.screens.exam_results``)."""

from __future__ import annotations

from rich.console import Group, JustifyMethod
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from study.core.exams.marking import ExamResult, Marked, pair_marks
from study.core.exams.questions import QuestionKind
from study.core.words import points
from study.tui.text import plain
from study.tui.widgets.exam_text import KIND_NAMES


def tally_table(title: str, result: ExamResult, by: str, limit: int | None = None) -> Table:
    """The score by deck (or tag: ``by``), the first ``limit`` rows."""
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        padding=(0, 1),
        show_edge=False,
        header_style="dim",
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        (by, "left"),
        ("questions", "right"),
        ("score", "right"),
        ("%", "right"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify)
    for tally in result.breakdown(by)[:limit]:
        table.add_row(
            plain(tally.name, lines=False),
            str(tally.questions),
            points(tally.score),
            f"{tally.share:.0%}",
        )
    return table


def symbol(m: Marked, colors: dict[str, str]) -> Text:
    """The mark of an answer: ✓ right, ≈ partly, ✗ wrong, – not answered."""
    if not m.answered:
        return Text("–", style="dim")
    if m.right:
        return Text("✓", style=colors.get("success", "green"))
    return Text(
        "≈" if m.score > 0 else "✗", style=colors.get("warning" if m.score > 0 else "error", "red")
    )


def mistake(m: Marked, colors: dict[str, str]) -> Group:
    """One mistake: the question, the answer given beside the right one, the source and the note."""
    q = m.question
    wrong, right = colors.get("error", "red"), colors.get("success", "green")
    head = Text.assemble(
        (f"{m.position + 1}. ", "bold"),
        (f"{KIND_NAMES[q.kind]} · {m.score:.0%}", "dim"),
        (" · flagged" if m.flagged else "", "dim"),
        "\n",
        plain(q.prompt, "bold"),
    )
    rows = Table.grid(padding=(0, 1))
    rows.add_column(style="dim", no_wrap=True)
    rows.add_column(ratio=1)
    if q.kind is QuestionKind.MATCH:
        given = m.response if isinstance(m.response, tuple) else (None,) * len(q.lefts)
        for left, ok, choice, answer in zip(
            q.lefts, pair_marks(q, m.response), given, q.answers, strict=False
        ):
            if not ok:
                rows.add_row("", plain(left, "italic"))
                rows.add_row(
                    "given:",
                    plain("(none)" if choice is None else q.options[int(choice)], wrong),
                )
                rows.add_row("right:", plain(answer, f"bold {right}"))
    else:
        rows.add_row("given:", plain(m.given or "(no answer)", wrong if m.answered else "dim"))
        rows.add_row("right:", plain(q.expected, f"bold {right}"))
    for source in q.sources:
        rows.add_row("source:", plain(source, "dim"))
    if q.explain:
        rows.add_row("note:", plain(q.explain, "italic dim"))
    return Group(head, Padding(rows, (0, 0, 1, 2)))
