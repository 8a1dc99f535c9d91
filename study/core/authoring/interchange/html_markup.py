"""Anki HTML to deck text that keeps bold, italic and line breaks (``study.core.decks.formatting``).

``<b>``/``<strong>`` become ``**bold**``, ``<i>``/``<em>`` become ``*italic*``, block
ends and ``<br>`` become newlines; every other tag is dropped, entities are decoded
and spaces are collapsed as before. A literal asterisk that would read as a marker
is written ``\\*``.
"""

from __future__ import annotations

import html
import re

from study.core.decks.formatting import has_markup, strip_markup

_TOKEN = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<[^>]*>")
_BREAK_TAGS = frozenset(
    {"br", "div", "p", "li", "ul", "ol", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
)
BREAK = "\x00"
"""A line break in the runs (a NUL never survives in text: controls are stripped later)."""
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em"})


def _runs(value: str) -> list[tuple[str, bool, bool]]:
    """The text between tags with its style (bold, italic); breaks as ``\\n`` runs."""
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = 0
    at = 0

    def text(raw: str) -> None:
        # a line end in the field's text stays a line break (as it always did here)
        for n, line in enumerate(html.unescape(raw).splitlines()):
            if n:
                runs.append((BREAK, False, False))
            runs.append((line, bold > 0, italic > 0))

    for match in _TOKEN.finditer(value):
        if match.start() > at:
            text(value[at : match.start()])
        at = match.end()
        closing, name = match.group(1), (match.group(2) or "").casefold()
        step = -1 if closing else 1
        if name in _BOLD:
            bold = max(0, bold + step)
        elif name in _ITALIC:
            italic = max(0, italic + step)
        elif name in _BREAK_TAGS:
            runs.append((BREAK, False, False))
    if at < len(value):
        text(value[at:])
    return runs


def _mark(text: str, bold: bool, italic: bool, escape: bool) -> str:
    if escape:
        text = text.replace("*", "\\*")
    core = text.strip(" ")
    if not core or not (bold or italic):
        return text
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")) :]
    marker = ("**" if bold else "") + ("*" if italic else "")
    return f"{lead}{marker}{core}{marker[::-1]}{trail}"


def html_to_marked(value: str) -> str:
    """The field's text with its bold, italic and line breaks as light markup.

    ``value`` has its scripts, styles, images and sounds removed already.
    """
    # spaces collapsed first (a newline in HTML is a space), so that markers hug their words
    merged: list[tuple[str, bool, bool]] = []
    for text, bold, italic in _runs(value):
        if text != BREAK:
            text = re.sub(r"\s+", " ", text.replace("\xa0", " "))
        if merged and merged[-1][1:] == (bold, italic) and BREAK not in (text, merged[-1][0]):
            merged[-1] = (merged[-1][0] + text, bold, italic)
        else:
            merged.append((text, bold, italic))
    styled = any(b or i for t, b, i in merged if t.strip())
    escape = styled or has_markup("".join(t for t, _, _ in merged))
    out = _lines("".join(_mark(t, b, i, escape) if t != BREAK else "\n" for t, b, i in merged))
    bare = _lines("".join(t if t != BREAK else "\n" for t, _, _ in merged))
    if strip_markup(out) != bare:  # a marker that cannot read back (mid-word italic): text only
        return bare.replace("*", "\\*") if has_markup(bare) else bare
    return out


def _lines(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()
