"""The service's decks: where they are read from, loading them, and their catalog.

``DeckPart`` holds one ``decks.collection.Decks``: the catalog of the decks as last loaded stands
in (``open_catalog``) until ``load`` swaps in the decks read from their files; every question
about the decks goes to whichever is there, without asking which.

May import: ``decks``, ``review.browse`` and the basics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from study.core.clock import Clock
from study.core.config import Config
from study.core.decks.cache import DeckCache
from study.core.decks.catalog import Catalog, is_settled, signature, write
from study.core.decks.collection import Catalogued, Decks, Loaded
from study.core.decks.model import Card, Deck, Item, LoadResult, Problem
from study.core.decks.watch import FileState, scan
from study.core.paths import Paths, bundled_decks
from study.core.service.base import Base

if TYPE_CHECKING:
    from study.core.review.browse import CardIndex


class DeckPart(Base):
    """The settings, the store and the decks."""

    def __init__(
        self,
        paths: Paths,
        *,
        clock: Clock | None = None,
        deck_roots: Sequence[Path] | None = None,
        config: Config | None = None,
    ) -> None:
        super().__init__(paths, clock=clock, config=config)
        self._roots = list(deck_roots) if deck_roots is not None else None
        self._decks: Decks = Loaded(LoadResult())
        """The decks: loaded (none yet), or their catalog standing in until ``load``."""
        self.loaded = LoadResult()
        """The last load's decks and problems (empty before the decks are loaded)."""
        self.ready = False
        """True once the decks have been loaded (the app loads them after its first paint)."""
        self.catalog: Catalog | None = None
        """The catalog of the decks as last loaded, when it was current (``open_catalog``)."""
        self._catalog_signature = b""
        self.catalog_files: dict[str, FileState] = {}
        """The deck files as they were when the catalog was found current (the app's watcher starts
        there)."""
        self._snapshot: tuple[bytes, bool] | None = None
        """The signature of the deck files the last load read, and whether they had settled."""

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
        from study.core.decks.loader import load_decks  # yaml and the parser: 23 ms a start

        roots = self.deck_roots()
        if files is None:  # before reading: a file changed during the load makes a stale signature
            files = scan(roots)
        loaded = load_decks(roots, DeckCache(self.paths.cache), polite=polite)
        self._decks, self.loaded = Loaded(loaded), loaded
        # a catalog made while a file could not be read would keep that error past its cause
        self._snapshot = (signature(roots, files), is_settled(files) and not loaded.transient)
        self.ready = True
        return self.loaded

    def open_catalog(self) -> bool:
        """Use the catalog of the decks as last loaded, if no deck file changed since (a fast
        start).

        Until the decks are loaded, it stands in for them (``decks.collection.Catalogued``): the
        counts, today's queue by deck, the deck files and cards, and the problems come from it;
        the items of a scope wait for ``load``.
        """
        roots = self.deck_roots()
        files = scan(roots)
        sig = signature(roots, files)
        catalog = Catalog.open(self.paths.catalog, sig, self.paths.database)
        if catalog is not None:
            self.catalog, self._catalog_signature, self.catalog_files = catalog, sig, files
            if not self.ready:
                self._decks = Catalogued(catalog)
        return catalog is not None

    def save_catalog(self) -> bool:
        """Write the catalog of the decks just loaded, unless it is already current.

        True if written.
        """
        if self._snapshot is None:
            return False
        sig, settled = self._snapshot
        if not settled or sig == self._catalog_signature:
            return False
        if write(self.paths.catalog, sig, self.loaded.decks, self.items, self.loaded.problems):
            self._catalog_signature = sig
            return True
        return False

    @property
    def decks(self) -> list[Deck]:
        """The decks that loaded."""
        return self.loaded.decks

    @property
    def items(self) -> Mapping[str, Item]:
        """Every item of the loaded decks, by key, in load order (none before the load)."""
        return self._decks.items

    @property
    def problems(self) -> list[Problem]:
        """Problems in the settings and the deck files."""
        return self.config_problems + self._decks.problems

    def deck(self, deck_id: str) -> Deck | None:
        """A deck by id; before the decks are loaded, its header from the catalog (no cards)."""
        return next((d for d in self._decks.decks if d.id == deck_id), None)

    def deck_files(self) -> dict[str, str]:
        """Each deck's file (as shown to the user), by deck id."""
        return self._decks.deck_files()

    def scope(self, names: Sequence[str]) -> tuple[list[str], str, list[str]]:
        """The deck ids that ``names`` stand for, a title for them, and the names that match
        nothing.

        A name is a deck id (as ``study decks`` lists them) or a folder of decks; no names
        is every deck (the ids are then empty, as ``start_review`` takes them).
        """
        if not names:
            return [], "All decks", []
        decks = self._decks.decks
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
        return self._decks.deck_cards(deck_id)

    def select(self, deck_ids: Iterable[str] = (), tags: Iterable[str] = ()) -> list[Item]:
        """The items of the given decks and/or tags (everything when both are empty)."""
        return self._decks.select(deck_ids, tags)

    def card_index(self, deck_ids: Iterable[str] = ()) -> CardIndex:
        """Every item of these decks (all: none given) for the card browser and ``study cards``."""
        from study.core.review.browse import CardIndex  # 11 ms, for the browser only

        return CardIndex(
            self.select(deck_ids),
            self.store,
            self.scheduler,
            self.clock,
            self.config.day_starts_at,
            {d.id: d.group for d in self.decks},
        )

    def close(self) -> None:
        """Close the database and the catalog."""
        if self.catalog is not None:
            self.catalog.close()
        super().close()
