"""The deck-file watcher: which files it sees, what counts as a change, and the message it gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from study.core.decks.loader import find_deck_files, load_decks
from study.core.decks.model import Problem, Severity
from study.core.decks.watch import Changes, DeckWatcher, compare, describe, errors_in, scan

GOOD = "title: T\ncards:\n  - {id: a, front: q, back: a}\n"
BROKEN = "title: T\ncards:\n  - {id: a, front: q}\n  - {id: b, back: x}\n"
"""Two errors: each card misses a required key."""


def write(path: Path, text: str, mtime_ns: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    root = tmp_path / "decks"
    write(root / "one.yaml", GOOD)
    write(root / "policy" / "mottos.yml", GOOD)
    write(root / "policy" / "deep" / "more.yaml", GOOD)
    write(root / "notes.txt", "not a deck")
    write(root / ".hidden.yaml", GOOD)
    write(root / ".git" / "inside.yaml", GOOD)
    return root


def test_scan_sees_exactly_the_files_the_loader_reads(decks: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "linked.yaml"
    write(outside, GOOD)
    (decks / "policy" / "link.yaml").symlink_to(outside)
    (decks / "policy" / "deep" / "loop").symlink_to(decks / "policy", target_is_directory=True)
    (decks / "again.yaml").symlink_to(
        decks / "one.yaml"
    )  # the same file twice: read once, first name wins
    single = tmp_path / "single.yaml"
    write(single, GOOD)
    roots = [decks, single, tmp_path / "missing", outside]
    expected = {str(f.path) for f in find_deck_files(roots, [])}
    found = scan(roots)
    assert {str(Path(p)) for p in found} == expected
    assert len(found) == len(expected) == 5
    names = sorted(state.name for state in found.values())
    assert names == [
        "again.yaml",
        "policy/deep/more.yaml",
        "policy/link.yaml",
        "policy/mottos.yml",
        "single.yaml",
    ]


def test_nothing_changed_gives_empty_changes(decks: Path) -> None:
    watcher = DeckWatcher(lambda: [decks])
    changes = watcher.poll()
    assert not changes and changes.paths == ()


def test_added_modified_and_removed_files(decks: Path) -> None:
    watcher = DeckWatcher(lambda: [decks])
    write(decks / "one.yaml", GOOD + "  - {id: b, front: q2, back: a2}\n")
    write(decks / "policy" / "new.yaml", GOOD)
    (decks / "policy" / "mottos.yml").unlink()
    changes = watcher.poll()
    assert changes.added == (str(decks / "policy" / "new.yaml"),)
    assert changes.modified == (str(decks / "one.yaml"),)
    assert changes.removed == (str(decks / "policy" / "mottos.yml"),)
    assert [changes.name(p) for p in changes.paths] == [
        "policy/new.yaml",
        "one.yaml",
        "policy/mottos.yml",
    ]
    assert not watcher.poll()  # the new state is the baseline now


def test_same_size_edit_is_seen_by_its_modification_time(decks: Path) -> None:
    path = decks / "one.yaml"
    write(path, GOOD, mtime_ns=1_000_000_000_000_000_000)
    before = scan([decks])
    write(path, GOOD.replace("back: a", "back: b"), mtime_ns=1_000_000_000_000_000_001)
    assert compare(before, scan([decks])).modified == (str(path),)


def test_file_replaced_by_rename_is_seen_even_with_same_size_and_time(decks: Path) -> None:
    path = decks / "one.yaml"
    write(path, GOOD, mtime_ns=2_000_000_000_000_000_000)
    before = scan([decks])
    fresh = decks / ".one.yaml.tmp"
    write(fresh, GOOD.replace("back: a", "back: b"), mtime_ns=2_000_000_000_000_000_000)
    os.replace(fresh, path)  # as editors and atomic writers save
    assert compare(before, scan([decks])).modified == (str(path),)


def test_folder_created_after_start_is_watched(tmp_path: Path) -> None:
    root = tmp_path / "later"
    watcher = DeckWatcher(lambda: [root])
    write(root / "a.yaml", GOOD)
    assert watcher.poll().added == (str(root / "a.yaml"),)


def test_describe_one_file_with_errors_quotes_them(decks: Path) -> None:
    watcher = DeckWatcher(lambda: [decks])
    write(decks / "policy" / "mottos.yml", BROKEN)
    changes = watcher.poll()
    problems = load_decks([decks]).problems
    lines = describe(changes, problems).splitlines()
    assert lines[0] == "Reloaded policy/mottos.yml: 2 errors"
    assert lines[1:] == [
        "policy/mottos.yml:3: a basic card needs 'back': add it",
        "policy/mottos.yml:4: a basic card needs 'front': add it",
    ]
    assert [p.line for _, p in errors_in(changes, problems)] == [3, 4]


def test_describe_fixed_added_removed_and_several(decks: Path) -> None:
    watcher = DeckWatcher(lambda: [decks])
    write(decks / "one.yaml", GOOD + "# touched\n")
    assert describe(watcher.poll(), load_decks([decks]).problems) == "Reloaded one.yaml: no errors"
    write(decks / "two.yaml", GOOD)
    assert describe(watcher.poll(), []) == "Added two.yaml: no errors"
    (decks / "two.yaml").unlink()
    assert (
        describe(watcher.poll(), [])
        == "Removed two.yaml: its cards are gone (their progress is kept)"
    )
    write(decks / "one.yaml", BROKEN)
    write(decks / "three.yaml", GOOD)
    (decks / "policy" / "mottos.yml").unlink()
    message = describe(watcher.poll(), load_decks([decks]).problems)
    assert message.splitlines()[0] == (
        "Reloaded 3 deck files: three.yaml (no errors), one.yaml (2 errors), "
        "policy/mottos.yml (removed)"
    )


def test_describe_ignores_warnings_and_other_files() -> None:
    changes = Changes(modified=("d/a.yaml",), names={"d/a.yaml": "a.yaml"})
    problems = [
        Problem("d/a.yaml", 3, 1, "card has no 'id'", Severity.WARNING),
        Problem("d/b.yaml", 1, 1, "broken elsewhere"),
    ]
    assert describe(changes, problems) == "Reloaded a.yaml: no errors"


def test_watch_module_does_not_import_textual() -> None:
    code = (
        "import sys, study.core.decks.watch\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert out.stdout.strip() == ""


def test_a_chmod_is_seen_so_the_app_reloads_a_file_that_became_readable(decks: Path) -> None:
    # chmod 000 then 644 changes neither size nor time: the error stayed until the app restarted
    path = decks / "one.yaml"
    before = scan([decks])
    path.chmod(0)
    try:
        unreadable = scan([decks])
        assert compare(before, unreadable).modified == (str(path),)
    finally:
        path.chmod(0o644)
    assert compare(unreadable, scan([decks])).modified == (str(path),)
