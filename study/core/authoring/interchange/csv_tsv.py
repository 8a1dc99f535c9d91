"""CSV and TSV files, with the header lines Anki reads and writes.

Anki's "Notes in Plain Text" export starts with lines such as ``#separator:tab``,
``#html:true``, ``#columns:Front	Back	Tags``, ``#notetype column:2``,
``#deck:Name``, ``#tags column:9`` or ``#guid column:1``; the rest is CSV with
that separator (fields quoted with ``"`` when needed). Without headers the
separator is guessed, a first row of column names only (``front,back``, ``Question;Answer;Tags``)
is read as the columns' names, and otherwise the columns are front and back.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from study.core.authoring.interchange.bounded import ImportRefused, size_text
from study.core.authoring.interchange.common import (
    EXTRA_NAMES,
    STOCK,
    STOCK_SHAPES,
    Imported,
    Shape,
    card_from_note,
    deck_title,
    give_ids,
)
from study.core.authoring.interchange.guid import note_guid
from study.core.decks.formatting import to_html
from study.core.decks.model import CLOZE, GUID, Card, CardType, Deck
from study.core.decks.safe_text import visible
from study.core.words import plural

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}

MAX_FILE = 64 << 20
"""Largest text file imported (64 MiB): a deck file holds 8 MB, and Anki's HTML shrinks."""

MAX_LINE = 1 << 20
"""Longest line read (1 Mi characters)."""

MAX_FIELD = 131_072
"""Longest field (the csv module's own default limit, set again for each import)."""

MAX_ROWS = 1_000_000
"""Most rows read (a deck file holds about 150,000 cards)."""

_HEADER_LINES = 100
"""Most ``#key:value`` lines read as headers; the lines after them are data."""


def _lines(handle: TextIO) -> Iterator[str]:
    """The lines of a text file, refused past MAX_LINE characters or MAX_FILE in all."""
    total = number = 0
    while line := handle.readline(MAX_LINE + 1):
        number += 1
        total += len(line)
        if len(line) > MAX_LINE:
            raise ImportRefused(
                f"line {number:,} is longer than {MAX_LINE:,} characters, the most accepted: "
                "is it a text file of cards?"
            )
        if total > MAX_FILE:
            raise ImportRefused(_too_large())
        yield line


def _too_large() -> str:
    return (
        f"the file is larger than {size_text(MAX_FILE)}, the most imported: "
        "split it and import each part with --deck NAME"
    )


def _headers(lines: Iterator[str]) -> tuple[dict[str, str], list[str]]:
    """Anki's ``#key:value`` header lines, and the lines read after them (up to a non-blank one)."""
    headers: dict[str, str] = {}
    pending: list[str] = []
    for line in lines:
        if len(headers) < _HEADER_LINES and line.startswith("#") and ":" in line:
            key, value = line[1:].rstrip("\r\n").split(":", 1)
            headers[key.strip().casefold()] = value
            continue
        pending.append(line)
        break
    while pending and not pending[-1].strip() and len(pending) < _HEADER_LINES:
        more = next(lines, None)
        if more is None:
            break
        pending.append(more)
    return headers, pending


def _separator(headers: dict[str, str], first: str, suffix: str) -> str:
    named = headers.get("separator", "").strip()
    if named:
        return SEPARATORS.get(named.casefold(), named[:1])
    if suffix == ".tsv":
        return "\t"
    if suffix == ".csv":
        return ","
    if "\t" in first:
        return "\t"
    return max(("|", ";", ","), key=first.count)


_ALIASES = {"question": "front", "answer": "back"}
"""Column names a spreadsheet often uses, as the names this module reads."""
_NAMES = frozenset({"front", "back", "text", "tags", "deck", "notetype", "guid"}) | EXTRA_NAMES
"""Names that make a first row a header row (every cell one of them, front or text among them)."""


def _header_row(line: str, separator: str) -> list[str] | None:
    """A plain header row (``front,back``) as column names (None if the line is not one)."""
    row = next(csv.reader([line], delimiter=separator, quotechar='"'), [])
    names = [_ALIASES.get(cell.strip().casefold(), cell.strip().casefold()) for cell in row]
    if not names or not set(names) <= _NAMES or not {"front", "text"} & set(names):
        return None
    return names


