"""Bad input, all of it: broken decks, hostile files, bad arguments, bad settings.

Every broken deck gives an error that names its file (and the line where there is
one), quickly and in bounded memory, and the other decks still load. The committed
corpus is ``tests/corpus/bad-input``: each file says on its first lines what it must give
(``# expect LINE: words of the message``, ``# cards: N`` for the cards that still
load, ``# expect-none``). Files too big or too odd to commit (100 MB, alias bombs,
10,000-deep nesting, symlink loops, unreadable files) are written here, into a
temporary folder. Times and memory are printed (``pytest -s``), and asserted only
with generous bounds that catch a hang or a whole-file read.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from study.cli import main
from study.core.config import Config, load_config
from study.core.decks.loader import LoadResult, load_decks
from study.core.decks.model import Severity

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "bad-input"
HEADER = re.compile(rb"# expect (\d+): (.+)")
HEADERLESS = {"utf-16.yaml": [(1, "binary")]}
"""Corpus files that cannot carry a header (not UTF-8 text), with what they must give."""
"""Far above the real figures (printed): only a hang or a quadratic blow-up trips it."""
MEMORY_BOUND = 50 * 1024 * 1024

FIGURES: list[str] = []


@dataclass(frozen=True)
class Expected:
    """What a corpus file must give."""

    errors: list[tuple[int, str]]
    cards: int | None


def expected(path: Path) -> Expected:
    """Read a corpus file's header."""
    if path.name in HEADERLESS:
        return Expected(HEADERLESS[path.name], None)
    errors: list[tuple[int, str]] = []
    cards = None
    for line in path.read_bytes().splitlines()[:3]:
        if match := HEADER.fullmatch(line.strip()):
            errors.append((int(match.group(1)), match.group(2).decode()))
        elif line.startswith(b"# cards: "):
            cards = int(line.split(b":")[1])
    return Expected(errors, cards)


def measured(load: Callable[[], LoadResult], label: str) -> tuple[LoadResult, float, int]:
    """Run a load twice, timed then under tracemalloc; return it, its seconds and its peak bytes."""
    started = time.perf_counter()
    result = load()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        load()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    FIGURES.append(f"{label:<40} {seconds * 1000:8.1f} ms  peak {peak / 1e6:7.2f} MB")
    assert peak < MEMORY_BOUND, f"{label} used {peak / 1e6:.0f} MB"
    return result, seconds, peak


@pytest.fixture(scope="module", autouse=True)
def _print_figures() -> object:
    yield
    if FIGURES:
        print("\nload times and peak memory:\n" + "\n".join(FIGURES))


def errors_of(result: LoadResult, path: Path) -> list[tuple[int, str]]:
    return [
        (p.line, p.message)
        for p in result.problems
        if p.path == str(path) and p.severity is Severity.ERROR
    ]


SINGLE = sorted(p for p in CORPUS.glob("*.y*ml"))


@pytest.mark.parametrize("path", SINGLE, ids=lambda p: p.name)
def test_each_corpus_file_gives_its_error(path: Path) -> None:
    want = expected(path)
    result, _, _ = measured(lambda: load_decks([path]), path.name)
    got = errors_of(result, path)
    for line, words in want.errors:
        assert any(
            line == got_line and words.casefold() in message.casefold() for got_line, message in got
        ), f"{path.name}: expected line {line} '{words}', got {got}"
    if not want.errors:
        assert got == []
    for problem in result.problems:
        assert problem.path == str(path) and problem.line >= 1 and problem.col >= 1
        assert "\n" not in str(problem)
    if want.cards is not None:
        assert [len(d.cards) for d in result.decks] == [want.cards]


def test_the_whole_corpus_folder_loads_what_is_good() -> None:
    result, _, _ = measured(lambda: load_decks([CORPUS]), "the whole corpus folder")
    decks = {d.id: d for d in result.decks}
    assert len(decks["good"].cards) == 3
    for path in sorted(CORPUS.rglob("*.y*ml")):
        for line, words in expected(path).errors:
            assert any(
                line == at and words.casefold() in m.casefold() for at, m in errors_of(result, path)
            ), path
    # duplicate deck ids across files: the first (in sorted order) loads, the other is reported
    assert decks["shared-id"].display.endswith("a-first.yaml")
    assert decks["twin"].display.endswith("one/twin.yaml")


