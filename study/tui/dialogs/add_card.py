"""The "add card" form: pick the type, fill its fields, see the linter's errors as you type, save.

Checking and saving are the authoring core's (``study.core.authoring.writing``): a check
(``check_card``) validates the card *and the whole file with the card added*,
so the messages are the linter's own; saving (``append_card``) appends the card
after the last one, leaving every other byte of the file as it was, and
replaces the file atomically only once the new text validates. Checks run in a
worker thread a moment after the last keystroke, so typing never waits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from study.core.authoring.deck_text import AuthoringError, read_deck_text
from study.core.authoring.writing import CardIssue, append_card, check_card, suggest_id
from study.core.decks.card import TYPE_KEYS
from study.core.decks.model import CardType, Deck, Severity
from study.tui.text import plain

COMMON = ("tags", "source", "at", "explain", "id")
"""Fields every card type has (``at`` belongs to ``source``)."""
LINES = frozenset({"accept", "distractors", "items"})
"""Fields typed one entry per line."""
LABELS = {
    "deck": ("Deck", ""),
    "type": ("Type", ""),
    "front": ("Front", "the question"),
    "back": ("Back", "the answer"),
    "text": (
        "Text",
        (
            "Wrap what to hide in {{c1::...}}: 'Hanoi is the {{c1::capital}}'. {{c2::...}} "
            "makes a second card; {{c1::answer::hint}} shows a hint."
        ),
    ),
    "accept": ("Also accepted", "other right answers, one per line (optional)"),
    "answer": ("Answer", "the right option"),
    "distractors": ("Distractors", "wrong options, one per line (none: drawn from similar cards)"),
    "items": ("Items", "one per line"),
    "tags": ("Tags", "words separated by spaces (optional)"),
    "source": ("Source", "one of the deck's sources (optional)"),
    "at": ("Where in it", "page, article, paragraph (optional)"),
    "explain": ("Explain", "shown after answering (optional)"),
    "id": ("Id", "a stable name; leave empty to use the suggested one"),
}
CHECKS = {"reverse": "Also ask back → front (reverse)", "ordered": "The order matters (ordered)"}


def _file(deck: Deck) -> str:
    """The deck's file name, with its folder under the decks folder."""
    return f"{deck.group}/{deck.path.name}" if deck.group else deck.path.name


class _Fields(VerticalScroll, can_focus=False):
    """The fields, scrolling when the terminal is small; Tab goes straight to the first field."""


