"""CSV and TSV files, with the header lines Anki reads and writes.

Anki's "Notes in Plain Text" export starts with lines such as ``#separator:tab``,
``#html:true``, ``#columns:Front	Back	Tags``, ``#notetype column:2``,
``#deck:Name``, ``#tags column:9`` or ``#guid column:1``; the rest is CSV with
that separator (fields quoted with ``"`` when needed). Without headers the
separator is guessed and the columns are front, back (and tags if named so).
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from collections.abc import Sequence

from study.core.interchange.common import (
    EXTRA_NAMES,
    STOCK,
    STOCK_SHAPES,
    Imported,
    Shape,
    card_from_note,
    give_ids,
    guid_for,
)
from study.core.model import CLOZE, CardType, Deck

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}


def _headers(text: str) -> tuple[dict[str, str], str]:
    """Anki's ``#key:value`` header lines and the data after them."""
    headers: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith("#") and ":" in lines[n]:
        key, value = lines[n][1:].rstrip("\r\n").split(":", 1)
        headers[key.strip().casefold()] = value
        n += 1
    return headers, "".join(lines[n:])


def _separator(headers: dict[str, str], data: str, suffix: str) -> str:
    named = headers.get("separator", "").strip()
    if named:
        return SEPARATORS.get(named.casefold(), named[:1])
    if suffix == ".tsv":
        return "\t"
    if suffix == ".csv":
        return ","
    first = next((line for line in data.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    return max(("|", ";", ","), key=first.count)


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
    """The cards of a CSV/TSV file (``name`` gives the title when the file names no deck)."""
    headers, data = _headers(text.removeprefix("\ufeff"))
    separator = _separator(headers, data, suffix)
    is_html = headers.get("html", "").strip().casefold() == "true"
    meta = {k: _column(headers, k) for k in ("notetype", "deck", "tags", "guid")}
    names = [n.strip() for n in headers["columns"].split(separator)] if "columns" in headers else []
    if meta["tags"] is None and "tags" in (n.casefold() for n in names):
        meta["tags"] = [n.casefold() for n in names].index("tags")
    skip = {i for i in meta.values() if i is not None}
    field_names = [n for i, n in enumerate(names) if i not in skip]
    common_tags = headers.get("tags", "").split()
    result = Imported(title="")
    decks: Counter[str] = Counter()
    unsupported: Counter[str] = Counter()
    rows = csv.reader(io.StringIO(data), delimiter=separator, quotechar='"', skipinitialspace=False)
    for number, row in enumerate(rows, 1):
        if not any(cell.strip() for cell in row):
            continue
        fields = [value for i, value in enumerate(row) if i not in skip]
        kind = _cell(row, meta["notetype"]) or headers.get("notetype", "").strip()
        decks[_cell(row, meta["deck"]) or headers.get("deck", "").strip()] += 1
        if "occlusion" in kind.casefold():
            unsupported[kind] += 1
            continue
        shape = STOCK_SHAPES.get(kind) or _generic(
            field_names, fields[0] if fields else "", len(fields)
        )
        tags = _cell(row, meta["tags"]).split() + common_tags
        card, why, _ = card_from_note(shape, fields, tags, kind=kind, is_html=is_html)
        if card is None:
            result.skipped.append(f"skipped row {number}: {why}")
        else:
            result.cards.append(card)
    for kind, count in sorted(unsupported.items()):
        result.skipped.append(
            f"skipped {count} note(s) of type {kind!r}: image occlusion is not supported"
        )
    deck_name = next((d for d, _ in decks.most_common() if d), "")
    result.title = deck_name.split("::")[-1] or name
    give_ids(result.cards)
    return result


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def note_fields(
    card_type: CardType,
    front: str,
    back: str,
    text: str,
    items: Sequence[str],
    answer: str,
    distractors: Sequence[str],
    ordered: bool,
) -> tuple[str, str]:
    """The two HTML fields of the Anki note a card becomes (choice, list and order as basic)."""
    if card_type is CardType.CLOZE:
        return _html(text), ""
    if card_type is CardType.CHOICE:
        options = sorted([answer, *distractors], key=str.casefold)
        listing = "".join(f"<li>{_html(o)}</li>" for o in options) if distractors else ""
        return _html(front) + (f"<ul>{listing}</ul>" if listing else ""), _html(answer)
    if card_type is CardType.LIST:
        tag = "ol" if ordered else "ul"
        return _html(front), f"<{tag}>" + "".join(
            f"<li>{_html(i)}</li>" for i in items
        ) + f"</{tag}>"
    if card_type is CardType.ORDER:
        shuffled = sorted(items, key=str.casefold)
        shuffled = shuffled if shuffled != list(items) else list(reversed(items))
        return (
            _html(front) + "<ul>" + "".join(f"<li>{_html(i)}</li>" for i in shuffled) + "</ul>",
            "<ol>" + "".join(f"<li>{_html(i)}</li>" for i in items) + "</ol>",
        )
    return _html(front), _html(back)


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
        first, second = note_fields(
            card.type,
            card.front,
            card.back,
            card.text,
            card.items,
            card.answer,
            card.distractors,
            card.ordered,
        )
        if card.type is CardType.CLOZE:
            second = _html(card.explain)
        writer.writerow(
            [
                guid_for(card.key),
                note_type(card.type, card.reverse),
                deck.title,
                first,
                second,
                " ".join(card.tags),
            ]
        )
    return out.getvalue()


__all__ = ["note_fields", "note_type", "read_csv", "write_csv"]