# --- hostile files, generated --------------------------------------------------------------


def write_big(path: Path, size: int) -> None:
    """A deck-looking YAML file of ``size`` bytes."""
    line = b"  - {id: c, front: a question that is long enough, back: and an answer}\n"
    with open(path, "wb") as handle:
        handle.write(b"title: Big\ncards:\n")
        chunk = line * (1024 * 1024 // len(line))
        written = 0
        while written < size:
            handle.write(chunk)
            written += len(chunk)


def alias_bomb(path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    path.write_text(
        "title: Bomb\ncards: []\nbomb:\n" + "\n".join("  " + line for line in lines) + "\n"
    )


def deep(opening: str, closing: str, depth: int = 10_000) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(f"title: Deep\ncards: {opening * depth}{closing * depth}\n")

    return write


def deep_block(path: Path, depth: int = 10_000) -> None:
    path.write_text("title: Deep\ncards:\n  " + "- " * depth + "x\n")  # "- - - x": lists in lists


def deep_mapping_block(path: Path, depth: int = 3_000) -> None:
    """Indented keys: 3,000 levels already take 4.5 MB (10,000 would hit the size limit first)."""
    lines = ["title: Deep", "cards: []", "extra:"] + [" " * (n + 1) + "k:" for n in range(depth)]
    path.write_text("\n".join(lines) + " x\n")


def long_line(path: Path) -> None:
    path.write_text("title: " + "x" * 5_000_000 + "\ncards: [\n")


def many_cards_broken_at_end(path: Path) -> None:
    cards = "".join(f"  - {{id: c{n}, front: q{n}, back: a{n}}}\n" for n in range(20_000))
    path.write_text("title: Many\ncards:\n" + cards + "  - {id: broken, front: [\n")


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[Path], None]
    words: str
    line: int | None = None


HOSTILE = [
    Hostile("empty.yaml", lambda p: p.write_bytes(b""), "empty", 1),
    Hostile("whitespace.yaml", lambda p: p.write_text("\n   \n \n"), "empty", None),
    Hostile("tab-on-blank-line.yaml", lambda p: p.write_text("\n   \n\t\n"), "invalid YAML", 3),
    Hostile("huge-100mb.yaml", lambda p: write_big(p, 100 * 1024 * 1024), "larger than", 1),
    Hostile("just-over-limit.yaml", lambda p: write_big(p, 8 * 1024 * 1024 + 1), "larger than", 1),
    Hostile("alias-bomb.yaml", alias_bomb, "alias bomb"),
    Hostile("deep-flow-list.yaml", deep("[", "]"), "nesting deeper"),
    Hostile("deep-flow-map.yaml", deep("{a: ", "}"), "nesting deeper"),
    Hostile("deep-block-list.yaml", deep_block, "nesting deeper"),
    Hostile("deep-block-map.yaml", deep_mapping_block, "nesting deeper"),
    Hostile("long-line.yaml", long_line, "invalid YAML"),
    Hostile("many-cards-broken-at-end.yaml", many_cards_broken_at_end, "invalid YAML"),
    Hostile("nul-in-text.yaml", lambda p: p.write_bytes(b"title: T\x00\ncards: []\n"), "binary", 1),
    Hostile("random-bytes.yaml", lambda p: p.write_bytes(bytes(range(256)) * 64), "binary", 1),
    Hostile(
        "bad-utf8-line-4.yaml",
        lambda p: p.write_bytes(b"title: T\ncards:\n  - {id: a,\n    front: \xc3\x28}\n"),
        "not UTF-8",
        4,
    ),
]


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.name)
def test_hostile_file_is_refused_quickly_in_bounded_memory(case: Hostile, tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "good.yaml").write_bytes((CORPUS / "good.yaml").read_bytes())
    path = folder / case.name
    case.make(path)
    result, _, _ = measured(lambda: load_decks([folder]), case.name)
    got = errors_of(result, path)
    assert got, f"{case.name}: no error"
    line, message = got[0]
    assert case.words.casefold() in message.casefold(), got
    if case.line is not None:
        assert line == case.line, got
    assert [d.id for d in result.decks] == ["good"]  # the rest still loads


