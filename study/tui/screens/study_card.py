"""The card half of the study screen: the card on screen, its answer box, the decks reloaded
under it, and the session's end. ``StudyScreen`` (``study.tui.screens.study``) adds the keys and
the marking of answers; the helpers here (``nothing_to_study``, ``card_label``) are shared."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from study.core.clock import Clock
from study.core.decks.formatting import strip_markup
from study.core.decks.media import media_file
from study.core.decks.model import CardType, Item, MediaRef, Severity, cloze_render
from study.core.review.session import Mode, StudySession
from study.core.scheduling.scheduler import Rating
from study.core.service import Service
from study.tui.notice import NotSavedNotice
from study.tui.text import marked, plain
from study.tui.widgets.keybar import KeyBar
from study.tui.widgets.media_list import MediaList
from study.tui.widgets.progress_line import ProgressLine
from study.tui.widgets.rating import RatingBar

if TYPE_CHECKING:
    pass

SELF_GRADED = (CardType.BASIC, CardType.CLOZE)
BLANK = ("\x01[", "]\x02")


def highlight(text: str, style: str) -> Text:
    """Text with the parts between BLANK markers styled (control characters written out)."""
    out = Text()
    for n, part in enumerate(text.replace("\x02", "\x01").split("\x01")):
        out.append_text(marked(part, style if n % 2 else ""))
    return out


def card_label(item: Item, width: int = 40) -> str:
    """A card's prompt on one line, shortened, in quotes (for notices)."""
    prompt = " ".join(strip_markup(item.prompt).split())
    return f"“{prompt if len(prompt) <= width else prompt[: width - 1] + '…'}”"


def nothing_to_study(session: StudySession, title: str, clock: Clock) -> str:
    """What to say when a review has no card to show now."""
    when = session.waiting_until
    later = f" Cards in learning come back at {clock.local(when):%H:%M}." if when else ""
    return f"Nothing to study in {title} right now.{later} Press c to cram it."


