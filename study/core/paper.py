"""A mock exam on paper: the questions, then the answer key, as Markdown.

Options and items are lettered (A, B, ...), the questions to match are numbered, so that
answers can be written as letters. The key gives each answer with its source and note.
"""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

from study.core.exam import Exam
from study.core.exam_questions import Question, QuestionKind

HOW = {
    QuestionKind.TYPED: "Write the answer.",
    QuestionKind.CHOICE: "Circle one letter.",
    QuestionKind.TRUE_FALSE: "True or false?",
    QuestionKind.LIST: "Write every item.",
    QuestionKind.ORDER: "Write the letters in the right order.",
    QuestionKind.MATCH: "Write the letter of its answer beside each number.",
}


def letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ..."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _quote(text: str) -> str:
    """Text kept on its lines inside Markdown (a line break is kept as such)."""
    return "  \n".join(line.strip() for line in text.splitlines())


def _question(number: int, q: Question) -> list[str]:
    lines = [f"### {number}. {_quote(q.prompt)}", "", f"*{HOW[q.kind]}*", ""]
    if q.kind in (QuestionKind.CHOICE, QuestionKind.ORDER):
        lines += [f"- **{letter(i)}.** {option}" for i, option in enumerate(q.options)] + [""]
    if q.kind is QuestionKind.TRUE_FALSE:
        lines += ["- [ ] True", "- [ ] False", ""]
    if q.kind is QuestionKind.MATCH:
        lines += [f"{i + 1}. {_quote(left)} → ____" for i, left in enumerate(q.lefts)] + [""]
        lines += [f"- **{letter(i)}.** {option}" for i, option in enumerate(q.options)] + [""]
    if q.kind is QuestionKind.LIST:
        lines += [f"{i + 1}. ____" for i in range(len(q.answers))] + [""]
    if q.kind is QuestionKind.TYPED:
        lines += ["Answer: ____________________", ""]
    return lines


def key_answer(q: Question) -> str:
    """The answer as the key writes it (with letters where the paper uses them)."""
    if q.kind is QuestionKind.CHOICE:
        return f"**{letter(q.solution[0])}** — {q.answers[0]}"
    if q.kind is QuestionKind.TRUE_FALSE:
        return "**True**" if q.solution == (1,) else f"**False** — the answer is {q.answers[0]}"
    if q.kind is QuestionKind.ORDER:
        letters = "".join(letter(i) for i in q.solution)
        return f"**{letters}** — " + "; ".join(q.answers)
    if q.kind is QuestionKind.MATCH:
        return ", ".join(
            f"{i + 1} **{letter(s)}** ({q.options[s]})" for i, s in enumerate(q.solution)
        )
    if q.kind is QuestionKind.LIST:
        return ("in this order: " if q.ordered else "") + "; ".join(q.answers)
    accepted = list(q.answers[1:])
    return q.answers[0] + (f" (also accepted: {', '.join(accepted)})" if accepted else "")


def paper_markdown(exam: Exam, *, minutes: float | None = None) -> str:
    """The whole paper: a header, the questions, a page break, then the answer key."""
    spec = exam.spec
    limit = minutes if minutes is not None else spec.minutes
    head = [
        f"# Mock exam: {exam.title}",
        "",
        f"{len(exam.questions)} questions"
        + (f", {limit:g} minutes" if limit else "")
        + f". Seed {spec.seed} (the same seed and settings make the same exam).",
        "",
    ]
    body: list[str] = []
    for number, q in enumerate(exam.questions, 1):
        body += _question(number, q)
    key = ['<div style="page-break-before: always"></div>', "", "## Answer key", ""]
    for number, q in enumerate(exam.questions, 1):
        key.append(f"{number}. {key_answer(q)}")
        for source in q.sources:
            key.append(f"   - Source: {source}")
        if q.explain:
            key.append(f"   - Note: {_quote(q.explain)}")
    return "\n".join(head + body + key).rstrip() + "\n"


PRINT_CSS = """
body { font-family: Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto;
       line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; }
ol, ul { padding-left: 1.6em; } li { margin: .25em 0; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
"""


def paper_html(exam: Exam, *, minutes: float | None = None) -> str:
    """The paper as a printable HTML page (the answer key starts on a new page when printed)."""
    body = MarkdownIt("commonmark", {"html": True}).render(paper_markdown(exam, minutes=minutes))
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(f'Mock exam: {exam.title}')}</title>"
        f"<style>{PRINT_CSS}</style></head>\n"
        f"<body>\n{body}</body></html>\n"
    )
