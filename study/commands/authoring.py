"""Writing decks: ``study new``, ``add``, ``draft``, ``ids``, ``import`` and ``export``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from study.commands._common import (
    CommandError,
    CommandFactory,
    UsageError,
    refuse_existing,
    service,
)
from study.core.authoring.interchange.common import deck_id_for
from study.core.authoring.interchange.yamlout import card_block, new_deck_text
from study.core.authoring.writing import (
    AuthoringError,
    append_card,
    atomic_write,
    check_card,
    plan_ids,
    read_deck_text,
    suggest_id,
    write_ids,
)
from study.core.decks.model import CardType, Deck, Severity, expand
from study.core.decks.parse import ID, TYPE_KEYS
from study.core.paths import BUNDLED_READ_ONLY, Paths, is_bundled
from study.core.progress.carryover import carry_over, move_renamed, orphans

if TYPE_CHECKING:
    from study.core.authoring.interchange.apkg_history import HistoryWriter

if TYPE_CHECKING:
    from study.core.authoring.interchange.common import Imported
from study.core.words import plural

Ask = Callable[[str], str]
Say = Callable[[str], None]

LISTS = frozenset({"accept", "distractors", "items", "tags"})
BOOLS = frozenset({"reverse", "ordered"})
REQUIRED_KEYS = frozenset({"front", "back", "text", "answer", "items"})
HELP = {
    "front": "question",
    "back": "answer",
    "text": "sentence with {{c1::deletions}}",
    "answer": "the right answer",
    "reverse": "also ask back -> front? [y/N]",
    "ordered": "does the order matter? [y/N]",
    "accept": "other accepted answers, one per line; empty line ends",
    "distractors": "wrong options, one per line; empty line ends (none: drawn from similar cards)",
    "items": "one per line; empty line ends",
    "tags": "words separated by spaces (optional)",
    "source": "a source id of the deck (optional)",
    "at": "where in the source: page, article, paragraph (optional)",
    "explain": "shown after answering (optional)",
}


# --- where files go ------------------------------------------------------------


def _user_decks(args: argparse.Namespace) -> Path:
    paths = Paths.resolve(args.data)
    paths.ensure()
    return paths.user_decks


def _scratch(args: argparse.Namespace) -> Path:
    paths = Paths.resolve(args.data)
    paths.ensure()
    return paths.scratch


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def _deck_path(args: argparse.Namespace, name: str, *, own: bool = False) -> Path:
    """A deck given as a file path or as the id of a loaded deck (with ``own``, not a bundled one:
    an update of study replaces those files; its path can still be given)."""
    if _is_path(name) or Path(name).is_file():
        path = Path(name).expanduser()
        if not path.is_file():
            raise UsageError(f"{path}: no such deck file")
        return path
    svc = service(args)
    deck = next((d for d in svc.decks if d.id == name), None)
    if deck is None:
        known = ", ".join(sorted(d.id for d in svc.decks)) or "none"
        raise UsageError(f"no deck with id {name!r} (decks: {known}); give its file path instead")
    if own and is_bundled(deck.path):
        folder = Paths.resolve(args.data).user_decks
        raise CommandError(
            BUNDLED_READ_ONLY.format(folder=folder) + f"; to edit the bundled file anyway, "
            f"give its path: study add {deck.path}"
        )
    return deck.path


def _loaded(args: argparse.Namespace, path: Path) -> Deck:
    svc = service(args, [str(path)])
    if not svc.decks:
        raise CommandError(f"{path}: the deck does not load: run 'study lint {path}'")
    return svc.decks[0]


# --- study new -----------------------------------------------------------------


def _explicit(name: str) -> bool:
    """Whether a path names its own place (absolute, ~, ./ or ../); other paths (sub/deck) are
    in the decks folder."""
    return Path(name).expanduser().is_absolute() or name.startswith(("./", "../", ".\\", "..\\"))


def cmd_new(args: argparse.Namespace) -> int:
    """Create a deck file with one example of every card type (a relative path such as
    ``sub/folder/deck`` goes into the decks folder; ``./deck`` or an absolute one where it says)."""
    name: str = args.name
    if _is_path(name):
        path = Path(name).expanduser()
        if not _explicit(name):
            path = _user_decks(args) / path
        path = path if path.suffix in (".yaml", ".yml") else path.with_suffix(".yaml")
        title = args.title or path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
        deck_id = path.stem if ID.fullmatch(path.stem) else deck_id_for(path.stem)
    else:
        deck_id = deck_id_for(name)
        path = _user_decks(args) / f"{deck_id}.yaml"
        title = args.title or name
    if path.exists():
        raise CommandError(f"{path} already exists: pick another name (nothing was changed)")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write(
            path, new_deck_text(title, deck_id, str(path)).encode("utf-8"), overwrite=False
        )
    except FileExistsError:
        raise CommandError(
            f"{path} already exists: pick another name (nothing was changed)"
        ) from None
    print(f"created {path} (deck id {deck_id!r}) with one example card of each type")
    in_decks = path.resolve().is_relative_to(_user_decks(args).resolve())
    add = deck_id if in_decks else str(path)  # a deck elsewhere is not loaded: name its file
    print(
        f"next: edit it, then check it with 'study lint {path}'; add cards with 'study add {add}'"
    )
    return 0


# --- study add -----------------------------------------------------------------


def _parse_value(key: str, raw: str) -> object:
    if key in BOOLS:
        return raw.strip().casefold() in ("y", "yes", "true", "1")
    if key == "tags":
        return raw.split()
    return raw.strip()


def _ask_field(key: str, ask: Ask) -> object:
    if key in LISTS and key != "tags":
        values: list[str] = []
        while line := ask(f"  {key} {len(values) + 1}: ").strip():
            values.append(line)
        return values
    return _parse_value(key, ask(f"{key} ({HELP.get(key, '')}): "))


def prompt_card(
    text: str,
    path: Path,
    preset: dict[str, object],
    ask: Ask,
    say: Say,
    sources: list[str],
    *,
    interactive: bool = True,
) -> dict[str, object]:
    """Fill in a card field by field, showing each problem as soon as its field is entered.

    Not interactive, only the required fields that are missing are asked for (so ``ask``
    can refuse) and the id is the suggested one.
    """
    card: dict[str, object] = dict(preset)
    if "type" not in card:
        names = [t.value for t in CardType]
        say("Card types: " + ", ".join(f"{n}) {name}" for n, name in enumerate(names, 1)))
        while True:
            raw = ask("type [1-6 or name] (basic): ").strip().casefold() or "basic"
            choice = names[int(raw) - 1] if raw.isdigit() and 1 <= int(raw) <= 6 else raw
            if choice in names:
                card["type"] = choice
                break
            say(f"  unknown type {raw!r}: pick one of {', '.join(names)}")
    kind = CardType(str(card["type"]))
    if sources:
        say("Sources of this deck: " + ", ".join(sources))
    elif interactive:
        say("This deck lists no sources: add a 'sources:' list to it to cite one on its cards.")
    order = [*TYPE_KEYS[kind], "tags", *(["source"] if sources else []), "explain"]
    for key in order:
        if key in card or (not interactive and key not in REQUIRED_KEYS):
            continue
        while True:
            value = _ask_field(key, ask)
            if value in ("", [], False) and key not in REQUIRED_KEYS:
                break
            card[key] = value
            issues, _ = check_card(card, text, path, quick=True)
            mine = [i for i in issues if i.field == key and i.severity is Severity.ERROR]
            if not mine:
                break
            for issue in mine:
                say(f"  {issue.message}")
            del card[key]
        if key == "source" and isinstance(card.get("source"), str):
            at = str(_ask_field("at", ask))
            if at:
                card["source"] = {"id": card["source"], "at": at}
    if "id" not in card:
        proposed = suggest_id(card, text)
        card["id"] = (
            ask(f"id (stable name of the card) [{proposed}]: ").strip() if interactive else ""
        ) or proposed
    while True:
        issues, _ = check_card(card, text, path)
        errors = [i for i in issues if i.severity is Severity.ERROR]
        if not errors:
            return card
        if not interactive:
            raise CommandError("the card is not valid: " + "; ".join(str(i) for i in errors))
        for issue in errors:
            say(f"  {issue}")
        key = errors[0].field or "front"
        if key not in card and key not in [*order, "id"]:
            raise CommandError("the card is not valid: " + "; ".join(str(i) for i in errors))
        say(f"Enter '{key}' again:")
        card.pop(key, None)
        if key == "id":
            proposed = suggest_id(card, text)
            card[key] = ask(f"id [{proposed}]: ").strip() or proposed
        else:
            card[key] = _ask_field(key, ask)


def cmd_add(args: argparse.Namespace) -> int:
    """Append a card to a deck file, asking for its fields."""
    path = _deck_path(args, args.deck, own=True)
    text = read_deck_text(path)
    preset: dict[str, object] = {}
    if args.type:
        preset["type"] = args.type
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--set {item!r}: write KEY=VALUE, e.g. --set front='Question?'")
        if key in LISTS and key != "tags":
            preset.setdefault(key, [])
            preset[key].append(value)  # type: ignore[attr-defined]
        else:
            preset[key] = _parse_value(key, value)
    if "at" in preset:  # --set source=ID --set at=WHERE: the card's {id, at}
        if "source" not in preset:
            raise UsageError("--set at=... says where in a source: give --set source=ID too")
        preset["source"] = {"id": preset["source"], "at": preset.pop("at")}
    deck = None if args.yes else _loaded(args, path)
    sources = [s.id for s in deck.sources] if deck else []

    def ask(prompt: str) -> str:
        if args.yes:
            raise CommandError(
                f"missing a value for the card: {prompt.split(' (')[0].strip(': ')} "
                "(give it with --set KEY=VALUE)"
            )
        try:
            return input(prompt)
        except EOFError:
            raise CommandError("cancelled: nothing was added") from None

    card = prompt_card(text, path, preset, ask, print, sources, interactive=not args.yes)
    if not args.yes:
        print("\n".join(["", *card_block(card)[0], ""]))
        if ask(f"Add this card to {path}? [Y/n] ").strip().casefold() not in ("", "y", "yes"):
            print("nothing was added")
            return 1
    try:
        added = append_card(path, card)
    except AuthoringError as exc:
        raise CommandError(str(exc)) from None
    print(f"added card {added.id!r} to {path} (line {added.line})")
    return 0


# --- study draft ---------------------------------------------------------------

MAX_DRAFT_TEXT = 16 << 20
"""Largest text ``study draft`` reads (16 MiB: a deck file holds 8 MB)."""


def cmd_draft(args: argparse.Namespace) -> int:
    """Write a draft deck of candidate cards found in a text."""
    from study.core.authoring.draft import draft_deck
    from study.core.decks.parse import parse_deck

    source = Path(args.text_file)
    if not source.exists():
        raise UsageError(f"{source}: no such file")
    if not source.is_file():  # a pipe or a device could be endless
        raise CommandError(f"{source}: not a regular file: give a text file")
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_DRAFT_TEXT + 1)
        text = data.decode("utf-8")
    except OSError as exc:
        raise CommandError(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise CommandError(f"{source}: not UTF-8 text: save it as UTF-8") from None
    if len(data) > MAX_DRAFT_TEXT:
        raise CommandError(
            f"{source}: larger than {MAX_DRAFT_TEXT >> 20} MiB, the most a draft reads: "
            "split the text"
        )
    deck_id = deck_id_for(source.stem)
    out = Path(args.output).expanduser() if args.output else _user_decks(args) / f"{deck_id}.yaml"
    refuse_existing(out, args.force)
    title = args.title or source.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    yaml_text = draft_deck(
        text, title=title, deck_id=deck_id, source_id="text", source_title=source.name
    )
    deck, problems = parse_deck(yaml_text, out, str(out))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, yaml_text.encode("utf-8"))
    count = len(deck.cards) if deck else 0
    print(
        f"wrote {out}: {plural(count, 'candidate card')} from {source}; edit them before studying"
    )
    for problem in errors:
        print(problem, file=sys.stderr)
    return 1 if errors else 0


# --- study ids -----------------------------------------------------------------


def _report_carried(args: argparse.Namespace) -> None:
    svc = service(args)
    for carried in carry_over(svc):
        print(carried)


def cmd_ids(args: argparse.Namespace) -> int:
    """Give cards without an id a readable one; list or prune orphaned progress."""
    if args.orphans or args.prune:
        return _orphans(args)
    if not args.deck:
        raise UsageError("give a deck (id or file), or --orphans")
    path = _deck_path(args, args.deck)
    if not args.write:
        _, changes = plan_ids(read_deck_text(path), path)
        for change in changes:
            print(f"{path}:{change.line}: id: {change.new}")
        print(
            f"{plural(len(changes), 'card')} without an id"
            + (": add them with --write" if changes else "")
        )
        return 0
    try:
        deck, changes = write_ids(path)
    except AuthoringError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CommandError(str(exc)) from None
    print(f"{path}: gave an id to {plural(len(changes), 'card')}")
    svc = service(args, [str(path)] if args.decks else None)
    renames = {c.old: c.new for c in changes if c.old}
    for carried in move_renamed(svc, deck.id, renames):
        print(carried)
    return 0


def _orphans(args: argparse.Namespace) -> int:
    svc = service(args)
    for carried in carry_over(svc):
        print(carried)
    keys = orphans(svc)
    texts = svc.store.card_texts()
    for key in keys:
        card = key.split("#")[0]
        was = f"  (was: {texts[card][1][:60]!r})" if card in texts else ""
        print(f"{key}{was}")
    print(f"{plural(len(keys), 'item')} with progress but no card in any deck", file=sys.stderr)
    if not args.prune or not keys:
        if keys:
            print(
                "prune them with 'study ids --orphans --prune' (their reviews are deleted)",
                file=sys.stderr,
            )
        return 0
    if args.decks:
        raise UsageError("--prune works on all your decks: run it without --decks")
    if svc.loaded.errors:
        raise CommandError(
            "some decks have errors, so their cards look orphaned: fix them "
            "('study lint') before pruning"
        )
    from study.core.progress.backup import BackupError, Kind, make_backup

    try:
        backup = make_backup(svc.store, svc.paths.backups, Kind.BEFORE_PRUNE, svc.clock.now())
    except BackupError as exc:
        raise CommandError(f"not pruned: no backup could be made first ({exc})") from None
    removed = svc.store.prune(keys)
    print(f"pruned the progress of {plural(removed, 'item')}; backup first: {backup.path}")
    return 0


# --- study import / export -----------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    """Make a deck file from a CSV/TSV file or an Anki package (several, for subdecks)."""
    source = Path(args.file).expanduser()
    suffix = source.suffix.casefold()
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    from study.core.authoring.interchange.bounded import ImportRefused

    try:
        if suffix == ".apkg":
            from study.core.authoring.interchange.apkg_import import read_apkg

            imported = read_apkg(source, with_history=args.with_history, scratch=_scratch(args))
        elif suffix in (".csv", ".tsv", ".txt"):
            from study.core.authoring.interchange.csv_tsv import read_csv_file

            if args.with_history:
                raise UsageError(
                    "--with-history needs an Anki package (.apkg): text files hold no history"
                )
            imported = read_csv_file(source, name=source.stem, suffix=suffix)
        else:
            raise UsageError(f"{source}: unknown kind of file: import .apkg, .csv, .tsv or .txt")
    except ImportRefused as exc:
        raise CommandError(f"{source}: {exc}") from None
    jobs = _import_jobs(args, imported, source)
    for job in jobs:  # every file checked before any is written
        refuse_existing(job.out, args.force)
    wrote = 0
    for job in jobs:
        wrote += _import_one(args, imported, source, job)
    if not wrote:
        raise CommandError(f"{source}: no card could be imported (nothing was written)")
    return 0


@dataclass(frozen=True, slots=True)
class _Job:
    """One deck file an import writes."""

    out: Path
    title: str
    deck_id: str
    indexes: tuple[int, ...]


def _import_jobs(args: argparse.Namespace, imported: Imported, source: Path) -> list[_Job]:
    """The deck files of an import: one, or one per Anki deck (subdecks as folders).

    ``--deck NAME`` or ``-o FILE.yaml`` puts every card in one deck, as before; ``-o DIR``
    is the folder the subdeck files go into.
    """
    from study.core.authoring.interchange.subdecks import split_by_deck

    output = Path(args.output).expanduser() if args.output else None
    one_file = args.deck or (output is not None and output.suffix in (".yaml", ".yml"))
    parts = None
    if not one_file and len(imported.decks) == len(imported.cards):
        parts = split_by_deck(imported.decks)
    if parts is None:
        title = args.deck or imported.title or source.stem
        deck_id = deck_id_for(title)
        out = output or _user_decks(args) / f"{deck_id}.yaml"
        return [_Job(out, title, deck_id, tuple(range(len(imported.cards))))]
    root = output or _user_decks(args)
    return [_Job(root / p.path, p.title, p.deck_id, p.indexes) for p in parts]


def _import_one(args: argparse.Namespace, imported: Imported, source: Path, job: _Job) -> int:
    """Write one deck file of an import (its media first); returns the cards written."""
    from study.core.authoring.interchange.bounded import ImportRefused
    from study.core.authoring.interchange.common import Imported
    from study.core.authoring.interchange.deckfile import build_deck, replay_history
    from study.core.authoring.interchange.media_files import FOLDER, attach_media, write_media

    whole = len(job.indexes) == len(imported.cards)
    part = Imported(
        title=job.title,
        cards=[imported.cards[i] for i in job.indexes],
        skipped=imported.skipped if whole else [],
        unlisted=imported.unlisted if whole else 0,
    )
    plan = attach_media(part.cards, imported.media, job.out.parent / FOLDER)
    try:
        text, kept = build_deck(
            part, job.title, job.deck_id, comment=f"Imported from {source.name} by 'study import'."
        )
    except ImportRefused as exc:
        raise CommandError(f"{source}: {exc}") from None
    unlisted = [f"... and {part.unlisted} more skipped"] if part.unlisted else []
    if not kept:
        for line in part.skipped + unlisted:
            print(line, file=sys.stderr)
        if whole:
            raise CommandError(f"{source}: no card could be imported (nothing was written)")
        print(f"  {job.out}: no card of this deck could be imported (not written)")
        return 0
    job.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        written = write_media(plan)
    except OSError as exc:
        raise CommandError(
            f"{plan.folder}: cannot write the media ({exc.strerror or exc}); nothing of "
            f"{job.out.name} was written"
        ) from None
    atomic_write(job.out, text.encode("utf-8"))
    print(f"wrote {job.out}: {plural(len(kept), 'card')} imported, {part.skipped_total} skipped")
    notes = list(imported.notes) if whole or job.indexes[0] == 0 else []
    if written or plan.reused:
        notes.append(
            f"{plural(written + plan.reused, 'media file')} in {plan.folder}"
            + (f" ({plan.reused} already there)" if plan.reused else "")
        )
    if plan.missing:
        notes.append(
            f"{plural(len(plan.missing), 'media file')} named by the cards not in the package "
            f"(or too large), left out: {', '.join(plan.missing[:5])}"
        )
    for line in part.skipped + unlisted + notes:
        print(f"  {line}")
    if args.with_history and imported.history:
        svc = service(args, None)
        if not any(d.id == job.deck_id for d in svc.decks):
            svc = service(args, [str(job.out)])
        ids = [str(part.cards[i]["id"]) for i in kept]
        position = {full: n for n, full in enumerate(job.indexes)}
        index = {position[full]: new for new, full in enumerate(kept)}
        history = [
            replace(r, card=index[position[r.card]])
            for r in imported.history
            if r.card in position and position[r.card] in index
        ]
        count, skipped = replay_history(
            svc.store, svc.scheduler, svc.items, job.deck_id, ids, history
        )
        print(
            f"  imported {plural(count, 'review')} of the history"
            + (
                f"; {plural(skipped, 'item')} already had progress here and kept it"
                if skipped
                else ""
            )
        )
    return len(kept)


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
    path = _deck_path(args, args.deck[0])
    deck = _loaded(args, path)
    out.parent.mkdir(parents=True, exist_ok=True)
    carried = None
    if suffix == ".apkg":
        from study.core.authoring.interchange.apkg_export import write_apkg
        from study.core.clock import Clock

        finish = None
        now = Clock().now()
        if args.with_history:
            finish = _history_writer(args, deck)
            now = finish.now
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            write_apkg(deck, tmp, now, finish)
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
    if args.with_history:
        raise UsageError("--with-history exports one deck at a time: give one deck file")
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
            path = _deck_path(args, name)
            root = Paths.resolve(args.data).user_decks
            base = root if path.resolve().is_relative_to(root.resolve()) else path.parent
            found = [(_loaded(args, path), base)]
        for deck, base in found:
            if deck.id in decks and decks[deck.id][0].path != deck.path:
                raise CommandError(
                    f"deck id {deck.id!r} is used by {decks[deck.id][0].path} and {deck.path}"
                )
            decks[deck.id] = (deck, anki_name(deck.path, deck.title, base))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        notes = write_decks(list(decks.values()), tmp, Clock().now())
        atomic_write(out, tmp.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {out}: {plural(notes, 'card')} of {plural(len(decks), 'deck')}")
    for deck, name in decks.values():
        print(f"  {name} ({plural(len(deck.cards), 'card')}, from {deck.display})")
        for problem in missing_media(deck):
            print(f"  left out: {problem}")
    return 0


# --- registration --------------------------------------------------------------


def register(command: CommandFactory) -> None:
    """Add the deck-writing commands."""
    p = command("new", cmd_new, "create a deck file with an example of every card type")
    p.add_argument(
        "name",
        metavar="NAME",
        help="deck name (a file in your decks folder), a path in it (sub/folder/deck), "
        "or ./deck.yaml or an absolute path for a file elsewhere",
    )
    p.add_argument("--title", help="the deck's title (default: NAME)")
    p = command("add", cmd_add, "add a card to a deck file (asks for its fields)")
    p.add_argument("deck", metavar="DECK", help="deck id or deck file")
    p.add_argument(
        "--type", choices=[t.value for t in CardType], help="card type (asked if missing)"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a field of the card, e.g. --set front='Question?' (repeat for list items); "
        "--set source=ID --set at='p. 3' cites one of the deck's sources",
    )
    p.add_argument(
        "-y", "--yes", action="store_true", help="ask nothing: the fields come from --set"
    )
    p = command("draft", cmd_draft, "write a draft deck of candidate cards found in a text file")
    p.add_argument("text_file", metavar="TEXT_FILE", help="a plain-text (UTF-8) document")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="the deck file to write (default: your decks folder)"
    )
    p.add_argument("--title", help="the deck's title (default: from the file name)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p = command("ids", cmd_ids, "give cards without an id a readable one; list orphaned progress")
    p.add_argument("deck", metavar="DECK", nargs="?", help="deck id or deck file")
    p.add_argument(
        "--write", action="store_true", help="write the ids into the file (default: only list)"
    )
    p.add_argument("--orphans", action="store_true", help="list progress whose card is in no deck")
    p.add_argument("--prune", action="store_true", help="with --orphans: delete that progress")
    p = command("import", cmd_import, "make a deck from a CSV/TSV file or an Anki package (.apkg)")
    p.add_argument("file", metavar="FILE", help=".apkg, .csv, .tsv or .txt")
    p.add_argument(
        "--deck", metavar="NAME", help="title of the new deck (its id and file name follow)"
    )
    p.add_argument(
        "--with-history", action="store_true", help="also import the review history (.apkg)"
    )
    p.add_argument(
        "-o", "--output", metavar="OUT", help="the deck file to write (default: your decks folder)"
    )
    p.add_argument("--force", action="store_true", help="replace the deck file if it exists")
    p = command("export", cmd_export, "write a deck as .apkg (Anki), .csv/.tsv (Anki text) or .md")
    p.add_argument(
        "deck",
        metavar="DECK",
        nargs="+",
        help="deck id or deck file; for .apkg, several, or a folder: they become subdecks",
    )
    p.add_argument("file", metavar="FILE", help="the file to write; its extension gives the format")
    p.add_argument(
        "--with-history",
        action="store_true",
        help="also write the review log and each card's schedule (.apkg)",
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