class CardScreen(Screen[None]):
    """The card on screen: shown, its answer shown, swapped when its deck is reloaded, the session
    ended (the keys are ``StudyScreen``'s)."""

    def __init__(self, service: Service, session: StudySession, title: str) -> None:
        super().__init__()
        self.service = service
        self.session = session
        self.title_text = title
        self.notice = NotSavedNotice()
        """The one "NOT saved" toast, replaced while a write failure repeats."""
        self.revealed = False
        self.revealed_at = 0
        """How many steps the session had done when the answer was shown (``u`` hides it again
        while nothing was done since)."""
        self.suggested: Rating | None = None
        self.given: str | None = None
        self.shown_at = time.monotonic()
        self.total = session.left
        self.stale = False
        """The decks were reloaded while another screen was on top: show the card again on return.
        """
        self.finished = False
        """The session has ended, and this screen stays under the others (it was the first)."""
        self.deck_files = service.deck_files()
        """Each deck's file as last loaded (to tell a deck with errors from a deleted one)."""
        self.meta = Text()
        """The line above the prompt: deck, card type, tags, flag."""
        self.answer = Text()
        self.feedback = Text()
        """Shown under the card once it is answered: the answer, then the grade and the note."""
        self.response: Widget | None = None
        """The answer box of the card on screen (typed, choice, list, order), if it has one."""

    def compose(self) -> ComposeResult:
        # As few widgets as the card needs: each one is styled on its own before the first
        # frame (the answer box is mounted only for the cards that have one).
        yield ProgressLine(id="progress")
        with VerticalScroll(id="card"):
            yield Static(id="prompt")
            yield MediaList(id="media")
            yield Static(id="answer")
        yield RatingBar(id="rating")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_item()

    def _in_answer_box(self) -> bool:
        """Whether the answer box has the focus (before the answer is graded)."""
        focused = self.focused
        return (
            focused is not None
            and not self.revealed
            and self.response is not None
            and self.response in focused.ancestors_with_self
        )

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.show_item()

    # --- showing ---------------------------------------------------------------

    @property
    def item(self) -> Item | None:
        """The item on screen."""
        return self.session.current

    def _colors(self) -> dict[str, str]:
        return self.app.get_css_variables()

    def show_item(self) -> None:
        """Put the current item on screen, or end the session when there is none."""
        item = self.item
        if item is None:
            self.action_finish()
            return
        self.revealed, self.suggested, self.given = False, None, None
        self.shown_at = time.monotonic()
        self._show_progress()
        card = item.card
        flagged = " ★ flagged" if self.session.is_flagged(item) else ""
        self.meta = plain(
            " · ".join(
                part
                for part in (
                    card.deck_id,
                    f"{card.type}{' (reverse)' if item.variant == 'r' else ''}",
                    " ".join("#" + t for t in card.tags[:4]),
                    flagged.strip(),
                )
                if part
            ),
            "dim",
            lines=False,
        )
        if card.type is CardType.CLOZE:
            self._show_prompt(
                highlight(
                    cloze_render(card.text, item.cloze_number, False, BLANK),
                    f"bold {self._colors().get('accent', 'cyan')}",
                )
            )
        else:
            self._show_prompt(marked(item.prompt, "bold"))
        self._show_media(item.prompt_media)
        self._show_answer(Text(), Text())
        self.query_one(RatingBar).display = False
        self._mount_response(item)
        self.refresh_bindings()

    def _show_media(self, refs: tuple[MediaRef, ...], *, append: bool = False) -> None:
        """The card's images and sounds under the prompt (the answer's added on reveal)."""
        if not refs and append:
            return
        item = self.item
        display = self.deck_files.get(item.card.deck_id, "") if item else ""
        deck_path = Path(display)
        self.query_one(MediaList).show(
            [(ref.path, media_file(deck_path, ref)) for ref in refs], append=append
        )

    def _show_prompt(self, prompt: Text) -> None:
        self.query_one("#prompt", Static).update(Text.assemble(self.meta, "\n\n", prompt))

    def _show_answer(self, answer: Text, feedback: Text) -> None:
        """The answer and, under it, the grade or the card's note ('' for neither)."""
        self.answer, self.feedback = answer, feedback
        parts = [part for part in (answer, feedback) if part.plain]
        self.query_one("#answer", Static).update(Text("\n\n").join(parts))

    def _show_progress(self) -> None:
        done = self.session.answered
        self.total = max(self.total, done + self.session.left)
        practice = (
            " · practice: the schedule is not changed" if self.session.mode is Mode.PRACTICE else ""
        )
        label = Text.assemble(
            plain(self.title_text, "bold", lines=False),
            f" · {done} done · {self.session.left} left{practice}",
        )
        self.query_one(ProgressLine).update(total=max(1, self.total), progress=done, label=label)

    def decks_reloaded(self) -> None:
        """The decks were read again: the card on screen is shown as it is now; deleted cards leave.

        A deck file that has errors now (half-edited, say) may have lost cards that are
        not deleted: those stay in the session as they were until the file is fixed.
        """
        if self.finished:
            return
        before = self.item
        broken = {p.path for p in self.service.problems if p.severity is Severity.ERROR}
        unsettled = {deck_id for deck_id, display in self.deck_files.items() if display in broken}
        items = dict(self.service.items)
        for item in self._session_items():
            if item.card.deck_id in unsettled:
                items.setdefault(item.key, item)
        self.deck_files = {
            deck_id: display for deck_id, display in self.deck_files.items() if deck_id in unsettled
        }
        self.deck_files.update(self.service.deck_files())
        self.session.replace_items(items)
        after = self.item
        if (
            before is not None
            and after is not None
            and before.key == after.key
            and replace(before.card, line=0) == replace(after.card, line=0)
        ):
            self._show_progress()  # the card did not change: keep what was typed or revealed
            return
        if before is not None and (after is None or after.key != before.key):
            self.notify("The card on screen was removed from its deck file.", title="Card removed")
        if self.is_current:
            self.show_item()
        else:
            self.stale = True

    def _session_items(self) -> list[Item]:
        """The card on screen and those still to come in this session."""
        session = self.session
        return [
            *([session.current] if session.current else []),
            *session.queue,
            *(e[2] for e in session.learning),
        ]

    def _mount_response(self, item: Item) -> None:
        if self.response is not None:
            self.response.remove()
            self.response = None
        card = item.card
        widget: Widget | None = None
        if card.type not in SELF_GRADED:
            from study.tui.widgets.answer import (  # imported when first needed
                ChoiceAnswer,
                ListAnswer,
                OrderAnswer,
                TypedAnswer,
            )

        if card.type is CardType.TYPED:
            widget = TypedAnswer()
        elif card.type is CardType.CHOICE:
            # with the grader: imported when first needed
            from study.core.review.choices import choice_options

            pool = self.service.deck_cards(card.deck_id)
            widget = ChoiceAnswer(choice_options(card, pool, seed=item.key))
        elif card.type is CardType.LIST:
            widget = ListAnswer(len(card.items), card.ordered)
        elif card.type is CardType.ORDER:
            order = list(range(len(card.items)))
            rng = random.Random(item.key)
            while order == sorted(order) and len(order) > 1:
                rng.shuffle(order)
            widget = OrderAnswer(list(card.items), order)
        if widget is not None:
            self.response = widget.add_class("response")
            self.query_one("#card").mount(widget, before="#answer")
            self.call_after_refresh(widget.focus)
        else:
            self.set_focus(None)

    def _show_rating(self, suggested: Rating | None) -> None:
        if self.item is not None:
            self._show_media(self.item.answer_media, append=True)
        self.revealed, self.suggested = True, suggested
        self.revealed_at = len(self.session.history)
        bar = self.query_one(RatingBar)
        bar.display = True
        bar.show(self.session.preview(), suggested)
        self.set_focus(None)
        if self.response is not None:
            self.response.disabled = True
        self.refresh_bindings()
        item = self.item
        if item is not None and item.card.explain:
            note = marked(item.card.explain, "italic dim")
            self._show_answer(
                self.answer,
                Text.assemble(self.feedback, "\n", note) if self.feedback.plain else note,
            )

    def _elapsed(self) -> float:
        return time.monotonic() - self.shown_at

    def action_finish(self) -> None:
        """Leave the answer box (so the letter keys work), or end the session and show its
        summary."""
        from study.tui.screens.summary import SummaryScreen

        if self._in_answer_box():
            self.set_focus(None)
            self.notify(
                "Keys: u undo · e edit · s source · * flag · - bury · @ suspend. "
                "Tab goes back to the answer; Esc again ends the session.",
                timeout=5,
            )
            return

        summary = SummaryScreen(self.session.summary(), self.title_text)
        if self.app.screen_stack[0] is self:  # the first screen (`study review`) cannot be replaced
            self.finished = True
            self.app.push_screen(summary)
        else:
            self.app.switch_screen(summary)
