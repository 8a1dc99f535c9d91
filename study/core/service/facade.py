"""The facade the CLI and the terminal UI talk to: ``Service``.

It hands out study sessions, summaries, exams and statistics, passing each core feature the
parts it uses (the decks, the store, the scheduler, the settings, the clock); the UI never
touches the store or the scheduler directly.

May import: every core feature.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from study.core.decks.model import Item
from study.core.exams import goal
from study.core.review import counts, queue
from study.core.review.practice import practice, practice_these
from study.core.review.session import StudySession
from study.core.scheduling.scheduler import Memory
from study.core.service.decks import DeckPart

if TYPE_CHECKING:
    from study.core.exams.marking import ExamResult
    from study.core.exams.plan import Forecast
    from study.core.exams.record import ExamRow
    from study.core.exams.sitting import ExamSession
    from study.core.exams.spec import ExamSpec
    from study.core.progress.backup import Backup
    from study.core.review.counts import DeckSummary
    from study.core.stats.figures import Scope, Stats


class Service(DeckPart):
    """Everything a front end needs, behind one object."""

    def reconcile(self) -> list[str]:
        """Carry progress over to edited cards that have no id.

        One message per move (never silent).
        """
        from study.core.progress.carryover import carry_over  # 12 ms, after the first paint

        return [str(moved) for moved in carry_over(self.store, self.clock, self.loaded, self.items)]

    def summaries(self) -> list[DeckSummary]:
        """Every deck with its counts now (from the catalog before the decks are loaded)."""
        return counts.summaries(self._decks, self.store, self.scheduler, self.config, self.clock)

    def new_left_today(self) -> int:
        """New cards that can still be introduced today: the daily limit less those seen today."""
        day_start, _ = self.clock.day_bounds(self.clock.now(), self.config.day_starts_at)
        new_items, _ = self.store.day_activity(day_start)
        return max(0, self.config.new_per_day - len(new_items))

    def can_review(self) -> bool:
        """Whether ``start_review`` by deck can run now (the decks, or their catalog, are there)."""
        return self.ready or self.catalog is not None

    def start_review(self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()) -> StudySession:
        """A scheduled study session over today's due, learning and new items (while an exam
        date is set, lowest predicted recall on the exam day first)."""
        store, starts = self.store, self.config.day_starts_at
        exam_at = partial(goal.moment, store, self.clock, starts)
        scope = (list(deck_ids), list(tags))
        return queue.review(
            self._decks, store, self.scheduler, self.config, self.clock, scope, exam_at
        )

    def start_practice(
        self,
        deck_ids: Iterable[str] = (),
        tags: Iterable[str] = (),
        *,
        hardest_first: bool = False,
        limit: int | None = None,
        seed: int | None = None,
    ) -> StudySession:
        """A practice (cram) session: answers are logged, the schedule is not touched
        (``review.practice.practice`` says which items, in which order)."""
        return practice(
            self.select(deck_ids, tags),
            self.store,
            self.scheduler,
            self.config,
            self.clock,
            hardest_first=hardest_first,
            limit=limit,
            seed=seed,
        )

    def practice_items(self, item_keys: Sequence[str]) -> StudySession:
        """A practice session over these items, in this order (e.g. the hardest cards of the
        statistics)."""
        items = [self.items[key] for key in item_keys if key in self.items]
        return practice_these(items, self.store, self.scheduler, self.config, self.clock)

    def due_items(
        self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()
    ) -> list[tuple[Item, Memory]]:
        """Items due by the end of today, earliest first."""
        return queue.due_items(self.select(deck_ids, tags), self.store, self.config, self.clock)

    def stats(self, scope: Scope | None = None) -> Stats:
        """Every figure of the statistics for a scope (everything when None)."""
        from study.core.stats.collect import collect  # 48 ms, for the statistics only
        from study.core.stats.figures import EVERYTHING

        return collect(
            list(self.items.values()),
            [deck.id for deck in self.decks],
            self.store,
            self.scheduler,
            self.config,
            self.clock,
            EVERYTHING if scope is None else scope,
        )

    # --- mock exams and the exam date ------------------------------------------

    def build_exam(self, spec: ExamSpec) -> ExamSession:
        """A mock exam to sit, saved when submitted; a seed is picked when the spec has none.

        Suspended items are left out. Raises ExamError when no question can be made.
        """
        from study.core.exams.sitting import ExamSession
        from study.core.exams.spec import build_exam  # the exams and the grader: 40 ms

        if spec.seed is None:
            spec = replace(spec, seed=random.SystemRandom().randrange(1_000_000))
        flags = self.store.flags()
        selected = [
            i
            for i in self.select(spec.decks, spec.tags)
            if not (i.key in flags and flags[i.key].suspended)
        ]
        exam = build_exam(spec, selected, self.items.values(), {d.id: d for d in self.decks})
        return ExamSession(exam, self.clock, self._exam_submitted)

    def _exam_submitted(self, result: ExamResult) -> ExamResult:
        """Keep a finished exam (``exams.record.keep_result``: WriteError when the disk refuses
        it)."""
        from study.core.exams.record import keep_result  # 40 ms (as build_exam's)

        return keep_result(result, self.store, self.scheduler, self.config, self.clock)

    def exam_history(self, limit: int | None = None) -> list[ExamRow]:
        """Past exams with their scores, newest first."""
        from study.core.exams.record import exam_history  # marking and grading: for a later screen

        return exam_history(self.store, limit)

    def exam_result(self, exam_id: int) -> ExamResult | None:
        """A past exam, marked (None if there is no such exam)."""
        from study.core.exams.record import load_result  # 40 ms (as build_exam's)

        return load_result(self.store, exam_id)

    def retake_mistakes(self, exam_id: int, seed: int | None = None) -> ExamSession:
        """An exam of the questions missed in exam ``exam_id``: the same items and kinds."""
        from study.core.exams.spec import ExamError  # 40 ms (as build_exam's

        result = self.exam_result(exam_id)
        if result is None:
            raise ExamError(f"there is no exam {exam_id}; 'study exam --history' lists them")
        if not result.mistakes:
            raise ExamError(f"exam {exam_id} has no mistakes to retake")
        return self.build_exam(result.retake_spec(seed))

    @property
    def exam_date(self) -> date | None:
        """The exam date the user set, if any."""
        return goal.exam_date(self.store)

    def set_exam_date(self, day: date | None) -> None:
        """Set (or with None clear) the exam date."""
        goal.set_exam_date(self.store, day)

    @property
    def exam_target(self) -> float:
        """The recall to aim for on the exam day (``study plan --target``; else 0.9)."""
        return goal.exam_target(self.store)

    def set_exam_target(self, target: float) -> None:
        """Keep the recall to aim for on the exam day (the app's plan uses it too)."""
        goal.set_exam_target(self.store, target)

    def forecast(
        self,
        exam_date: date | None = None,
        target: float | None = None,
        deck_ids: Iterable[str] = (),
        tags: Iterable[str] = (),
    ) -> Forecast:
        """Readiness on the exam date (the one set when none is given) and the daily plan,
        aiming at ``target`` (the one kept when none is given)."""
        items = self.select(deck_ids, tags)
        store, scheduler = self.store, self.scheduler
        return goal.plan_for(items, store, scheduler, self.config, self.clock, exam_date, target)

    def auto_backup(self) -> Backup | None:
        """Back up the progress database once per study day (the app calls this at start).

        Returns the new backup, or None when one was made earlier this study day or there is
        no progress yet. Older automatic backups are thinned out to 7 daily, 4 weekly and 12
        monthly ones. Raises BackupError (one line) if it cannot be written: studying can go on.
        """
        from study.core.progress.backup import auto_backup  # 3 ms, in the app's worker

        starts = self.config.day_starts_at
        return auto_backup(
            self.store,
            self.paths.backups,
            self.clock.now(),
            lambda moment: self.clock.study_day(moment, starts),
        )
