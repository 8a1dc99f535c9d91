"""Draft a deck from a plain text: candidate cards for the author to check and edit.

``extract`` finds what makes good cards in a document: numbered documents
(``806-NQ/QUTW``, ``130/2020/QH14``) with the kind, date and issuing body the text
gives near them; dates and figures with the sentence around them; enumerations
("First, ... Second, ...", "1- ... 2- ...", "(1)", "a)", bullets, "two goals: x; and
y"); and short quoted mottos. It never invents: a card is made only from what the
text says. ``draft_deck`` writes the candidates as deck YAML, each card under a
comment quoting the line it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from study.core.authoring.draft_lists import _enumerations
from study.core.authoring.draft_text import (
    Candidate,
    _candidate,
    _Sentence,
    _slug,
    _Text,
    _words,
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BODY_ALIASES = {"CMC": "Central Military Commission", "Political Bureau": "Politburo"}

_M = "|".join(MONTHS)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d{2}"
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
_STOP = (
    r"(?:the|a|an|of|to|in|on|at|by|for|with|from|or|is|are|was|were|has|have|had|be|been|that|which"
    r"|as|this|its|thus|always|across|us|his|does|whereas|unless|less|besides|towards|perhaps|yes|plus)\b"
)

DATE_RE = re.compile(
    rf"(?<![\w/])(?:(?P<d1>{_DAY})(?:\s*[-–]\s*(?P<e1>{_DAY}))?\s+(?:of\s+)?(?P<m1>{_M}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_M})\s+(?P<d2>{_DAY})(?:\s*[-–]\s*(?P<e2>{_DAY}))?,?\s+(?P<y2>{_YEAR})"
    rf"|(?P<d3>\d{{1,2}})/(?P<n3>\d{{1,2}})/(?P<y3>{_YEAR})"
    rf"|(?P<m4>{_M}),?\s+(?P<y4>{_YEAR})"
    rf"|(?<=\b[Ii]n\s)(?P<y5>{_YEAR})(?:\s+and\s+(?P<z5>{_YEAR}))?)(?![\w/]|[-–]\d)"
)
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
FIGURE_RE = re.compile(
    r"(?:\b(?:more than|over|nearly|almost|about|around|approximately|at least|up to|less "
    r"than|fewer than)\s+)?"
    r"(?<![\w/:.,-])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:/\d+)?)(?![\w/-]|[.,]\d)"
    rf"(?:\s*(?P<pct>%|per\s?cent\b)|\s+(?:out of\s+(?:the\s+)?[\d,]+\s+)?"
    rf"(?P<noun>(?:(?!{_STOP})[a-z][a-z’'-]*\s+){{0,3}}?(?!{_STOP})(?:[a-z][a-z’'-]*s|people|personnel|staff"
    r"|troops)\b))"
)
QUOTE_RE = re.compile(
    r"“\s*(?P<a>[^“”\n]+?)\s*”|\"\s*(?P<b>[^\"\n]+?)\s*\""
    r"|‘\s*(?P<c>(?:[^‘’\n]|’(?=\w))+?)\s*’(?!\w)"
)
BRACES_RE = re.compile(r"[{}]|::")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
PLAIN_RE = re.compile(r"[a-z][a-z0-9-]*")
NOT_PRINTABLE_RE = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""What may not appear raw in a YAML value or comment: control characters and line breaks."""


@dataclass(frozen=True)
class _Date:
    """A date found in a sentence, normalised, with other accepted forms."""

    start: int
    end: int
    text: str
    accept: tuple[str, ...]
    unit: str  # "date", "month" or "year": what a question about it asks for
    years: tuple[str, ...]


@dataclass(frozen=True)
class _Fact:
    """One piece of what the text says of a document, and where (the number's offset in
    its line)."""

    value: str
    sentence: _Sentence
    col: int
    accept: tuple[str, ...] = ()


def _blank(text: str, start: int, end: int, fill: str = "____", width: int = 15) -> str:
    """``text`` with ``[start:end)`` replaced by ``fill``, keeping ``width`` words either side."""
    before, after = text[:start], text[end:]
    head, tail = before.split()[-width:], after.split()[:width]
    left = ("… " if len(before.split()) > width else "") + " ".join(head)
    right = " ".join(tail) + (" …" if len(after.split()) > width else "")
    gap_l = " " if head and before[-1:].isspace() else ""
    gap_r = " " if tail and after[:1].isspace() else ""
    return f"{left}{gap_l}{fill}{gap_r}{right}".strip()


