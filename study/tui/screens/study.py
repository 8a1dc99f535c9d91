"""The study screen: one card at a time, every card type, graded, saved before the next appears."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType

from study.core.decks.model import CardType, cloze_render
from study.core.progress.store import WriteError
from study.core.scheduling.scheduler import Rating
from study.tui.screens.study_card import BLANK, SELF_GRADED, CardScreen, card_label, highlight
from study.tui.text import marked, plain
from study.tui.widgets.media_list import MediaList
from study.tui.widgets.rating import RatingBar

if TYPE_CHECKING:
    from study.tui.widgets.answer import ChoiceAnswer, ListAnswer, OrderAnswer, TypedAnswer


class StudyScreen(CardScreen):
    """Show, answer, rate, next."""

    AUTO_FOCUS = ""
    """Nothing is focused on arrival, so the keys work at once; an answer box is focused by
    ``show_item``. (None would mean the app's default, the first focusable widget: the card's
    scroll area was focused, then unfocused, restyling the screen twice before its first frame.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Accept", show=False),
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("o", "override", "I was right", show=False),
        Binding("u", "undo", "Undo"),
        Binding("e", "edit", "Edit"),
        Binding("s", "source", "Source"),
        Binding("v", "open_media", "Open media"),
        Binding("asterisk", "flag", "Flag", key_display="*"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("at", "suspend", "Suspend", key_display="@"),
        Binding("escape", "finish", "End"),
    ]

    def describe_binding(self, binding: Binding, description: str | None) -> str | None:
        """What a key does now, for the key bar (None: nothing worth showing): before the
        answer, space shows it (basic and cloze cards); after it, Enter accepts the suggested
        rating and o counts an automatically graded answer as right; Esc leaves the answer box
        while it is focused, else ends the session."""
        item, revealed = self.item, self.revealed
        if item is None:
            return description
        self_graded = item.card.type in SELF_GRADED
        if binding.action == "reveal":
            if binding.key == "space":
                return description if self_graded and not revealed else None
            return "Accept ◂" if revealed else None
        if binding.action == "open_media":
            return description if self.query_one(MediaList).files else None
        if binding.action == "override":
            return "I was right" if revealed and not self_graded else None
        if binding.action == "finish" and self._in_answer_box():
            return "Leave the box"
        return description

    # --- answering -------------------------------------------------------------

    def action_reveal(self) -> None:
        """Show the answer of a self-graded card; once shown, accept the suggested rating."""
        item = self.item
        if item is None:
            return
        if self.revealed:
            self.action_rate(int(self.suggested or Rating.GOOD))
            return
        if item.card.type not in SELF_GRADED:
            return
        if item.card.type is CardType.CLOZE:
            self._show_prompt(
                highlight(
                    cloze_render(item.card.text, item.cloze_number, True, BLANK),
                    f"bold {self._colors().get('success', 'green')}",
                )
            )
        else:
            self._show_answer(marked(item.answer, "bold"), Text())
        self._show_rating(None)

    def on_typed_answer_answered(self, event: TypedAnswer.Answered) -> None:
        """A typed answer: graded, shown against the expected one, a rating suggested."""
        # the grader: imported when first needed
        from study.core.grading.answers import rating_for
        from study.core.grading.grade import grade_item_typed
        from study.tui.widgets.answer import typed_marking

        item = self.item
        if item is None or self.revealed:
            return
        expected = item.answer
        grade = grade_item_typed(item, event.text)
        self.given = event.text
        self._show_answer(
            Text.assemble("Answer: ", marked(expected, "bold")),
            typed_marking(event.text, grade, self._colors()),
        )
        rating = Rating(rating_for(grade, self._elapsed(), self.service.config.fast_answer_seconds))
        self._show_rating(rating)

    def on_choice_answer_picked(self, event: ChoiceAnswer.Picked) -> None:
        """An option picked: right or wrong, a rating suggested."""
        item = self.item
        if item is None or self.revealed:
            return
        from study.tui.widgets.answer import ChoiceAnswer

        widget = self.query_one(ChoiceAnswer)
        chosen = widget.choices[event.index]
        right = chosen == item.card.answer
        self.given = chosen
        mark = "✓ Right" if right else f"✗ You chose “{chosen}”"
        self._show_answer(
            Text.assemble("Answer: ", plain(item.card.answer, "bold")), plain(mark, "bold")
        )
        fast = self._elapsed() <= self.service.config.fast_answer_seconds
        self._show_rating((Rating.EASY if fast else Rating.GOOD) if right else Rating.AGAIN)

    def on_list_answer_submitted(self, event: ListAnswer.Submitted) -> None:
        """A list recalled: each item checked, credit for the share, a rating suggested."""
        from study.core.grading.credit import rating_for_share
        from study.core.grading.grade import grade_item_list
        from study.tui.widgets.answer import list_marking

        item = self.item
        if item is None or self.revealed:
            return
        card = item.card
        grade = grade_item_list(card, event.lines)
        self.given = "\n".join(event.lines)
        self._show_answer(list_marking(card.items, grade, self._colors()), Text())
        self._show_rating(Rating(rating_for_share(grade.share)))

    def on_order_answer_submitted(self, event: OrderAnswer.Submitted) -> None:
        """An order given: each place checked, credit for the share, a rating suggested."""
        from study.core.grading.credit import grade_order, rating_for_share
        from study.tui.widgets.answer import order_marking

        item = self.item
        if item is None or self.revealed:
            return
        card = item.card
        grade = grade_order(event.order, len(card.items))
        self.given = " | ".join(card.items[i] for i in event.order)
        self._show_answer(order_marking(card.items, grade, self._colors()), Text())
        self._show_rating(Rating(rating_for_share(grade.share)))

    @on(RatingBar.Rated)
    def _rated(self, event: RatingBar.Rated) -> None:
        self.action_rate(int(event.rating))

    def action_rate(self, rating: int) -> None:
        """Save the answer with this rating (durably), then show the next item."""
        if not self.revealed or self.item is None:
            return
        duration = int(self._elapsed() * 1000)
        try:
            self.session.answer(Rating(rating), duration_ms=duration, answer=self.given)
        except WriteError as exc:  # the card stays, revealed: the same key tries again
            self.not_saved("Your answer", "answer", exc, "answer again")
            return
        self.notice.saved(self.app)
        self.show_item()

    def not_saved(self, what: str, noun: str, exc: WriteError, retry: str) -> None:
        """Say, on one line, that ``what`` (one ``noun``) was NOT saved, why, and what to do;
        while the same failure repeats, the toast is replaced, counting what was refused."""
        self.notice.show(self.app, what, noun, exc, retry)

    def action_override(self) -> None:
        """'I was right': count an auto-graded answer as Good."""
        if self.revealed and self.item is not None and self.item.card.type not in SELF_GRADED:
            self.action_rate(int(Rating.GOOD))

    # --- other keys ------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo what was done last: the answer on screen (not saved yet), else the session's
        last answer, flag, burial or suspension; say which."""
        item = self.item
        if item is not None and self.revealed and len(self.session.history) == self.revealed_at:
            self.notify(
                f"Undid: your answer to {card_label(item)} (it was not saved yet).", markup=False
            )
            self.show_item()
            return
        try:
            step = self.session.undo_step()
        except WriteError as exc:
            self.not_saved("The undo", "undo", exc, "press u again")
            return
        self.notice.saved(self.app)
        if step is None:
            self.notify("Nothing to undo in this session.")
            return
        self.notify(f"Undid: {step.what} of {card_label(step.item)}.", markup=False)
        if step.what in ("flag", "unflag") and step.item is item and self.revealed:
            return  # the answer stays on screen; the flag shows with the next card
        self.show_item()

    def action_flag(self) -> None:
        """Flag or unflag the card (flagged cards are listed in the statistics)."""
        try:
            flagged = self.session.toggle_flag()
        except WriteError as exc:
            self.not_saved("The flag", "flag", exc, "press * again")
            return
        self.notice.saved(self.app)
        self.notify("Flagged ★" if flagged else "Flag removed")
        if self.item is not None and not self.revealed:
            self.show_item()

    def action_bury(self) -> None:
        """Hide the card until tomorrow."""
        try:
            self.session.bury()
        except WriteError as exc:
            self.not_saved("Burying the card", "burial", exc, "press - again")
            return
        self.notice.saved(self.app)
        self.notify("Buried until tomorrow (u undoes it).")
        self.show_item()

    def action_suspend(self) -> None:
        """Suspend the card until you unsuspend it."""
        try:
            self.session.suspend()
        except WriteError as exc:
            self.not_saved("Suspending the card", "suspension", exc, "press @ again")
            return
        self.notice.saved(self.app)
        self.notify("Suspended (u undoes it; b on the home screen browses and unsuspends).")
        self.show_item()

    def action_open_media(self) -> None:
        """Open the card's images and sounds shown so far in the system's viewer or player."""
        from study.tui.opener import open_file

        files = self.query_one(MediaList).files
        if not files:
            self.notify("This card shows no image or sound.", title="No media")
            return
        for path in files:
            why = open_file(path)
            if why:
                self.notify(why, title="Cannot open", severity="warning")
                return

    def action_source(self) -> None:
        """Show where the card comes from and its note."""
        from study.tui.dialogs.source import SourceDialog

        item = self.item
        if item is not None:
            deck = self.service.deck(item.card.deck_id)
            self.app.push_screen(SourceDialog(item, deck))

    def action_edit(self) -> None:
        """Open the card's file in $EDITOR at its line; reload the decks afterwards."""
        from study.tui.editor import edit_at

        item = self.item
        deck = self.service.deck(item.card.deck_id) if item is not None else None
        if item is not None and deck is not None:
            edit_at(self, deck.path, item.card.line)