class DiscardDialog(ModalScreen[bool]):
    """Asks before a filled-in card is thrown away."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard"),
        Binding("n,escape", "answer(False)", "Keep editing"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-dialog"):
            yield Static("Discard this card? [b]y[/b] discard · [b]n[/b] or Esc: keep editing")

    def action_answer(self, discard: bool) -> None:
        """Close with the answer."""
        self.dismiss(discard)


class AddCardDialog(ModalScreen[str | None]):
    """A form for one new card; dismissed with a message saying what was added, or None."""

    DEBOUNCE = 0.3
    """Seconds after the last change before the card is checked."""

    DEFAULT_CSS = """
    AddCardDialog { align: center middle; }
    AddCardDialog #add-card { width: 96%; max-width: 110; height: 96%; max-height: 40;
        border: round $accent; background: $panel; padding: 0 1; }
    AddCardDialog #add-title { text-style: bold; height: 1; margin-bottom: 1; }
    AddCardDialog #add-fields { height: 1fr; scrollbar-size-vertical: 1; }
    AddCardDialog .field { height: auto; margin-bottom: 1; }
    AddCardDialog .field Label { width: 14; color: $text-muted; }
    AddCardDialog .field Input, AddCardDialog .field Select,
    AddCardDialog .field TextArea { width: 1fr; }
    AddCardDialog .field TextArea { height: 4; }
    AddCardDialog .hint { color: $text-muted; padding-left: 14; margin-bottom: 1; }
    AddCardDialog .error { background: $error 25%; }
    AddCardDialog #add-problems { height: auto; max-height: 5; overflow-y: auto; color: $text-error;
        border-top: solid $panel-lighten-2; }
    AddCardDialog #add-problems.ok { color: $text-success; }
    AddCardDialog #add-buttons { height: 1; align: right middle; margin-top: 1; }
    AddCardDialog #add-buttons Button { margin-left: 2; }
    DiscardDialog { align: center middle; }
    DiscardDialog #discard-dialog { width: 60; height: auto; border: round $warning;
        background: $panel; padding: 1 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    @dataclass
    class Checked(Message):
        """A check finished (posted from the checking thread)."""

        generation: int
        issues: list[CardIssue]
        suggested: str

    def __init__(self, decks: Sequence[Deck]) -> None:
        super().__init__()
        self.decks = list(decks)
        self.generation = 0
        """Bumped at every change; a check's result counts only for its own generation."""
        self.pending = False
        """A check is waiting to run or running."""
        self.issues: list[CardIssue] = []
        """What the last check found."""
        self._timer: Timer | None = None

    # --- the form --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="add-card"):
            yield Static(id="add-title")
            if len(self.decks) > 1:
                yield from self._row(
                    "deck",
                    Select(
                        [(plain(f"{d.title} ({_file(d)})", lines=False), d.id) for d in self.decks],
                        prompt="Which deck?",
                        id="deck",
                        compact=True,
                    ),
                )
            yield from self._row(
                "type",
                Select(
                    [(t.value, t.value) for t in CardType],
                    value=CardType.BASIC.value,
                    allow_blank=False,
                    id="type",
                    compact=True,
                ),
            )
            with _Fields(id="add-fields"):
                for key in ("front", "back", "text", "answer", "accept", "distractors", "items"):
                    hint = LABELS[key][1]
                    yield from self._row(
                        key,
                        TextArea(id=key, placeholder=hint, compact=True)
                        if key in LINES
                        else Input(id=key, placeholder=hint, compact=True),
                    )
                yield Static(LABELS["text"][1], classes="hint", id="text-hint")
                for key, label in CHECKS.items():
                    yield from self._row(key, Checkbox(label, id=key, compact=True), label="")
                for key in COMMON:
                    hint = LABELS[key][1]
                    yield from self._row(
                        key,
                        Select([], prompt="none", id=key, compact=True)
                        if key == "source"
                        else Input(id=key, placeholder=hint, compact=True),
                    )
                yield Static(
                    "This deck lists no sources: add a 'sources:' list to it to cite one.",
                    classes="hint",
                    id="source-note",
                )
            yield Static(id="add-problems")
            with Horizontal(id="add-buttons"):
                yield Button(
                    "Save (ctrl+s)", id="save", variant="primary", disabled=True, compact=True
                )
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    @staticmethod
    def _row(key: str, widget: Widget, label: str | None = None) -> ComposeResult:
        with Horizontal(classes="field", id=f"field-{key}"):
            yield Label(LABELS.get(key, (key.capitalize(), ""))[0] if label is None else label)
            yield widget

    def on_mount(self) -> None:
        self._deck_chosen()
        self._type_chosen()
        first = "#deck" if len(self.decks) > 1 else "#type"
        self.query_one(first).focus()
        self.schedule_check()

    @property
    def deck(self) -> Deck | None:
        """The deck the card goes to (None until one is picked)."""
        if len(self.decks) == 1:
            return self.decks[0]
        value = self.query_one("#deck", Select).value
        return next((d for d in self.decks if d.id == value), None)

    @property
    def card_type(self) -> CardType:
        """The type picked."""
        return CardType(str(self.query_one("#type", Select).value))

    def _deck_chosen(self) -> None:
        deck = self.deck
        where = f"{deck.title} ({_file(deck)})" if deck else "a deck"
        self.query_one("#add-title", Static).update(plain(f"Add a card to {where}", lines=False))
        sources = deck.sources if deck else ()
        self.query_one("#source", Select).set_options(
            [(plain(s.describe(), lines=False), s.id) for s in sources]
        )
        for key in ("source", "at"):
            self.query_one(f"#field-{key}").display = bool(sources)
        self.query_one("#source-note").display = deck is not None and not sources

    def _type_chosen(self) -> None:
        wanted = set(TYPE_KEYS[self.card_type])
        for key in ("front", "back", "text", "answer", "accept", "distractors", "items", *CHECKS):
            self.query_one(f"#field-{key}").display = key in wanted
        self.query_one("#text-hint").display = "text" in wanted

    def card(self) -> dict[str, object]:
        """The card as the form says, before an id is suggested (empty values are left
        out later)."""
        card: dict[str, object] = {"type": self.card_type.value}
        for key in TYPE_KEYS[self.card_type]:
            widget = self.query_one(f"#{key}")
            if isinstance(widget, Checkbox):
                card[key] = widget.value
            elif isinstance(widget, TextArea):
                card[key] = [line.strip() for line in widget.text.splitlines() if line.strip()]
            else:
                card[key] = self.query_one(f"#{key}", Input).value.strip()
        card["tags"] = self.query_one("#tags", Input).value.split()
        source = self.query_one("#source", Select).value
        if isinstance(source, str) and self.query_one("#field-source").display:
            card["source"] = {"id": source, "at": self.query_one("#at", Input).value.strip()}
        card["explain"] = self.query_one("#explain", Input).value.strip()
        card["id"] = self.query_one("#id", Input).value.strip()
        return card

    def filled(self) -> bool:
        """Whether anything was typed (then Esc asks before throwing it away)."""
        texts = [w.value for w in self.query(Input)] + [w.text for w in self.query(TextArea)]
        return any(t.strip() for t in texts)

    # --- checking as the user types ---------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self, event: Message) -> None:
        control = getattr(event, "control", None)
        if isinstance(control, Select) and control.id == "type":
            self._type_chosen()
        elif isinstance(control, Select) and control.id == "deck":
            self._deck_chosen()
        self.schedule_check()

    def schedule_check(self) -> None:
        """Check the card once the user pauses typing (Save is off until then)."""
        self.generation += 1
        self.pending = True
        self.query_one("#save", Button).disabled = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE, self._start_check)

    def _start_check(self) -> None:
        deck = self.deck
        if deck is None:
            self._show([CardIssue("", "pick the deck the card goes to")], "")
            return
        self._check(self.generation, deck.path, self.card())

    @work(thread=True, exclusive=True, group="check")
    def _check(self, generation: int, path: Path, card: dict[str, object]) -> None:
        """Check the card as it would be added to the file as it is now."""
        suggested = ""
        try:
            text = read_deck_text(path)
        except AuthoringError as exc:
            issues = [CardIssue("", str(exc))]
        else:
            if not card["id"] and any(card.get(k) for k in ("front", "text", "answer")):
                suggested = suggest_id(card, text)
                card = {**card, "id": suggested}
            issues, _ = check_card(card, text, path)
        self.post_message(self.Checked(generation, issues, suggested))

    @on(Checked)
    def _checked(self, event: Checked) -> None:
        if event.generation == self.generation:
            self._show(event.issues, event.suggested)

    def _show(self, issues: list[CardIssue], suggested: str) -> None:
        self.pending = False
        self.issues = issues
        errors = [i for i in issues if i.severity is Severity.ERROR]
        panel = self.query_one("#add-problems", Static)
        panel.set_class(not errors, "ok")
        lines = [
            i.message if i.severity is Severity.ERROR else f"warning: {i.message}" for i in issues
        ]
        panel.update(plain("\n".join(lines)) if lines else "✓ The card is valid: ctrl+s saves it.")
        self.query_one("#save", Button).disabled = bool(errors)
        wrong = {i.field for i in errors}
        for key in (*TYPE_KEYS[self.card_type], *COMMON):
            self.query_one(f"#{key}").set_class(key in wrong, "error")
        self.query_one("#id", Input).placeholder = (
            f"{suggested} (suggested: leave empty to use it)" if suggested else LABELS["id"][1]
        )

    # --- saving and leaving ----------------------------------------------------

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Append the card to the deck file (checked again first); close the form."""
        deck = self.deck
        if deck is None:
            self.notify("Pick the deck the card goes to first.", severity="warning")
            return
        card = self.card()
        try:
            if not card["id"]:
                card["id"] = suggest_id(card, read_deck_text(deck.path))
            added = append_card(deck.path, card)
        except AuthoringError as exc:
            self._show([CardIssue("", str(exc))], "")
            self.notify(str(exc), title="Not saved", severity="error")
            return
        except OSError as exc:
            self.notify(
                f"Cannot write {deck.path}: {exc.strerror or exc}. Nothing was changed.",
                title="Not saved",
                severity="error",
            )
            return
        self.dismiss(f"Added card {added.id!r} to {deck.title} ({_file(deck)}, line {added.line}).")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving; asks first when something was typed."""
        if not self.filled():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardDialog(), answered)
