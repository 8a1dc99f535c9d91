"""Numbered documents found in a draft's text (``806-NQ/QUTW``, ``130/2020/QH14``).

Cards on each one's number, and on its date and issuing body when the text gives them near it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from study.core.authoring.draft_dates import _M, _dates
from study.core.authoring.draft_text import (
    Candidate,
    _blank,
    _candidate,
    _Sentence,
    _slug,
    _Text,
    _typed,
    _words,
)

BODY_ALIASES = {"CMC": "Central Military Commission", "Political Bureau": "Politburo"}


_KINDS = (
    r"(?i:resolution|conclusion|directive|decision|decree|law|regulation|instruction|circular|ordinance"
    r"|notice|strategy|plan|programme|program)"
)


_BODIES = (
    r"(?:Central Military Commission|CMC|Politburo|Political Bureau|Secretariat"
    r"|(?:Party )?Central (?:Executive )?Committee|National Assembly Standing Committee"
    r"|Standing Committee of the National Assembly|National Assembly|Government|Prime Minister"
    r"|President|Ministry of [A-Z][a-z]+(?: [A-Z][a-z]+)*)\b"
)


_ISSUE = r"(?:issued|promulgated|adopted|signed|passed|approved|enacted)"


DOC_RE = re.compile(
    r"(?<![\w/-])(?:\d{1,5}-[A-ZĐ]{1,6}(?:/[A-ZĐ]{1,6}\d{0,3})+"
    r"|\d{1,5}/(?:19|20)\d{2}/[A-ZĐ]{1,6}\d{0,3}(?:-[A-ZĐ]{1,6})?"
    r"|\d{1,5}/[A-ZĐ]{2,6}-[A-ZĐ][A-Za-zĐ]{1,6})(?![\w/-])"
)


KIND_RE = re.compile(rf"\b({_KINDS})s?(?:\s+No\.?)?\s*$")


TOPIC_RE = re.compile(
    rf"\b[Oo]n\s+(?!(?:{_M}|\d|the\s+basis\b))(?P<t>[^”\";,.()]+?)"
    r"(?=\s+(?:while|which|with|so as|in order to|by|dated)\b|[”\";,.()]|$)"
)


HEADER_BODY_RE = re.compile(
    rf"[\s,(]*(?:[^;]{{0,40}}?,\s*)?(?:{_ISSUE}\s+)?(?:of|by)\s+(?:the\s+)?"
    rf"(?P<body>{_BODIES})"
)


BEFORE_BODY_RE = re.compile(
    rf"(?P<body>{_BODIES})(?:[’']s)?\s+(?:(?:has|had|have)\s+)?(?:{_ISSUE}\s+)?"
    rf"(?:(?:the|its|a)\s+)?{_KINDS}s?(?:\s+No\.?)?\s*$"
)


NEAR_BODY_RE = re.compile(
    rf"(?P<body>{_BODIES})\s+(?:has\s+|had\s+)?{_ISSUE}|{_ISSUE}\s+by\s+(?:the\s+)?"
    rf"(?P<by>{_BODIES})"
)


ISSUE_RE = re.compile(rf"\b{_ISSUE}\b")


@dataclass(frozen=True)
class _Fact:
    """One piece of what the text says of a document, and where (the number's offset in
    its line)."""

    value: str
    sentence: _Sentence
    col: int
    accept: tuple[str, ...] = ()


def _documents(text: _Text, source_id: str) -> Iterator[Candidate]:
    """Cards on each numbered document: its number, date and issuing body, as the text
    gives them."""
    facts: dict[str, dict[str, _Fact]] = {}
    for line in text.sentences:
        for i, sentence in enumerate(line):
            near = [
                s
                for s in line[max(0, i - 1) : i + 2]
                if s is not sentence and ISSUE_RE.search(s.text) and not DOC_RE.search(s.text)
            ]
            for number, pieces in _mentions(sentence, near):
                known = facts.setdefault(number, {})
                for key, fact in pieces.items():
                    known.setdefault(key, fact)
    for number, known in facts.items():
        yield from _document_cards(number, known, source_id)


def _mentions(
    sentence: _Sentence, near: Sequence[_Sentence]
) -> Iterator[tuple[str, dict[str, _Fact]]]:
    """Each document number of a sentence with the facts found next to it."""
    s, found = sentence.text, list(DOC_RE.finditer(sentence.text))
    starts = []
    for i, m in enumerate(found):
        low = found[i - 1].end() if i else 0
        segment = s[low : m.start()]
        starts.append(low + 1 + max(segment.rfind(";"), segment.rfind(",") if i else -1))
    for i, m in enumerate(found):
        before = s[starts[i] : m.start()]
        after = s[m.end() : starts[i + 1] if i + 1 < len(found) else len(s)].split(";")[0]
        topic = TOPIC_RE.search(after)
        header = after[: topic.start()] if topic else after
        col = sentence.start + m.start()
        pieces = {"number": _Fact(m.group(), sentence, col)}
        if kind := KIND_RE.search(before):
            pieces["kind"] = _Fact(kind[1].capitalize(), sentence, col)
        if topic:
            pieces["topic"] = _Fact(_words(topic["t"], 16), sentence, col)
        options = (
            _dates(header)
            + [d for d in reversed(_dates(before)) if d.unit == "date"]
            + [d for t in [after, *(n.text for n in near)] for d in _dates(t) if d.unit == "date"]
        )
        if options:
            pieces["date"] = _Fact(options[0].text, sentence, col, options[0].accept)
        if body := _document_body(before, header, near):
            pieces["body"] = _Fact(body, sentence, col)
        yield m.group(), pieces


def _document_body(before: str, header: str, near: Sequence[_Sentence]) -> str | None:
    """The issuing body: 'of/by the X' after the number, 'X's Resolution' or 'X issued'
    before it."""
    m = HEADER_BODY_RE.match(header) or BEFORE_BODY_RE.search(before)
    body = (
        m["body"]
        if m
        else next((b["body"] or b["by"] for n in near if (b := NEAR_BODY_RE.search(n.text))), None)
    )
    return BODY_ALIASES.get(body, body) if body else None


def _document_cards(number: str, known: dict[str, _Fact], source_id: str) -> Iterator[Candidate]:
    """The number card (always), then the date and body cards when the text gives them."""
    key, first = f"doc-{_slug(number)}", known["number"]
    kind = known["kind"].value if "kind" in known else "Document"
    name = f"{kind} {number}"
    date, body, topic = known.get("date"), known.get("body"), known.get("topic")
    desc = f"the {kind if 'kind' in known else 'document'}"
    if body:
        desc += f" issued by the {body.value}"
    if date:
        has_day = date.value[:1].isdigit() and not date.value[:4].isdigit()
        desc += f" {'on' if has_day else 'in'} {date.value}"
    if topic:
        desc += f" on {topic.value}"
    if not (date or body or topic):
        start = first.col - first.sentence.start
        desc += f" cited in “{_blank(first.sentence.text, start, start + len(number))}”"
    card = _typed(f"{key}-number", f"What is the number of {desc}?", number, (), "documents")
    yield _candidate("document", first.sentence, first.col, card, source_id)
    if date:
        front = f"When did the {body.value} issue {name}?" if body else f"When was {name} issued?"
        card = _typed(f"{key}-date", front, date.value, date.accept, "documents", "dates")
        yield _candidate("document", date.sentence, date.col, card, source_id)
    if body:
        yield _candidate(
            "document",
            body.sentence,
            body.col,
            {
                "id": f"{key}-body",
                "type": "basic",
                "front": f"Which body issued {name}?",
                "back": f"the {body.value}",
                "tags": ["documents"],
            },
            source_id,
        )
