"""``study sync``: the folder from --folder or the sync_folder setting; one-line errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from study.core.config import Config
from study.core.progress.store import Store
from study.core.scheduling.scheduler import Rating, Scheduler
from tests.conftest import T0, Run


def answer(data: Path, item: str, minutes: int) -> None:
    store = Store(data / "progress.sqlite3")
    scheduler = Scheduler(Config(fuzz=False))
    store.record_answer(item, T0 + timedelta(minutes=minutes), Rating.GOOD, 0, None, scheduler, 8)
    store.close()


def test_two_data_folders_meet_through_the_folder(tmp_path: Path, run: Run) -> None:
    one, two, folder = tmp_path / "one", tmp_path / "two", tmp_path / "shared"
    answer(one, "d/x", 0)
    answer(two, "d/y", 1)
    assert run("--data", str(one), "sync", "--folder", str(folder))[0] == 0
    (two).mkdir(exist_ok=True)
    (two / "config.toml").write_text(f'sync_folder = "{folder}"\n', encoding="utf-8")
    code, out, _ = run("--data", str(two), "sync")
    assert code == 0 and "1 answer sent, 1 received" in out
    code, out, _ = run("--data", str(one), "sync", "--folder", str(folder), "--json")
    assert out.strip() == '{"written": 0, "received": 1}'
    assert len(list(folder.glob("*.jsonl"))) == 2


def test_without_a_folder_the_error_is_one_line(tmp_path: Path, run: Run) -> None:
    code, _, err = run("--data", str(tmp_path / "d"), "sync")
    assert code == 1 and err.count("\n") == 1 and "no sync folder" in err
