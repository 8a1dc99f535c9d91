"""A mock exam on paper: the questions, then the answer key, as Markdown.

Options and items are lettered (A, B, ...), the questions to match are numbered, so that
answers can be written as letters. The key gives each answer with its source and note.
Every text from a deck is escaped: it shows as written (``<script>`` and ``*`` too),
and the HTML page is rendered with raw HTML off, so nothing in a card becomes markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from markdown_it import MarkdownIt

from study.core.authoring.interchange.markdown import md_text
from study.core.decks.safe_text import visible
from study.core.exams.questions import Question, QuestionKind
from study.core.exams.spec import Exam
from study.core.words import plural

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
    """Text kept on its lines inside Markdown (a line break is kept as such), escaped."""
    return "  \n".join(md_text(line.strip()) for line in text.splitlines())


def _question(number: int, q: Question) -> list[str]:
    lines = [f"### {number}. {_quote(q.prompt)}", "", f"*{HOW[q.kind]}*", ""]
    if q.kind in (QuestionKind.CHOICE, QuestionKind.ORDER):
        lines += [f"- **{letter(i)}.** {_quote(o)}" for i, o in enumerate(q.options)] + [""]
    if q.kind is QuestionKind.TRUE_FALSE:
        lines += ["- [ ] True", "- [ ] False", ""]
    if q.kind is QuestionKind.MATCH:
        lines += [f"{i + 1}. {_quote(left)} → ____" for i, left in enumerate(q.lefts)] + [""]
        lines += [f"- **{letter(i)}.** {_quote(o)}" for i, o in enumerate(q.options)] + [""]
    if q.kind is QuestionKind.LIST:
        lines += [f"{i + 1}. ____" for i in range(len(q.answers))] + [""]
    if q.kind is QuestionKind.TYPED:
        lines += ["Answer: ____________________", ""]
    return lines


def key_answer(q: Question, text: Callable[[str], str] = str) -> str:
    """The answer as the key writes it (with letters where the paper uses them).

    ``text`` writes each text of the deck (the paper escapes them for Markdown).
    """
    answers = [text(a) for a in q.answers]
    if q.kind is QuestionKind.CHOICE:
        return f"**{letter(q.solution[0])}** — {answers[0]}"
    if q.kind is QuestionKind.TRUE_FALSE:
        return "**True**" if q.solution == (1,) else f"**False** — the answer is {answers[0]}"
    if q.kind is QuestionKind.ORDER:
        letters = "".join(letter(i) for i in q.solution)
        return f"**{letters}** — " + "; ".join(answers)
    if q.kind is QuestionKind.MATCH:
        return ", ".join(
            f"{i + 1} **{letter(s)}** ({text(q.options[s])})" for i, s in enumerate(q.solution)
        )
    if q.kind is QuestionKind.LIST:
        return ("in this order: " if q.ordered else "") + "; ".join(answers)
    accepted = answers[1:]
    return answers[0] + (f" (also accepted: {', '.join(accepted)})" if accepted else "")


PAGE_BREAK = '<div style="page-break-before: always"></div>'
"""Where the answer key starts (the one piece of HTML the paper writes itself)."""


def _parts(exam: Exam, minutes: float | None) -> tuple[list[str], list[str]]:
    """The paper's Markdown lines: the header and questions, then the answer key."""
    spec = exam.spec
    limit = minutes if minutes is not None else spec.minutes
    head = [
        f"# Mock exam: {_quote(exam.title)}",
        "",
        plural(len(exam.questions), "question")
        + (f", {plural(limit, 'minute')}" if limit else "")
        + f". Seed {spec.seed} (the same seed and settings make the same exam).",
        "",
    ]
    body: list[str] = []
    for number, q in enumerate(exam.questions, 1):
        body += _question(number, q)
    key = ["## Answer key", ""]
    for number, q in enumerate(exam.questions, 1):
        key.append(f"{number}. {key_answer(q, _quote)}")
        for source in q.sources:
            key.append(f"   - Source: {_quote(source)}")
        if q.explain:
            key.append(f"   - Note: {_quote(q.explain)}")
    return head + body, key


def paper_markdown(exam: Exam, *, minutes: float | None = None) -> str:
    """The whole paper: a header, the questions, a page break, then the answer key."""
    questions, key = _parts(exam, minutes)
    return "\n".join([*questions, PAGE_BREAK, "", *key]).rstrip() + "\n"


PRINT_CSS = """
body { font-family: Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto;
       line-height: 1.45; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; }
ol, ul { padding-left: 1.6em; } li { margin: .25em 0; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
"""


def paper_html(exam: Exam, *, minutes: float | None = None) -> str:
    """The paper as a printable HTML page (the answer key starts on a new page when printed).

    The Markdown is rendered with raw HTML off: what a card holds is text, whatever it is.
    """
    render = MarkdownIt("commonmark", {"html": False}).render
    questions, key = _parts(exam, minutes)
    body = render("\n".join(questions)) + PAGE_BREAK + "\n" + render("\n".join(key))
    title = html.escape(visible(exam.title))
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Mock exam: {title}</title>"
        f"<style>{PRINT_CSS}</style></head>\n"
        f"<body>\n{body}</body></html>\n"
    )
