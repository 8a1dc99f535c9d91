"""Mock exams: what to ask (the spec) and choosing the questions.

``build_exam`` picks the items (one per note: no two cloze deletions or sides of one card),
shares the questions among the blueprint's topics, chooses each question's kind among the
allowed ones and makes the question (see :mod:`study.core.exams.questions`). The sitting itself
is :class:`study.core.exams.sitting.ExamSession`; the answers are marked in
:mod:`study.core.exams.marking`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from study.core.decks.model import Deck, Item
from study.core.exams.maker import QuestionMaker
from study.core.exams.questions import Question, QuestionKind

KIND_WEIGHTS = {
    QuestionKind.CHOICE: 3,
    QuestionKind.TYPED: 2,
    QuestionKind.TRUE_FALSE: 2,
    QuestionKind.MATCH: 1,
    QuestionKind.LIST: 1,
    QuestionKind.ORDER: 1,
}
"""How often each kind is picked for an item that can be asked in several ways."""


class ExamError(Exception):
    """An exam cannot be made or an answer cannot be taken; the message says why."""


@dataclass(frozen=True, slots=True)
class ExamSpec:
    """What an exam is made from; kept with the result so it can be made again."""

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    questions: int = 20
    minutes: float | None = None
    """Time limit; None for no limit."""
    kinds: tuple[QuestionKind, ...] = tuple(QuestionKind)
    seed: int | None = None
    """The same seed (and decks) gives the same exam; None lets the service pick one."""
    blueprint: tuple[tuple[str, float], ...] = ()
    """Share of the questions per deck or tag, e.g. (("documents", 0.4),); the rest is free."""
    instant_feedback: bool = False
    """Mark each answer as it is given (and lock it) instead of at the end."""
    retake: tuple[tuple[QuestionKind, tuple[str, ...]], ...] = ()
    """Exactly these questions (kind and item keys), as for retaking mistakes."""
    retake_of: int | None = None
    """The exam whose mistakes these are."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {
            "decks": list(self.decks),
            "tags": list(self.tags),
            "questions": self.questions,
            "minutes": self.minutes,
            "kinds": [k.value for k in self.kinds],
            "seed": self.seed,
            "blueprint": dict(self.blueprint),
            "instant_feedback": self.instant_feedback,
            "retake": [[k.value, list(items)] for k, items in self.retake],
            "retake_of": self.retake_of,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ExamSpec:
        """The spec :meth:`to_dict` wrote."""

        def strs(name: str) -> tuple[str, ...]:
            value = data.get(name) or ()
            return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else ()

        blueprint = data.get("blueprint") or {}
        retake = data.get("retake") or []
        minutes, seed, of = data.get("minutes"), data.get("seed"), data.get("retake_of")
        return cls(
            strs("decks"),
            strs("tags"),
            int(str(data.get("questions", 20))),
            float(str(minutes)) if minutes is not None else None,
            tuple(QuestionKind(k) for k in strs("kinds")) or tuple(QuestionKind),
            int(str(seed)) if seed is not None else None,
            tuple((str(k), float(str(v))) for k, v in blueprint.items())
            if isinstance(blueprint, dict)
            else (),
            bool(data.get("instant_feedback", False)),
            tuple((QuestionKind(str(k)), tuple(map(str, items))) for k, items in retake)
            if isinstance(retake, list)
            else (),
            int(str(of)) if of is not None else None,
        )

    @property
    def title(self) -> str:
        """What the exam covers, in a few words."""
        scope = ", ".join((*self.decks, *(f"#{t}" for t in self.tags))) or "all decks"
        return f"mistakes of exam {self.retake_of}" if self.retake_of else scope


@dataclass(frozen=True, slots=True)
class Exam:
    """The questions of one exam, in the order they are asked."""

    spec: ExamSpec
    questions: tuple[Question, ...]

    @property
    def title(self) -> str:
        """What the exam covers."""
        return self.spec.title


