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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10}
BODY_ALIASES = {"CMC": "Central Military Commission", "Political Bureau": "Politburo"}
ABBREVIATIONS = frozenset({"no", "nos", "mr", "mrs", "ms", "dr", "st", "lt", "col", "gen", "sr", "jr", "maj",
                           "capt", "prof", "assoc", "vol", "pp", "op", "cit", "fig", "art", "vs", "ph.d",
                           "e.g", "i.e", "u.s"})

_M = "|".join(MONTHS)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d{2}"
_ORD = "|".join(ORDINALS)
_KINDS = r"(?i:resolution|conclusion|directive|decision|decree|law|regulation|instruction|circular|ordinance" \
         r"|notice|strategy|plan|programme|program)"
_BODIES = (r"(?:Central Military Commission|CMC|Politburo|Political Bureau|Secretariat"
           r"|(?:Party )?Central (?:Executive )?Committee|National Assembly Standing Committee"
           r"|Standing Committee of the National Assembly|National Assembly|Government|Prime Minister"
           r"|President|Ministry of [A-Z][a-z]+(?: [A-Z][a-z]+)*)\b")
_ISSUE = r"(?:issued|promulgated|adopted|signed|passed|approved|enacted)"
_STOP = (r"(?:the|a|an|of|to|in|on|at|by|for|with|from|or|is|are|was|were|has|have|had|be|been|that|which"
         r"|as|this|its|thus|always|across|us|his|does|whereas|unless|less|besides|towards|perhaps|yes|plus)\b")

DATE_RE = re.compile(
    rf"(?<![\w/])(?:(?P<d1>{_DAY})(?:\s*[-–]\s*(?P<e1>{_DAY}))?\s+(?:of\s+)?(?P<m1>{_M}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_M})\s+(?P<d2>{_DAY})(?:\s*[-–]\s*(?P<e2>{_DAY}))?,?\s+(?P<y2>{_YEAR})"
    rf"|(?P<d3>\d{{1,2}})/(?P<n3>\d{{1,2}})/(?P<y3>{_YEAR})"
    rf"|(?P<m4>{_M}),?\s+(?P<y4>{_YEAR})"
    rf"|(?<=\b[Ii]n\s)(?P<y5>{_YEAR})(?:\s+and\s+(?P<z5>{_YEAR}))?)(?![\w/]|[-–]\d)")
DOC_RE = re.compile(r"(?<![\w/-])(?:\d{1,5}-[A-ZĐ]{1,6}(?:/[A-ZĐ]{1,6}\d{0,3})+"
                    r"|\d{1,5}/(?:19|20)\d{2}/[A-ZĐ]{1,6}\d{0,3}(?:-[A-ZĐ]{1,6})?"
                    r"|\d{1,5}/[A-ZĐ]{2,6}-[A-ZĐ][A-Za-zĐ]{1,6})(?![\w/-])")
KIND_RE = re.compile(rf"\b({_KINDS})s?(?:\s+No\.?)?\s*$")
TOPIC_RE = re.compile(rf"\b[Oo]n\s+(?!(?:{_M}|\d|the\s+basis\b))(?P<t>[^”\";,.()]+?)"
                      r"(?=\s+(?:while|which|with|so as|in order to|by|dated)\b|[”\";,.()]|$)")
HEADER_BODY_RE = re.compile(rf"[\s,(]*(?:[^;]{{0,40}}?,\s*)?(?:{_ISSUE}\s+)?(?:of|by)\s+(?:the\s+)?"
                            rf"(?P<body>{_BODIES})")
BEFORE_BODY_RE = re.compile(rf"(?P<body>{_BODIES})(?:[’']s)?\s+(?:(?:has|had|have)\s+)?(?:{_ISSUE}\s+)?"
                            rf"(?:(?:the|its|a)\s+)?{_KINDS}s?(?:\s+No\.?)?\s*$")
