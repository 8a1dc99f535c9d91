"""The credit one typed line earns for one list item, and how it was counted.

As a typed answer (EXACT 1, CLOSE 0.75), or by content: the content words of both, stop words
left out, spellings made American, words stemmed, acronyms and run-together words read (see the
rules in :mod:`study.core.grading.listing`). ``_credit`` is the entry point, cached.
"""

from __future__ import annotations

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
from study.core.grading.figure import may_hold_figure
from study.core.grading.folding import normalise
from study.core.grading.kind import Kind
from study.core.grading.lexicon import STOP_WORDS, content_stems
from study.core.words import plural

_JOINERS = frozenset({"and", "or"})
"""Words that join items and never give a letter of an acronym."""


_SPARE_FROM = 4
"""Content words: an item with this many may lack one of them (``closer strategic interest
cohesion`` for ``strategic interest cohesion``), a negation never."""


_CLOSE_CREDIT = 0.75


_MAX_CONTENT = 600
"""Characters: a longer line (or item) is matched as typed only, not word by word."""


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
            return 1.0, f"{found} of its {plural(len(wanted), 'word')} (one may be left out)"
        return found / (len(wanted) - spare), f"{found} of its {plural(len(wanted), 'word')}"
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
