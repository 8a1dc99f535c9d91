"""Shared fixtures: a fixed clock, a temporary data folder, a service over given decks, and
the command line run in-process with its clock fixed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import study.commands._common as common
from study.cli import main
from study.core.clock import Clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.service import Service

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""The fixed 'now' of the tests: a Monday morning, after the day rollover."""

FUZZ_EXAMPLES = int(os.environ.get("STUDY_FUZZ_EXAMPLES") or 40)
"""Examples per fuzz test of hostile text (the app's fuzz test runs a tenth as many): small by
default so the suite stays fast; CI runs longer with ``STUDY_FUZZ_EXAMPLES=2000``."""

settings.register_profile(
    "hostile-text",
    derandomize=True,  # the same examples every run: a failure can be run again
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz_settings(share: float = 1.0) -> settings:
    """The ``hostile-text`` profile, with ``share`` of its examples (at least two)."""
    profile = settings.get_profile("hostile-text")
    return settings(profile, max_examples=max(2, round(profile.max_examples * share)))


REPO = Path(__file__).resolve().parents[1]
SHARED_SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the real user folders: STUDY_HOME points into the test's temp dir."""
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "UTC")
    yield


class MovableClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def make_service(
    tmp_path: Path, decks: dict[str, str], clock: MovableClock, **config: object
) -> Service:
    """A service over the given deck files (name -> YAML text), fuzz off, fixed clock in UTC."""
    folder = tmp_path / "decks"
    folder.mkdir(exist_ok=True)
    for name, text in decks.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    settings = Config(**{"fuzz": False, **config})  # type: ignore[arg-type]
    service = Service(
        Paths.resolve(tmp_path / "data"),
        clock=Clock(clock, UTC),
        deck_roots=[folder],
        config=settings,
    )
    service.load()
    return service


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("lint", ...)``: the exit code, stdout and stderr of ``study ...``."""

    def runner(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # --help and --version exit from argparse
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return runner


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The commands' clock, fixed (change ``now[0]`` to move it)."""
    moment = [T0]
    monkeypatch.setattr(common, "Clock", lambda: Clock(lambda: moment[0], UTC))
    return moment
