"""The deck-writing commands, run as a user runs them (``study.cli.main``) on real files."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from pathlib import Path

import pytest

from study.cli import main
from study.core.paths import Paths
from study.core.scheduling.scheduler import Rating
from study.core.service import Service

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = Path(__file__).resolve().parents[2].parent / "shared" / "sources"


@pytest.fixture
def home() -> Path:
    return Paths.resolve(None).user_decks


def _answers(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    prompts: list[str] = []
    feed: Iterator[str] = iter(answers)

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(builtins, "input", fake_input)
    return prompts


def test_new_creates_a_clean_deck_and_never_overwrites(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "My course"]) == 0
    path = home / "my-course.yaml"
    first = path.read_bytes()
    assert main(["lint", str(path)]) == 0
    assert "0 errors" not in capsys.readouterr().err  # "ok": no problem at all
    assert main(["new", "My course"]) == 1
    assert "already exists" in capsys.readouterr().err and path.read_bytes() == first
    other = home.parent / "elsewhere" / "exam-prep.yaml"
    assert main(["new", str(other), "--title", "Exam prep"]) == 0
    assert "title: Exam prep\nid: exam-prep" in other.read_text()


def test_new_with_a_folder_goes_into_the_decks_folder_and_add_then_works(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "sub/folder/my-deck"]) == 0
    path = home / "sub" / "folder" / "my-deck.yaml"
    assert path.is_file() and not (tmp_path / "sub").exists()
    out = capsys.readouterr().out
    assert out.endswith("add cards with 'study add my-deck'\n")
    add = ["add", "my-deck", "--type", "basic", "--set", "front=Q", "--set", "back=A", "-y"]
    assert main(add) == 0
    assert main(["new", "./here"]) == 0  # a path of its own: where it says
    assert (tmp_path / "here.yaml").is_file()
    assert f"add cards with 'study add {Path('here.yaml')}'" in capsys.readouterr().out


def test_add_without_questions(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["new", "My course"])
    path = home / "my-course.yaml"
    before = path.read_bytes()
    assert (
        main(
            [
                "add",
                "my-course",
                "--type",
                "list",
                "--set",
                "front=The Four Nos",
                "--set",
                "items=no alliances",
                "--set",
                "items=no bases",
                "-y",
            ]
        )
        == 0
    )
    assert "added card 'four-nos'" in capsys.readouterr().out
    after = path.read_bytes()
    assert after.startswith(before) and b"      - no alliances\n      - no bases\n" in after
    assert main(["add", str(path), "--type", "basic", "--set", "front=Q", "-y"]) == 1
    assert "back" in capsys.readouterr().err and path.read_bytes() == after
    assert main(["lint", str(path)]) == 0


def test_add_refuses_a_bundled_deck_by_id(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from study.core.paths import bundled_decks

    path = bundled_decks() / "asean" / "admm.yaml"
    before = path.read_bytes()
    try:
        assert (
            main(["add", "admm", "--type", "basic", "--set", "front=Q", "--set", "back=A", "-y"])
            == 1
        )
    finally:
        after = path.read_bytes()
        if after != before:  # never leave a test card in the bundled deck
            path.write_bytes(before)
    assert after == before
    err = capsys.readouterr().err
    assert (
        err.startswith("study: the bundled decks are replaced when study is updated")
        and err.count("\n") == 1
    )
    assert f"study add {path}" in err and str(home) in err


def test_add_asks_and_shows_errors_at_once(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["new", "My course"])
    path = home / "my-course.yaml"
    before = path.read_bytes()
    prompts = _answers(
        monkeypatch,
        [
            "choice",
            "Which body issued 806-NQ/QUTW?",
            "CMC",
            "Politburo",
            "CMC",
            "",
            "Politburo",
            "Secretariat",
            "",
            "documents",
            "",
            "",
            "y",
        ],
    )
    assert main(["add", "my-course"]) == 0
    out = capsys.readouterr().out
    assert "the answer 'CMC' is also a distractor" in out  # shown right after the distractors
    assert [p for p in prompts if p.startswith("id")] == [
        "id (stable name of the card) [body-issued-806-nq-qutw]: "
    ]
    text = path.read_text()
    assert text.startswith(before.decode())
    assert "distractors: [Politburo, Secretariat]\n    tags: [documents]\n" in text
    assert main(["lint", str(path)]) == 0


SOURCED = """\
title: Sourced
id: sourced
sources:
  - {id: book, title: The book}
cards:
  - id: one
    front: Q1
    back: A1
    source: {id: book, at: p. 1}
