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

Here: cutting lines into parts, the assignment and the share; the credit of one line for one
item is :mod:`study.core.grading.matching`'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from study.core.grading.answers import (
    _words,
)
from study.core.grading.credit import ListGrade
from study.core.grading.folding import normalise
from study.core.grading.matching import _MAX_CONTENT, _credit, _norm
from study.core.words import plural

__all__ = [
    "assign",
    "grade_list",
]

_BULLET = re.compile(
    r"^\s*(?:[-*•·–—>]+|\(?[0-9]{1,2}[.):]|\(?[a-hA-H][.)]|\(?[ivxIVX]{1,4}[.)]"
    r"|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?:ly)?\s*[,:.)–—-]"
    r"|(?:lastly|finally)\s*[,:])\s+(?=\S)",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s*(?:[;,]|\band\b|&)\s*", re.IGNORECASE)


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
    text = f"{counted} of {plural(n, 'item')} ({', '.join(words)})"
    if extra:
        text += f"; {plural(len(extra), 'line')} matching no item"
        if len(extra) > n:
            over = len(extra) - n
            text += f" ({over} past the number of items count against: {counted} / {len(extra)})"
    if ordered:
        text += "; half for an item out of order"
    return f"{text} = {share:.0%}"
