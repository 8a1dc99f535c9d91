"""How well the grader grades answers as people type them: the corpus and holdout of issue 15.

    python benchmarks/grading.py [--failures] [--repeat N]

Grades every case of ``tests/grading/corpus.yaml`` (the grader was improved on it) and,
apart, of ``tests/grading/holdout.yaml`` (written before the grader was run on it: the
"unseen" figures) through the functions the study screen calls (``study.core.grading.grade``:
``grade_item_typed(item, given)`` for a typed card's front side, ``grade_item_list(card,
lines)`` for a list card; they pass the question and the accepted forms on) and prints:

* right accepted: the share of right typed answers graded EXACT (the only verdict that
  counts as accepted; CLOSE, "almost: check the spelling", is counted apart);
* wrong accepted: the share of wrong typed answers graded EXACT;
* list mean error: the mean of |credited share - true share| over the list answers;
* list full credit: the share of list answers that name every item (true share 1.0)
  credited at least 0.8;

each beside its target, for each file; then the mean time to grade one typed answer and one
list answer, the first time it is graded (best of ``--repeat`` rounds over both files), with
the cards prepared (their own forms and stems worked out, as in a study session) and cold
(see :func:`timings`). ``--failures`` also
prints every case the grader gets wrong; a known miss (``known_miss`` in the file) counts
as a miss in the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from study.core.decks.model import expand  # noqa: E402
from study.core.grading.answers import Verdict  # noqa: E402
from study.core.grading.grade import grade_item_list, grade_item_typed  # noqa: E402
from tests.grading.corpus import (  # noqa: E402
    CORPUS,
    HOLDOUT,
    ListCase,
    TypedCase,
    list_cases,
    typed_cases,
)

RIGHT_ACCEPTED_MIN = 0.95
WRONG_ACCEPTED_MAX = 0.03
LIST_ERROR_MAX = 0.10
FULL_CREDIT_MIN = 0.90
FULL_CREDIT_AT = 0.8
"""A list answer naming every item must be credited at least this much."""
LIST_TOLERANCE = 0.10
"""With --failures, a list answer is shown when its credit is off by more than this."""


@dataclass(frozen=True, slots=True)
class TypedResult:
    case: TypedCase
    verdict: Verdict

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.EXACT

    @property
    def failed(self) -> bool:
        return self.accepted != self.case.right


@dataclass(frozen=True, slots=True)
class ListResult:
    case: ListCase
    credited: float

    @property
    def error(self) -> float:
        return abs(self.credited - self.case.share)

    @property
    def failed(self) -> bool:
        if self.case.share == 1.0 and self.credited < FULL_CREDIT_AT:
            return True
        return self.error > LIST_TOLERANCE


def grade_typed_cases(source: Path = CORPUS) -> list[TypedResult]:
    """Each typed case graded as the study screen grades a typed card's front side."""
    results = []
    for case in typed_cases(source):
        grade = grade_item_typed(expand(case.card)[0], case.answer)
        results.append(TypedResult(case, grade.verdict))
    return results


def grade_list_cases(source: Path = CORPUS) -> list[ListResult]:
    """Each list case graded as the study screen grades a list card."""
    results = []
    for case in list_cases(source):
        grade = grade_item_list(case.card, list(case.lines))
        results.append(ListResult(case, grade.share))
    return results


