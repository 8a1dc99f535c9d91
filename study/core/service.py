"""The facade the CLI and the terminal UI talk to.

It owns the settings, the loaded decks, the progress store, the scheduler and
the clock, and hands out study sessions and summaries. The UI never touches
the store or the scheduler directly.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from study.core.clock import Clock
from study.core.config import Config, load_config
from study.core.decks.catalog import is_settled
from study.core.decks.model import Card, Deck, Item, LoadResult, Problem, expand
from study.core.paths import Paths, bundled_decks
from study.core.progress.store import Flags, QuickCheck, Store, StoreError, WriteError
from study.core.review.queue import build_queue, is_available, practice_order
from study.core.review.session import Mode, StudySession
from study.core.scheduling.scheduler import NEW, Memory, Scheduler

if TYPE_CHECKING:
    from study.core.decks.catalog import Catalog
    from study.core.decks.watch import FileState
    from study.core.exams.marking import ExamResult
    from study.core.exams.plan import Forecast
    from study.core.exams.record import ExamRow
    from study.core.exams.sitting import ExamSession
    from study.core.exams.spec import ExamSpec
    from study.core.progress.backup import Backup
    from study.core.review.browse import CardIndex
    from study.core.review.counts import Counts, DeckSummary, Tally


class Service:
    """Everything a front end needs, behind one object."""

    def __init__(
        self,
        paths: Paths,
        *,
        clock: Clock | None = None,
        deck_roots: Sequence[Path] | None = None,
        config: Config | None = None,
    ) -> None:
        self.paths = paths
        self.clock = clock or Clock()
        self.config_problems: list[Problem] = []
        if config is None:
            config, self.config_problems = load_config(paths.config)
        try:
            self.scheduler = Scheduler(config, clock=self.clock)
        except (
            ValueError
        ) as exc:  # fitted parameters the fsrs package refuses: report them, use the defaults
            if not config.parameters:
                raise
            reason = str(exc).splitlines()[-1].strip()
            self.config_problems.append(
                Problem(
                    str(paths.config),
                    1,
                    1,
                    f"parameters are not usable ({reason}); using the default ()",
                )
            )
            config = replace(config, parameters=())
            self.scheduler = Scheduler(config, clock=self.clock)
        self.config = config
        self._roots = list(deck_roots) if deck_roots is not None else None
        self._store: Store | None = None
        self.quick_check: QuickCheck | None = None
        """A check of the database already under way (the app starts one before importing Textual).
        """
        self._store_lock = threading.Lock()
        self.notices: list[str] = []
        """Things done on the user's behalf that they should hear of once (loose permissions
        tightened when the database was opened), kept for the front end to show."""
        self.tell: Callable[[str], None] = self.notices.append
        """Where such a notice goes (the command line prints it at once instead)."""
        self.loaded = LoadResult()
        self.items: dict[str, Item] = {}
        self.ready = False
        """True once the decks have been loaded (the app loads them after its first paint)."""
        self.catalog: Catalog | None = None
        """The decks as last loaded, while the decks themselves are not (``open_catalog``)."""
        self._catalog_signature = b""
        self.catalog_files: dict[str, FileState] = {}
        """The deck files as they were when the catalog was found current (the app's watcher starts
        there)."""
        self._snapshot: tuple[bytes, bool] | None = None
        """The signature of the deck files the last load read, and whether they had settled."""

    def save_config(self, config: Config) -> None:
        """Write these settings to config.toml (its comments kept) and use them from now on: the
        scheduler is made again. SettingsError (one line) if the file cannot be written."""
        from study.core.settings import save_settings

        scheduler = Scheduler(config)
        save_settings(self.paths.config, config)
        self.config_problems = load_config(self.paths.config)[1]
        self.config, self.scheduler = config, scheduler

    # --- decks ---------------------------------------------------------------

    def deck_roots(self) -> list[Path]:
        """The folders and files decks are loaded from."""
        if self._roots is not None:
            return self._roots
        roots = [bundled_decks()] if self.config.bundled_decks else []
        roots.append(self.paths.user_decks)
        roots.extend(Path(p).expanduser() for p in self.config.deck_folders)
        return [r for r in roots if r.exists() or r != self.paths.user_decks]

    def load(
        self, *, polite: bool = False, files: dict[str, FileState] | None = None
    ) -> LoadResult:
        """(Re)load every deck; returns the decks and the problems found.

        With ``polite``, the loading thread lets others run between files (the app's screen).
        ``files`` is a scan of the deck files taken just before (the app's watcher has one);
        without it the files are scanned here.
        """
        from study.core.decks.cache import DeckCache
        from study.core.decks.catalog import signature
        from study.core.decks.loader import load_decks
        from study.core.decks.watch import scan

        roots = self.deck_roots()
        if files is None:  # before reading: a file changed during the load makes a stale signature
            files = scan(roots)
        loaded = load_decks(roots, DeckCache(self.paths.cache), polite=polite)
        self.items = {
            item.key: item for deck in loaded.decks for card in deck.cards for item in expand(card)
        }
        self.loaded = loaded
        # a catalog made while a file could not be read would keep that error past its cause
        self._snapshot = (signature(roots, files), is_settled(files) and not loaded.transient)
        self.ready = True
        return self.loaded

    def open_catalog(self) -> bool:
        """Use the catalog of the decks as last loaded, if no deck file changed since (a fast
        start).

        Until the decks are loaded, ``summaries``, ``start_review`` (by deck) and ``problems``
        then answer from it; everything else waits for ``load``.
        """
        from study.core.decks.catalog import Catalog, signature
        from study.core.decks.watch import scan

        roots = self.deck_roots()
        files = scan(roots)
        sig = signature(roots, files)
        catalog = Catalog.open(self.paths.catalog, sig, self.paths.database)
        if catalog is not None:
            self.catalog, self._catalog_signature, self.catalog_files = catalog, sig, files
        return catalog is not None

    def save_catalog(self) -> bool:
        """Write the catalog of the decks just loaded, unless it is already current.

        True if written.
        """
        from study.core.decks.catalog import write

        if self._snapshot is None:
            return False
        sig, settled = self._snapshot
        if not settled or sig == self._catalog_signature:
            return False
        if write(self.paths.catalog, sig, self.loaded.decks, self.items, self.loaded.problems):
            self._catalog_signature = sig
            return True
        return False

    def reconcile(self) -> list[str]:
        """Carry progress over to edited cards that have no id.

        One message per move (never silent).
        """
        from study.core.progress.carryover import carry_over

        moved = carry_over(self.store, self.clock, self.loaded, self.items)
        return [str(m) for m in moved]

    @property
    def decks(self) -> list[Deck]:
        """The decks that loaded."""
        return self.loaded.decks

    @property
    def _stand_in(self) -> Catalog | None:
        """The catalog while it stands in for the decks (open, and the decks not loaded yet)."""
        return None if self.ready else self.catalog

    @property
    def problems(self) -> list[Problem]:
        """Problems in the settings and the deck files."""
        catalog = self._stand_in
        return self.config_problems + (catalog.problems if catalog else self.loaded.problems)

    def _known_decks(self) -> list[Deck]:
        """The loaded decks; before the load, their headers from the catalog (without cards)."""
        catalog = self._stand_in
        return [head.deck for head in catalog.decks] if catalog else self.decks

    def deck(self, deck_id: str) -> Deck | None:
        """A deck by id; before the decks are loaded, its header from the catalog (no cards)."""
        return next((d for d in self._known_decks() if d.id == deck_id), None)

    def deck_files(self) -> dict[str, str]:
        """Each deck's file (as shown to the user), by deck id."""
        catalog = self._stand_in
        return catalog.deck_files() if catalog else {d.id: d.display for d in self.decks}

    def scope(self, names: Sequence[str]) -> tuple[list[str], str, list[str]]:
        """The deck ids that ``names`` stand for, a title for them, and the names that match
        nothing.

        A name is a deck id (as ``study decks`` lists them) or a folder of decks; no names
        is every deck (the ids are then empty, as ``start_review`` takes them).
        """
        if not names:
            return [], "All decks", []
        decks = self._known_decks()
        ids: list[str] = []
        unknown: list[str] = []
        for name in names:
            found = [d.id for d in decks if d.id == name] or [
                d.id for d in decks if d.group == name.rstrip("/")
            ]
            ids.extend(i for i in found if i not in ids)
            if not found:
                unknown.append(name)
        titles = {d.id: d.title for d in decks}
        title = titles[ids[0]] if len(names) == 1 and names[0] in titles else ", ".join(names)
        return ids, title, unknown

    def deck_cards(self, deck_id: str) -> Sequence[Card]:
        """Every card of a deck (read from the catalog before the decks are loaded)."""
        catalog = self._stand_in
        if catalog:
            return catalog.deck_cards(deck_id)
        deck = self.deck(deck_id)
        return deck.cards if deck is not None else ()

    def select(self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()) -> list[Item]:
        """The items of the given decks and/or tags (everything when both are empty)."""
        wanted_decks, wanted_tags = set(deck_ids), set(tags)
        return [
            item
            for item in self.items.values()
            if (not wanted_decks and not wanted_tags)
            or item.card.deck_id in wanted_decks
            or wanted_tags.intersection(item.card.tags)
        ]

    def card_index(self, deck_ids: Iterable[str] = ()) -> CardIndex:
        """Every item of these decks (all: none given) for the card browser and ``study cards``."""
        from study.core.review.browse import CardIndex

        return CardIndex(
            self.select(deck_ids),
            self.store,
            self.scheduler,
            self.clock,
            self.config.day_starts_at,
            {d.id: d.group for d in self.decks},
        )

    # --- progress ------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The progress database, opened on first use."""
        with self._store_lock:
            if self._store is None:
                try:
                    self.paths.ensure()
                except OSError as exc:
                    raise StoreError(
                        f"cannot use {self.paths.data} as the data folder "
                        f"({exc.strerror or exc}): choose another with --data or STUDY_HOME"
                    ) from None
                fixed = self.paths.tighten()
                if fixed:  # said once: the next start finds nothing to change
                    self.tell(
                        f"the data folder {self.paths.data} was open to other users: it and the "
                        f"progress files in it are now owner-only ({len(fixed)} changed)"
                        if all("readable by others" in line for line in fixed)
                        else "; ".join(fixed)
                    )
                self._store = Store(self.paths.database, self.quick_check)
                if self._store.recreated:
                    self._recreated(self._store)
                self._store.rebuild_pending(self.scheduler)  # once, after a migration asks
            return self._store

    def _recreated(self, store: Store) -> None:
        """Tables that had gone from the database were made again: rebuild the states, say so."""
        tables = store.recreated
        if "item_state" in tables:
            count = store.rebuild(self.scheduler)
            self.tell(
                f"the card states had gone from {self.paths.database}: {count} rebuilt "
                "from the review log"
            )
        lost = [t for t in tables if t != "item_state"]
        if lost:
            self.tell(
                f"{'the table' if len(lost) == 1 else 'the tables'} {', '.join(lost)} had gone "
                f"from {self.paths.database}: "
                "made again, empty (flags, exam history or settings in them are lost; "
                "'study restore' puts back a backup)"
            )

    def close(self) -> None:
        """Close the database (and the catalog)."""
        if self.catalog is not None:
            self.catalog.close()
        if self._store is not None:
            self._store.close()
            self._store = None

    def _tally(self, now: datetime) -> Tally:
        _, day_end = self.clock.day_bounds(now, self.config.day_starts_at)
        from study.core.review.counts import Tally  # not needed for a first card

        return Tally(self.scheduler, now, day_end, self.config.desired_retention)

    def counts(
        self,
        items: Iterable[Item],
        memories: dict[str, Memory],
        flags: dict[str, Flags],
        now: datetime,
    ) -> Counts:
        """Counts for a set of items at ``now``: suspended (or buried) ones, then the others by
        phase (new, learning, review); reviews due today, and reviews whose predicted recall is
        at least the desired retention (mastered)."""
        tally = self._tally(now)
        for item in items:
            tally.add(memories.get(item.key, NEW), flags.get(item.key))
        return tally.counts()

    def summaries(self) -> list[DeckSummary]:
        """Every deck with its counts now (from the catalog before the decks are loaded)."""
        catalog = self._stand_in
        if catalog:
            from study.core.review.quickstart import catalog_summaries

            return catalog_summaries(self, catalog)
        from study.core.review.counts import DeckSummary

        memories, flags, now = self.store.memories(), self.store.flags(), self.clock.now()
        by_deck: dict[str, list[Item]] = {}
        for item in self.items.values():
            by_deck.setdefault(item.card.deck_id, []).append(item)
        return [
            DeckSummary(
                deck, self.counts(by_deck.get(deck.id, []), memories, flags, now), len(deck.cards)
            )
            for deck in self.decks
        ]

    def new_left_today(self) -> int:
        """New cards that can still be introduced today: the daily limit less those seen today."""
        day_start, _ = self.clock.day_bounds(self.clock.now(), self.config.day_starts_at)
        new_items, _ = self.store.day_activity(day_start)
        return max(0, self.config.new_per_day - len(new_items))

    def can_review(self) -> bool:
        """Whether ``start_review`` by deck can run now (the decks, or their catalog, are there)."""
        return self.ready or self.catalog is not None

    def start_review(self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()) -> StudySession:
        """A scheduled study session over today's due, learning and new items."""
        deck_ids, tags = list(deck_ids), list(tags)
        catalog = self._stand_in
        if catalog and not tags:
            from study.core.review.quickstart import catalog_review

            return catalog_review(self, catalog, deck_ids)
        store, now = self.store, self.clock.now()
        day_start, day_end = self.clock.day_bounds(now, self.config.day_starts_at)
        memories = store.memories()
        new_items, reviews_done = store.day_activity(day_start)
        learning, others = build_queue(
            self.select(deck_ids, tags),
            memories,
            store.flags(),
            now,
            day_end,
            self.config,
            new_done=len(new_items),
            reviews_done=reviews_done,
            studied_today=store.studied_since(day_start),
            priority=self.queue_priority(memories, now),
        )
        session = StudySession(
            store, self.scheduler, self.config, self.clock, memories, Mode.REVIEW, day_end
        )
        session.load(learning, others)
        return session

    def start_practice(
        self,
        deck_ids: Iterable[str] = (),
        tags: Iterable[str] = (),
        *,
        hardest_first: bool = False,
        limit: int | None = None,
        seed: int | None = None,
    ) -> StudySession:
        """A practice (cram) session: answers are logged, the schedule is not touched.

        With ``hardest_first``, only the hard items, hardest first (``stats.rank_hardest``:
        studied ones with a low predicted recall, lapses or Again answers; never unseen ones).
        """
        store, now = self.store, self.clock.now()
        memories = store.memories()
        flags = store.flags()
        items = [i for i in self.select(deck_ids, tags) if is_available(i.key, flags, now)]
        seed = int(now.timestamp()) if seed is None else seed
        ordered = practice_order(
            items, memories, self.scheduler, now, hardest_first=False, seed=seed
        )
        if hardest_first:
            from study.core.stats.items import rank_hardest, recalls

            recall = recalls(ordered, memories, self.scheduler, now)
            target = self.config.desired_retention
            ordered = rank_hardest(ordered, memories, flags, recall, store.again_counts(), target)
        session = StudySession(
            store, self.scheduler, self.config, self.clock, memories, Mode.PRACTICE
        )
        session.load([], ordered[:limit] if limit else ordered)
        return session

    def practice_items(self, item_keys: Sequence[str]) -> StudySession:
        """A practice session over these items, in this order (e.g. the hardest cards of the
        statistics)."""
        memories = self.store.memories()
        items = [self.items[key] for key in item_keys if key in self.items]
        session = StudySession(
            self.store, self.scheduler, self.config, self.clock, memories, Mode.PRACTICE
        )
        session.load([], items)
        return session

    def due_items(
        self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()
    ) -> list[tuple[Item, Memory]]:
        """Items due by the end of today, earliest first."""
        now = self.clock.now()
        _, day_end = self.clock.day_bounds(now, self.config.day_starts_at)
        memories, flags = self.store.memories(), self.store.flags()
        due = [
            (item, memories[item.key])
            for item in self.select(deck_ids, tags)
            if item.key in memories
            and is_available(item.key, flags, now)
            and memories[item.key].due is not None
            and memories[item.key].due < day_end  # type: ignore[operator]
        ]
        due.sort(key=lambda pair: pair[1].due or now)
        return due

    # --- mock exams and the exam date ------------------------------------------

    def build_exam(self, spec: ExamSpec) -> ExamSession:
        """A mock exam to sit, saved when submitted; a seed is picked when the spec has none.

        Suspended items are left out. Raises ExamError when no question can be made.
        """
        from study.core.exams.sitting import ExamSession
        from study.core.exams.spec import build_exam

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
        """Keep a finished exam; count it as reviews if the settings say so.

        Raises WriteError when the disk refuses it (ReviewsNotSaved once the exam row is
        written); given the result again, it writes only what is missing: an exam that has
        its id is not stored twice, and an item already answered that day is not counted again.
        """
        from study.core.exams.record import ReviewsNotSaved, record_reviews, save_result

        saved = result if result.exam_id else save_result(self.store, result)
        if self.config.exam_counts_as_review:
            try:
                record_reviews(saved, self.store, self.scheduler, self.config, self.clock)
            except WriteError as exc:
                raise ReviewsNotSaved(saved, exc) from None
        return saved

    def exam_history(self, limit: int | None = None) -> list[ExamRow]:
        """Past exams with their scores, newest first."""
        from study.core.exams.record import exam_history

        return exam_history(self.store, limit)

    def exam_result(self, exam_id: int) -> ExamResult | None:
        """A past exam, marked (None if there is no such exam)."""
        from study.core.exams.record import load_result

        return load_result(self.store, exam_id)

    def retake_mistakes(self, exam_id: int, seed: int | None = None) -> ExamSession:
        """An exam of the questions missed in exam ``exam_id``: the same items and kinds."""
        from study.core.exams.spec import ExamError

        result = self.exam_result(exam_id)
        if result is None:
            raise ExamError(f"there is no exam {exam_id}; 'study exam --history' lists them")
        if not result.mistakes:
            raise ExamError(f"exam {exam_id} has no mistakes to retake")
        return self.build_exam(result.retake_spec(seed))

    @property
    def exam_date(self) -> date | None:
        """The exam date the user set, if any."""
        from study.core.exams.plan import META_KEY

        value = self.store.get_meta(META_KEY)
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def set_exam_date(self, day: date | None) -> None:
        """Set (or with None clear) the exam date."""
        from study.core.exams.plan import META_KEY

        self.store.set_meta(META_KEY, day.isoformat() if day else None)

    @property
    def exam_target(self) -> float:
        """The recall to aim for on the exam day (``study plan --target``; else 0.9)."""
        from study.core.exams.plan import DEFAULT_TARGET, TARGET_KEY

        value = self.store.get_meta(TARGET_KEY)
        try:
            return float(value) if value else DEFAULT_TARGET
        except ValueError:
            return DEFAULT_TARGET

    def set_exam_target(self, target: float) -> None:
        """Keep the recall to aim for on the exam day (the app's plan uses it too)."""
        from study.core.exams.plan import TARGET_KEY

        self.store.set_meta(TARGET_KEY, f"{target:g}")

    def forecast(
        self,
        exam_date: date | None = None,
        target: float | None = None,
        deck_ids: Iterable[str] = (),
        tags: Iterable[str] = (),
    ) -> Forecast:
        """Readiness on the exam date (the one set when none is given) and the daily plan,
        aiming at ``target`` (the one kept when none is given)."""
        from study.core.exams.plan import PlanError, forecast

        day = exam_date or self.exam_date
        if day is None:
            raise PlanError("no exam date is set: 'study plan --exam YYYY-MM-DD' sets one")
        return forecast(
            self.select(deck_ids, tags),
            self.store.memories(),
            self.store.flags(),
            self.scheduler,
            self.config,
            self.clock,
            day,
            self.exam_target if target is None else target,
        )

    def queue_priority(
        self, memories: dict[str, Memory], now: datetime
    ) -> Callable[[Item], float] | None:
        """While an exam date is set: lowest predicted recall on the exam day first."""
        exam_at = self.exam_moment(now)
        if exam_at is None:
            return None
        from study.core.exams.plan import exam_priority

        return exam_priority(self.scheduler, memories, exam_at)

    def exam_moment(self, now: datetime) -> datetime | None:
        """When the exam set is assumed to be taken (None without an exam date, or once it
        is past)."""
        day = self.exam_date
        if day is None or day < self.clock.study_day(now, self.config.day_starts_at):
            return None
        # imported only with an exam date (not at every start)
        from study.core.exams.plan import exam_moment

        return exam_moment(self.clock, day, self.config.day_starts_at, now)

    def auto_backup(self) -> Backup | None:
        """Back up the progress database once per study day (the app calls this at start).

        Returns the new backup, or None when one was made earlier this study day or there is
        no progress yet. Older automatic backups are thinned out to 7 daily, 4 weekly and 12
        monthly ones. Raises BackupError (one line) if it cannot be written: studying can go on.
        """
        from study.core.progress.backup import auto_backup

        starts = self.config.day_starts_at
        return auto_backup(
            self.store,
            self.paths.backups,
            self.clock.now(),
            lambda moment: self.clock.study_day(moment, starts),
        )
