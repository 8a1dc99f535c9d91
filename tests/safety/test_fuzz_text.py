"""Fuzzing hostile text (issue 16) with hypothesis: the app's study screen, the exam paper's
Markdown and HTML, the deck study sheet, and CSV and Anki-field imports.

Text mixes markup-like brackets (``[/x]``, ``[@click=app.quit]``), HTML, Markdown and
control characters. The deck loader refuses control characters, so the rendering tests
switch that check off: what reaches the screen or a page must be safe on its own. Examples
come from the ``hostile-text`` profile (``STUDY_FUZZ_EXAMPLES`` runs them longer).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import yaml
from hypothesis import given
from hypothesis import strategies as st
from textual import events

from study.core.authoring.interchange.common import STOCK_SHAPES, card_from_note
from study.core.authoring.interchange.csv_tsv import read_csv
from study.core.authoring.interchange.deckfile import build_deck
from study.core.authoring.interchange.markdown import write_markdown
from study.core.decks.formatting import strip_markup
from study.core.decks.model import CardType
from study.core.decks.parse import parse_deck
from study.core.decks.safe_text import visible
from study.core.exams.paper import paper_html, paper_markdown
from study.core.exams.spec import ExamSpec
from study.core.service import Service
from study.tui.app import StudyApp
from study.tui.factory import make_app
from study.tui.screens.study import StudyScreen
from study.tui.screens.summary import SummaryScreen
from tests.conftest import MovableClock, fuzz_settings, make_service
from tests.test_hostile_text import check_html_is_inert, check_markdown_is_inert

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""A control character a terminal would act on (tab and newline are fine)."""
CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
SNIPPETS = [
    "[/x]", "[b]", "[/]", "[@click=app.quit]", "[link=https://evil.example]", "[red on blue]",
    "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x9b2J", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**", "`", "# ", "&lt;", "\\",
]  # fmt: skip
hostile = st.lists(
    st.sampled_from(SNIPPETS)
    | st.sampled_from(CONTROLS)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=6)
    | st.text(alphabet="ab []/@=:{}<>*_`#\\\n\t", max_size=6),
    max_size=8,
).map("".join)
"""Text with markup-like brackets, HTML, Markdown and control characters."""


@contextmanager
def control_checks_off() -> Iterator[None]:
    """The loader lets control characters through, as if its check had missed one."""
    with mock.patch("study.core.decks.field.find_control", return_value=-1):
        yield


def _field(text: str, tag: str) -> str:
    """A text a field accepts whatever ``text`` is: it starts with a letter and cannot be empty."""
    return f"Q{tag} {text}".replace("{", "(").replace("}", ")")


def hostile_deck(text: str) -> str:
    """A deck of every card type whose texts hold ``text``."""
    one = _field(text, "")

    def two(tag: str) -> str:
        return _field(text, tag)

    deck = {
        "title": one,
        "id": "evil",
        "sources": [{"id": "s", "title": one, "author": one, "url": one}],
        "cards": [
            {"id": "basic", "front": one, "back": two("b"), "source": {"id": "s", "at": one}},
            {"id": "cloze", "text": f"{one} {{{{c1::{two('c')}}}}} {two('d')}", "explain": one},
            {"id": "typed", "type": "typed", "front": one, "back": two("t"), "explain": one},
            {
                "id": "choice",
                "type": "choice",
                "front": one,
                "answer": two("A"),
                "distractors": [two("B"), two("C")],
            },
            {"id": "list", "type": "list", "front": one, "items": [two("1"), two("2")]},
            {"id": "order", "type": "order", "front": one, "items": [two("1"), two("2")]},
        ],
    }
    return yaml.safe_dump(deck, allow_unicode=False)


def _service(folder: Path, text: str) -> Service:
    return make_service(folder, {"evil.yaml": hostile_deck(text)}, MovableClock())


# --- the app ---------------------------------------------------------------------------------


def check_screen(app: StudyApp) -> None:
    """Nothing drawn holds a control character (Textual writes its own escapes around text)."""
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            assert segment.control is None
            assert not RAW.search(segment.text), repr(segment.text)


