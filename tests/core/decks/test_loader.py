"""Finding and reading deck files: hostile or broken files are refused one by one."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from study.core.decks import loader
from study.core.decks.loader import (
    MAX_BYTES,
    DeckFile,
    find_deck_files,
    load_decks,
    load_file,
    read_text,
)
from study.core.decks.model import Problem, Severity

GOOD = "title: Good\ncards:\n  - id: a\n    front: q\n    back: b\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write a file under ``folder`` (text as UTF-8), creating sub-folders."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def only_problem(path: Path) -> Problem:
    """The single problem loading ``path`` gives (and no deck)."""
    deck, problems = load_file(DeckFile(path, path.name))
    assert deck is None
    assert len(problems) == 1
    return problems[0]


def test_files_are_found_sorted_with_their_group(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", GOOD.replace("Good", "B"))
    write(tmp_path, "a.yml", GOOD)
    write(tmp_path, "notes.txt", "not a deck")
    write(tmp_path, ".hidden.yaml", "not: [valid")
    write(tmp_path, ".git/x.yaml", "not: [valid")
    write(tmp_path, "policy/mottos.yaml", GOOD.replace("Good", "Mottos"))
    write(tmp_path, "policy/sub/deep.yaml", GOOD.replace("Good", "Deep"))
    problems: list[Problem] = []
    files = list(find_deck_files([tmp_path], problems))
    assert problems == []
    assert [(f.path.relative_to(tmp_path).as_posix(), f.group) for f in files] == [
        ("a.yml", ""),
        ("b.yaml", ""),
        ("policy/mottos.yaml", "policy"),
        ("policy/sub/deep.yaml", "policy/sub"),
    ]
    result = load_decks([tmp_path])
    assert result.problems == []
    assert [d.id for d in result.decks] == ["a", "b", "mottos", "deep"]
    assert result.decks[2].group == "policy"


def test_a_file_given_twice_or_through_a_link_is_read_once(tmp_path: Path) -> None:
    deck = write(tmp_path, "decks/a.yaml", GOOD)
    os.symlink(deck, tmp_path / "decks" / "link.yaml")
    result = load_decks([tmp_path / "decks", deck])
    assert result.problems == []
    assert [d.id for d in result.decks] == ["a"]


def test_missing_root_is_reported(tmp_path: Path) -> None:
    result = load_decks([tmp_path / "nowhere"])
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'nowhere'}:1:1: error: no such file or folder"
    ]


def test_empty_file(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, "empty.yaml", b""))
    assert (
        str(problem) == "empty.yaml:1:1: error: the file is empty: a deck needs 'title' and 'cards'"
    )


def test_binary_file(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, "image.yaml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"))
    assert (problem.line, problem.col) == (1, 1)
    assert "binary file" in problem.message


def test_non_utf8_gives_the_position_of_the_bad_byte(tmp_path: Path) -> None:
    data = b"title: T\ncards:\n  - id: a\n    front: Caf\xe9 au lait\n    back: b\n"
    problem = only_problem(write(tmp_path, "latin1.yaml", data))
    assert str(problem) == "latin1.yaml:4:15: error: the file is not UTF-8 text: save it as UTF-8"


def test_non_utf8_on_the_first_line(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, "latin1.yaml", b"title: \xff\n"))
    assert (problem.line, problem.col) == (1, 8)


def test_utf8_with_a_bom_and_vietnamese_text_is_read(tmp_path: Path) -> None:
    text = "title: Ngoại giao quốc phòng\ncards:\n  - id: a\n    front: Bốn không\n    back: 2019\n"
    path = write(tmp_path, "vi.yaml", b"\xef\xbb\xbf" + text.encode("utf-8"))
    deck, problems = load_file(DeckFile(path, path.name))
    assert problems == []
    assert deck is not None and deck.title == "Ngoại giao quốc phòng"
    assert deck.cards[0].front == "Bốn không"


class CountingFile(io.RawIOBase):
    """A file object that counts the bytes read through it."""

    def __init__(self, path: Path, counter: list[int]) -> None:
        self.handle = open(path, "rb")  # noqa: SIM115 - closed in close()
        self.counter = counter

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.counter.append(len(data))
        return data

    def close(self) -> None:
        self.handle.close()
        super().close()


def test_a_file_over_the_limit_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(4 * 1024**3)  # 4 GiB, sparse: instant to make, no disk used
    counter: list[int] = []

    def counting_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        assert mode == "rb"
        return CountingFile(Path(file), counter)

    monkeypatch.setattr(loader, "open", counting_open, raising=False)
    problem = only_problem(path)
    assert (
        str(problem)
        == "huge.yaml:1:1: error: the file is larger than 8 MB: split it into several decks"
    )
    assert 0 < sum(counter) <= MAX_BYTES + 1


def test_a_file_just_under_the_limit_is_parsed(tmp_path: Path) -> None:
    header = "title: Big\ncards: []\n"
    padding = "#" * 99 + "\n"
    text = header + padding * ((MAX_BYTES - len(header)) // len(padding))
    assert len(text) <= MAX_BYTES
    deck, problems = load_file(DeckFile(write(tmp_path, "big.yaml", text), "big.yaml"))
    assert deck is not None
    assert [p.severity for p in problems] == [Severity.WARNING]  # no cards yet


def test_alias_bomb_file_is_refused(tmp_path: Path) -> None:
    lines = ["title: Bomb", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    lines.append("cards: *a8")
    problem = only_problem(write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n"))
    assert "alias bomb" in problem.message


def test_ten_thousand_deep_nesting_is_refused(tmp_path: Path) -> None:
    text = "title: Deep\ncards: " + "[" * 10_000 + "]" * 10_000 + "\n"
    problem = only_problem(write(tmp_path, "deep.yaml", text))
    assert str(problem) == "deep.yaml:2:71: error: nesting deeper than 64 levels: flatten the file"


def test_a_symlink_loop_in_a_decks_folder_is_reported_once(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    write(root, "a.yaml", GOOD)
    write(root, "sub/b.yaml", GOOD.replace("Good", "B"))
    os.symlink("..", root / "sub" / "loop")
    os.symlink(".", root / "self")
    result = load_decks([root])
    assert [d.id for d in result.decks] == ["a", "b"]
    loops = [p for p in result.problems if "loops back" in p.message]
    assert sorted(Path(p.path).name for p in loops) == ["loop", "self"]
    assert all(p.severity is Severity.ERROR for p in loops)
    assert len(result.problems) == 2


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.yaml", GOOD)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        problem = only_problem(path)
        assert problem.message.startswith("cannot read the file (Permission denied)")
        assert (problem.line, problem.col) == (1, 1)
    finally:
        path.chmod(0o600)


def test_a_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same path as above, for when the tests run as root (who can read a chmod 000 file)
    path = write(tmp_path, "secret.yaml", GOOD)

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(loader, "open", denied, raising=False)
    result = load_decks([tmp_path, tmp_path / "secret.yaml"])
    assert [str(p) for p in result.problems] == [
        f"{path}:1:1: error: cannot read the file (Permission denied): check its permissions"
    ]
    assert result.decks == []


def test_a_folder_read_error_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    text, problem = read_text(tmp_path, "a folder.yaml")
    assert text is None and problem is not None
    assert problem.message.startswith("cannot read the file")


def test_duplicate_deck_ids_across_files(tmp_path: Path) -> None:
    # the files of a folder come before its sub-folders: docs.yaml is read first
    write(tmp_path, "docs.yaml", GOOD)
    write(tmp_path, "a/other.yaml", "id: docs\n" + GOOD.replace("Good", "Other"))
    write(tmp_path, "b/docs.yaml", GOOD.replace("Good", "Third"))
    result = load_decks([tmp_path])
    assert [(d.id, d.title) for d in result.decks] == [("docs", "Good")]
    first = tmp_path / "docs.yaml"
    assert [str(p) for p in result.problems] == [
        (
            f"{tmp_path / 'a' / 'other.yaml'}:1:1: error: "
            f"deck id 'docs' is already used by {first}: set a different 'id' in one of them"
        ),
        (
            f"{tmp_path / 'b' / 'docs.yaml'}:1:1: error: "
            f"deck id 'docs' is already used by {first}: set a different 'id' in one of them"
        ),
    ]


def test_one_broken_file_never_stops_the_others(tmp_path: Path) -> None:
    write(tmp_path, "1-binary.yaml", b"\0\0\0")
    write(tmp_path, "2-latin1.yaml", b"title: \xe9\n")
    write(tmp_path, "3-syntax.yaml", "title: [\n")
    write(tmp_path, "4-good.yaml", GOOD)
    write(tmp_path, "5-list.yaml", "- a\n")
    write(tmp_path, "6-bad-card.yaml", GOOD + "  - id: b\n    front: q\n")
    with open(tmp_path / "7-huge.yaml", "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    write(tmp_path, "8-good.yaml", GOOD.replace("Good", "Also good"))
    result = load_decks([tmp_path])
    assert [d.id for d in result.decks] == ["4-good", "6-bad-card", "8-good"]
    assert [Path(p.path).name for p in result.errors] == [
        "1-binary.yaml",
        "2-latin1.yaml",
        "3-syntax.yaml",
        "5-list.yaml",
        "6-bad-card.yaml",
        "7-huge.yaml",
    ]
    assert [c.id for c in result.decks[1].cards] == ["a"]


def test_cards_without_ids_are_warnings_not_errors(tmp_path: Path) -> None:
    write(
        tmp_path,
        "d.yaml",
        "title: T\ncards:\n  - front: q1\n    back: a\n  - front: q2\n    back: a\n",
    )
    result = load_decks([tmp_path])
    assert result.errors == []
    assert [(p.line, p.col, p.severity) for p in result.problems] == [
        (3, 5, Severity.WARNING),
        (5, 5, Severity.WARNING),
    ]
    assert len(result.decks[0].cards) == 2


def test_a_read_error_is_not_cached_past_its_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `chmod 000` then back to 644 changes neither size nor mtime: the cache key is the same
    from study.core.decks.cache import DeckCache

    path = write(tmp_path / "decks", "deck.yaml", GOOD)
    os.utime(path, ns=(1_700_000_000 * 10**9,) * 2)  # settled: old enough to be cached
    cache = DeckCache(tmp_path / "cache")

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(loader, "open", denied, raising=False)
    failed = load_decks([tmp_path / "decks"], cache)
    assert failed.transient and "Permission denied" in failed.problems[0].message
    monkeypatch.undo()
    again = load_decks([tmp_path / "decks"], cache)
    assert [d.id for d in again.decks] == ["deck"] and again.problems == []
    assert not again.transient


def test_the_walk_stops_after_max_entries_and_max_depth_and_the_watcher_agrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from study.core.decks import walk
    from study.core.decks.watch import scan

    root = tmp_path / "decks"
    for n in range(6):
        write(root, f"d{n}.yaml", GOOD.replace("Good", f"D{n}"))
    write(root, "sub/s.yaml", GOOD.replace("Good", "S"))
    chain = "/".join(f"level{n}" for n in range(1, walk.MAX_DEPTH + 1))  # 16 folders deep
    write(root, f"{chain}/last.yaml", GOOD.replace("Good", "Last"))
    write(root, f"{chain}/deeper/bottom.yaml", GOOD.replace("Good", "Bottom"))
    problems: list[Problem] = []
    found = [f.path.name for f in find_deck_files([root], problems)]
    assert "last.yaml" in found and "bottom.yaml" not in found
    assert [str(p) for p in problems] == [
        f"{root}/{chain}/deeper:1:1: error: deeper than {walk.MAX_DEPTH} folders: skipped"
    ]
    assert sorted(Path(p).name for p in scan([root])) == sorted(found)

    monkeypatch.setattr(walk, "MAX_ENTRIES", 8)  # the root holds 6 files and 2 folders
    problems = []
    found = [f.path.name for f in find_deck_files([root], problems)]
    assert found == [f"d{n}.yaml" for n in range(6)]
    assert [str(p) for p in problems] == [
        f"{root}:1:1: error: more than 8 files and folders: the search stopped at {root}/level1; "
        "keep only decks here (a link to a big folder?)"
    ]
    assert sorted(Path(p).name for p in scan([root])) == sorted(found)