def _typed(
    card_id: str, front: str, back: str, accept: Sequence[str], *tags: str
) -> dict[str, object]:
    """A typed card (with ``accept`` only when there are other accepted forms)."""
    card: dict[str, object] = {"id": card_id, "type": "typed", "front": front, "back": back}
    return card | ({"accept": list(accept)} if accept else {}) | {"tags": list(tags)}


def _dates(text: str) -> list[_Date]:
    """The dates in a text: full dates, month and year, 'in YEAR'."""
    return [d for m in DATE_RE.finditer(text) if (d := _date(m)) is not None]


def _date(m: re.Match[str]) -> _Date | None:
    """One date match, normalised to '31 December 2013' with other accepted forms."""
    if m["y5"]:
        years = (m["y5"], m["z5"]) if m["z5"] else (m["y5"],)
        return _Date(m.start(), m.end(), " and ".join(years), (), "year", years)
    year = m["y1"] or m["y2"] or m["y3"] or m["y4"]
    if m["m4"]:
        month = m["m4"]
        return _Date(
            m.start(),
            m.end(),
            f"{month} {year}",
            (f"{MONTHS.index(month) + 1}/{year}",),
            "month",
            (year,),
        )
    if m["d3"]:
        a, b = int(m["d3"]), int(m["n3"])
        day, number = (b, a) if a <= 12 < b else (a, b)
        if not (1 <= number <= 12 and 1 <= day <= 31):
            return None
        month, last = MONTHS[number - 1], ""
    else:
        day, month = int((m["d1"] or m["d2"]).rstrip("stndrh")), m["m1"] or m["m2"]
        number, last = MONTHS.index(month) + 1, (m["e1"] or m["e2"] or "").rstrip("stndrh")
    if last:
        return _Date(
            m.start(),
            m.end(),
            f"{day}-{last} {month} {year}",
            (f"{month} {day}-{last}, {year}",),
            "date",
            (year,),
        )
    text = f"{day} {month} {year}"
    accept = (f"{day}/{number}/{year}", f"{day:02d}/{number:02d}/{year}", f"{month} {day}, {year}")
    return _Date(
        m.start(),
        m.end(),
        text,
        tuple(dict.fromkeys(a for a in accept if a != text)),
        "date",
        (year,),
    )


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


