"""The same figures for Anki's own backend (the ``anki`` package, 26.x), for comparison.

    python -m venv /tmp/anki && /tmp/anki/bin/pip install anki
    python benchmarks/anki_compare.py --anki-python /tmp/anki/bin/python [--cards 100000] [--runs 5]

Optional: not a test, not a dependency. ``--anki-python`` is an interpreter that
can import ``anki`` (it may be this one). Both tools get the same basic cards (one
card a note, the same front, back and tag; the run checks that Anki's card count
equals study's item count); each figure is median / min / max over the runs:
- start to first card ready (a process that opens the collection or loads the
  decks, builds today's queue and renders the first question; no UI), warm;
- the answer cycle (grade + schedule + commit + next card), per answer;
- the peak memory of that start (VmHWM: its own peak; ``ru_maxrss`` also counts the peak
  of this driver, which holds the 100,000 cards: see ``memory.py``), and what it holds
  at each stage (imports, store or collection open, catalog, queue, first card).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# the sibling modules, also when this file is imported rather than run as a script
sys.path.insert(0, str(HERE))

from gen_decks import WORDS  # noqa: E402 (needs the sys.path line above)
from memory import inherited_peak_mb, stage_medians  # noqa: E402 (needs the sys.path line above)
from run import ENV, OLD_NS, line  # noqa: E402 (needs the sys.path line above)

ANKI_BUILD = r"""
import json, sys
from anki.collection import Collection, AddNoteRequest
cards = json.loads(open(sys.argv[2], encoding="utf-8").read())
col = Collection(sys.argv[1])
model = col.models.by_name("Basic")
deck = col.decks.id("Bench")
requests = []
for front, back, tag in cards:
    note = col.new_note(model)
    note["Front"], note["Back"] = front, back
    note.tags = [tag]
    requests.append(AddNoteRequest(note=note, deck_id=deck))
col.add_notes(requests)
config = col.decks.config_dict_for_deck_id(deck)
config["new"]["perDay"] = 1000
col.decks.save(config)
col.decks.select(deck)
print(json.dumps({"cards": col.card_count()}))
col.close()
"""

ANKI_FIRST = r"""
import json, sys
sys.path.insert(0, sys.argv[2])
from memory import Stages
stages = Stages()
from anki.collection import Collection
stages.mark("imports")
col = Collection(sys.argv[1])
col.decks.select(col.decks.id("Bench"))
stages.mark("collection open")
queued = col.sched.get_queued_cards()
stages.mark("queue built")
card = col.get_card(queued.cards[0].card.id)
question = card.question()
stages.mark("first card")
print(json.dumps(stages.report()))
col.close(downgrade=False)
"""

ANKI_ANSWER = r"""
import json, sys, time
from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer
ratings = [CardAnswer.GOOD, CardAnswer.AGAIN, CardAnswer.GOOD, CardAnswer.EASY, CardAnswer.HARD]
col = Collection(sys.argv[1])
col.decks.select(col.decks.id("Bench"))
times = []
for n in range(int(sys.argv[2])):
    start = time.perf_counter()
    queued = col.sched.get_queued_cards()
    if not queued.cards:
        break
    top = queued.cards[0]
    card = col.get_card(top.card.id)
    card.start_timer()
    answer = col.sched.build_answer(card=card, states=top.states, rating=ratings[n % 5])
    col.sched.answer_card(answer)
    nxt = col.sched.get_queued_cards()
    if nxt.cards:
        col.get_card(nxt.cards[0].card.id).question()
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times}))
col.close(downgrade=False)
"""

STUDY_FIRST = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from memory import Stages
stages = Stages()
from study.core.paths import Paths
from study.core.service import Service
stages.mark("imports")
svc = Service(Paths.resolve(sys.argv[1]), deck_roots=[Path(sys.argv[2])])
_ = svc.store
stages.mark("store open")
warm = svc.open_catalog()  # as the app starts: the catalog when no deck changed, else a load
if not warm:
    svc.load()
    svc.save_catalog()
stages.mark("catalog open" if warm else "decks loaded")
session = svc.start_review()
stages.mark("queue built")
question = session.current.prompt
stages.mark("first card")
report = {**stages.report(), "warm": warm}
if sys.argv[4:] == ["count"]:  # the warm-up run only: the timed runs do not count
    report["items"] = sum(s.counts.total for s in svc.summaries())
print(json.dumps(report))
svc.close()
"""


