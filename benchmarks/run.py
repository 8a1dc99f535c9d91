"""Every performance figure of issue 9, as median / min / max over several runs.

    python benchmarks/run.py                    # 1k, 10k and 100k cards, 5 runs each
    python benchmarks/run.py --sizes 1000 --runs 3 --no-app   # a quick look

Run it from the repository root with the project installed (or PYTHONPATH=.).
Decks come from ``gen_decks.py`` (deterministic); everything is written under a
temporary folder (``--work`` to keep it). Each measurement runs in a fresh
interpreter. Start-up is measured in a real pseudo-terminal, as a ratio to a
minimal Textual app painting one label, the two interleaved in the same run.
Nothing here is a test: it prints figures and the targets next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# the sibling modules, also when this file is imported rather than run as a script
sys.path.insert(0, str(HERE))

from gen_decks import generate  # noqa: E402 (needs the sys.path line above)
from memory import stage_medians  # noqa: E402 (needs the sys.path line above)
from terminal import Terminal  # noqa: E402 (needs the sys.path line above)

PYTHON = sys.executable
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
}
"""Bytecode is cached (as in an installed package): start-up is not spent compiling."""
OLD_NS = 1_700_000_000 * 10**9
"""Generated decks get an old modification time, like decks a user has had for a while."""


def stats(values: Sequence[float]) -> tuple[float, float, float]:
    """(median, min, max)."""
    return statistics.median(values), min(values), max(values)


def line(
    label: str,
    values: Sequence[float],
    unit: str,
    target: str = "",
    scale: float = 1.0,
    digits: int = 1,
) -> str:
    med, low, high = (v * scale for v in stats(values))
    figure = (
        f"{med:.{digits}f} {unit}  (min {low:.{digits}f}, max {high:.{digits}f}, n={len(values)})"
    )
    return f"  {label:<47}{figure:<44}{target}"


def worker(name: str, *args: object) -> dict[str, object]:
    out = subprocess.run(
        [PYTHON, str(HERE / "workers.py"), name, *map(str, args)],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def timed(argv: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=ENV, capture_output=True, check=False)
    return time.perf_counter() - start


def make_decks(work: Path, cards: int) -> Path:
    folder = work / f"decks-{cards}"
    if not folder.exists():
        generate(folder, cards)
        for path in folder.rglob("*.yaml"):
            os.utime(path, ns=(OLD_NS, OLD_NS))
    return folder


def bench_loading(work: Path, cards: int, runs: int, say: Callable[[str], None]) -> None:
    decks = make_decks(work, cards)
    say(f"\n{cards:,} cards ({len(list(decks.rglob('*.yaml')))} files)")
    cold, cold_cpu, warm, lint_cold, lint_warm, rss = [], [], [], [], [], []
    for run in range(runs):
        cache = work / f"cache-{cards}-{run}"
        shutil.rmtree(cache, ignore_errors=True)
        first = worker("load", decks, cache)
        assert first["parsed"] and not first["errors"], first
        cold.append(float(first["seconds"]) / cards)  # type: ignore[arg-type]
        cold_cpu.append(float(first["cpu"]) / cards)  # type: ignore[arg-type]
        second = worker("load", decks, cache)
        assert second["parsed"] == 0, f"a warm start parsed {second['parsed']} files"
        warm.append(float(second["seconds"]))  # type: ignore[arg-type]
        rss.append(float(first["rss_mb"]))  # type: ignore[arg-type]
        data = work / f"lint-{cards}-{run}"
        shutil.rmtree(data, ignore_errors=True)
        command = [PYTHON, "-m", "study", "lint", "--data", str(data), "--decks", str(decks)]
        lint_cold.append(timed(command) / cards)
        lint_warm.append(timed(command))
    say(line("first (uncached) load, per card", cold, "us", "target <= 100 us", 1e6))
    say(line("  the same in CPU time", cold_cpu, "us", "", 1e6))
    say(line("study lint, uncached, whole command, per card", lint_cold, "us", "", 1e6))
    say(line("warm start load (nothing parsed)", warm, "ms", "", 1e3))
    say(line("study lint, warm, whole command", lint_warm, "ms", "", 1e3))
    say(line("peak memory (VmHWM) of an uncached load", rss, "MB", "", 1, 0))


def bench_service(work: Path, cards: int, runs: int, say: Callable[[str], None]) -> None:
    decks = make_decks(work, cards)
    say(f"\n{cards:,} cards: the service (open store, load, counts, review queue)")
    cold_rss, warm_rss, ready, catalog = [], [], [], []
    quick_open, quick_queue, quick_counts, quick_rss = [], [], [], []
    quick_reports: list[dict[str, object]] = []
    for run in range(runs):
        data = work / f"svc-{cards}-{run}"
        shutil.rmtree(data, ignore_errors=True)
        cold = worker("service", decks, data)
        warm = worker("service", decks, data)
        quick = worker("quick", decks, data)
        assert quick["opened"], "the catalog written by the previous run should be current"
        cold_rss.append(float(cold["rss_mb"]))  # type: ignore[arg-type]
        warm_rss.append(float(warm["rss_mb"]))  # type: ignore[arg-type]
        ready.append(float(warm["ready_s"]))  # type: ignore[arg-type]
        catalog.append(float(cold["catalog_s"]))  # type: ignore[arg-type]
        quick_open.append(float(quick["open_s"]))  # type: ignore[arg-type]
        quick_queue.append(float(quick["queue_s"]))  # type: ignore[arg-type]
        quick_counts.append(float(quick["counts_s"]))  # type: ignore[arg-type]
        quick_rss.append(float(quick["rss_mb"]))  # type: ignore[arg-type]
        quick_reports.append(quick)
    say(line("peak memory (VmHWM), uncached", cold_rss, "MB", "target <= 250 MB", 1, 0))
    say(line("peak memory (VmHWM), warm", warm_rss, "MB", "target <= 250 MB", 1, 0))
    say(line("warm: store + load + counts + queue", ready, "ms", "", 1e3))
    say(line("  then writing the catalog (after a change)", catalog, "ms", "", 1e3))
    say(line("start from the catalog: store + check files", quick_open, "ms", "no deck read", 1e3))
    say(line("  today's review queue from the catalog", quick_queue, "ms", "", 1e3))
    say(line("  deck counts from the catalog", quick_counts, "ms", "", 1e3))
    say(line("  peak memory (VmHWM)", quick_rss, "MB", "", 1, 0))
    say("    memory at each stage (now held / peak so far, median MB):")
    for label, held, peak in stage_medians(quick_reports):
        say(f"      {label:<43}{held:5.0f} / {peak:.0f}")
    heavy = work / f"svc-{cards}-0"
    # now every item has been studied: the counts and the queue have work
    studied = worker("studied", heavy)
    runs_heavy = [worker("quick", decks, heavy) for _ in range(runs)]
    say(
        f"  the same when all {studied['items']:,} items have been studied "
        f"(about 1 in 13 due today; {studied['reviews']:,} reviews in the log):"
    )
    for key, label in (
        ("open_s", "store + quick check + files"),
        ("queue_s", "today's review queue"),
        ("counts_s", "deck counts"),
    ):
        say(line(f"    {label}", [float(r[key]) for r in runs_heavy], "ms", "", 1e3))  # type: ignore[arg-type]
    primed = work / f"answer-{cards}"
    shutil.rmtree(primed, ignore_errors=True)
    worker("service", decks, primed)  # fill the deck cache once
    times: list[float] = []
    for run in range(runs):
        data = work / f"answer-{cards}-{run}"  # a fresh progress database each run
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(primed / "cache", data / "cache")
        result = worker("answer", decks, data, 100)
        assert result["synchronous"] == 2, "the store must commit with synchronous=FULL"
        times.extend(result["times"])  # type: ignore[arg-type]
    say(
        line(
            "answer cycle (grade+schedule+commit+next)",
            times,
            "ms",
            "target <= 1 ms median",
            1e3,
            2,
        )
    )


def bench_cli(work: Path, runs: int, say: Callable[[str], None]) -> None:
    say("\nCommand line")
    decks = make_decks(work, 1000)
    for argv in (["--help"], ["lint", "--decks", str(decks)]):
        data = work / "cli"
        report = (
            worker("imports", *argv, "--data", str(data))
            if argv[0] != "--help"
            else worker("imports", *argv)
        )
        times = [timed([PYTHON, "-m", "study", *argv, "--data", str(data)]) for _ in range(runs)]
        verdict = "no Textual" if not report["ui_modules"] else f"IMPORTS {report['ui_modules']}"
        say(line(f"study {argv[0]} (whole process)", times, "ms", verdict, 1e3, 0))


HOME_PAINTED = "palette"
"""Textual's footer ('^p palette'): on screen from the home screen's first frame."""
COUNTS_SHOWN = " cards. "
"""The home screen's status line once the decks are counted ('9 decks, 395 cards. ...')."""
CARD_SHOWN = "Show answer"
"""The study screen's footer: a card is on screen."""
REVEALED = "Again ·"
"""The rating bar under a revealed card ('1 Again · 1m')."""