def _column(headers: dict[str, str], name: str) -> int | None:
    value = headers.get(f"{name} column", "").strip()
    return int(value) - 1 if value.isdigit() and int(value) > 0 else None


def _generic(names: Sequence[str], first: str, count: int) -> Shape:
    """The shape of a row without a known note type: by column names, else front and the rest."""
    folded = [n.casefold() for n in names]
    extra = tuple(i for i, n in enumerate(folded) if n in EXTRA_NAMES)
    if "text" in folded or (not names and CLOZE.search(first)):
        text = folded.index("text") if "text" in folded else 0
        return Shape(cloze=True, front=(text,), back=(), extra=extra or ((1,) if not names else ()))
    front = folded.index("front") if "front" in folded else 0
    if "back" in folded:
        return Shape(front=(front,), back=(folded.index("back"),), extra=extra)
    return Shape(
        front=(front,),
        back=tuple(i for i in range(count) if i != front and i not in extra),
        extra=extra,
    )


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def read_csv(text: str, *, name: str, suffix: str = ".csv") -> Imported:
    """The cards of a CSV/TSV text (``name`` gives the title when the file names no deck)."""
    return read_lines(_lines(io.StringIO(text.removeprefix("\ufeff"), newline="")), name, suffix)


def read_csv_file(path: Path, *, name: str, suffix: str) -> Imported:
    """The cards of a CSV/TSV file, read as a stream within the limits above.

    Raises ImportRefused (one line) for a file too large, not UTF-8, or not CSV.
    """
    try:
        if path.stat().st_size > MAX_FILE:
            raise ImportRefused(_too_large())
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return read_lines(_lines(handle), name, suffix)
    except UnicodeDecodeError:
        raise ImportRefused("not UTF-8 text: save it as UTF-8") from None
    except OSError as exc:
        raise ImportRefused(f"cannot read the file ({exc.strerror or exc})") from None


def read_lines(lines: Iterator[str], name: str, suffix: str) -> Imported:
    """The cards of CSV/TSV lines (line ends kept, as ``newline=""`` gives them)."""
    headers, pending = _headers(lines)
    separator = _separator(headers, next((p for p in pending if p.strip()), ""), suffix)
    is_html = headers.get("html", "").strip().casefold() == "true"
    meta = {k: _column(headers, k) for k in ("notetype", "deck", "tags", "guid")}
    names = [n.strip() for n in headers["columns"].split(separator)] if "columns" in headers else []
    first_row = 1  # rows are numbered as in the file (a header row is row 1)
    if not names:  # a plain first row of column names (front,back) names the columns
        stream = itertools.chain(pending, lines)
        head: list[str] = []
        for line in stream:
            head.append(line)
            if line.strip():
                break
        found = _header_row(head[-1], separator) if head else None
        if found is not None:
            names, head, first_row = found, head[:-1], 2
        pending, lines = head, stream
    if meta["tags"] is None and "tags" in (n.casefold() for n in names):
        meta["tags"] = [n.casefold() for n in names].index("tags")
    skip = {i for i in meta.values() if i is not None}
    field_names = [n for i, n in enumerate(names) if i not in skip]
    common_tags = headers.get("tags", "").split()
    result = Imported(title="")
    decks: Counter[str] = Counter()
    unsupported: Counter[str] = Counter()
    csv.field_size_limit(MAX_FIELD)
    rows = csv.reader(
        itertools.chain(pending, lines), delimiter=separator, quotechar='"', skipinitialspace=False
    )
    number = first_row - 1
    try:
        for number, row in enumerate(rows, first_row):
            if number > MAX_ROWS:
                raise ImportRefused(
                    f"more than {MAX_ROWS:,} rows, the most imported: "
                    "split the file and import each part with --deck NAME"
                )
            _row(
                row,
                number,
                result,
                headers,
                meta,
                skip,
                field_names,
                common_tags,
                is_html,
                decks,
                unsupported,
            )
    except csv.Error as exc:
        row_number = f"row {number + 1:,}"
        if "field limit" in str(exc):
            raise ImportRefused(
                f"{row_number}: a field is longer than {MAX_FIELD:,} characters, the most "
                "accepted: shorten it"
            ) from None
        raise ImportRefused(f"{row_number}: not readable as CSV ({exc})") from None
    for kind, count in sorted(unsupported.items()):
        result.skip(
            f"skipped {plural(count, 'note')} of type {kind!r}: image occlusion is not supported"
        )
    deck_name = next((d for d, _ in decks.most_common() if d), "")
    result.title = deck_title(deck_name) or deck_title(name)
    give_ids(result.cards)
    return result


