"""A deck as a Markdown study sheet: every card as question and answer, then the sources."""

from __future__ import annotations

import re

from study.core.model import CLOZE, Card, CardType, Deck

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str, indent: str = "") -> str:
    """Text with Markdown's special characters escaped and line breaks kept (indented)."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "  \n" + indent)


def _cloze(text: str, indent: str) -> str:
    out, last = [], 0
    for match in CLOZE.finditer(text):
        out.append(_md(text[last : match.start()], indent))
        out.append(f"**{_md(match.group(2), indent)}**")
        last = match.end()
    out.append(_md(text[last:], indent))
    return "".join(out)


def _card(card: Card, number: int) -> list[str]:
    pad = " " * (len(str(number)) + 2)
    if card.type is CardType.CLOZE:
        lines = [f"{number}. {_cloze(card.text, pad)}"]
    else:
        lines = [f"{number}. **{_md(card.front, pad)}**"]
        if card.type is CardType.LIST:
            lines += [
                f"{pad}{f'{i}.' if card.ordered else '-'} {_md(item, pad)}"
                for i, item in enumerate(card.items, 1)
            ]
        elif card.type is CardType.ORDER:
            lines += [f"{pad}{i}. {_md(item, pad)}" for i, item in enumerate(card.items, 1)]
        else:
            lines.append(f"{pad}{_md(card.expected, pad)}")
    if card.explain:
        lines.append(f"{pad}> {_md(card.explain, pad + '> ')}")
    for ref in card.citations:
        at = f", {_md(ref.at)}" if ref.at else ""
        lines.append(f"{pad}*Source: {_md(ref.id)}{at}*")
    return lines


def write_markdown(deck: Deck) -> str:
    """The study sheet for a deck."""
    lines = [f"# {_md(deck.title)}", ""]
    if deck.description:
        lines += [_md(deck.description), ""]
    for number, card in enumerate(deck.cards, 1):
        lines += _card(card, number)
        lines.append("")
    if deck.sources:
        lines += ["## Sources", ""]
        for source in deck.sources:
            url = f" <{source.url}>" if source.url else ""
            lines.append(f"- **{_md(source.id)}**: {_md(source.describe())}{url}")
        lines.append("")
    return "\n".join(lines)