def _fresh_progress(data: Path, pristine: Path) -> None:
    """Put back the progress database as it was before any answer (the deck cache and catalog stay):
    every card is new again, and the start is not the first one (which creates the database)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{data / 'progress.sqlite3'}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, data / "progress.sqlite3")


def bench_app(work: Path, cards: int, runs: int, say: Callable[[str], None]) -> None:
    decks = make_decks(work, cards)
    say(
        f"\n{cards:,} cards: the app in a {100}x{30} pseudo-terminal, "
        "against a one-label Textual app"
    )
    base, home, counts, first, review, keys = [], [], [], [], [], []
    data = work / f"app-{cards}"
    shutil.rmtree(data, ignore_errors=True)
    worker(
        "service", decks, data
    )  # a warm start: deck cache and catalog written, as after a first run
    pristine = (
        work / f"app-{cards}-progress.sqlite3"
    )  # the progress database of that run: nothing answered
    shutil.copyfile(data / "progress.sqlite3", pristine)
    command = [PYTHON, "-m", "study", "--data", str(data), "--decks", str(decks)]
    for _ in range(runs):
        app = Terminal([PYTHON, str(HERE / "baseline_app.py")], env=ENV)
        try:
            base.append(app.wait_for("baseline label painted"))
        finally:
            app.close()
        _fresh_progress(data, pristine)
        app = Terminal(command, env=ENV)  # the home screen, until its counts are shown
        try:
            home.append(app.wait_for(HOME_PAINTED))
            counts.append(app.wait_for(COUNTS_SHOWN))
        finally:
            app.close()
        _fresh_progress(data, pristine)
        app = Terminal([*command, "review"], env=ENV)  # straight on the first card
        try:
            review.append(app.wait_for(CARD_SHOWN))
        finally:
            app.close()
        _fresh_progress(data, pristine)
        app = Terminal(command, env=ENV)  # 'a' (study all) typed as soon as the home screen is up
        try:
            app.wait_for(HOME_PAINTED)
            os.write(app.fd, b"a")
            first.append(app.wait_for(CARD_SHOWN))
            app.settle(0.2)
            for done in range(1, 3):  # basic and cloze cards: reveal, then rate Good
                keys.append(app.press(" ", REVEALED))
                app.settle(0.2)
                keys.append(app.press("3", f"{done} done"))
                app.settle(0.2)
        finally:
            app.close()
    say(line("minimal Textual app: first paint", base, "ms", "", 1e3, 0))
    say(line("study: home screen first paint", home, "ms", "", 1e3, 0))
    say(
        line(
            "  ratio to the minimal app (same run)",
            [h / b for h, b in zip(home, base, strict=False)],
            "x",
            "",
            1,
            2,
        )
    )
    say(line("study: home with deck counts", counts, "ms", "", 1e3, 0))
    say(
        line(
            "  ratio to the minimal app",
            [c / b for c, b in zip(counts, base, strict=False)],
            "x",
            "",
            1,
            2,
        )
    )
    say(line("start to first card: study review", review, "ms", "", 1e3, 0))
    say(
        line(
            "  ratio to the minimal app (same run)",
            [r / b for r, b in zip(review, base, strict=False)],
            "x",
            "target <= 1.2x",
            1,
            2,
        )
    )
    say(line("start to first card: study, then 'a'", first, "ms", "", 1e3, 0))
    say(
        line(
            "  ratio to the minimal app (same run)",
            [f / b for f, b in zip(first, base, strict=False)],
            "x",
            "",
            1,
            2,
        )
    )
    say(line("keypress to repaint (reveal, rate)", keys, "ms", "target <= 16 ms", 1e3, 1))


BROWSER_PAINTED = "Cards: All decks"
"""The card browser's title line: on screen from its first frame (the cards are read after)."""
ROWS_SHOWN = "Showing 200 of"
"""The browser's status line once the first rows are in the table."""


