"""The benchmarks' memory figures: the process's own peak from /proc, stage by stage."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import memory

STATUS = """Name:\tpython3
VmPeak:\t  400000 kB
VmHWM:\t   96256 kB
VmRSS:\t   18432 kB
RssAnon:\t   10240 kB
Threads:\t1
"""


def test_status_lines_are_read_in_mb() -> None:
    figures = memory.parse_status(STATUS)
    assert figures["VmHWM"] == 94.0
    assert figures["VmRSS"] == 18.0
    assert figures["RssAnon"] == 10.0
    assert "Threads" not in figures and "Name" not in figures


def test_the_peak_is_the_status_high_water_mark_not_ru_maxrss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = tmp_path / "status"
    status.write_text(STATUS, encoding="ascii")
    monkeypatch.setattr(memory, "STATUS", status)
    monkeypatch.setattr(memory, "inherited_peak_mb", lambda: 500.0)
    assert memory.figures() == (18.0, 94.0)
    assert memory.peak_mb() == 94.0
    stages = memory.Stages()
    stages.mark("imports")
    stages.mark("first card")
    report = stages.report()
    assert report["stages"] == [["imports", 18.0, 94.0], ["first card", 18.0, 94.0]]
    assert report["rss_mb"] == 94.0
    assert report["ru_maxrss_mb"] == 500.0


def test_without_proc_ru_maxrss_is_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "STATUS", tmp_path / "missing")
    monkeypatch.setattr(memory, "inherited_peak_mb", lambda: 42.0)
    assert memory.figures() == (42.0, 42.0)