def run(python: str, code: str, *args: object) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    out = subprocess.run(
        [python, "-c", code, *map(str, args)], env=ENV, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    lines = out.stdout.strip().splitlines()
    return seconds, (json.loads(lines[-1]) if lines else {})


def basic_cards(count: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """``count`` basic cards (front, back, tag), the same text for both tools."""
    rng = random.Random(seed)

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()

    return [
        (sentence(8, 20) + "?", sentence(2, 8), rng.choice(WORDS).lower()) for _ in range(count)
    ]


def basic_decks(folder: Path, cards: list[tuple[str, str, str]], per_file: int = 500) -> Path:
    """The same cards as study decks: one basic card each (no reverse), files of ``per_file``."""
    for index, first in enumerate(range(0, len(cards), per_file)):
        lines = [f"title: Bench {index}", f"id: bench-{index:04d}", "cards:"]
        for number, (front, back, tag) in enumerate(cards[first : first + per_file], first):
            lines.append(
                f"  - {{id: c{number:06d}, front: {json.dumps(front)}, back: {json.dumps(back)}, "
                f"tags: [{tag}]}}"
            )
        path = folder / f"group-{index // 20:03d}" / f"deck-{index:04d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.utime(path, ns=(OLD_NS, OLD_NS))
    return folder


def main() -> None:
    """Build both collections, then time both tools in the same run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--anki-python", default=sys.executable, help="a Python that can import anki"
    )
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    check = subprocess.run(
        [args.anki_python, "-c", "import anki, anki.buildinfo as b; print(b.version)"],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode:
        sys.exit(
            "anki cannot be imported by --anki-python: install it in a virtual environment "
            "(pip install anki) and pass that environment's python"
        )
    work = Path(tempfile.mkdtemp(prefix="study-anki-"))
    try:
        print(f"anki {check.stdout.strip()} against study, {args.cards:,} cards, {args.runs} runs")
        collection = work / "anki" / "collection.anki2"
        collection.parent.mkdir()
        cards = basic_cards(args.cards)
        (work / "cards.json").write_text(json.dumps(cards), encoding="utf-8")
        anki_cards = run(args.anki_python, ANKI_BUILD, collection, work / "cards.json")[1]["cards"]
        decks = basic_decks(work / "decks", cards)
        data = work / "study"
        # fill the deck cache and catalog: both starts are warm
        study_items = run(sys.executable, STUDY_FIRST, data, decks, HERE, "count")[1]["items"]
        print(
            f"the same {len(cards):,} basic cards: anki {anki_cards:,} cards, "
            f"study {study_items:,} items"
        )
        if anki_cards != study_items:
            sys.exit("the two collections differ: the comparison would not be fair")
        anki_first, study_first, anki_rss, study_rss, ratio = [], [], [], [], []
        anki_reports, study_reports = [], []
        for _ in range(args.runs):
            seconds, report = run(args.anki_python, ANKI_FIRST, collection, HERE)
            anki_first.append(seconds)
            anki_rss.append(float(report["rss_mb"]))  # type: ignore[arg-type]
            anki_reports.append(report)
            seconds, report = run(sys.executable, STUDY_FIRST, data, decks, HERE)
            study_first.append(seconds)
            study_rss.append(float(report["rss_mb"]))  # type: ignore[arg-type]
            study_reports.append(report)
            if not report["warm"]:
                sys.exit(
                    "study's start read the decks: its catalog was not used (not a warm start)"
                )
            ratio.append(study_first[-1] / anki_first[-1])
        anki_answer: list[float] = []
        study_answer: list[float] = []
        code = (
            f"import sys; sys.path.insert(0, {str(HERE)!r}); import json, workers; "
            "print(json.dumps(workers.answer(*sys.argv[1:])))"
        )
        for n in range(args.runs):  # each run answers on fresh copies: new cards for every answer
            fresh = work / f"anki-{n}" / "collection.anki2"
            fresh.parent.mkdir()
            shutil.copy2(collection, fresh)
            anki_answer += run(args.anki_python, ANKI_ANSWER, fresh, 50)[1]["times"]  # type: ignore[operator]
            study_data = work / f"study-{n}"
            shutil.copytree(data / "cache", study_data / "cache")
            study_answer += run(sys.executable, code, decks, study_data, 50)[1]["times"]  # type: ignore[operator]
        print(line("anki: process start to first card ready", anki_first, "ms", "", 1e3, 0))
        print(line("study: process start to first card ready", study_first, "ms", "", 1e3, 0))
        print(line("  study / anki", ratio, "x", "", 1, 2))
        print(line("anki: answer cycle", anki_answer, "ms", "", 1e3, 2))
        print(line("study: answer cycle", study_answer, "ms", "", 1e3, 2))
        print(line("anki: peak memory (VmHWM) of that start", anki_rss, "MB", "", 1, 0))
        print(line("study: peak memory (VmHWM) of that start", study_rss, "MB", "", 1, 0))
        for name, reports in (("anki", anki_reports), ("study", study_reports)):
            print(f"  {name}, memory at each stage (now held / peak so far, median MB):")
            for label, held, peak in stage_medians(reports):
                print(f"    {label:<45}{held:5.0f} / {peak:.0f}")
        print(
            f"  (ru_maxrss, as this benchmark used to report: anki "
            f"{statistics.median(float(r['ru_maxrss_mb']) for r in anki_reports):.0f} MB, study "  # type: ignore[arg-type]
            f"{statistics.median(float(r['ru_maxrss_mb']) for r in study_reports):.0f} MB; "  # type: ignore[arg-type]
            f"Linux counts in it the peak of the process that started them, this one: "
            f"{inherited_peak_mb():.0f} MB)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
