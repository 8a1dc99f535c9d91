"""The mock-exam form: what it covers, how many questions, the time limit, the kinds, feedback,
seed.

The scope is the deck, folder or everything highlighted on the home screen, plus the cards
with the tags typed (``Service.select``: decks or tags). Start checks the fields (a one-line
message under them when one is wrong), then builds the exam in a thread
(``Service.build_exam``; an ``ExamError`` is shown the same way and as a notification) and
closes with the session to sit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, Label, Static

from study.core.exams.questions import QuestionKind
from study.core.exams.sitting import ExamSession
from study.core.exams.spec import ExamError, ExamSpec
from study.core.service import Service
from study.core.words import plural
from study.tui.text import plain

KIND_LABELS = {
    QuestionKind.TYPED: "typed",
    QuestionKind.CHOICE: "choice",
    QuestionKind.TRUE_FALSE: "true/false",
    QuestionKind.LIST: "list",
    QuestionKind.ORDER: "order",
    QuestionKind.MATCH: "match",
}
DEFAULT_QUESTIONS = 20
DEFAULT_MINUTES = 30
MAX_QUESTIONS = 500


class _TagSuggester(Suggester):
    """Completes the last of the space-separated tags typed."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(case_sensitive=False)
        self.tags = sorted(tags)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        found = next(
            (t for t in self.tags if t.casefold().startswith(last) and t.casefold() != last), None
        )
        return f"{head} {found}".lstrip() if found else None