def clear_caches() -> None:
    """Empty every memo of the grader (``functools`` caches in ``study.core``), so that an
    answer is timed as graded the first time; the stemmer itself is kept (built once)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("study.core") or module is None:
            continue
        for attr, value in vars(module).items():
            if attr != "_stemmer" and callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def timings(rounds: int, prepared: bool) -> tuple[float, float]:
    """Mean seconds per typed answer and per list answer over both files, best of ``rounds``.

    Each round empties the grader's memos, so every answer is graded for the first time.
    With ``prepared``, each card is first graded once on an answer that matches nothing
    (``zzzz``): the cards' own forms, words and stems are then worked out, as they are once
    a deck has been studied a little; without it, everything is worked out cold.
    """
    typed = [(expand(c.card)[0], c.answer) for s in (CORPUS, HOLDOUT) for c in typed_cases(s)]
    lists = [(c.card, list(c.lines)) for s in (CORPUS, HOLDOUT) for c in list_cases(s)]
    best_typed = best_list = float("inf")
    for _ in range(max(1, rounds)):
        clear_caches()
        if prepared:
            for item, _given in typed:
                grade_item_typed(item, "zzzz")
            for card, _lines in lists:
                grade_item_list(card, ["zzzz"])
        start = time.perf_counter()
        for item, given in typed:
            grade_item_typed(item, given)
        middle = time.perf_counter()
        for card, lines in lists:
            grade_item_list(card, lines)
        end = time.perf_counter()
        best_typed = min(best_typed, (middle - start) / len(typed))
        best_list = min(best_list, (end - middle) / len(lists))
    return best_typed, best_list


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _mark(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def report(
    typed: list[TypedResult], lists: list[ListResult], name: str = "grading corpus"
) -> list[str]:
    """The four figures with their targets, and the counts behind them."""
    right = [r for r in typed if r.case.right]
    wrong = [r for r in typed if not r.case.right]
    right_ok = sum(r.accepted for r in right)
    right_close = sum(r.verdict is Verdict.CLOSE for r in right)
    wrong_ok = sum(r.accepted for r in wrong)
    wrong_close = sum(r.verdict is Verdict.CLOSE for r in wrong)
    full = [r for r in lists if r.case.share == 1.0]
    full_ok = sum(r.credited >= FULL_CREDIT_AT for r in full)
    mean_error = sum(r.error for r in lists) / len(lists) if lists else 0.0

    right_rate = _share(right_ok, len(right))
    wrong_rate = _share(wrong_ok, len(wrong))
    full_rate = _share(full_ok, len(full))

    def row(name: str, value: str, target: str, ok: bool, detail: str) -> str:
        return f"{name:<18}{value:>8}   {target:<9}{_mark(ok)}  {detail}"

    return [
        f"{name}: {len(typed)} typed answers ({len(right)} right, {len(wrong)} wrong), "
        f"{len(lists)} list answers ({len(full)} naming every item)",
        "",
        f"{'figure':<18}{'value':>8}   {'target':<9}",
        row(
            "right accepted",
            f"{right_rate:.1%}",
            ">= 95%",
            right_rate >= RIGHT_ACCEPTED_MIN,
            f"{right_ok}/{len(right)} exact, {right_close} close, "
            f"{len(right) - right_ok - right_close} wrong",
        ),
        row(
            "wrong accepted",
            f"{wrong_rate:.1%}",
            "<= 3%",
            wrong_rate <= WRONG_ACCEPTED_MAX,
            f"{wrong_ok}/{len(wrong)} exact, {wrong_close} close, "
            f"{len(wrong) - wrong_ok - wrong_close} wrong",
        ),
        row(
            "list mean error",
            f"{mean_error:.3f}",
            "<= 0.10",
            mean_error <= LIST_ERROR_MAX,
            f"mean |credited - true share| over {len(lists)}",
        ),
        row(
            "list full credit",
            f"{full_rate:.1%}",
            ">= 90%",
            full_rate >= FULL_CREDIT_MIN,
            f"{full_ok}/{len(full)} all-known answers credited >= {FULL_CREDIT_AT}",
        ),
    ]


def failures(typed: list[TypedResult], lists: list[ListResult]) -> list[str]:
    """Every case the grader gets wrong: deck, card, answer, expected, got."""
    out = ["", "typed failures (deck/card  answer  expected -> got):"]
    for r in typed:
        if r.failed:
            expected = "right" if r.case.right else "wrong"
            out.append(
                f"  {r.case.card.key}  {r.case.answer!r}  {expected} -> {r.verdict.value}"
                f"  [{r.case.note}]  (back {r.case.card.back!r})"
                + (f"  known miss: {r.case.known_miss}" if r.case.known_miss else "")
            )
    out.append("")
    out.append(
        f"list failures (full answer credited < {FULL_CREDIT_AT}, or off by > {LIST_TOLERANCE}):"
    )
    for lr in lists:
        if lr.failed:
            out.append(
                f"  {lr.case.card.key}  {list(lr.case.lines)!r}  "
                f"true {lr.case.share:.2f} -> credited {lr.credited:.2f}  [{lr.case.note}]"
                + (f"  known miss: {lr.case.known_miss}" if lr.case.known_miss else "")
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--failures", action="store_true", help="print every case the grader gets wrong"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="timing rounds, the best is shown"
    )
    args = parser.parse_args(argv)
    lines: list[str] = []
    for source, name in ((CORPUS, "grading corpus"), (HOLDOUT, "holdout (unseen)")):
        typed = grade_typed_cases(source)
        lists = grade_list_cases(source)
        lines += [*report(typed, lists, name), ""]
        if args.failures:
            lines += [*failures(typed, lists)[1:], ""]
    rounds = max(1, args.repeat)
    for prepared, how in ((True, "cards prepared"), (False, "cold")):
        per_typed, per_list = timings(rounds, prepared)
        lines.append(
            f"time ({how}): {per_typed * 1000:.3f} ms per typed answer, "
            f"{per_list * 1000:.3f} ms per list answer (first grading, best of {rounds})"
        )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
