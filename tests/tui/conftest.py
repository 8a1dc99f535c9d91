"""What the app tests share: a service opened from a current decks' catalog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from study.core.clock import Clock
from study.core.config import Config
from study.core.paths import Paths
from study.core.service import Service
from tests.conftest import MovableClock, make_service
from tests.tui.test_study_flow import DECK

OLD_NS = 1_700_000_000 * 10**9


@pytest.fixture
def from_catalog(tmp_path: Path, clock: MovableClock) -> Service:
    """A service whose decks are not loaded, with a current catalog open (as ``study`` starts)."""
    first = make_service(
        tmp_path, {"demo.yaml": DECK, "more/other.yaml": DECK.replace("Demo", "Other")}, clock
    )
    for path in (tmp_path / "decks").rglob("*.yaml"):
        os.utime(path, ns=(OLD_NS, OLD_NS))
    first.load()
    assert first.save_catalog()
    first.close()
    service = Service(
        Paths.resolve(tmp_path / "data"),
        clock=Clock(clock),
        deck_roots=[tmp_path / "decks"],
        config=Config(fuzz=False),
    )
    _ = service.store
    assert service.open_catalog() and not service.ready
    return service