def bench_browser(work: Path, cards: int, runs: int, say: Callable[[str], None]) -> None:
    """The card browser on a collection whose every item has been studied (1.3 million reviews
    at 100,000 cards): its core in a fresh process, then the app in a pseudo-terminal."""
    decks = make_decks(work, cards)
    data = work / f"browser-{cards}"
    if not (data / "progress.sqlite3").exists():
        worker("service", decks, data)  # deck cache and catalog, as after a first run
        worker("studied", data)
    say(f"\n{cards:,} cards, every item studied: the card browser")
    core = [worker("browse", decks, data) for _ in range(runs)]
    say(
        f"  ({core[0]['items']:,} items; typing 'defence' finds {core[0]['matches']:,}; "
        f"{core[0]['due']:,} are due)"
    )
    for key, label in (
        ("index_s", "index of every item (its states read later)"),
        ("first_rows_s", "  the first 200 rows, each read for itself"),
        ("warm_s", "  then every state, flag and text (a thread)"),
        ("state_s", "search is:due -is:suspended"),
    ):
        say(line(label, [float(r[key]) for r in core], "ms", "", 1e3))  # type: ignore[arg-type]
    strokes = [float(s) for r in core for s in r["keystrokes_s"]]  # type: ignore[attr-defined]
    say(line("per keystroke: search + 200 rows", strokes, "ms", "", 1e3))
    for column in ("due", "recall", "last"):
        values = [float(r["sorts_s"][column]) for r in core]  # type: ignore[index]
        say(line(f"sort every item by {column} (first time)", values, "ms", "", 1e3))
    say(line("peak memory (VmHWM)", [float(r["rss_mb"]) for r in core], "MB", "", 1, 0))  # type: ignore[arg-type]
    opened, loaded, again, keys = [], [], [], []
    command = [PYTHON, "-m", "study", "--data", str(data), "--decks", str(decks)]
    for _ in range(runs):
        app = Terminal(command, env=ENV)
        try:
            app.wait_for(HOME_PAINTED)
            app.settle(0.3)
            after, sent = len(app.text), time.perf_counter()
            os.write(app.fd, b"b")  # the decks are not loaded yet: the browser waits for them
            app.wait_for(BROWSER_PAINTED, after=after)
            opened.append(time.perf_counter() - sent)
            app.wait_for(ROWS_SHOWN, after=after)
            loaded.append(time.perf_counter() - sent)
            app.settle(0.5)
            os.write(app.fd, b"\x1b")  # out of the search box
            app.settle(0.5)
            os.write(app.fd, b"\x1b")  # back home, which counts the decks again
            app.settle(1.0)
            again.append(app.press("b", ROWS_SHOWN))
            app.settle(0.5)
            for n in range(1, len("defence") + 1):
                keys.append(app.press("defence"[n - 1], f"matching “{'defence'[:n]}”"))
                app.settle(0.2)
        finally:
            app.close()
    say(line("app: b to the browser painted", opened, "ms", "", 1e3))
    say(line("  to its first 200 rows (decks loaded first)", loaded, "ms", "", 1e3))
    say(line("app: b again, to the first 200 rows", again, "ms", "", 1e3))
    say(line("app: keystroke to its results painted", keys, "ms", "", 1e3))


