"""Undo in a session takes back what was done last: an answer, a flag, a bury, a suspend."""

from __future__ import annotations

from pathlib import Path

import pytest

from study.core.progress.store import Flags
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from tests.conftest import MovableClock, make_service
from tests.core.review.test_session import basic_deck


@pytest.fixture
def service(tmp_path: Path, clock: MovableClock) -> Service:
    return make_service(tmp_path, {"d.yaml": basic_deck(4)}, clock)


def test_undo_after_a_suspend_takes_back_the_suspend_not_the_answer_before(
    service: Service,
) -> None:
    session = service.start_review()
    assert session.current is not None and session.current.key == "d/c0"
    session.answer(Rating.GOOD)
    assert session.current is not None and session.current.key == "d/c1"
    session.suspend()
    assert session.current is not None and session.current.key == "d/c2"
    step = session.undo_step()
    assert step is not None and (step.what, step.item.key) == ("suspend", "d/c1")
    assert session.current.key == "d/c1"
    assert service.store.flag("d/c1") == Flags()  # as it was
    assert len(service.store.reviews()) == 1  # the answer to c0 stands
    step = session.undo_step()  # then the answer before it
    assert step is not None and (step.what, step.item.key) == ("answer", "d/c0")
    assert service.store.reviews() == []
    assert session.undo_step() is None


def test_undo_a_bury_shows_the_card_again_and_keeps_the_rest_of_the_queue(service: Service) -> None:
    session = service.start_review()
    session.bury()
    assert service.store.flag("d/c0").buried_until is not None
    assert session.undo() is not None
    assert session.current is not None and session.current.key == "d/c0"
    assert service.store.flag("d/c0").buried_until is None
    assert [i.key for i in session.queue] == ["d/c1", "d/c2", "d/c3"]


def test_undo_a_flag_restores_the_flags_exactly(service: Service) -> None:
    service.store.set_flag("d/c0", suspended=False, flagged=False)  # a row with nothing set
    session = service.start_review()
    assert session.toggle_flag() is True
    step = session.undo_step()
    assert step is not None and step.what == "flag"
    assert service.store.flag("d/c0") == Flags()
    assert session.toggle_flag() is True
    assert session.toggle_flag() is False
    step = session.undo_step()
    assert step is not None and step.what == "unflag"
    assert service.store.flag("d/c0").flagged
    assert session.current is not None and session.current.key == "d/c0"


def test_undoing_a_suspension_keeps_a_leech_mark_it_had(service: Service) -> None:
    service.store.put_flags("d/c0", Flags(flagged=True, leech=True))
    session = service.start_review()
    session.suspend()
    session.undo()
    assert service.store.flag("d/c0") == Flags(flagged=True, leech=True)


def test_steps_are_undone_last_first_across_cards(service: Service) -> None:
    session = service.start_review()
    session.toggle_flag()  # c0 flagged
    session.answer(Rating.AGAIN)  # c0 answered: comes back later today
    session.suspend()  # c1 suspended
    whats = []
    while (step := session.undo_step()) is not None:
        whats.append((step.what, step.item.key))
    assert whats == [("suspend", "d/c1"), ("answer", "d/c0"), ("flag", "d/c0")]
    assert service.store.flags().get("d/c0", Flags()) == Flags()
    assert session.current is not None and session.current.key == "d/c0"
    assert session.answered == 0 and session.left == 4