class ExamSetupDialog(ModalScreen[ExamSession | None]):
    """Set up a mock exam; closes with the exam to sit (or None when cancelled)."""

    DEFAULT_CSS = """
    ExamSetupDialog { align: center middle; }
    ExamSetupDialog #exam-setup { width: 78; max-width: 98%; height: auto; max-height: 98%;
        border: round $accent; background: $panel; padding: 0 1; }
    ExamSetupDialog #setup-title { text-style: bold; margin-bottom: 1; }
    ExamSetupDialog .setup-row { height: auto; }
    ExamSetupDialog .setup-row > Label { width: 11; color: $text-muted; }
    ExamSetupDialog .setup-row > Input { width: 1fr; }
    ExamSetupDialog .setup-row > Input.short { width: 8; }
    ExamSetupDialog .setup-row > .note { width: 1fr; color: $text-muted; }
    ExamSetupDialog .setup-row > .note.after { padding-left: 2; }
    ExamSetupDialog #setup-kinds { height: auto; width: 1fr; layout: grid; grid-size: 3;
        grid-rows: 1; }
    ExamSetupDialog #setup-error { color: $text-error; height: auto; }
    ExamSetupDialog #setup-buttons { height: 1; align: right middle; margin-top: 1; }
    ExamSetupDialog #setup-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start"),
        Binding("enter", "start", "Start", show=False, priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Enter starts from any field, a checkbox too (Space ticks it); on a button, it presses it."""

    def __init__(self, service: Service, deck_ids: Sequence[str], scope_title: str) -> None:
        super().__init__()
        self.service = service
        self.deck_ids = tuple(deck_ids)
        self.scope_title = scope_title
        self.known_tags = sorted({t for item in service.items.values() for t in item.card.tags})
        self.building = False

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-setup"):
            yield Static("Mock exam", id="setup-title")
            with Horizontal(classes="setup-row"):
                yield Label("Covers")
                yield Static(id="setup-scope", classes="note")
            with Horizontal(classes="setup-row"):
                yield Label("Tags")
                yield Input(
                    id="setup-tags",
                    compact=True,
                    suggester=_TagSuggester(self.known_tags),
                    placeholder="optional: also the cards with these tags (space between)",
                )
            with Horizontal(classes="setup-row"):
                yield Label("Questions")
                yield Input(
                    str(DEFAULT_QUESTIONS),
                    id="setup-questions",
                    type="integer",
                    compact=True,
                    classes="short",
                )
                yield Label("   Minutes")
                yield Input(
                    str(DEFAULT_MINUTES),
                    id="setup-minutes",
                    type="number",
                    compact=True,
                    classes="short",
                )
                yield Static("0: no time limit", classes="note after")
            with Horizontal(classes="setup-row"):
                yield Label("Kinds")
                with Vertical(id="setup-kinds"):
                    for kind, label in KIND_LABELS.items():
                        yield Checkbox(label, True, id=f"kind-{kind.value}", compact=True)
            with Horizontal(classes="setup-row"):
                yield Label("Feedback")
                yield Checkbox(
                    "instant: right or wrong after each answer",
                    False,
                    id="setup-feedback",
                    compact=True,
                )
            with Horizontal(classes="setup-row"):
                yield Label("Seed")
                yield Input(
                    id="setup-seed",
                    type="integer",
                    compact=True,
                    placeholder="optional: the same seed gives the same exam",
                )
            yield Static(id="setup-error")
            with Horizontal(id="setup-buttons"):
                yield Button("Start (Enter)", id="setup-start", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="setup-cancel", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter on a focused button presses the button (Cancel cancels), not Start."""
        return not (action == "start" and isinstance(self.focused, Button))

    def on_mount(self) -> None:
        self._show_scope()
        self.query_one("#setup-questions", Input).focus()

    # --- the fields ------------------------------------------------------------

    def _tags(self) -> tuple[list[str], list[str]]:
        """The tags typed: (known, unknown)."""
        words = list(
            dict.fromkeys(self.query_one("#setup-tags", Input).value.replace(",", " ").split())
        )
        known = {t.casefold(): t for t in self.known_tags}
        return [known[w.casefold()] for w in words if w.casefold() in known], [
            w for w in words if w.casefold() not in known
        ]

    def _show_scope(self) -> None:
        tags, unknown = self._tags()
        parts = [self.scope_title] if self.deck_ids or not tags else []
        parts += [f"#{t}" for t in tags]
        cards = len({i.note_key for i in self.service.select(self.deck_ids, tags)})
        text = f"{' + '.join(parts)} ({plural(cards, 'card')})"
        self.query_one("#setup-scope", Static).update(plain(text, lines=False))
        self.query_one("#setup-error", Static).update(
            plain(f"No tag is called {', '.join(repr(u) for u in unknown)}.") if unknown else ""
        )

    @on(Input.Changed, "#setup-tags")
    def _tags_changed(self) -> None:
        self._show_scope()

    def spec(self) -> ExamSpec:
        """The exam the fields describe; ValueError with a one-line reason when one is wrong."""
        tags, unknown = self._tags()
        if unknown:
            raise ValueError(f"no tag is called {unknown[0]!r}")
        questions_text = self.query_one("#setup-questions", Input).value.strip()
        if not questions_text.isdigit() or not 1 <= int(questions_text) <= MAX_QUESTIONS:
            raise ValueError(f"questions: give a number from 1 to {MAX_QUESTIONS}")
        minutes_text = self.query_one("#setup-minutes", Input).value.strip() or "0"
        try:
            minutes = float(minutes_text)
        except ValueError:
            raise ValueError("minutes: give a number (0 for no time limit)") from None
        if minutes < 0:
            raise ValueError("minutes: give 0 (no time limit) or more")
        kinds = tuple(k for k in KIND_LABELS if self.query_one(f"#kind-{k.value}", Checkbox).value)
        if not kinds:
            raise ValueError("tick at least one kind of question")
        seed_text = self.query_one("#setup-seed", Input).value.strip()
        try:
            seed = int(seed_text) if seed_text else None
        except ValueError:
            raise ValueError("seed: give a whole number, or leave it empty") from None
        return ExamSpec(
            self.deck_ids,
            tuple(tags),
            int(questions_text),
            minutes or None,
            kinds,
            seed,
            instant_feedback=self.query_one("#setup-feedback", Checkbox).value,
        )

    # --- starting --------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "setup-start":
            self.action_start()
        else:
            self.action_cancel()

    def action_start(self) -> None:
        """Check the fields and build the exam."""
        if self.building:
            return
        try:
            spec = self.spec()
        except ValueError as exc:
            self._error(str(exc))
            return
        self.building = True
        self.query_one("#setup-start", Button).disabled = True
        self.query_one("#setup-error", Static).update("Making the exam…")
        self._build(spec)

    @work(thread=True, exclusive=True, group="exam-build")
    def _build(self, spec: ExamSpec) -> None:
        try:
            session = self.service.build_exam(spec)
        except ExamError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, session)

    def _failed(self, message: str) -> None:
        self.building = False
        self.query_one("#setup-start", Button).disabled = False
        self._error(message)
        self.notify(f"No exam: {message}.", severity="error")

    def _error(self, message: str) -> None:
        self.query_one("#setup-error", Static).update(
            plain(message[:1].upper() + message[1:] + ".")
        )

    def action_cancel(self) -> None:
        """Close without an exam."""
        self.dismiss(None)
