"""What a card holds beyond question and answer, in the fields of Anki's stock note types.

Anki's importer maps a note type onto one the collection has only when both have the same
id and the same fields and templates (by name), so exported notes use the stock fields
exactly: Basic, Basic (and reversed card) and Basic (type in the answer) have Front and
Back, Cloze has Text and Back Extra. A card's other accepted answers (``accept``, a list
item's ``accept``) and its explanation (``explain``, with its sources) go where Anki shows
them after the answer:

- basic notes (and choice, list and order cards, which become basic notes): appended to
  Back, in small type: ``Also accepted: a, b`` on one line, then the explanation;
- cloze notes: the explanation is Back Extra, as in Anki;
- typed notes: Anki checks what is typed against all of Back, so Back stays the answer
  alone and the rest goes under Front, folded (``<details>``: "Also accepted, notes").

Each part is a ``<div class="study-accept">`` or ``<div class="study-explain">``, so that
importing the package again gives back ``accept`` and ``explain`` instead of text glued to
the answer (``split_extras``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from study.core.authoring.interchange.html_markup import html_to_marked
from study.core.decks.formatting import to_html
from study.core.decks.safe_text import visible

_SMALL = ' style="font-size: smaller"'
_ACCEPT = re.compile(r'<div class="study-accept"[^>]*>(.*?)</div>', re.DOTALL)
_ALT = re.compile(r'<span class="study-alt">(.*?)</span>', re.DOTALL)
_EXPLAIN = re.compile(r'<div class="study-explain"[^>]*>(.*?)</div>', re.DOTALL)
_DETAILS = re.compile(
    r'<details class="study-extra">\s*<summary>[^<]*</summary>(.*?)</details>', re.DOTALL
)


def _html(text: str) -> str:
    """Deck text as HTML with its light formatting (``**bold**`` -> ``<b>``), as other fields."""
    return to_html(visible(text))


def extras(accept: Sequence[str], explain: str) -> str:
    """The HTML of a card's other accepted answers and explanation ('' when it has neither)."""
    parts = []
    if accept:
        alts = ", ".join(f'<span class="study-alt">{_html(a)}</span>' for a in accept)
        parts.append(f'<div class="study-accept"{_SMALL}>Also accepted: {alts}</div>')
    if explain:
        parts.append(f'<div class="study-explain"{_SMALL}>{_html(explain)}</div>')
    return "".join(parts)


def with_extras(field: str, part: str, *, folded: bool = False) -> str:
    """A field with ``extras`` after it: on a line of its own, or folded (under a typed Front)."""
    if not part:
        return field
    if folded:
        summary = "<summary>Also accepted, notes</summary>"
        return f'{field}<details class="study-extra">{summary}{part}</details>'
    return f"{field}<br>{part}"


def split_extras(field: str) -> tuple[str, list[str], str]:
    """A field without the parts ``extras`` wrote, the accepted answers and explanation (HTML)."""
    accept: list[str] = []
    explain: list[str] = []
    folded = _DETAILS.search(field)
    if folded:
        field = field[: folded.start()] + field[folded.end() :]
        inner = folded.group(1)
    else:
        inner = field
    for match in _ACCEPT.finditer(inner):
        accept.extend(html_to_marked(a) for a in _ALT.findall(match.group(1)))
    explain.extend(m.group(1) for m in _EXPLAIN.finditer(inner))
    if not folded:
        field = _EXPLAIN.sub("", _ACCEPT.sub("", field))
        field = re.sub(r"(?:<br\s*/?>\s*)+$", "", field)
    return field, [a.strip() for a in accept if a.strip()], "<br>".join(explain)