"""


def test_add_sets_a_source_and_where_in_it(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = home / "sourced.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SOURCED, encoding="utf-8")
    args = ["add", "sourced", "--type", "basic", "--set", "front=Q2", "--set", "back=A2"]
    assert main([*args, "--set", "source=book", "--set", "at=p. 3", "-y"]) == 0
    assert "    source: {id: book, at: p. 3}\n" in path.read_text()
    assert main([*args, "--set", "at=p. 4", "-y"]) == 2  # where, but in which source?
    assert "give --set source=ID too" in capsys.readouterr().err
    prompts = _answers(monkeypatch, ["basic", "Q3", "A3", "", "", "book", "chapter 2", "", "", "y"])
    assert main(["add", "sourced"]) == 0
    assert any(p.startswith("at (where in the source") for p in prompts)
    text = path.read_text()
    assert "    front: Q3\n    back: A3\n    source: {id: book, at: chapter 2}\n" in text
    assert main(["lint", str(path)]) == 0


def test_add_can_be_cancelled(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    main(["new", "My course"])
    path = home / "my-course.yaml"
    before = path.read_bytes()
    _answers(monkeypatch, ["basic", "Q", "A"])
    assert main(["add", "my-course"]) == 1  # input ends: nothing written
    assert path.read_bytes() == before


def test_ids_write_keeps_progress(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir(parents=True)
    path = home / "mine.yaml"
    text = "title: Mine\ncards:\n  - front: Year of the Four Nos white paper?\n    back: 2019\n"
    path.write_text(text)
    svc = Service(Paths.resolve(None))
    svc.load()
    old = "mine/" + next(c.id for c in svc.decks[-1].cards)
    svc.store.record_answer(old, svc.clock.now(), Rating.GOOD, 900, None, svc.scheduler, 8)
    svc.close()
    assert main(["ids", "mine"]) == 0
    assert "id: year-four-nos-white-paper" in capsys.readouterr().out and path.read_text() == text
    assert main(["ids", "--write", "mine"]) == 0
    out = capsys.readouterr().out
    assert (
        f"progress carried over: {old} -> mine/year-four-nos-white-paper (id added, 1 item)" in out
    )
    assert path.read_text() == text.replace(
        "  - front", "  - id: year-four-nos-white-paper\n    front"
    )
    assert main(["ids", "--orphans"]) == 0
    assert "0 items" in capsys.readouterr().err


def test_orphans_are_listed_and_pruned(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir(parents=True)
    (home / "gone.yaml").write_text("title: Gone\ncards:\n  - {id: a, front: q, back: r}\n")
    svc = Service(Paths.resolve(None))
    svc.load()
    svc.store.record_answer("gone/a", svc.clock.now(), Rating.GOOD, 900, None, svc.scheduler, 8)
    svc.close()
    (home / "gone.yaml").unlink()
    assert main(["ids", "--orphans"]) == 0
    captured = capsys.readouterr()
    assert "gone/a" in captured.out and "1 item" in captured.err
    assert main(["ids", "--orphans", "--prune"]) == 0
    assert "pruned the progress of 1 item; backup first:" in capsys.readouterr().out
    backups = list((svc.paths.backups).glob("before-prune-*.sqlite3"))
    assert len(backups) == 1  # the pruned progress can be restored
    main(["ids", "--orphans"])
    assert "0 items" in capsys.readouterr().err


def test_import_apkg_with_history_then_export(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            ["import", str(FIXTURES / "anki-current.apkg"), "--with-history", "--deck", "From Anki"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "9 cards imported, 1 skipped" in out and "imported 4 reviews" in out
    assert "Image Occlusion" in out
    deck = home / "from-anki.yaml"
    assert main(["lint", str(deck)]) == 0
    svc = Service(Paths.resolve(None))
    svc.load()
    assert svc.store.memory("from-anki/four-nos") is not None  # the answered card has its history
    svc.close()
    assert main(["import", str(FIXTURES / "anki-current.apkg"), "--deck", "From Anki"]) == 1
    assert "already exists" in capsys.readouterr().err
    for name in ("out.apkg", "out.csv", "out.tsv", "out.md"):
        assert main(["export", "from-anki", str(tmp_path / name)]) == 0
        assert (tmp_path / name).stat().st_size > 0
    assert main(["export", "from-anki", str(tmp_path / "out.md")]) == 1  # not without --force
    err = capsys.readouterr().err  # export has no -o: the message does not name one
    assert err.endswith("out.md already exists: give another FILE, or add --force to replace it\n")
    assert main(["export", "from-anki", str(tmp_path / "out.pdf")]) == 2  # a bad argument
    assert main(["import", str(tmp_path / "out.apkg"), "--deck", "Back again"]) == 0
    assert (home / "back-again.yaml").read_text().count("  - id:") == 9


def test_import_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.apkg"
    bad.write_text("no")
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not an Anki package" in err
    assert main(["import", str(tmp_path / "missing.csv")]) == 2  # bad arguments
    assert main(["import", str(FIXTURES / "anki-notes.txt"), "--with-history"]) == 2


def test_draft_writes_a_deck_and_never_overwrites(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("study.core.authoring.draft")
    text = tmp_path / "notes.txt"
    text.write_text(
        "On 31 December 2013 the Central Military Commission issued Resolution 806-NQ/QUTW "
        "on international integration and defence diplomacy.\n",
        encoding="utf-8",
    )
    out = tmp_path / "draft.yaml"
    assert main(["draft", str(text), "-o", str(out)]) == 0
    assert "candidate cards" in capsys.readouterr().out and "806-NQ/QUTW" in out.read_text()
    first = out.read_bytes()
    assert main(["draft", str(text), "-o", str(out)]) == 1 and out.read_bytes() == first
    assert main(["draft", str(text), "-o", str(out), "--force"]) == 0
    assert main(["draft", str(text)]) == 0 and (home / "notes.yaml").exists()


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the source texts are not here")
def test_draft_on_the_source_texts(tmp_path: Path) -> None:
    pytest.importorskip("study.core.authoring.draft")
    for number, source in enumerate(sorted(SOURCES.glob("*.txt"))):
        out = tmp_path / f"d{number}.yaml"
        assert main(["draft", str(source), "-o", str(out)]) == 0, source
        assert main(["lint", str(out)]) == 0
