"""``study add DECK``: append a card to a deck file, asking for its fields (each checked as
it is entered)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from study.commands._common import CommandError, UsageError
from study.commands._deck_files import deck_path, loaded
from study.core.authoring.deck_text import AuthoringError, read_deck_text
from study.core.authoring.interchange.yamlout import card_block
from study.core.authoring.writing import append_card, check_card, suggest_id
from study.core.decks.card import TYPE_KEYS
from study.core.decks.model import CardType, Severity

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
    path = deck_path(args, args.deck, own=True)
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
    deck = None if args.yes else loaded(args, path)
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