def _row(
    row: list[str],
    number: int,
    result: Imported,
    headers: dict[str, str],
    meta: dict[str, int | None],
    skip: set[int],
    field_names: list[str],
    common_tags: list[str],
    is_html: bool,
    decks: Counter[str],
    unsupported: Counter[str],
) -> None:
    """Read one row into ``result`` (a card, or a line saying why it was skipped)."""
    if not any(cell.strip() for cell in row):
        return
    fields = [value for i, value in enumerate(row) if i not in skip]
    kind = _cell(row, meta["notetype"]) or headers.get("notetype", "").strip()
    decks[_cell(row, meta["deck"]) or headers.get("deck", "").strip()] += 1
    if "occlusion" in kind.casefold():
        unsupported[kind] += 1
        return
    shape = STOCK_SHAPES.get(kind) or _generic(
        field_names, fields[0] if fields else "", len(fields)
    )
    tags = _cell(row, meta["tags"]).split() + common_tags
    card, why, _ = card_from_note(shape, fields, tags, kind=kind, is_html=is_html)
    if card is None:
        result.skip(f"skipped row {number}: {why}")
    else:
        guid = _cell(row, meta["guid"])
        if GUID.fullmatch(guid) and guid not in result.guids:  # kept: an export updates it
            result.guids.add(guid)
            card["guid"] = guid
        result.add(card, f"row {number:,}")


def _marked(text: str) -> str:
    """A card's text as HTML with its light formatting (``**bold**`` -> ``<b>``)."""
    return to_html(visible(text))


def note_fields(card: Card) -> tuple[str, str]:
    """The two HTML fields of the Anki note a card becomes (choice, list and order as basic)."""
    card_type, front, back, text = card.type, card.front, card.back, card.text
    items, answer, distractors, ordered = card.items, card.answer, card.distractors, card.ordered
    if card_type is CardType.CLOZE:
        return _marked(text), ""
    if card_type is CardType.CHOICE:
        options = sorted([answer, *distractors], key=str.casefold)
        listing = "".join(f"<li>{_marked(o)}</li>" for o in options) if distractors else ""
        return _marked(front) + (f"<ul>{listing}</ul>" if listing else ""), _marked(answer)
    if card_type is CardType.LIST:
        tag = "ol" if ordered else "ul"
        return _marked(front), f"<{tag}>" + "".join(
            f"<li>{_marked(i)}</li>" for i in items
        ) + f"</{tag}>"
    if card_type is CardType.ORDER:
        shuffled = sorted(items, key=str.casefold)
        shuffled = shuffled if shuffled != list(items) else list(reversed(items))
        return (
            _marked(front) + "<ul>" + "".join(f"<li>{_marked(i)}</li>" for i in shuffled) + "</ul>",
            "<ol>" + "".join(f"<li>{_marked(i)}</li>" for i in items) + "</ol>",
        )
    return _marked(front), _marked(back)


def note_type(card_type: CardType, reverse: bool) -> str:
    """The Anki note type a card becomes."""
    if card_type is CardType.CLOZE:
        return STOCK["cloze"]
    if card_type is CardType.TYPED:
        return STOCK["typed"]
    return STOCK["reversed"] if reverse else STOCK["basic"]


def write_csv(deck: Deck, separator: str = "\t") -> str:
    """The deck as an Anki text file: headers, then guid, note type, deck, two fields, tags."""
    out = io.StringIO()
    name = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(separator, separator)
    out.write(
        f"#separator:{name}\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        "#tags column:6\n"
    )
    writer = csv.writer(out, delimiter=separator, quotechar='"', lineterminator="\n")
    for card in deck.cards:
        first, second = note_fields(card)
        if card.type is CardType.CLOZE:
            second = _marked(card.explain)
        writer.writerow(
            [
                note_guid(card.key, card.guid),
                note_type(card.type, card.reverse),
                deck.title,
                first,
                second,
                " ".join(card.tags),
            ]
        )
    return out.getvalue()


__all__ = ["note_fields", "note_type", "read_csv", "read_csv_file", "read_lines", "write_csv"]
