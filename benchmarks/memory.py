"""Memory figures of the process itself, stage by stage (standard library only: Anki's venv too).

Why not ``resource.getrusage(RUSAGE_SELF).ru_maxrss``: on Linux it is the largest of
this process's peak *and the peak of the process that started it* (the kernel keeps the
parent's high-water mark across fork and exec). A benchmark driver that holds 100,000
cards (90 MB) made every child it timed report at least 90 MB, whatever the child did.
``VmHWM`` in ``/proc/self/status`` is the peak of this process's own memory since its
exec; ``VmRSS`` is what it holds now. Where there is no ``/proc`` (macOS), ``ru_maxrss``
is the fallback for both.
"""

from __future__ import annotations

import resource
import statistics
import sys
from pathlib import Path

STATUS = Path("/proc/self/status")


def parse_status(text: str) -> dict[str, float]:
    """The ``Vm*`` and ``Rss*`` lines of a ``/proc/PID/status`` text, in MB."""
    figures: dict[str, float] = {}
    for row in text.splitlines():
        key, _, value = row.partition(":")
        parts = value.split()
        if key.startswith(("Vm", "Rss")) and len(parts) == 2 and parts[1] == "kB":
            figures[key] = int(parts[0]) / 1024
    return figures


def inherited_peak_mb() -> float:
    """``ru_maxrss`` in MB: on Linux at least the peak of the parent (see the module's text)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def figures() -> tuple[float, float]:
    """(held now, peak so far) of this process, in MB."""
    try:
        status = parse_status(STATUS.read_text(encoding="ascii"))
        return status["VmRSS"], status["VmHWM"]
    except (OSError, KeyError):
        peak = inherited_peak_mb()
        return peak, peak


def peak_mb() -> float:
    """The peak memory (resident set) of this process since it started, in MB."""
    return figures()[1]


class Stages:
    """Memory at named points of a run: ``mark("store")``; ``report()`` for JSON."""

    def __init__(self) -> None:
        self.points: list[tuple[str, float, float]] = []

    def mark(self, name: str) -> None:
        """Note what this process holds now and its peak so far."""
        self.points.append((name, *figures()))

    def report(self) -> dict[str, object]:
        """The stages in order ``[[name, rss_mb, peak_mb], ...]``, the peak, and ``ru_maxrss``."""
        return {
            "stages": [list(point) for point in self.points],
            "rss_mb": peak_mb(),
            "ru_maxrss_mb": inherited_peak_mb(),
        }


def stage_medians(reports: list[dict[str, object]]) -> list[tuple[str, float, float]]:
    """(stage, median MB held, median peak MB) over the runs, in the order of the stages."""
    stages = [r["stages"] for r in reports]
    return [
        (
            str(points[0][0]),
            statistics.median(float(p[1]) for p in points),
            statistics.median(float(p[2]) for p in points),
        )
        for points in zip(*stages, strict=True)  # type: ignore[call-overload]
    ]
