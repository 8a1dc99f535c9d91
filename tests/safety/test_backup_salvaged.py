"""The files ``study doctor`` salvages are listed by ``study backup --list``, marked as such.

They were left out of the list (their name matched no kind of backup), so the one place
a user looks for something to restore did not show what doctor had saved. They are never
taken for the latest good backup: they may lack answers the damaged file had.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from study.cli import main
from study.core.progress.backup import Kind, latest_good_backup, list_backups, make_backup
from study.core.progress.salvage import salvage
from tests.conftest import MovableClock
from tests.safety.test_backup import answered, rows


def test_backup_list_shows_salvaged_files_and_how_to_restore_one(
    tmp_path: Path, clock: MovableClock, capsys: pytest.CaptureFixture[str]
) -> None:
    service = answered(tmp_path, clock, 3)
    paths = service.paths
    good = make_backup(service.store, paths.backups, Kind.AUTO, clock())
    found = salvage(paths.database, paths.backups, clock() + timedelta(hours=1), service.scheduler)
    service.close()
    assert found.path is not None and found.path.name == "salvaged-20260302T100000Z.sqlite3"

    assert [b.kind for b in list_backups(paths.backups, salvaged=True)] == [
        Kind.SALVAGED,
        Kind.AUTO,
    ]
    assert list_backups(paths.backups) == [good]  # what restore and the recovery line use
    assert latest_good_backup(paths.backups) == good

    home = str(paths.data)
    assert main(["backup", "--list", "--data", home]) == 0
    out, err = capsys.readouterr()
    [salvaged_row] = [line for line in out.splitlines() if "salvaged-" in line]
    assert "salvaged (partial)" in salvaged_row
    assert (
        "restore one only when no backup is good, with "
        "'study restore salvaged-20260302T100000Z.sqlite3'" in err
    )
    assert main(["backup", "--list", "--json", "--data", home]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["kind"] for b in listed] == ["salvaged", "auto"]

    assert main(["restore", "--yes", found.path.name, "--data", home]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and len(rows(paths.database)) == 3