async def _study_every_card(service: Service, text: str) -> None:
    app = make_app(service, review=[])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await pilot.press("s")  # the source dialog of the first card
        await pilot.pause()
        check_screen(app)
        await pilot.press("escape")
        for _ in range(12):
            item = screen.item
            if item is None or app.screen is not screen:
                break
            await pilot.pause()
            check_screen(app)
            if item.card.type is CardType.BASIC:
                # drawn literally, but for the light markup (``**bold**``, ``\*``), which it reads
                shown = visible(strip_markup(item.prompt))
                assert shown in str(screen.query_one("#prompt").render())
            kind = item.card.type
            if kind in (CardType.BASIC, CardType.CLOZE):
                await pilot.press("space")
            elif kind is CardType.CHOICE:
                await pilot.press("1")
            elif kind is CardType.ORDER:
                await pilot.press("enter")
            else:  # typed and list: the user pastes the hostile text
                app.post_message(events.Paste(f"{text}x"))
                await pilot.pause()
                check_screen(app)
                await pilot.press("enter")
                if kind is CardType.LIST:
                    await pilot.pause()
                    check_screen(app)
                    await pilot.press("enter")
            await pilot.pause()
            check_screen(app)
            await pilot.press("3")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        check_screen(app)
        assert app.is_running


@fuzz_settings(0.1)  # an app run per example: about 4 s each
@given(hostile)
def test_card_text_on_the_study_screen_is_drawn_literally(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder, control_checks_off():
        service = _service(Path(folder), text)
        assert len(service.decks[0].cards) == 6
        asyncio.run(_study_every_card(service, text))
        service.close()


# --- the writers -----------------------------------------------------------------------------


@fuzz_settings()
@given(hostile, st.integers(0, 3))
def test_the_exam_paper_and_the_study_sheet_are_inert(text: str, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder, control_checks_off():
        service = _service(Path(folder), text)
        exam = service.build_exam(ExamSpec(questions=8, seed=seed)).exam
        check_markdown_is_inert(paper_markdown(exam))
        check_html_is_inert(paper_html(exam))
        check_markdown_is_inert(write_markdown(service.decks[0]))
        service.close()


# --- the importers ---------------------------------------------------------------------------


def _no_controls(cards: list[dict[str, object]]) -> None:
    for card in cards:
        for value in card.values():
            for text in value if isinstance(value, list) else [value]:
                assert not RAW.search(str(text)), repr(text)


@fuzz_settings()
@given(
    st.lists(st.lists(hostile, min_size=1, max_size=4), max_size=5),
    st.sampled_from(["\t", ",", ";"]),
    st.booleans(),
)
def test_csv_import_never_crashes_and_keeps_no_control_character(
    rows: list[list[str]], separator: str, is_html: bool
) -> None:
    name = {"\t": "tab", ",": "comma", ";": "semicolon"}[separator]
    head = f"#separator:{name}\n#html:{str(is_html).lower()}\n"
    quoted = ('"' + cell.replace('"', '""') + '"' for row in rows for cell in row)
    cells = iter(quoted)
    body = "\n".join(separator.join(next(cells) for _ in row) for row in rows)
    imported = read_csv(head + body, name="fuzz")
    _no_controls(imported.cards)
    text, kept = build_deck(imported, imported.title or "Fuzz", "fuzz")
    deck, problems = parse_deck(text, Path("fuzz.yaml"), "fuzz.yaml")
    assert deck is not None and not [p for p in problems if p.severity == 2]
    assert len(deck.cards) == len(kept)


@fuzz_settings()
@given(st.lists(hostile, min_size=2, max_size=3), st.lists(hostile, max_size=3))
def test_anki_fields_become_text_without_control_characters(
    fields: list[str], tags: list[str]
) -> None:
    for shape in STOCK_SHAPES.values():
        card, _, _ = card_from_note(shape, fields, tags, kind="fuzz")
        if card is not None:
            _no_controls([card])
