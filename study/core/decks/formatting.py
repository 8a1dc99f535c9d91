"""Light formatting in deck text: ``**bold**``, ``*italic*`` and line breaks, nothing else.

A card's ``front``, ``back``, ``text`` and ``explain`` may mark words bold or italic
the way Markdown does: ``**Resolution 806**``, ``*en banc*``. A marker counts only
when it hugs its words (``**x**`` but not ``2 * 3 * 4``), and ``\\*`` is a literal
asterisk. A line break is a newline in the text. This module reads the markup into
plain text plus style ranges (for the screen), strips it (for grading and search),
and writes it as Anki's HTML (``<b>``, ``<i>``, ``<br>``); it never imports a UI
library: the TUI builds its own styles from the ranges.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Span", "has_markup", "parse", "render", "strip_markup", "to_html"]

_MARK = re.compile(
    r"\\\*"  # an escaped asterisk
    r"|\*\*(?=\S)(?P<bold>(?:\\\*|.)+?)(?<=[^\s\\])\*\*(?!\*)"
    r"|(?<![*\w])\*(?=[^\s*])(?P<italic>(?:\\\*|.)+?)(?<=[^\s*\\])\*(?![*\w])",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Span:
    """A styled range of the plain text: ``text[start:end]``."""

    start: int
    end: int
    bold: bool = False
    italic: bool = False


def has_markup(text: str) -> bool:
    """Whether ``text`` holds a bold, italic or escaped-asterisk marker."""
    return "*" in text and _MARK.search(text) is not None


def parse(text: str) -> tuple[str, tuple[Span, ...]]:
    """The text without its markers, and the bold and italic ranges (nested ones too)."""
    if "*" not in text:
        return text, ()
    out: list[str] = []
    spans: list[Span] = []
    size = 0

    def walk(part: str, bold: bool, italic: bool) -> None:
        nonlocal size
        at = 0
        for match in _MARK.finditer(part):
            out.append(part[at : match.start()])
            size += match.start() - at
            at = match.end()
            if match.group(0) == "\\*":
                out.append("*")
                size += 1
                continue
            inner, is_bold = (
                (match.group("bold"), True)
                if match.group("bold") is not None
                else (match.group("italic"), False)
            )
            start = size
            walk(inner, bold or is_bold, italic or not is_bold)
            spans.append(Span(start, size, bold=bold or is_bold, italic=italic or not is_bold))
        out.append(part[at:])
        size += len(part) - at

    walk(text, False, False)
    spans.sort(key=lambda s: (s.start, -s.end))
    return "".join(out), tuple(spans)


def strip_markup(text: str) -> str:
    """``text`` as it reads: the bold and italic markers removed (for grading, search, labels)."""
    return parse(text)[0] if "*" in text else text


def render(
    text: str,
    plain: Callable[[str], str],
    bold: tuple[str, str] = ("<b>", "</b>"),
    italic: tuple[str, str] = ("<i>", "</i>"),
) -> str:
    """``text`` written for another format: the plain runs through ``plain`` (its escaping),
    bold and italic ranges between the format's own markers (HTML tags by default)."""
    if "*" not in text:
        return plain(text)

    def walk(part: str) -> str:
        pieces: list[str] = []
        at = 0
        for match in _MARK.finditer(part):
            pieces.append(plain(part[at : match.start()]))
            at = match.end()
            if match.group(0) == "\\*":
                pieces.append(plain("*"))
            elif match.group("bold") is not None:
                pieces.append(f"{bold[0]}{walk(match.group('bold'))}{bold[1]}")
            else:
                pieces.append(f"{italic[0]}{walk(match.group('italic'))}{italic[1]}")
        pieces.append(plain(part[at:]))
        return "".join(pieces)

    return walk(text)


def _html_plain(text: str) -> str:
    return html.escape(text, quote=False)


def to_html(text: str) -> str:
    """``text`` as Anki HTML: escaped, ``<b>``, ``<i>`` and ``<br>``."""
    return render(text, _html_plain).replace("\n", "<br>")


def escape(text: str) -> str:
    """Plain text written so that it reads back unchanged (a literal ``*`` becomes ``\\*``
    where it would start or end a marker)."""
    if "*" not in text:
        return text
    marked = strip_markup(text)
    return text if marked == text else text.replace("*", "\\*")
