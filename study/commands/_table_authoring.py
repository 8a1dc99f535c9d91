"""The command table's deck-writing lines: ``new``, ``add``, ``draft``, ``ids``, ``import``
and ``export``, each with its arguments (see ``study.commands._parser``)."""

from __future__ import annotations

from study.commands._parser import Command, Parser
from study.core.decks.model import CardType

_OUT_HELP = "the deck file to write (default: your decks folder)"


def _new(p: Parser) -> None:
    p.add_argument(
        "name",
        metavar="NAME",
        help="deck name (a file in your decks folder), a path in it (sub/folder/deck), "
        "or ./deck.yaml or an absolute path for a file elsewhere",
    )
    p.add_argument("--title", help="the deck's title (default: NAME)")


def _add(p: Parser) -> None:
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


def _draft(p: Parser) -> None:
    p.add_argument("text_file", metavar="TEXT_FILE", help="a plain-text (UTF-8) document")
    p.add_argument("-o", "--output", metavar="OUT", help=_OUT_HELP)
    p.add_argument("--title", help="the deck's title (default: from the file name)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")


def _ids(p: Parser) -> None:
    p.add_argument("deck", metavar="DECK", nargs="?", help="deck id or deck file")
    p.add_argument(
        "--write", action="store_true", help="write the ids into the file (default: only list)"
    )
    p.add_argument("--orphans", action="store_true", help="list progress whose card is in no deck")
    p.add_argument("--prune", action="store_true", help="with --orphans: delete that progress")


def _import(p: Parser) -> None:
    p.add_argument("file", metavar="FILE", help=".apkg, .csv, .tsv or .txt")
    p.add_argument(
        "--deck", metavar="NAME", help="title of the new deck (its id and file name follow)"
    )
    p.add_argument(
        "--with-history", action="store_true", help="also import the review history (.apkg)"
    )
    p.add_argument("-o", "--output", metavar="OUT", help=_OUT_HELP)
    p.add_argument("--force", action="store_true", help="replace the deck file if it exists")


def _export(p: Parser) -> None:
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


AUTHORING = (
    Command(
        "new",
        "create a deck file with an example of every card type",
        "study.commands.deck_new:cmd_new",
        _new,
    ),
    Command(
        "add",
        "add a card to a deck file (asks for its fields)",
        "study.commands.card_add:cmd_add",
        _add,
    ),
    Command(
        "draft",
        "write a draft deck of candidate cards found in a text file",
        "study.commands.draft:cmd_draft",
        _draft,
    ),
    Command(
        "ids",
        "give cards without an id a readable one; list orphaned progress",
        "study.commands.ids:cmd_ids",
        _ids,
    ),
    Command(
        "import",
        "make a deck from a CSV/TSV file or an Anki package (.apkg)",
        "study.commands.deck_import:cmd_import",
        _import,
    ),
    Command(
        "export",
        "write a deck as .apkg (Anki), .csv/.tsv (Anki text) or .md",
        "study.commands.deck_export:cmd_export",
        _export,
    ),
)
"""The deck-writing commands, in the order ``study --help`` lists them."""