def test_symlinks_loops_and_unreadable_files(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.yaml").write_bytes((CORPUS / "good.yaml").read_bytes())
    (folder / "sub" / "loop").symlink_to("..", target_is_directory=True)  # a folder loop
    (folder / "self.yaml").symlink_to("self.yaml")  # a file link to itself
    (folder / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    secret = folder / "secret.yaml"
    secret.write_text("title: Secret\ncards: []\n")
    secret.chmod(0)
    unreadable = not os.access(secret, os.R_OK)  # root reads anything: that case is skipped
    try:
        result, _, _ = measured(lambda: load_decks([folder]), "symlink loops and unreadable")
    finally:
        secret.chmod(0o600)
    assert sorted(d.id for d in result.decks) == ["good"] + ([] if unreadable else ["secret"])
    by_path = {p.path: p.message for p in result.problems if p.severity is Severity.ERROR}
    assert "cannot read" in by_path[str(folder / "self.yaml")]
    assert "cannot read" in by_path[str(folder / "dangling.yaml")]
    if unreadable:
        assert "permission" in by_path[str(secret)].casefold()
    assert any("loop" in p.message for p in result.problems)


def test_a_named_pipe_in_the_decks_folder_does_not_hang(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    code = (
        "import sys; from pathlib import Path; from study.core.decks.loader import load_decks; "
        "print(len(load_decks([Path(sys.argv[1])]).problems))"
    )
    try:
        subprocess.run(
            [sys.executable, "-c", code, str(folder)],
            timeout=5,
            capture_output=True,
            cwd=Path(__file__).resolve().parents[2],
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("loading a folder with a named pipe hangs")


# --- the command line on the corpus ----------------------------------------------------------

LINE = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")


def test_lint_reports_one_line_per_problem(kit: ModuleType, tmp_path: Path) -> None:
    result = kit.run_study(tmp_path / "home", "lint", str(CORPUS))
    assert result.returncode == 1
    kit.no_traceback(result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    assert len(lines) >= len(list(CORPUS.rglob("*.y*ml"))) - 3
    assert all(LINE.match(line) for line in lines), [bad for bad in lines if not LINE.match(bad)]


def test_decks_still_lists_the_good_deck(kit: ModuleType, tmp_path: Path) -> None:
    result = kit.run_study(tmp_path / "home", "decks", "--decks", str(CORPUS))
    assert result.returncode == 0, result.stderr
    kit.no_traceback(result.stderr)
    assert re.search(r"^good\s+3\s", result.stdout, re.MULTILINE)
    assert all(LINE.match(line) for line in result.stderr.splitlines())


# --- bad arguments ---------------------------------------------------------------------------

BAD_ARGUMENTS = [
    ["--nope"],
    ["nosuchcommand"],
    ["decks", "--nope"],
    ["decks", "extra"],
    ["due", "--deck"],
    ["--data"],
    ["restore", "a", "b"],
    ["doctor", "--prune=yes"],
    ["backup", "--list", "x"],
    ["stats", "--json=1"],
    ["lint", "--decks"],
    ["doctor", "--json", "--json", "--frobnicate"],
]


@pytest.mark.parametrize("argv", BAD_ARGUMENTS, ids=" ".join)
def test_bad_arguments_give_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err


def test_bad_arguments_in_a_real_process(kit: ModuleType, tmp_path: Path) -> None:
    result = kit.run_study(tmp_path / "home", "restore", "--yes", "--what")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    kit.no_traceback(result.stderr)


def test_a_data_folder_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # where a crash log would fall back to
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    code = main(["decks", "--data", str(not_a_folder), "--decks", str(CORPUS / "good.yaml")])
    err = capsys.readouterr().err
    assert code in (1, 2) and len(err.splitlines()) == 1 and "crash" not in err, err


# --- bad settings ----------------------------------------------------------------------------

BAD_CONFIG = """\
desired_retention = "high"
learning_steps = "1m"
new_per_day = 2.5
fuzz = "yes"
day_starts_at = 30
deck_folders = 3
parameters = [1, 2]
relearning_steps = ["10 minutes"]
leech_lapses = true
reviews_per_day = -1
no_such_setting = 1
"""


def test_bad_settings_one_line_each_defaults_used_command_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)  # a looser folder would be tightened, and that said on a line of its own
    (home / "config.toml").write_text(BAD_CONFIG, encoding="utf-8")
    config, problems = load_config(home / "config.toml")
    assert config == Config()
    assert sorted(p.line for p in problems) == list(range(1, 12))
    code = main(["decks", "--data", str(home), "--decks", str(CORPUS / "good.yaml")])
    out, err = capsys.readouterr()
    assert code == 0 and "good" in out
    lines = err.splitlines()
    assert len(lines) == 11, err
    for number, line in enumerate(sorted(lines, key=lambda text: int(text.split(":")[1])), 1):
        assert line.startswith(f"{home / 'config.toml'}:{number}:"), line
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content",
    [b"fuzz = \n", b"\xff\xfe garbage", b"[[[", b"a = 1\na = 2\n"],
    ids=["no-value", "not-utf8", "unclosed-table", "duplicate-key"],
)
def test_unreadable_settings_file(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)  # owner-only, as study makes it (else tightening is said too)
    (home / "config.toml").write_bytes(content)
    code = main(["decks", "--data", str(home), "--decks", str(CORPUS / "good.yaml")])
    out, err = capsys.readouterr()
    assert code == 0 and "good" in out
    assert len(err.splitlines()) == 1 and "config.toml:" in err and "defaults" in err, err


def test_settings_file_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)  # owner-only, as study makes it (else tightening is said too)
    (home / "config.toml").mkdir()
    code = main(["decks", "--data", str(home), "--decks", str(CORPUS / "good.yaml")])
    out, err = capsys.readouterr()
    assert code == 0 and "good" in out
    assert len(err.splitlines()) == 1 and "config.toml" in err, err


# --- the last line of defence ----------------------------------------------------------------


def test_an_unexpected_error_goes_to_the_crash_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from study.core.service import Service

    def broken(self: Service) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(Service, "summaries", broken)
    home = tmp_path / "home"
    code = main(["decks", "--data", str(home), "--decks", str(CORPUS / "good.yaml")])
    _, err = capsys.readouterr()
    assert code == 70
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    log = home / "crash.log"
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "something nobody expected" in text


WALK = """
import json, resource, sys, time
def peak_kb():  # this process's own peak (ru_maxrss keeps the parent's across exec)
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from pathlib import Path
from study.core.decks.loader import load_decks
from study.core.decks.watch import scan
started = time.perf_counter()
result = load_decks([Path(sys.argv[1])])
found = scan([Path(sys.argv[1])])
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "peak_kb": peak_kb(),
    "decks": [d.id for d in result.decks],
    "problems": [str(p) for p in result.problems],
    "scanned": len(found),
}))
"""


@pytest.mark.parametrize("target", ["/proc", "/"])
def test_a_link_to_a_system_folder_or_to_the_root_is_not_walked(
    tmp_path: Path, target: str
) -> None:
    # a link to /proc made `study decks` run past 60 s and 850 MB (/proc/self/root is /)
    import json

    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "good.yaml").write_bytes((CORPUS / "good.yaml").read_bytes())
    (folder / "link").symlink_to(target, target_is_directory=True)
    done = subprocess.run(
        [sys.executable, "-c", WALK, str(folder)],
        timeout=30,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    figures = json.loads(done.stdout)
    FIGURES.append(
        f"link to {target:<32} {figures['seconds'] * 1000:8.1f} ms  "
        f"peak RSS {figures['peak_kb'] / 1e3:7.2f} MB"
    )
    assert figures["peak_kb"] < 200_000  # the interpreter and the tool take about 40 MB
    assert "good" in figures["decks"]
    if target == "/proc":
        assert figures["problems"] == [
            f"{folder / 'link'}:1:1: error: the system folder /proc: skipped"
        ]
    else:  # the whole file system: its YAML files are tried as decks, until the bound
        stopped = [p for p in figures["problems"] if "the search stopped" in p]
        assert len(stopped) == 1 and stopped[0].startswith(
            f"{folder}:1:1: error: more than 20,000 files and folders: the search stopped at "
        )