def main() -> None:
    """Parse arguments, run every benchmark, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="deck sizes in cards (comma-separated)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per figure")
    parser.add_argument("--work", type=Path, help="keep generated decks and data here")
    parser.add_argument("--no-app", action="store_true", help="skip the terminal app figures")
    parser.add_argument(
        "--only",
        choices=("loading", "service", "cli", "app", "browser"),
        help="run one group of figures (the largest size for service and app)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="study-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        print(text, flush=True)

    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(REPO / "study"), str(HERE)], env=ENV, check=False
    )
    say(
        f"study benchmarks: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{args.runs} runs per figure, work folder {work}"
    )
    say(
        "load average before the run: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (other work on the machine slows every figure; ratios are taken within one run)"
    )
    try:
        wanted = (
            {args.only}
            if args.only
            else {"loading", "service", "cli", "app", "browser"}
            - ({"app", "browser"} if args.no_app else set())
        )
        if "loading" in wanted:
            for cards in sizes:
                bench_loading(work, cards, args.runs, say)
        if "service" in wanted:
            bench_service(work, max(sizes), args.runs, say)
        if "cli" in wanted:
            bench_cli(work, args.runs, say)
        if "app" in wanted:
            bench_app(work, max(sizes), args.runs, say)
        if "browser" in wanted:
            bench_browser(work, max(sizes), args.runs, say)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