NEAR_BODY_RE = re.compile(rf"(?P<body>{_BODIES})\s+(?:has\s+|had\s+)?{_ISSUE}|{_ISSUE}\s+by\s+(?:the\s+)?"
                          rf"(?P<by>{_BODIES})")
ISSUE_RE = re.compile(rf"\b{_ISSUE}\b")
BOUNDARY_RE = re.compile(r"[.!?][”\"’)]*\s+(?=[“\"‘(]?[A-Z0-9])")
FIGURE_RE = re.compile(
    r"(?:\b(?:more than|over|nearly|almost|about|around|approximately|at least|up to|less than|fewer than)\s+)?"
    r"(?<![\w/:.,-])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:/\d+)?)(?![\w/-]|[.,]\d)"
    rf"(?:\s*(?P<pct>%|per\s?cent\b)|\s+(?:out of\s+(?:the\s+)?[\d,]+\s+)?"
    rf"(?P<noun>(?:(?!{_STOP})[a-z][a-z’'-]*\s+){{0,3}}?(?!{_STOP})(?:[a-z][a-z’'-]*s|people|personnel|staff"
    r"|troops)\b))")
QUOTE_RE = re.compile(r"“\s*(?P<a>[^“”\n]+?)\s*”|\"\s*(?P<b>[^\"\n]+?)\s*\""
                      r"|‘\s*(?P<c>(?:[^‘’\n]|’(?=\w))+?)\s*’(?!\w)")
ORD_RE = re.compile(rf"\b(?:The\s+(?P<t>{_ORD})\b(?:\s+[a-z]+){{0,3}}?\s+(?:is|are|was|were)\b"
                    rf"|The\s+(?P<u>{_ORD})\s*[,:]|(?P<o>{_ORD})(?:ly)?\s*[,:])\s*", re.I)
NUM_RE = re.compile(r"(?:\((?P<p>\d{1,2})\)|\b(?P<d>\d{1,2})(?P<s>[-.)]))\s+(?=[A-Za-z“\"‘])")
LET_RE = re.compile(r"(?:\((?P<p>[a-j])\)|\b(?P<d>[a-j])\))\s+(?=[A-Za-z“\"‘])")
MARKER_PREFIX_RE = re.compile(rf"^\s*(?:\(?(?:\d{{1,2}}|[a-j])[-.)]|(?:{_ORD})(?:ly)?\s*[,:])\s*", re.I)
BULLET_RE = re.compile(r"^\s*[-*•‣◦▪+–]\s+(?=\S)")
COUNT_RE = re.compile(r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|[2-9])\s+"
                      r"(?P<what>(?:[a-z][\w’'-]*\s+){0,3}?[a-z][\w’'-]*)\s*"
                      r"(?::|,?\s+(?:such as|including|namely)\b)\s*", re.I)
SEPARATOR_RE = re.compile(r"\s*[-_=*]{3,}\s*")
CLAUSE_END_RE = re.compile(r"[;:]|\.(?:\s|$)")
SENTENCE_END_RE = re.compile(r"\.(?:\s|$)")
LEADING_AND_RE = re.compile(r"^\s*(?:and|or)\s+")
AND_RE = re.compile(r"\s(?:and|or)\s")
NOT_ID_RE = re.compile(r"[^a-z0-9]+")
BRACES_RE = re.compile(r"[{}]|::")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
PLAIN_RE = re.compile(r"[a-z][a-z0-9-]*")
NOT_PRINTABLE_RE = re.compile("[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                              "\U00010000-\U0010ffff]")
"""What may not appear raw in a YAML value or comment: control characters and line breaks."""


@dataclass(frozen=True)
class Candidate:
    """One candidate card: what kind of fact, where it is, the sentence it is from and the card."""

    kind: str  # "document", "date", "figure", "enumeration" or "motto"
    line: int  # 1-based line of the text
    col: int  # 1-based column of the match in that line
    excerpt: str  # the sentence the card came from, trimmed to about 200 characters
    card: dict[str, object]  # the card to write: id, type, the keys of its type, tags, source


