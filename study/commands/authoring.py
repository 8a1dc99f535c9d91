"""Writing decks: ``study new``, ``add``, ``draft``, ``ids``, ``import`` and ``export``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from study.commands._common import (
    CommandError,
    CommandFactory,
    UsageError,
    refuse_existing,
    service,
)
from study.core.authoring import (
    AuthoringError,
    append_card,
    atomic_write,
    check_card,
    plan_ids,
    read_deck_text,
    suggest_id,
    write_ids,
)
from study.core.carryover import carry_over, move_renamed, orphans
from study.core.deck import ID, TYPE_KEYS
from study.core.interchange.common import deck_id_for
from study.core.interchange.yamlout import card_block, new_deck_text
from study.core.model import CardType, Deck, Severity
from study.core.paths import BUNDLED_READ_ONLY, Paths, is_bundled
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
    from study.core.deck import parse_deck
    from study.core.draft import draft_deck

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
    from study.core.backup import BackupError, Kind, make_backup

    try:
        backup = make_backup(svc.store, svc.paths.backups, Kind.BEFORE_PRUNE, svc.clock.now())
    except BackupError as exc:
        raise CommandError(f"not pruned: no backup could be made first ({exc})") from None
    removed = svc.store.prune(keys)
    print(f"pruned the progress of {plural(removed, 'item')}; backup first: {backup.path}")
    return 0


# --- study import / export -----------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    """Make a deck file from a CSV/TSV file or an Anki package."""
    from study.core.interchange.deckfile import build_deck, replay_history

    source = Path(args.file).expanduser()
    suffix = source.suffix.casefold()
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    from study.core.interchange.bounded import ImportRefused

    try:
        if suffix == ".apkg":
            from study.core.interchange.apkg_import import read_apkg

            imported = read_apkg(source, with_history=args.with_history, scratch=_scratch(args))
        elif suffix in (".csv", ".tsv", ".txt"):
            from study.core.interchange.csv_tsv import read_csv_file

            if args.with_history:
                raise UsageError(
                    "--with-history needs an Anki package (.apkg): text files hold no history"
                )
            imported = read_csv_file(source, name=source.stem, suffix=suffix)
        else:
            raise UsageError(f"{source}: unknown kind of file: import .apkg, .csv, .tsv or .txt")
    except ImportRefused as exc:
        raise CommandError(f"{source}: {exc}") from None
    title = args.deck or imported.title or source.stem
    deck_id = deck_id_for(title)
    out = Path(args.output).expanduser() if args.output else _user_decks(args) / f"{deck_id}.yaml"
    refuse_existing(out, args.force)
    try:
        text, kept = build_deck(
            imported, title, deck_id, comment=f"Imported from {source.name} by 'study import'."
        )
    except ImportRefused as exc:
        raise CommandError(f"{source}: {exc}") from None
    unlisted = [f"... and {imported.unlisted} more skipped"] if imported.unlisted else []
    if not kept:
        for line in imported.skipped + unlisted:
            print(line, file=sys.stderr)
        raise CommandError(f"{source}: no card could be imported (nothing was written)")
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, text.encode("utf-8"))
    print(f"wrote {out}: {plural(len(kept), 'card')} imported, {imported.skipped_total} skipped")
    for line in imported.skipped + unlisted + imported.notes:
        print(f"  {line}")
    if args.with_history and imported.history:
        svc = service(args, None)
        if not any(d.id == deck_id for d in svc.decks):
            svc = service(args, [str(out)])
        ids = [str(imported.cards[i]["id"]) for i in kept]
        index = {old: new for new, old in enumerate(kept)}
        history = [r for r in imported.history if r.card in index]
        history = [replace(r, card=index[r.card]) for r in history]
        count, skipped = replay_history(svc, deck_id, ids, history)
        print(
            f"  imported {plural(count, 'review')} of the history"
            + (
                f"; {plural(skipped, 'item')} already had progress here and kept it"
                if skipped
                else ""
            )
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a deck as an Anki package, CSV/TSV with Anki headers, or Markdown."""
    out = Path(args.file).expanduser()
    suffix = out.suffix.casefold()
    if suffix not in (".apkg", ".csv", ".tsv", ".txt", ".md"):
        raise UsageError(f"{out}: unknown format: use .apkg, .csv, .tsv, .txt or .md")
    refuse_existing(out, args.force, "give another FILE")
    path = _deck_path(args, args.deck)
    deck = _loaded(args, path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".apkg":
        from study.core.clock import Clock
        from study.core.interchange.apkg_export import write_apkg

        tmp = out.with_name(f".{out.name}.tmp")
        try:
            write_apkg(deck, tmp, Clock().now())
            atomic_write(out, tmp.read_bytes())
        finally:
            tmp.unlink(missing_ok=True)
    elif suffix == ".md":
        from study.core.interchange.markdown import write_markdown

        atomic_write(out, write_markdown(deck).encode("utf-8"))
    else:
        from study.core.interchange.csv_tsv import write_csv

        atomic_write(out, write_csv(deck, "," if suffix == ".csv" else "\t").encode("utf-8"))
    print(f"wrote {out}: {plural(len(deck.cards), 'card')} of deck {deck.id!r}")
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
    p.add_argument("deck", metavar="DECK", help="deck id or deck file")
    p.add_argument("file", metavar="FILE", help="the file to write; its extension gives the format")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
