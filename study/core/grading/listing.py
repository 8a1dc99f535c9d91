"""Grading a typed list: lines matched to items by content, one to one, with partial credit.

The rules:

* Blank lines and leading bullets or numbers (``-``, ``*``, ``1.``, ``(2)``, ``a)``) are ignored.
* A line holding several items (``engineering, army medical and military observation``) is
  cut on commas, semicolons and ``and`` into the runs of parts that match the most (half an
  item more than the whole line at least): ``the spirit of independence, self-reliance and
  resilience`` gives two items, not three.
* A line and an item (or one of the item's ``accept`` forms) match as typed answers do
  (EXACT 1, CLOSE 0.75), or by content: the content words of both, stop words left out,
  spellings made American and words stemmed (``destroying mines`` has ``destroy`` and
  ``mine``). All the item's content words give 1; most of them (half or more, with the line
  not mostly other words) give that share. Words of the question are not needed.
  Dates, figures and document numbers are only matched as typed answers: a near miss earns 0.
* Lines are assigned to items one to one, so that the total credit is the largest (the
  Hungarian method), not first come first served. In an ordered list the items kept in
  order (the longest run whose lines come in the list's order) earn in full, the others
  half: an item left out or moved costs only itself.
* A line that only continues the item matched by the line before it (one item split over two
  lines) adds to that item instead of counting as a line matching nothing.
* ``share`` is the credit over the items. Lines matching nothing take nothing away, unless
  there are more of them than items: each one past that counts as an item missed, so that
  typing every guess costs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from study.core.grading.answers import (
    _MAX_COMPARE,
    Verdict,
    _Answer,
    _judge,
    _prepare,
    _text_tokens,
    _words,
)
from study.core.grading.credit import ListGrade
from study.core.grading.folding import normalise
from study.core.grading.kind import Kind
from study.core.grading.lexicon import STOP_WORDS, content_stems
from study.core.grading.reading import may_hold_figure

__all__ = ["assign", "grade_list"]

_BULLET = re.compile(
    r"^\s*(?:[-*•·–—>]+|\(?[0-9]{1,2}[.):]|\(?[a-hA-H][.)]|\(?[ivxIVX]{1,4}[.)]"
    r"|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?:ly)?\s*[,:.)–—-]"
    r"|(?:lastly|finally)\s*[,:])\s+(?=\S)",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s*(?:[;,]|\band\b|&)\s*", re.IGNORECASE)
_JOINERS = frozenset({"and", "or"})
"""Words that join items and never give a letter of an acronym."""
_SPARE_FROM = 4
"""Content words: an item with this many may lack one of them (``closer strategic interest
cohesion`` for ``strategic interest cohesion``), a negation never."""
_CLOSE_CREDIT = 0.75
_MAX_CONTENT = 600
"""Characters: a longer line (or item) is matched as typed only, not word by word."""


def assign(credit: Sequence[Sequence[float]]) -> list[int | None]:
    """For each row, the column it gets (or None) so that the total credit is the largest.

    The Hungarian method on the square matrix padded with zeros, O(n^3); lists are short.
    """
    rows = len(credit)
    cols = len(credit[0]) if rows else 0
    n = max(rows, cols)
    if not n:
        return []
    top = max((c for row in credit for c in row), default=0.0)
    cost = [
        [top - (credit[i][j] if i < rows and j < cols else 0.0) for j in range(n)] for i in range(n)
    ]
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    owner, way = [0] * (n + 1), [0] * (n + 1)  # owner[j]: row (1-based) holding column j
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        minv, used = [inf] * (n + 1), [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    out: list[int | None] = [None] * rows
    for j in range(1, n + 1):
        i = owner[j] - 1
        if 0 <= i < rows and j - 1 < cols:
            out[i] = j - 1
    return out


@lru_cache(maxsize=16384)
def _stems(words: tuple[str, ...]) -> tuple[str, ...]:
    """The content stems of normalised words (a deck item's are worked out once)."""
    return content_stems(words)


@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> bool:
    """Two stems of one word: equal, one the other's start (``medic``, ``medicin``), or one
    typo apart in a long word."""
    if a == b:
        return True
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 4:
        return False
    if a.startswith(b) or b.startswith(a):
        return True
    return min(len(a), len(b)) >= 5 and bool(Levenshtein.normalized_similarity(a, b) >= 0.8)


def _acronyms(short: Sequence[str], long: tuple[str, ...]) -> set[int]:
    """Positions in ``long`` (normalised words) spelt by an acronym in ``short`` (``cmc``)."""
    found: set[int] = set()
    for tok in short:
        found.update(_spelt(tok, long))
    return found


@lru_cache(maxsize=65536)
def _spelt(tok: str, long: tuple[str, ...]) -> frozenset[int]:
    """Positions in ``long`` spelt by ``tok`` read as an acronym: the initials of a run of
    words, stop words counted or skipped; ``and`` and ``or`` end a run. Memoised: a deck
    item is spelt against each answer once."""
    if not 2 <= len(tok) <= 7 or not tok.isalpha():
        return frozenset()
    found: set[int] = set()
    size = len(tok)
    for start, first in enumerate(long):
        if first[0] != tok[0]:
            continue  # a run starts with the acronym's first letter (a skipped stop word
            # in front gives the same run as starting after it)
        for skip in (False, True):
            if skip and first in STOP_WORDS:
                continue
            letters, run, end = "", [], start
            while end < len(long) and len(letters) < size:
                word = long[end]
                if word in _JOINERS:
                    break  # "the United States and China" does not spell "usa"
                if not (skip and word in STOP_WORDS):
                    if word[0] != tok[len(letters)]:
                        break
                    letters += word[0]
                    run.append(end)
                end += 1
            if letters == tok and len(run) >= 2:
                found.update(run)
    return frozenset(found)


def _overlap(given: Sequence[str], wanted: Sequence[str]) -> tuple[int, int]:
    """(wanted words found in given, given words found in wanted)."""
    found = sum(any(_same_word(g, w) for g in given) for w in wanted)
    used = sum(any(_same_word(g, w) for w in wanted) for g in given)
    return found, used


def _joined(words: Sequence[str], other: Sequence[str]) -> list[str]:
    """``words`` with two neighbours written as one word in ``other`` joined: ``viet nam`` is
    ``vietnam``, ``cyber security`` is ``cybersecurity``, ``hot lines`` is ``hotlines``."""
    if len(words) < 2:
        return list(words)
    whole = set(other)
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and words[i] + words[i + 1] in whole:
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


@lru_cache(maxsize=65536)
def _expanded(text: str, form: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The content stems of a line and of a form, an acronym on either side spelt out and a
    word written in two on one side joined."""
    twords, fwords = _words(text), _words(form)
    line, other = _side(text), _side(form)
    if line.pairs & other.words or other.pairs & line.words:
        twords, fwords = tuple(_joined(twords, fwords)), tuple(_joined(fwords, twords))
        in_form = _acronyms(twords, fwords)
        in_text = _acronyms(fwords, twords)
    else:  # nothing to join; an acronym has its letters among the other side's initials
        in_form = _acronyms(_spellers(line, other), fwords)
        in_text = _acronyms(_spellers(other, line), twords)
    if not in_form and not in_text:
        return _stems(twords), _stems(fwords)  # no acronym: each side's stems, memoised
    spelt = {w for w in twords if _spelt(w, fwords)}
    spelt_f = {w for w in fwords if _spelt(w, twords)}
    tstems = content_stems([w for w in twords if w not in spelt])
    tstems += content_stems([fwords[i] for i in sorted(in_form)])
    fstems = content_stems([w for w in fwords if w not in spelt_f])
    fstems += content_stems([twords[i] for i in sorted(in_text)])
    return tuple(dict.fromkeys(tstems)), tuple(dict.fromkeys(fstems))


@lru_cache(maxsize=65536)
def _by_content(text: str, form: str, asked: frozenset[str]) -> tuple[float, str]:
    tstems, fstems = _expanded(text, form)
    wanted = [w for w in fstems if w not in asked] or list(fstems)
    given = [g for g in tstems if g not in asked or g in wanted]
    if not wanted or not given:
        return 0.0, ""
    found, used = _overlap(given, wanted)
    if found == len(wanted):
        return 1.0, "all its words"
    if 2 * found >= len(wanted) and 3 * used >= len(given):
        spare = int(len(wanted) >= _SPARE_FROM and ("no" not in wanted or "no" in given))
        if found >= len(wanted) - spare:
            return 1.0, f"{found} of its {len(wanted)} words (one may be left out)"
        return found / (len(wanted) - spare), f"{found} of its {len(wanted)} words"
    return 0.0, ""


@lru_cache(maxsize=1024)
def _asked(prompt: tuple[str, ...]) -> frozenset[str]:
    """The content stems of the question: words an item need not repeat."""
    return frozenset(content_stems(prompt))


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    return normalise(text)


@dataclass(frozen=True, slots=True)
class _Side:
    """What :func:`_apart` needs of a line or a form, worked out once per text."""

    words: frozenset[str]
    stems: frozenset[str]
    long_stems: tuple[str, ...]
    """Stems of 4 letters or more: only they can be one word in two forms (:func:`_same_word`)."""
    pairs: frozenset[str]
    """Each two neighbouring words written as one (``hot lines``: ``hotlines``)."""
    initials: frozenset[str]
    spellers: tuple[str, ...]
    """Words that could be acronyms (2 to 7 letters)."""
    figure: bool


@lru_cache(maxsize=16384)
def _side(text: str) -> _Side:
    words = _words(text)
    stems = _stems(words)
    return _Side(
        frozenset(words),
        frozenset(stems),
        tuple(t for t in stems if len(t) >= 4),
        frozenset(a + b for a, b in pairwise(words)),
        frozenset(w[0] for w in words),
        tuple(w for w in words if 2 <= len(w) <= 7 and w.isalpha()),
        may_hold_figure(words),
    )


def _spellers(side: _Side, other: _Side) -> tuple[str, ...]:
    """The words of ``side`` whose letters are all initials of ``other``'s words: only they
    can be acronyms of a run of it."""
    return tuple(w for w in side.spellers if all(c in other.initials for c in w))


def _apart(text: str, gnorm: str, answer: _Answer) -> bool:
    """A fast, exact test that a line can earn nothing from a text form: no figure on either
    side (so no figure, ordinal or span reading), no document number, no word in common (a
    shorter form or a content match needs one), no acronym or word written in two, and not
    within the typo distance of :func:`study.core.grading.answers._judge`. When False, the full
    grading runs; when True, it would have given WRONG and no content credit."""
    if answer.kind is not Kind.TEXT or answer.doc is not None or not answer.norm or not gnorm:
        return False
    line, form = _side(text), _side(answer.raw)
    if line.figure or form.figure:
        return False
    if line.stems & form.stems or line.pairs & form.words or form.pairs & line.words:
        return False
    if _spellers(line, form) or _spellers(form, line):
        return False
    if any(_same_word(g, w) for g in line.long_stems for w in form.long_stems):
        return False
    a, b = "".join(_text_tokens(gnorm)), "".join(answer.tokens)
    if a == b:
        return False
    allowed = 0 if len(b) < 5 else 1 if len(b) < 8 else max(2, int(0.15 * max(len(a), len(b))))
    return not (
        allowed
        and len(a) <= len(b) + allowed
        and Levenshtein.distance(a[:_MAX_COMPARE], b[:_MAX_COMPARE], score_cutoff=allowed)
        <= allowed
    )


@lru_cache(maxsize=65536)
def _credit(text: str, forms: tuple[str, ...], prompt: tuple[str, ...]) -> tuple[float, str]:
    """The credit a line earns for an item (its forms), and how it was counted."""
    best, how = 0.0, ""
    by_content = len(text) <= _MAX_CONTENT
    gnorm = _norm(text)
    asked = _asked(prompt)
    for n, form in enumerate(forms):
        answer = _prepare(form)
        if by_content and _apart(text, gnorm, answer):
            continue  # shares nothing with this form: no verdict or content credit possible
        verdict, _, _ = _judge(text, gnorm, answer, prompt, (), n == 0)
        if verdict is Verdict.EXACT:
            return 1.0, "as written" if form == forms[0] else f"as “{form}”"
        if verdict is Verdict.CLOSE and best < _CLOSE_CREDIT:
            best, how = _CLOSE_CREDIT, "nearly as written"
        if (
            by_content
            and answer.kind is Kind.TEXT
            and answer.doc is None
            and len(form) <= _MAX_CONTENT
        ):
            credit, why = _by_content(text, form, asked)
            if credit > best:
                best, how = credit, why
    return best, how


def _split(text: str) -> list[str]:
    return [p for p in _PARTS.split(text) if _norm(p)]


def _groupings(parts: Sequence[str]) -> list[list[str]]:
    """Every way to cut a line's parts into runs of neighbours (``a, b and c``: ``a | b c``...).

    Up to 6 parts (32 ways); past that, the whole line or every part on its own.
    """
    if len(parts) > 6:
        return [[" ".join(parts)], list(parts)]
    out = []
    for mask in range(2 ** (len(parts) - 1)):
        runs, current = [], [parts[0]]
        for k, part in enumerate(parts[1:]):
            if mask >> k & 1:
                runs.append(" and ".join(current))
                current = [part]
            else:
                current.append(part)
        runs.append(" and ".join(current))
        out.append(runs)
    return out


def _shared_head(parts: Sequence[str]) -> list[list[str]]:
    """The parts with the last one's head word shared by the single words before it
    (``strategic and comprehensive partners``: ``strategic partners``, ``comprehensive
    partners``), as one more way to cut the line; none when the parts do not read so. It is
    taken only when every part then names an item in full (``national and ethnic interests``
    stays one item)."""
    *first, last = parts
    head = _words(last)
    if not first or len(head) < 2 or any(len(_words(p)) != 1 for p in first):
        return []
    return [[*(f"{p} {head[-1]}" for p in first), last]]


def _in_order(units: Sequence[int], picks: Sequence[int | None]) -> set[int]:
    """The items kept in the list's order: the longest run of matched items whose positions
    increase with the lines (so one item out of place costs only itself)."""
    seq = [j for j in picks if j is not None]
    best: list[list[int]] = []
    for j in seq:
        longest = max((run for run in best if run[-1] < j), key=len, default=[])
        best.append([*longest, j])
    kept: list[int] = max(best, key=lambda run: len(run), default=[])
    return set(kept)


def grade_list(
    given_lines: Sequence[str],
    items: Sequence[str],
    ordered: bool,
    accept: Sequence[Sequence[str]] = (),
    prompt: str = "",
) -> ListGrade:
    """Grade typed lines against the items of a list; ``accept[j]`` are item j's other forms."""
    forms = [(item, *(accept[j] if j < len(accept) else ())) for j, item in enumerate(items)]
    ptokens = _words(prompt) if prompt else ()
    cache: dict[tuple[str, int], tuple[float, str]] = {}

    def credit(text: str, j: int) -> tuple[float, str]:
        if (text, j) not in cache:
            cache[text, j] = _credit(text, forms[j], ptokens)
        return cache[text, j]

    values: dict[tuple[str, ...], float] = {}

    def value(texts: Sequence[str]) -> float:
        key = tuple(texts)
        if key not in values:
            grid = [[credit(t, j)[0] for j in range(len(items))] for t in texts]
            values[key] = sum(grid[k][j] for k, j in enumerate(assign(grid)) if j is not None)
        return values[key]

    units: list[tuple[int, str]] = []
    for i, line in enumerate(given_lines):
        text = _BULLET.sub("", line).strip()
        if not normalise(text):
            continue
        parts = _split(text) if len(text) <= _MAX_CONTENT else [text]
        runs = [text]
        if len(parts) > 1 and items:
            whole = value([text])
            if value(parts) >= len(parts) - 1e-9:
                best = list(parts)  # every part names an item in full: no cut does better
            else:
                shared = [g for g in _shared_head(parts) if value(g) >= len(g) - 1e-9]
                best = max(
                    [*_groupings(parts), *shared],
                    key=lambda g: (round(value(g), 6), -len(g)),
                )
            if value(best) >= whole + 0.5:
                runs = best
        units.extend((i, run) for run in runs)

    grid = [[credit(t, j)[0] for j in range(len(items))] for _, t in units]
    picks = [
        j if j is not None and grid[pos][j] > 0 else None for pos, j in enumerate(assign(grid))
    ]
    matched: list[int | None] = [None] * len(items)
    credits = [0.0] * len(items)
    texts = [""] * len(items)
    hows = [""] * len(items)
    unit_of: dict[int, int] = {}
    for pos, j in enumerate(picks):
        if j is not None:
            matched[j], credits[j], texts[j] = units[pos][0], grid[pos][j], units[pos][1]
            hows[j] = credit(units[pos][1], j)[1]
            unit_of[j] = pos
    extra: list[str] = []
    for pos, (_, text) in enumerate(units):
        if pos in unit_of.values():
            continue
        before = next((j for j, p in unit_of.items() if p == pos - 1), None)
        if before is not None and credits[before] < 1.0 and credit(text, before)[0] < 1.0:
            joined = f"{texts[before]} {text}"
            more = credit(joined, before)[0]
            if more > credits[before]:
                credits[before], texts[before] = more, joined
                hows[before] = credit(joined, before)[1] + ", over two lines"
                continue
        extra.append(text)
    if ordered:
        kept = _in_order(list(range(len(units))), picks)
        for j in range(len(items)):
            if matched[j] is not None and j not in kept:
                credits[j] *= 0.5
                hows[j] += ", out of order" if hows[j] else "out of order"
    against = max(0, len(extra) - len(items))
    denominator = len(items) + against
    total = sum(credits)
    share = total / denominator if denominator else 1.0
    return ListGrade(
        tuple(matched),
        tuple(extra),
        min(1.0, max(0.0, share)),
        tuple(credits),
        tuple(texts),
        tuple(hows),
        _how(credits, extra, len(items), ordered, share),
    )


def _how(
    credits: Sequence[float], extra: Sequence[str], n: int, ordered: bool, share: float
) -> str:
    full = sum(c >= 0.999 for c in credits)
    part = sum(0 < c < 0.999 for c in credits)
    total = sum(credits)
    words = [f"{full} in full"]
    if part:
        words.append(f"{part} in part")
    counted = f"{total:.2f}".rstrip("0").rstrip(".")
    text = f"{counted} of {n} items ({', '.join(words)})"
    if extra:
        lines = "line" if len(extra) == 1 else "lines"
        text += f"; {len(extra)} {lines} matching no item"
        if len(extra) > n:
            over = len(extra) - n
            text += f" ({over} past the number of items count against: {counted} / {len(extra)})"
    if ordered:
        text += "; half for an item out of order"
    return f"{text} = {share:.0%}"