def _shares(count: int, weights: Sequence[float]) -> list[int]:
    """``count`` split by weights, largest remainders first."""
    total = sum(weights)
    if total <= 0:
        return [0] * len(weights)
    exact = [count * w / total for w in weights]
    out = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: (out[i] - exact[i], i))[: count - sum(out)]:
        out[i] += 1
    return out


def _topic(items: Iterable[Item], name: str) -> list[Item]:
    return [i for i in items if i.card.deck_id == name or name in i.card.tags]


@dataclass(slots=True)
class _Builder:
    maker: QuestionMaker
    kinds: tuple[QuestionKind, ...]
    rng: random.Random
    wanted: int = 0
    """Questions to make; a matching question takes no items that they need (0: no limit)."""
    used_notes: set[str] = field(default_factory=set)
    questions: list[Question] = field(default_factory=list)

    def ask(self, item: Item, free: Sequence[Item], kinds: Sequence[QuestionKind] = ()) -> bool:
        """Add a question about ``item`` (of one of ``kinds``, or any allowed kind).

        False if none fits.
        """
        if item.note_key in self.used_notes:
            return False
        possible = [k for k in (kinds or self.maker.possible(item)) if k in self.kinds or kinds]
        while possible:
            kind = self.rng.choices(possible, [KIND_WEIGHTS[k] for k in possible])[0]
            possible.remove(kind)
            partners: list[Item] = []
            if kind is QuestionKind.MATCH:
                left = [i for i in free if i.note_key not in self.used_notes]
                spare = len({i.note_key for i in left} - {item.note_key})
                if self.wanted:
                    spare -= self.wanted - len(self.questions) - 1
                partners = self.maker.partners(item, left)[: max(spare, 0)]
            question = self.maker.make(kind, item, partners)
            if question is not None:
                self.questions.append(question)
                self.used_notes.update(i.note_key for i in [item, *partners])
                return True
        return False


def build_exam(
    spec: ExamSpec, selected: Sequence[Item], everything: Iterable[Item], decks: Mapping[str, Deck]
) -> Exam:
    """Make the exam ``spec`` asks for from the ``selected`` items.

    ``everything`` is every loaded item (where distractors are drawn from) and ``decks`` maps
    deck ids to decks (for the sources). Raises ExamError when no question can be made.
    """
    if not spec.kinds and not spec.retake:
        raise ExamError("no question kinds chosen")
    rng = random.Random(spec.seed if spec.seed is not None else 0)
    pool = sorted(selected, key=lambda i: i.key)
    builder = _Builder(
        QuestionMaker(everything, decks, rng), spec.kinds, rng, 0 if spec.retake else spec.questions
    )
    if spec.retake:
        by_key = {i.key: i for i in everything}
        for kind, keys in spec.retake:
            items = [by_key[k] for k in keys if k in by_key]
            if items and not builder.ask(items[0], items[1:], [kind]):
                builder.ask(items[0], pool)
        if not builder.questions:
            raise ExamError("the questions of that exam are no longer in the decks")
        return Exam(spec, tuple(builder.questions))
    if spec.questions < 1:
        raise ExamError("an exam needs at least 1 question")
    rng.shuffle(pool)
    topics = [(name, weight) for name, weight in spec.blueprint if weight > 0]
    for name, _ in topics:
        if not _topic(pool, name):
            raise ExamError(
                f"the blueprint names {name!r}, which is no deck or tag of the chosen items"
            )
    free_share = max(0.0, 1.0 - sum(w for _, w in topics))
    counts = _shares(spec.questions, [w for _, w in topics] + [free_share])
    wanted = spec.questions
    for (name, _), count in zip([*topics, ("", 0.0)], counts, strict=False):
        target = min(wanted, len(builder.questions) + count) if name else wanted
        for item in _topic(pool, name) if name else pool:
            if len(builder.questions) >= target:
                break
            builder.ask(item, pool)
    if not builder.questions:
        kinds = ", ".join(k.value for k in spec.kinds)
        raise ExamError(f"no {kinds} question can be made from the chosen cards")
    rng.shuffle(builder.questions)
    return Exam(spec, tuple(builder.questions))
