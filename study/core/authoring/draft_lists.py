"""Enumerations for ``study draft``: "First, ... Second, ...", "1- ... 2- ...", "(1)", "a)",
bullets, and "two goals: x; and y", each made into a list card when the text gives the items."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from study.core.authoring.draft_text import (
    _ORD,
    LEADING_AND_RE,
    NUMBER_WORDS,
    ORD_RE,
    ORDINALS,
    SENTENCE_END_RE,
    Candidate,
    _candidate,
    _phrase,
    _split,
    _Text,
)
from study.core.words import plural

NUM_RE = re.compile(r"(?:\((?P<p>\d{1,2})\)|\b(?P<d>\d{1,2})(?P<s>[-.)]))\s+(?=[A-Za-z“\"‘])")
LET_RE = re.compile(r"(?:\((?P<p>[a-j])\)|\b(?P<d>[a-j])\))\s+(?=[A-Za-z“\"‘])")
MARKER_PREFIX_RE = re.compile(
    rf"^\s*(?:\(?(?:\d{{1,2}}|[a-j])[-.)]|(?:{_ORD})(?:ly)?\s*[,:])\s*", re.I
)
BULLET_RE = re.compile(r"^\s*[-*•‣◦▪+–]\s+(?=\S)")
COUNT_RE = re.compile(
    r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|[2-9])\s+"
    r"(?P<what>(?:[a-z][\w’'-]*\s+){0,3}?[a-z][\w’'-]*)\s*"
    r"(?::|,?\s+(?:such as|including|namely)\b)\s*",
    re.I,
)
SEPARATOR_RE = re.compile(r"\s*[-_=*]{3,}\s*")
AND_RE = re.compile(r"\s(?:and|or)\s")


@dataclass(frozen=True)
class _Marker:
    """An item marker ('Second,', '2-', '(b)'): its style, number, 0-based line, span, and if it
    opens the line."""

    family: str
    n: int
    line: int
    start: int
    end: int
    first: bool


def _opens(prefix: str, extra: str = "") -> bool:
    """Whether a marker after ``prefix`` starts an item: at line start, or after ':', ';', '.'."""
    p = prefix.rstrip()
    return not p or p[-1] in ".:;" + extra or p.endswith((" and", " or"))


def _markers(line: str, index: int) -> Iterator[_Marker]:
    """The item markers of one line: ordinals, numbers and letters that open an item."""
    for m in ORD_RE.finditer(line):
        word = (m["t"] or m["u"] or m["o"]).lower()
        if _opens(line[: m.start()]):
            yield _Marker(
                "ord",
                ORDINALS.index(word) + 1,
                index,
                m.start(),
                m.end(),
                not line[: m.start()].strip(),
            )
    for regex, family in ((NUM_RE, "num"), (LET_RE, "let")):
        for m in regex.finditer(line):
            if _opens(line[: m.start()], ","):
                label: str = m["d"] or m["p"]
                style = m["s"] if family == "num" and m["d"] else ")" if m["d"] else "("
                n = int(label) if label.isdigit() else ord(label) - 96
                yield _Marker(
                    family + style, n, index, m.start(), m.end(), not line[: m.start()].strip()
                )


def _runs(
    markers: Sequence[_Marker], joined: Callable[[_Marker, _Marker], bool]
) -> list[list[_Marker]]:
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
    return all(not line.strip() for line in lines[a + 1 : b])


def _previous(lines: Sequence[str], index: int) -> int | None:
    """The index of the nearest non-blank line before ``index``."""
    return next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)


def _footnotes(run: Sequence[_Marker], lines: Sequence[str]) -> bool:
    """Whether a run of numbered lines is a block of notes: after a rule, or '(N)' cited in the
    body."""
    prev = _previous(lines, run[0].line)
    if prev is not None and SEPARATOR_RE.fullmatch(lines[prev]):
        return True
    own = {m.line for m in run}
    return run[0].family == "num(" and any(
        f"({m.n})" in line for m in run for i, line in enumerate(lines) if i not in own
    )


def _last_sentence(text: str) -> str:
    """The last sentence of a text, without a leading item marker."""
    spans = _split(text)
    return MARKER_PREFIX_RE.sub("", text[spans[-1][0] : spans[-1][1]]).strip() if spans else ""


def _list_card(
    text: _Text,
    index: int,
    start: int,
    texts: Sequence[str],
    lead: str,
    ordered: bool,
    source_id: str,
) -> Candidate | None:
    """A list card from the items' texts (line ``index``, offset ``start``) and the sentence before
    them."""
    items = [_phrase(t) for t in texts]
    if not all(items):
        return None
    items = [
        f"{item} ({i + 1})" if item.casefold() in (o.casefold() for o in items[:i]) else item
        for i, item in enumerate(items)
    ]
    words = lead.strip().rstrip(":.").split()
    lead = ("… " if len(words) > 30 else "") + " ".join(words[-30:])
    front = (
        f"{lead} (name all {len(items)})"
        if lead
        else f"Name the {plural(len(items), 'item')} of line {index + 1}"
    )
    card: dict[str, object] = {
        "id": f"enum-line-{index + 1}",
        "type": "list",
        "front": front,
        "items": items,
        "ordered": ordered,
        "tags": ["lists"],
    }
    return _candidate("enumeration", text.sentence_at(index, start), start, card, source_id)


def _numbered_runs(lines: Sequence[str]) -> list[list[_Marker]]:
    """The numbered lists: runs within one line first, then runs of markers that open
    their lines."""
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
        def joined(a: _Marker, b: _Marker, ordinal: bool = family == "ord") -> bool:
            return ordinal or _blank_between(lines, a.line, b.line)

        runs += [r for r in _runs(group, joined) if not _footnotes(r, lines)]
    return runs


def _enumerations(text: _Text, source_id: str) -> Iterator[Candidate]:
    """List cards for numbered items in a line or across lines, bullets, and counted lists."""
    lines = text.lines
    for run in _numbered_runs(lines):
        first, line = run[0], lines[run[0].line]
        if first.line == run[-1].line:
            last = text.sentence_at(first.line, run[-1].start)
            texts = [line[a.end : b.start] for a, b in itertools.pairwise(run)]
            texts.append(line[run[-1].end : last.start + len(last.text)])
            lead = _last_sentence(line[: first.start])
        else:
            texts, lead = [lines[m.line][m.end :] for m in run], ""
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
                n, rest = m["n"].lower(), sentence.text[m.end() :]
                count = NUMBER_WORDS.get(n) or int(n)
                items = _count_items(rest, count)
                if items is None or any(r.match(rest) for r in (ORD_RE, NUM_RE, LET_RE)):
                    continue
                lead, start = sentence.text[: m.end("what")], sentence.start + m.start()
                if card := _list_card(
                    text, sentence.line - 1, start, items, lead, False, source_id
                ):
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
        return parts[: count - 2] + AND_RE.split(parts[count - 2], maxsplit=1)
    return None
