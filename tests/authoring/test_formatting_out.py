"""Light markup (``**bold**``, ``*italic*``) in every text a card exports, never raw markers."""

from __future__ import annotations

from pathlib import Path

from study.core.authoring.interchange.anki_fields import extras, split_extras
from study.core.authoring.interchange.csv_tsv import write_csv
from study.core.authoring.interchange.markdown import write_markdown
from study.core.decks.model import Deck
from study.core.decks.parse import parse_deck

DECK = """\
title: Marked
id: marked
cards:
  - id: pick
    type: choice
    front: Which **one**?
    answer: The **806** one
    distractors: [A *plain* one, Another]
    explain: Because **806** is *the* number.
  - id: typed
    type: typed
    front: Resolution?
    back: "806"
    accept: ["**806-NQ**"]
    explain: See **the text**.
  - id: gap
    type: cloze
    text: "It is {{c1::806}}."
    explain: A **bold** note.
  - id: steps
    type: order
    front: In order
    items: ["**first**", "second"]
"""


def _deck() -> Deck:
    deck, problems = parse_deck(DECK, Path("marked.yaml"), "marked.yaml")
    assert deck is not None and problems == [], problems
    return deck


def test_anki_extras_render_bold_and_italic_and_read_back() -> None:
    part = extras(["**806-NQ**"], "See **the text**, *en banc*.")
    assert "**" not in part and "*en" not in part
    assert "<b>806-NQ</b>" in part and "<b>the text</b>" in part and "<i>en banc</i>" in part
    _, accept, explain = split_extras("806<br>" + part)
    assert accept == ["**806-NQ**"]
    assert "<b>the text</b>" in explain


def test_csv_for_anki_has_html_tags_never_asterisks() -> None:
    text = write_csv(_deck())
    assert "**" not in text and "*plain*" not in text
    for html in ("<b>806</b>", "<i>plain</i>", "<b>first</b>", "<b>bold</b>"):
        assert html in text, html


def test_markdown_sheet_keeps_markdown_markers() -> None:
    sheet = write_markdown(_deck())
    assert "The **806** one" in sheet
    assert "> Because **806** is *the* number." in sheet
    assert "1. **Which one?**" in sheet  # no bold inside the bold question
    assert "\\*" not in sheet
