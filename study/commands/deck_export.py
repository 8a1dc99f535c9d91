"""``study export DECK... FILE``: decks as an Anki package (with subdecks, and if asked the
review history), CSV/TSV with Anki headers, or Markdown."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from study.commands._common import CommandError, UsageError, refuse_existing, service
from study.commands._deck_files import deck_path, loaded
from study.core.authoring.atomic import atomic_write
from study.core.decks.model import Deck, expand
from study.core.paths import Paths
from study.core.words import plural

if TYPE_CHECKING:
    from study.core.authoring.interchange.apkg_history import HistoryWriter


def cmd_export(args: argparse.Namespace) -> int:
    """Write a deck as an Anki package, CSV/TSV with Anki headers, or Markdown."""
    out = Path(args.file).expanduser()
    suffix = out.suffix.casefold()
    if suffix not in (".apkg", ".csv", ".tsv", ".txt", ".md"):
        raise UsageError(f"{out}: unknown format: use .apkg, .csv, .tsv, .txt or .md")
    if args.with_history and suffix != ".apkg":
        raise UsageError("--with-history needs an Anki package (.apkg): text files hold no history")
    refuse_existing(out, args.force, "give another FILE")
    if len(args.deck) > 1 or Path(args.deck[0]).expanduser().is_dir():
        return _export_several(args, out, suffix)
    path = deck_path(args, args.deck[0])
    deck = loaded(args, path)
    out.parent.mkdir(parents=True, exist_ok=True)
    carried = None
    if suffix == ".apkg":
        from study.core.authoring.interchange.apkg_export import write_decks
        from study.core.authoring.interchange.subdecks import anki_name
        from study.core.clock import Clock

        finish = None
        now = Clock().now()
        if args.with_history:
            finish = _history_writer(args, deck)
            now = finish.now
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            root = Paths.resolve(args.data).user_decks  # a subdeck keeps its parents' names
            write_decks([(deck, anki_name(path, deck.title, root))], tmp, now, finish)
            atomic_write(out, tmp.read_bytes())
        finally:
            tmp.unlink(missing_ok=True)
        carried = finish.carried if finish is not None else None
    elif suffix == ".md":
        from study.core.authoring.interchange.markdown import write_markdown

        atomic_write(out, write_markdown(deck).encode("utf-8"))
    else:
        from study.core.authoring.interchange.csv_tsv import write_csv

        atomic_write(out, write_csv(deck, "," if suffix == ".csv" else "\t").encode("utf-8"))
    print(f"wrote {out}: {plural(len(deck.cards), 'card')} of deck {deck.id!r}")
    if carried is not None:
        print(
            f"  with the history: {plural(carried.reviews, 'review')}, "
            f"{plural(carried.cards, 'card')} with their schedule"
        )
    return 0


def _history_writer(args: argparse.Namespace, deck: Deck) -> HistoryWriter:
    """The step that adds the deck's review log and schedules to the package."""
    from study.core.authoring.interchange.apkg_history import HistoryWriter, collect

    svc = service(args, None)
    if not any(d.id == deck.id for d in svc.decks):
        svc = service(args, [str(deck.path)])
    keys = [item.key for card in deck.cards for item in expand(card)]
    store = svc.store
    history = collect(
        deck,
        {key: store.reviews_of(key) for key in keys},
        store.memories_of(keys),
        [key for key, flags in store.flags_of(keys).items() if flags.suspended],
    )
    return HistoryWriter(
        deck, history, svc.scheduler, svc.clock, svc.config.day_starts_at, svc.clock.now()
    )


def _export_several(args: argparse.Namespace, out: Path, suffix: str) -> int:
    """Several decks, or the decks of a folder, as one Anki package with subdecks: each is
    named by its folders and its title (``Geo/Europe.yaml`` -> ``Geo::Europe``)."""
    from study.core.authoring.interchange.apkg_export import write_decks
    from study.core.authoring.interchange.subdecks import anki_name
    from study.core.clock import Clock
    from study.core.decks.media import missing_media

    if suffix != ".apkg":
        raise UsageError(f"{out}: several decks go into one .apkg only; give one deck for {suffix}")
    decks: dict[str, tuple[Deck, str]] = {}
    for name in args.deck:
        folder = Path(name).expanduser()
        if folder.is_dir():
            svc = service(args, [str(folder)])
            for problem in svc.loaded.errors:
                print(problem, file=sys.stderr)
            if not svc.decks:
                raise CommandError(f"{folder}: no deck loads from this folder")
            found = [(d, folder.parent) for d in svc.decks]
        else:
            path = deck_path(args, name)
            root = Paths.resolve(args.data).user_decks
            base = root if path.resolve().is_relative_to(root.resolve()) else path.parent
            found = [(loaded(args, path), base)]
        for deck, base in found:
            if deck.id in decks and decks[deck.id][0].path != deck.path:
                raise CommandError(
                    f"deck id {deck.id!r} is used by {decks[deck.id][0].path} and {deck.path}"
                )
            decks[deck.id] = (deck, anki_name(deck.path, deck.title, base))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    chosen = [deck for deck, _ in decks.values()] if args.with_history else []
    writers = [_history_writer(args, deck) for deck in chosen]
    for writer in writers[1:]:
        writer.taken = writers[0].taken  # one revlog: ids unique across the decks

    def finish(db: sqlite3.Connection) -> None:
        for writer in writers:
            writer(db)

    now = writers[0].now if writers else Clock().now()
    try:
        notes = write_decks(list(decks.values()), tmp, now, finish if writers else None)
        atomic_write(out, tmp.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {out}: {plural(notes, 'card')} of {plural(len(decks), 'deck')}")
    if writers:
        reviews = sum(w.carried.reviews for w in writers)
        cards = sum(w.carried.cards for w in writers)
        print(
            f"  with the history: {plural(reviews, 'review')}, "
            f"{plural(cards, 'card')} with their schedule"
        )
    for deck, name in decks.values():
        print(f"  {name} ({plural(len(deck.cards), 'card')}, from {deck.display})")
        for problem in missing_media(deck):
            print(f"  left out: {problem}")
    return 0
