"""A deck as a Markdown study sheet: every card as question and answer, then the sources."""

from __future__ import annotations

import re

from study.core.decks.formatting import render
from study.core.decks.model import CLOZE, Card, CardType, Deck
from study.core.decks.safe_text import visible

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_URL = re.compile(r"https?://[^\s<>\\`]+", re.IGNORECASE)
"""A web address that can stand in an autolink ``<...>`` as it is."""


def _literal(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def md_text(text: str, indent: str = "", *, bold: bool = True) -> str:
    """Text as Markdown shows it: special characters (HTML's ``<`` too) escaped, control
    characters written out, line breaks kept (indented by ``indent``), and the deck's light
    formatting as Markdown's own ``**bold**`` and ``*italic*`` (bold left plain when
    ``bold`` is false: the text stands inside bold already)."""
    marks = ("**", "**") if bold else ("", "")
    return render(visible(text), _literal, marks, ("*", "*")).replace("\n", "  \n" + indent)


def _url(url: str) -> str:
    """A source's address: an autolink when it is a plain web address, else escaped text."""
    return f"<{url}>" if _URL.fullmatch(url) else md_text(url)


def _cloze(text: str, indent: str) -> str:
    out, last = [], 0
    for match in CLOZE.finditer(text):
        out.append(md_text(text[last : match.start()], indent))
        out.append(f"**{md_text(match.group(2), indent)}**")
        last = match.end()
    out.append(md_text(text[last:], indent))
    return "".join(out)


def _card(card: Card, number: int) -> list[str]:
    pad = " " * (len(str(number)) + 2)
    if card.type is CardType.CLOZE:
        lines = [f"{number}. {_cloze(card.text, pad)}"]
    else:
        lines = [f"{number}. **{md_text(card.front, pad, bold=False)}**"]
        if card.type is CardType.LIST:
            lines += [
                f"{pad}{f'{i}.' if card.ordered else '-'} {md_text(item, pad)}"
                for i, item in enumerate(card.items, 1)
            ]
        elif card.type is CardType.ORDER:
            lines += [f"{pad}{i}. {md_text(item, pad)}" for i, item in enumerate(card.items, 1)]
        else:
            lines.append(f"{pad}{md_text(card.expected, pad)}")
    if card.explain:
        lines.append(f"{pad}> {md_text(card.explain, pad + '> ')}")
    for ref in card.citations:
        at = f", {md_text(ref.at)}" if ref.at else ""
        lines.append(f"{pad}*Source: {md_text(ref.id)}{at}*")
    return lines


def write_markdown(deck: Deck) -> str:
    """The study sheet for a deck."""
    lines = [f"# {md_text(deck.title)}", ""]
    if deck.description:
        lines += [md_text(deck.description), ""]
    for number, card in enumerate(deck.cards, 1):
        lines += _card(card, number)
        lines.append("")
    if deck.sources:
        lines += ["## Sources", ""]
        for source in deck.sources:
            url = f" {_url(source.url)}" if source.url else ""
            lines.append(f"- **{md_text(source.id)}**: {md_text(source.describe())}{url}")
        lines.append("")
    return "\n".join(lines)