def _events(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A card asking the date for each dated sentence that is not about a numbered document."""
    for line in text.sentences:
        for sentence in line:
            if DOC_RE.search(sentence.text):
                continue
            dates = _dates(sentence.text)
            full = {y for d in dates if d.unit != "year" for y in d.years}
            for d in dates:
                words = len(sentence.text[: d.start].split()) + len(sentence.text[d.end :].split())
                if (d.unit == "year" and set(d.years) <= full) or words < 5:
                    continue
                front = f"Which {d.unit} goes in the blank? {_blank(sentence.text, d.start, d.end)}"
                card = _typed(
                    f"date-line-{sentence.line}-{_slug(d.text)}", front, d.text, d.accept, "dates"
                )
                yield _candidate("date", sentence, sentence.start + d.start, card, source_id)


def _figures(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A card for each figure with what it counts ('more than 100 countries', '45%')."""
    seen: set[tuple[str, str]] = set()
    for line in text.sentences:
        for sentence in line:
            s = sentence.text
            taken = [m.span() for m in (*DATE_RE.finditer(s), *DOC_RE.finditer(s))]
            for m in FIGURE_RE.finditer(s):
                (a, b), number = m.span("n"), m["n"]
                what = "percent" if m["pct"] else " ".join(m["noun"].split())
                if any(a < y and x < b for x, y in taken) or (number, what) in seen:
                    continue
                seen.add((number, what))
                plain = number.replace(",", "")
                front = ("What percentage? " if m["pct"] else f"How many {what}? ") + _blank(
                    s, a, b
                )
                card = _typed(
                    f"fig-line-{sentence.line}-{_slug(plain + ' ' + what.split()[-1])}",
                    front,
                    number,
                    [plain] if plain != number else [],
                    "figures",
                )
                yield _candidate("figure", sentence, sentence.start + a, card, source_id)


def _mottos(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A cloze for each short quoted phrase (2 to 12 words), the phrase or its key word deleted."""
    seen: set[str] = set()
    for index, line in enumerate(text.lines):
        for m in QUOTE_RE.finditer(line):
            group = "a" if m["a"] is not None else "b" if m["b"] is not None else "c"
            phrase = m[group]
            if (
                not 2 <= len(phrase.split()) <= 12
                or phrase.casefold() in seen
                or BRACES_RE.search(phrase)
            ):
                continue
            words = [w.strip(".,;:!?()’'") for w in phrase.split()]
            key = phrase if len(words) <= 4 else max(words, key=len)
            at = re.search(rf"(?<!\w){re.escape(key)}(?!\w)", phrase) if key else None
            if at is None:
                continue
            seen.add(phrase.casefold())
            cloze = phrase[: at.start()] + "{{c1::" + at.group() + "}}" + phrase[at.end() :]
            card: dict[str, object] = {
                "id": f"motto-{_slug(phrase, 40)}",
                "type": "cloze",
                "text": _blank(
                    line.replace("{", "(").replace("}", ")"), m.start(group), m.end(group), cloze
                ),
                "tags": ["mottos"],
            }
            yield _candidate(
                "motto", text.sentence_at(index, m.start()), m.start(), card, source_id
            )


def extract(text: str, *, source_id: str = "text") -> list[Candidate]:
    """Every candidate card found in ``text``, in text order, with unique card ids."""
    parsed = _Text.parse(text)
    found = [
        *_documents(parsed, source_id),
        *_events(parsed, source_id),
        *_figures(parsed, source_id),
        *_enumerations(parsed, source_id),
        *_mottos(parsed, source_id),
    ]
    seen: set[str] = set()
    out = []
    for c in sorted(found, key=lambda c: (c.line, c.col)):
        base = card_id = str(c.card["id"])
        k = 2
        while card_id in seen:
            card_id, k = f"{base}-{k}", k + 1
        seen.add(card_id)
        out.append(c if card_id == base else replace(c, card={**c.card, "id": card_id}))
    return out


HEADER = (
    "# DRAFT deck written by `study draft`: every card below is a machine-made candidate.",
    "# Above each card is the line and sentence it came from: check the card against it,",
    "# rewrite it in your own words or delete it, then remove the 'draft' tag.",
)
DESCRIPTION = (
    "DRAFT: candidate cards found automatically in the text. Check each one against the "
    "line quoted above it, then edit or delete it."
)


def _q(value: str) -> str:
    """A YAML scalar: plain when safe (ids, tags, types), else double-quoted with escapes."""
    if PLAIN_RE.fullmatch(value) and value not in {
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "null",
        "y",
        "n",
    }:
        return value
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return '"' + NOT_PRINTABLE_RE.sub(lambda m: f"\\U{ord(m.group()):08x}", escaped) + '"'


def _flow(value: object) -> str:
    """A value in YAML flow style."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _q(str(value))


def _render(candidate: Candidate) -> list[str]:
    """One card as YAML lines, under a comment with its line and excerpt."""
    excerpt = NOT_PRINTABLE_RE.sub("?", candidate.excerpt)
    out = [f"  # line {candidate.line}: {excerpt}"]
    for i, (key, value) in enumerate(candidate.card.items()):
        lead = "  - " if i == 0 else "    "
        if key == "items" and isinstance(value, list):
            out += [f"{lead}{key}:", *(f"      - {_q(str(v))}" for v in value)]
        else:
            out.append(f"{lead}{key}: {_flow(value)}")
    return out


def draft_deck(
    text: str, *, title: str, deck_id: str, source_id: str = "text", source_title: str | None = None
) -> str:
    """The YAML text of a draft deck of the candidates found in ``text``.

    Raises ValueError if ``title`` is blank or ``deck_id`` or ``source_id`` is not a valid id.
    """
    for label, value in (("deck_id", deck_id), ("source_id", source_id)):
        if not ID_RE.fullmatch(value):
            raise ValueError(f"{label} {value!r}: use letters, digits, '-', '_' and '.'")
    if not title.strip():
        raise ValueError("the deck needs a title")
    candidates = extract(text, source_id=source_id)
    out = [
        *HEADER,
        f"title: {_q(title)}",
        f"id: {_q(deck_id)}",
        f"description: {_q(DESCRIPTION)}",
        "tags: [draft]",
        "sources:",
        f"  - id: {_q(source_id)}",
        f"    title: {_q(source_title or title)}",
        "cards:" if candidates else "cards: []",
    ]
    for candidate in candidates:
        out += ["", *_render(candidate)]
    return "\n".join(out) + "\n"


__all__ = ["Candidate", "draft_deck", "extract"]