@dataclass(frozen=True)
class _Sentence:
    """A sentence: its 1-based line, its offset in the line, its text."""

    line: int
    start: int
    text: str


@dataclass(frozen=True)
class _Text:
    """A text's lines and the sentences of each line (index 0 is line 1)."""

    lines: tuple[str, ...]
    sentences: tuple[tuple[_Sentence, ...], ...]

    @classmethod
    def parse(cls, text: str) -> _Text:
        """Split a text into lines and each line into sentences."""
        lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        return cls(lines, tuple(tuple(_Sentence(i + 1, a, line[a:b]) for a, b in _split(line))
                                for i, line in enumerate(lines)))

    def sentence_at(self, index: int, offset: int) -> _Sentence:
        """The sentence of line ``index`` (0-based) that contains ``offset``."""
        return [s for s in self.sentences[index] if s.start <= offset][-1]


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
    """One piece of what the text says of a document, and where (the number's offset in its line)."""

    value: str
    sentence: _Sentence
    col: int
    accept: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Marker:
    """An item marker ('Second,', '2-', '(b)'): its style, number, 0-based line, span, and if it opens the line."""

    family: str
    n: int
    line: int
    start: int
    end: int
    first: bool


def _split(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line, not breaking after abbreviations such as 'No.' or initials."""
    spans, start = [], 0
    for m in BOUNDARY_RE.finditer(line):
        words = line[start:m.start()].split()
        last = words[-1].lstrip("(“\"‘").lower() if words else ""
        if last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if line[start:].strip():
        spans.append((start, len(line)))
    return spans


def _words(text: str, limit: int) -> str:
    """The first ``limit`` words of a text, without trailing small words or punctuation."""
    words = text.split()[:limit]
    while words and words[-1].lower().strip(",") in {"and", "or", "of", "the", "a", "to", "in", "for", "with"}:
        words.pop()
    return " ".join(words).strip(" ,;:.–-")


def _phrase(text: str, limit: int = 12) -> str:
    """The first clause of a list item, trimmed to a short phrase."""
    clause = LEADING_AND_RE.sub("", CLAUSE_END_RE.split(text, maxsplit=1)[0].strip())
    words = clause.split()
    if len(words) > limit:
        comma = next((i for i, w in enumerate(words) if w.endswith(",") and i >= 2), None)
        words = words[:comma + 1] if comma is not None else words
    return _words(" ".join(words), limit)


def _slug(text: str, limit: int = 50) -> str:
    """A lower-case id fragment: letters and digits joined by '-'."""
    return NOT_ID_RE.sub("-", text.lower()).strip("-")[:limit].strip("-") or "x"


def _excerpt(text: str, limit: int = 200) -> str:
    """A sentence on one line, trimmed to about ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _blank(text: str, start: int, end: int, fill: str = "____", width: int = 15) -> str:
    """``text`` with ``[start:end)`` replaced by ``fill``, keeping ``width`` words either side."""
    before, after = text[:start], text[end:]
    head, tail = before.split()[-width:], after.split()[:width]
    left = ("… " if len(before.split()) > width else "") + " ".join(head)
    right = " ".join(tail) + (" …" if len(after.split()) > width else "")
    gap_l = " " if head and before[-1:].isspace() else ""
    gap_r = " " if tail and after[:1].isspace() else ""
    return f"{left}{gap_l}{fill}{gap_r}{right}".strip()


def _candidate(kind: str, sentence: _Sentence, col: int, card: dict[str, object], source_id: str) -> Candidate:
    """A candidate with its card's source reference set to the sentence's line."""
    card = {**card, "source": {"id": source_id, "at": f"line {sentence.line}"}}
    return Candidate(kind, sentence.line, col + 1, _excerpt(sentence.text), card)


def _typed(card_id: str, front: str, back: str, accept: Sequence[str], *tags: str) -> dict[str, object]:
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
        return _Date(m.start(), m.end(), f"{month} {year}", (f"{MONTHS.index(month) + 1}/{year}",), "month",
                     (year,))
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
        return _Date(m.start(), m.end(), f"{day}-{last} {month} {year}", (f"{month} {day}-{last}, {year}",),
                     "date", (year,))
    text = f"{day} {month} {year}"
    accept = (f"{day}/{number}/{year}", f"{day:02d}/{number:02d}/{year}", f"{month} {day}, {year}")
    return _Date(m.start(), m.end(), text, tuple(dict.fromkeys(a for a in accept if a != text)), "date", (year,))


def _documents(text: _Text, source_id: str) -> Iterator[Candidate]:
    """Cards on each numbered document: its number, date and issuing body, as the text gives them."""
    facts: dict[str, dict[str, _Fact]] = {}
    for line in text.sentences:
        for i, sentence in enumerate(line):
            near = [s for s in line[max(0, i - 1):i + 2]
                    if s is not sentence and ISSUE_RE.search(s.text) and not DOC_RE.search(s.text)]
            for number, pieces in _mentions(sentence, near):
                known = facts.setdefault(number, {})
                for key, fact in pieces.items():
                    known.setdefault(key, fact)
    for number, known in facts.items():
        yield from _document_cards(number, known, source_id)


def _mentions(sentence: _Sentence, near: Sequence[_Sentence]) -> Iterator[tuple[str, dict[str, _Fact]]]:
    """Each document number of a sentence with the facts found next to it."""
    s, found = sentence.text, list(DOC_RE.finditer(sentence.text))
    starts = []
    for i, m in enumerate(found):
        low = found[i - 1].end() if i else 0
        segment = s[low:m.start()]
        starts.append(low + 1 + max(segment.rfind(";"), segment.rfind(",") if i else -1))
    for i, m in enumerate(found):
        before = s[starts[i]:m.start()]
        after = s[m.end():starts[i + 1] if i + 1 < len(found) else len(s)].split(";")[0]
        topic = TOPIC_RE.search(after)
        header = after[:topic.start()] if topic else after
        col = sentence.start + m.start()
        pieces = {"number": _Fact(m.group(), sentence, col)}
        if kind := KIND_RE.search(before):
            pieces["kind"] = _Fact(kind[1].capitalize(), sentence, col)
        if topic:
            pieces["topic"] = _Fact(_words(topic["t"], 16), sentence, col)
        options = (_dates(header) + [d for d in reversed(_dates(before)) if d.unit == "date"]
                   + [d for t in [after, *(n.text for n in near)] for d in _dates(t) if d.unit == "date"])
        if options:
            pieces["date"] = _Fact(options[0].text, sentence, col, options[0].accept)
        if body := _document_body(before, header, near):
            pieces["body"] = _Fact(body, sentence, col)
        yield m.group(), pieces


def _document_body(before: str, header: str, near: Sequence[_Sentence]) -> str | None:
    """The issuing body: 'of/by the X' after the number, 'X's Resolution' or 'X issued' before it."""
    m = HEADER_BODY_RE.match(header) or BEFORE_BODY_RE.search(before)
    body = m["body"] if m else next((b["body"] or b["by"] for n in near if (b := NEAR_BODY_RE.search(n.text))),
                                    None)
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
        yield _candidate("document", body.sentence, body.col, {
            "id": f"{key}-body", "type": "basic", "front": f"Which body issued {name}?",
            "back": f"the {body.value}", "tags": ["documents"]}, source_id)


def _events(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A card asking the date for each dated sentence that is not about a numbered document."""
    for line in text.sentences:
        for sentence in line:
            if DOC_RE.search(sentence.text):
                continue
            dates = _dates(sentence.text)
            full = {y for d in dates if d.unit != "year" for y in d.years}
            for d in dates:
                words = len(sentence.text[:d.start].split()) + len(sentence.text[d.end:].split())
                if (d.unit == "year" and set(d.years) <= full) or words < 5:
                    continue
                front = f"Which {d.unit} goes in the blank? {_blank(sentence.text, d.start, d.end)}"
                card = _typed(f"date-line-{sentence.line}-{_slug(d.text)}", front, d.text, d.accept, "dates")
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
                front = ("What percentage? " if m["pct"] else f"How many {what}? ") + _blank(s, a, b)
                card = _typed(f"fig-line-{sentence.line}-{_slug(plain + ' ' + what.split()[-1])}", front, number,
                              [plain] if plain != number else [], "figures")
                yield _candidate("figure", sentence, sentence.start + a, card, source_id)


def _mottos(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A cloze for each short quoted phrase (2 to 12 words), the phrase or its key word deleted."""
    seen: set[str] = set()
    for index, line in enumerate(text.lines):
        for m in QUOTE_RE.finditer(line):
            group = "a" if m["a"] is not None else "b" if m["b"] is not None else "c"
            phrase = m[group]
            if not 2 <= len(phrase.split()) <= 12 or phrase.casefold() in seen or BRACES_RE.search(phrase):
                continue
            words = [w.strip(".,;:!?()’'") for w in phrase.split()]
            key = phrase if len(words) <= 4 else max(words, key=len)
            at = re.search(rf"(?<!\w){re.escape(key)}(?!\w)", phrase) if key else None
            if at is None:
                continue
            seen.add(phrase.casefold())
            cloze = phrase[:at.start()] + "{{c1::" + at.group() + "}}" + phrase[at.end():]
            card: dict[str, object] = {"id": f"motto-{_slug(phrase, 40)}", "type": "cloze",
                                       "text": _blank(line.replace("{", "(").replace("}", ")"),
                                                      m.start(group), m.end(group), cloze),
                                       "tags": ["mottos"]}
            yield _candidate("motto", text.sentence_at(index, m.start()), m.start(), card, source_id)


def _opens(prefix: str, extra: str = "") -> bool:
    """Whether a marker after ``prefix`` starts an item: at line start, or after ':', ';', '.'."""
    p = prefix.rstrip()
    return not p or p[-1] in ".:;" + extra or p.endswith((" and", " or"))


def _markers(line: str, index: int) -> Iterator[_Marker]:
    """The item markers of one line: ordinals, numbers and letters that open an item."""
    for m in ORD_RE.finditer(line):
        word = (m["t"] or m["u"] or m["o"]).lower()
        if _opens(line[:m.start()]):
            yield _Marker("ord", ORDINALS.index(word) + 1, index, m.start(), m.end(), not line[:m.start()].strip())
    for regex, family in ((NUM_RE, "num"), (LET_RE, "let")):
        for m in regex.finditer(line):
            if _opens(line[:m.start()], ","):
                label: str = m["d"] or m["p"]
                style = m["s"] if family == "num" and m["d"] else ")" if m["d"] else "("
                n = int(label) if label.isdigit() else ord(label) - 96
                yield _Marker(family + style, n, index, m.start(), m.end(), not line[:m.start()].strip())


def _runs(markers: Sequence[_Marker], joined: Callable[[_Marker, _Marker], bool]) -> list[list[_Marker]]:
    """Runs of markers numbered 1, 2, 3... (at least two), where each may follow the one before."""
    runs: list[list[_Marker]] = []
    current: list[_Marker] = []
    for m in markers:
        if current and m.n == current[-1].n + 1 and joined(current[-1], m):
            current.append(m)
            continue
        runs.append(current)
        current = [m] if m.n == 1 else []
    return [r for r in [*runs, current] if len(r) >= 2]


def _blank_between(lines: Sequence[str], a: int, b: int) -> bool:
    """Whether only blank lines separate lines ``a`` and ``b``."""
    return all(not line.strip() for line in lines[a + 1:b])


def _previous(lines: Sequence[str], index: int) -> int | None:
    """The index of the nearest non-blank line before ``index``."""
    return next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)


def _footnotes(run: Sequence[_Marker], lines: Sequence[str]) -> bool:
    """Whether a run of numbered lines is a block of notes: after a rule, or '(N)' cited in the body."""
    prev = _previous(lines, run[0].line)
    if prev is not None and SEPARATOR_RE.fullmatch(lines[prev]):
        return True
    own = {m.line for m in run}
    return run[0].family == "num(" and any(f"({m.n})" in line for m in run
                                           for i, line in enumerate(lines) if i not in own)


def _last_sentence(text: str) -> str:
    """The last sentence of a text, without a leading item marker."""
    spans = _split(text)
    return MARKER_PREFIX_RE.sub("", text[spans[-1][0]:spans[-1][1]]).strip() if spans else ""


def _list_card(text: _Text, index: int, start: int, texts: Sequence[str], lead: str, ordered: bool,
               source_id: str) -> Candidate | None:
    """A list card from the items' texts (line ``index``, offset ``start``) and the sentence before them."""
    items = [_phrase(t) for t in texts]
    if not all(items):
        return None
    items = [f"{item} ({i + 1})" if item.casefold() in (o.casefold() for o in items[:i]) else item
             for i, item in enumerate(items)]
    words = lead.strip().rstrip(":.").split()
    lead = ("… " if len(words) > 30 else "") + " ".join(words[-30:])
    front = f"{lead} (name all {len(items)})" if lead else f"Name the {len(items)} items of line {index + 1}"
    card: dict[str, object] = {"id": f"enum-line-{index + 1}", "type": "list", "front": front,
                               "items": items, "ordered": ordered, "tags": ["lists"]}
    return _candidate("enumeration", text.sentence_at(index, start), start, card, source_id)


def _numbered_runs(lines: Sequence[str]) -> list[list[_Marker]]:
    """The numbered lists: runs within one line first, then runs of markers that open their lines."""
    markers = [m for i, line in enumerate(lines) for m in _markers(line, i)]
    groups: dict[tuple[int, str], list[_Marker]] = {}
    for m in sorted(markers, key=lambda m: (m.line, m.start)):
        groups.setdefault((m.line, m.family), []).append(m)
    runs = [r for g in groups.values() for r in _runs(g, lambda a, b: True)]
    used = {m for r in runs for m in r}
    heads: dict[str, list[_Marker]] = {}
    for m in sorted(markers, key=lambda m: m.line):
        if m.first and m not in used:
            heads.setdefault(m.family, []).append(m)
    for family, group in heads.items():
        # "First, ..." paragraphs may have prose between them; numbered lines may not
        runs += [r for r in _runs(group, lambda a, b: family == "ord" or _blank_between(lines, a.line, b.line))
                 if not _footnotes(r, lines)]
    return runs


def _enumerations(text: _Text, source_id: str) -> Iterator[Candidate]:
    """List cards for numbered items in a line or across lines, bullets, and counted lists."""
    lines = text.lines
    for run in _numbered_runs(lines):
        first, line = run[0], lines[run[0].line]
        if first.line == run[-1].line:
            last = text.sentence_at(first.line, run[-1].start)
            texts = [line[a.end:b.start] for a, b in zip(run, run[1:])]
            texts.append(line[run[-1].end:last.start + len(last.text)])
            lead = _last_sentence(line[:first.start])
        else:
            texts, lead = [lines[m.line][m.end:] for m in run], ""
        if len(lead.split()) < 3:
            prev = _previous(lines, first.line)
            lead = _last_sentence(lines[prev]) if prev is not None else ""
        if card := _list_card(text, first.line, first.start, texts, lead, True, source_id):
            yield card
    yield from _bullets(text, source_id)
    yield from _counted(text, source_id)


def _bullets(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A list card for each run of two or more bulleted lines."""
    runs: list[list[tuple[int, int]]] = []
    for i, line in enumerate(text.lines):
        if m := BULLET_RE.match(line):
            if runs and _blank_between(text.lines, runs[-1][-1][0], i):
                runs[-1].append((i, m.end()))
            else:
                runs.append([(i, m.end())])
    for run in (r for r in runs if len(r) >= 2):
        (index, start), prev = run[0], _previous(text.lines, run[0][0])
        lead = _last_sentence(text.lines[prev]) if prev is not None else ""
        texts = [text.lines[i][end:] for i, end in run]
        if card := _list_card(text, index, start, texts, lead, False, source_id):
            yield card


def _counted(text: _Text, source_id: str) -> Iterator[Candidate]:
    """A list card for a list announced by its count: 'three areas such as a, b and c'."""
    for line in text.sentences:
        for sentence in line:
            for m in COUNT_RE.finditer(sentence.text):
                n, rest = m["n"].lower(), sentence.text[m.end():]
                count = NUMBER_WORDS.get(n) or int(n)
                items = _count_items(rest, count)
                if items is None or any(r.match(rest) for r in (ORD_RE, NUM_RE, LET_RE)):
                    continue
                lead, start = sentence.text[:m.end("what")], sentence.start + m.start()
                if card := _list_card(text, sentence.line - 1, start, items, lead, False, source_id):
                    yield card


def _count_items(rest: str, count: int) -> list[str] | None:
    """Split 'a; b; and c' or 'a, b and c' into exactly ``count`` items, or None."""
    rest = SENTENCE_END_RE.split(rest, maxsplit=1)[0]
    if ";" in rest:
        parts = [LEADING_AND_RE.sub("", p) for p in rest.split(";")]
        return parts if len(parts) == count else None
    parts = rest.split(",")
    if len(parts) >= count and LEADING_AND_RE.match(parts[count - 1]):
        return [LEADING_AND_RE.sub("", p) for p in parts[:count]]
    if len(parts) >= count - 1 and AND_RE.search(parts[count - 2]):
        return parts[:count - 2] + AND_RE.split(parts[count - 2], maxsplit=1)
    return None


def extract(text: str, *, source_id: str = "text") -> list[Candidate]:
    """Every candidate card found in ``text``, in text order, with unique card ids."""
    parsed = _Text.parse(text)
    found = [*_documents(parsed, source_id), *_events(parsed, source_id), *_figures(parsed, source_id),
             *_enumerations(parsed, source_id), *_mottos(parsed, source_id)]
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


HEADER = ("# DRAFT deck written by `study draft`: every card below is a machine-made candidate.",
          "# Above each card is the line and sentence it came from: check the card against it,",
          "# rewrite it in your own words or delete it, then remove the 'draft' tag.")
DESCRIPTION = ("DRAFT: candidate cards found automatically in the text. Check each one against the "
               "line quoted above it, then edit or delete it.")


def _q(value: str) -> str:
    """A YAML scalar: plain when safe (ids, tags, types), else double-quoted with escapes."""
    if PLAIN_RE.fullmatch(value) and value not in {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}:
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
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


def draft_deck(text: str, *, title: str, deck_id: str, source_id: str = "text",
               source_title: str | None = None) -> str:
    """The YAML text of a draft deck of the candidates found in ``text``.

    Raises ValueError if ``title`` is blank or ``deck_id`` or ``source_id`` is not a valid id.
    """
    for label, value in (("deck_id", deck_id), ("source_id", source_id)):
        if not ID_RE.fullmatch(value):
            raise ValueError(f"{label} {value!r}: use letters, digits, '-', '_' and '.'")
    if not title.strip():
        raise ValueError("the deck needs a title")
    candidates = extract(text, source_id=source_id)
    out = [*HEADER, f"title: {_q(title)}", f"id: {_q(deck_id)}", f"description: {_q(DESCRIPTION)}",
           "tags: [draft]", "sources:", f"  - id: {_q(source_id)}", f"    title: {_q(source_title or title)}",
           "cards:" if candidates else "cards: []"]
    for candidate in candidates:
        out += ["", *_render(candidate)]
    return "\n".join(out) + "\n"


__all__ = ["Candidate", "extract", "draft_deck"]
