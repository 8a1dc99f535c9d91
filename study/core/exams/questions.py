"""Mock-exam questions: their kinds and the ``Question`` value (with its JSON form).

``maker`` makes them from study items; ``likeness`` ranks the distractors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from study.core.decks.model import CardType

SINGLE = (CardType.BASIC, CardType.TYPED, CardType.CHOICE, CardType.CLOZE)
"""Card types whose items have one answer (typed, choice, true/false, matching)."""
OPTIONS = 4
"""Options of a choice question, when enough distractors exist (3 at least)."""
PAIRS = 4
"""Pairs of a matching question, when enough items fit (3 at least)."""
TYPED_WORDS = 6
"""A free-text answer longer than this many words is not asked as a typed question."""


class QuestionKind(StrEnum):
    """The formats of exam questions."""

    TYPED = "typed"
    CHOICE = "choice"
    TRUE_FALSE = "truefalse"
    LIST = "list"
    ORDER = "order"
    MATCH = "match"


@dataclass(frozen=True, slots=True)
class Question:
    """One exam question as asked, with its solution and where its facts come from."""

    kind: QuestionKind
    items: tuple[str, ...]
    """The item keys it tests: several for MATCH, one otherwise."""
    prompt: str
    """The text to show (for TRUE_FALSE, the claim to judge)."""
    options: tuple[str, ...] = ()
    """CHOICE: the options; ORDER: the items, shuffled; MATCH: the answers, shuffled."""
    lefts: tuple[str, ...] = ()
    """MATCH: the questions to pair with an option, one per item."""
    answers: tuple[str, ...] = ()
    """TYPED: the expected answer, then the accepted ones; LIST/ORDER: the items in order;
    CHOICE/TRUE_FALSE: the right answer; MATCH: the right option of each left."""
    solution: tuple[int, ...] = ()
    """CHOICE: (right option,); TRUE_FALSE: (1,) true or (0,) false; ORDER: the option of
    each position; MATCH: the option of each left."""
    statement: str = ""
    """TRUE_FALSE: the answer the claim proposes (right or swapped)."""
    ordered: bool = False
    """LIST: whether the order of the lines counts."""
    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    """Where the facts come from: the deck's source and the place in it."""
    explain: str = ""
    accepts: tuple[tuple[str, ...], ...] = ()
    """LIST: per item, its other accepted forms (empty when no item has any)."""

    @property
    def expected(self) -> str:
        """The right answer, as one line of text."""
        if self.kind is QuestionKind.TRUE_FALSE:
            return "true" if self.solution == (1,) else f"false (the answer is {self.answers[0]})"
        if self.kind in (QuestionKind.LIST, QuestionKind.ORDER, QuestionKind.MATCH):
            return "; ".join(self.answers)
        return self.answers[0]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (for the store and ``--json``)."""
        out: dict[str, object] = {
            "kind": self.kind.value,
            "items": list(self.items),
            "prompt": self.prompt,
        }
        for name in ("options", "lefts", "answers", "solution", "decks", "tags", "sources"):
            if value := getattr(self, name):
                out[name] = list(value)
        for name in ("statement", "ordered", "explain"):
            if value := getattr(self, name):
                out[name] = value
        if self.accepts:
            out["accepts"] = [list(forms) for forms in self.accepts]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Question:
        """The question :meth:`to_dict` wrote."""

        def seq(name: str) -> tuple[object, ...]:
            value = data.get(name, ())
            return tuple(value) if isinstance(value, (list, tuple)) else ()

        return cls(
            QuestionKind(str(data["kind"])),
            tuple(map(str, seq("items"))),
            str(data["prompt"]),
            tuple(map(str, seq("options"))),
            tuple(map(str, seq("lefts"))),
            tuple(map(str, seq("answers"))),
            tuple(int(str(v)) for v in seq("solution")),
            str(data.get("statement", "")),
            bool(data.get("ordered", False)),
            tuple(map(str, seq("decks"))),
            tuple(map(str, seq("tags"))),
            tuple(map(str, seq("sources"))),
            str(data.get("explain", "")),
            tuple(
                tuple(map(str, forms)) if isinstance(forms, (list, tuple)) else ()
                for forms in seq("accepts")
            ),
        )
