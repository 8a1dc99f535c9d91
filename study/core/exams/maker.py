"""Making mock-exam questions from study items: typed, choice, true/false, list, order, matching.

Every random choice goes through the ``random.Random`` passed in, so the same seed and the
same decks give the same questions.

Distractors (wrong options of a choice question, the swapped answer of a false statement)
come from the answers of other items of the same :class:`~study.core.grading.kind.Kind` (dates
from dates, document numbers from document numbers, ...). A choice card's own
``distractors`` come first (the author chose them, so their kind is not checked). Drawn
ones are ranked by how alike they look to the right answer (length, words, the pattern of
letters and digits, the first word; for numbers and years the value), by how many rare
words their questions share (but not the distractor itself and the question: an answer
about the question's own subject may well be true too), then by topic (same deck, shared
tags, both cloze answers or not). The best one is always taken, the others at random among
the next best. A distractor is never accepted as the right answer by
:func:`~study.core.grading.answers.grade_typed`, no two options grade as the same answer, and none
is already written in the question. Years and plain whole numbers get nearby values when
too few answers of their kind exist.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from study.core.decks.model import CLOZE, CardType, Deck, Item, cloze_numbers
from study.core.exams import claims
from study.core.exams.likeness import (
    _Candidate,
    _likeness,
    _nearby,
    _same,
    _source_lines,
    _words,
)
from study.core.exams.questions import OPTIONS, PAIRS, SINGLE, TYPED_WORDS, Question, QuestionKind
from study.core.grading.folding import normalise
from study.core.grading.kind import Kind, answer_kind
from study.core.review.choices import cue, same_shape


class QuestionMaker:
    """Makes questions from items; knows every answer in the decks for drawing distractors."""

    def __init__(
        self, everything: Iterable[Item], decks: Mapping[str, Deck], rng: random.Random
    ) -> None:
        self.decks = decks
        self.rng = rng
        seen: set[tuple[str, bool]] = set()
        self.pool: dict[Kind, list[_Candidate]] = {}
        items = sorted(everything, key=lambda i: i.key)
        counts = Counter(w for i in items for w in _words(i.prompt))
        self.weight = {w: math.log((1 + len(items)) / (1 + n)) for w, n in counts.items()}
        for item in items:
            if item.card.type not in SINGLE:
                continue
            texts = [item.answer, *list(item.card.distractors)]
            for text in texts:
                norm = normalise(text)
                if not norm or (norm, item.variant == "r") in seen:
                    continue
                seen.add((norm, item.variant == "r"))
                kind = answer_kind(text)
                self.pool.setdefault(kind, []).append(
                    _Candidate(
                        text,
                        kind,
                        item.card.deck_id,
                        frozenset(item.card.tags),
                        item.variant == "r",
                        item.card.type is CardType.CLOZE,
                        _words(item.prompt),
                        cue(item.prompt),
                    )
                )

    # --- distractors ---------------------------------------------------------

    def _overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        """How much two questions share their rarer words (0 to 1)."""
        union = sum(self.weight.get(w, 0.0) for w in a | b)
        return sum(self.weight.get(w, 0.0) for w in a & b) / union if union else 0.0

    def _within(self, a: frozenset[str], b: frozenset[str]) -> float:
        """How much of ``a`` (by the weight of its words) is also in ``b`` (0 to 1)."""
        total = sum(self.weight.get(w, 1.0) for w in a)
        return sum(self.weight.get(w, 1.0) for w in a & b) / total if total else 0.0

    def distractors(self, item: Item, count: int) -> list[str]:
        """Up to ``count`` wrong answers for a single-answer item (the card's own first)."""
        right = [item.answer, *item.card.accept] if item.variant != "r" else [item.answer]
        kind = answer_kind(item.answer)
        chosen: list[str] = []

        prompt = f" {normalise(item.prompt)} "

        def fits(text: str) -> bool:
            return (
                f" {normalise(text)} " not in prompt
                and not any(_same(text, r) for r in right)
                and not any(_same(text, c) for c in chosen)
            )

        if item.variant != "r":
            own = list(item.card.distractors)
            self.rng.shuffle(own)
            for text in own:
                if len(chosen) < count and fits(text):
                    chosen.append(text)
        if len(chosen) >= count:
            return chosen
        tags, cloze, words = (
            set(item.card.tags),
            item.card.type is CardType.CLOZE,
            _words(item.prompt),
        )
        asks = cue(item.prompt)
        ranked = sorted(
            (
                c
                for c in self.pool.get(kind, [])
                if c.reverse == (item.variant == "r")
                and (kind is not Kind.TEXT or c.cloze == cloze)  # no fragment for a question
                and same_shape(item.answer, asks, c.text, c.asks)
            ),
            key=lambda c: (
                -(
                    1.5 * _likeness(item.answer, kind, c.text)
                    + 2 * self._overlap(words, c.words)
                    - 3 * self._within(_words(c.text), words)
                    + (c.deck == item.card.deck_id)
                    + 0.5 * min(len(tags & c.tags), 2)
                    + (c.cloze == cloze)
                )
            ),
        )
        shortlist: list[str] = []
        wanted = count - len(chosen)
        for candidate in ranked:
            if len(shortlist) >= wanted + 2:
                break
            if fits(candidate.text) and not any(_same(candidate.text, s) for s in shortlist):
                shortlist.append(candidate.text)
        picked = shortlist[:1] + self.rng.sample(
            shortlist[1:], max(0, min(wanted, len(shortlist)) - 1)
        )
        chosen.extend(sorted(picked, key=shortlist.index))
        for text in _nearby(item.answer, kind):
            if len(chosen) >= count:
                break
            if answer_kind(text) is kind and fits(text):
                chosen.append(text)
        return chosen

    # --- questions -----------------------------------------------------------

    def _about(self, question: Question, items: Sequence[Item]) -> Question:
        """The question with what every question carries: its decks, tags, sources and notes."""
        return replace(
            question,
            decks=tuple(dict.fromkeys(i.card.deck_id for i in items)),
            tags=tuple(dict.fromkeys(t for i in items for t in i.card.tags)),
            sources=tuple(dict.fromkeys(s for i in items for s in _source_lines(i, self.decks))),
            explain="\n".join(dict.fromkeys(i.card.explain for i in items if i.card.explain)),
        )

    def possible(self, item: Item) -> list[QuestionKind]:
        """The kinds of question an item can be asked as (before distractors are looked for)."""
        card = item.card
        if not item.prompt.strip() or not item.answer.strip():
            return []  # only an image or a sound: an exam question shows text
        if card.type is CardType.LIST:
            return (
                [QuestionKind.LIST, QuestionKind.ORDER]
                if card.ordered and len(card.items) > 1
                else [QuestionKind.LIST]
            )
        if card.type is CardType.ORDER:
            return [QuestionKind.ORDER]
        kinds = [QuestionKind.CHOICE, QuestionKind.TRUE_FALSE, QuestionKind.MATCH]
        if (
            card.type is CardType.TYPED
            or answer_kind(item.answer) is not Kind.TEXT
            or len(item.answer.split()) <= TYPED_WORDS
        ):
            kinds.insert(0, QuestionKind.TYPED)
        return kinds

    def make(
        self, kind: QuestionKind, item: Item, partners: Sequence[Item] = ()
    ) -> Question | None:
        """A question of ``kind`` about ``item`` (MATCH also uses ``partners``).

        None if it cannot be made.
        """
        if kind not in self.possible(item):
            return None
        card = item.card
        if kind is QuestionKind.TYPED:
            accept = card.accept if item.variant != "r" else ()
            return self._about(
                Question(kind, (item.key,), item.prompt, answers=(item.answer, *accept)), [item]
            )
        if kind is QuestionKind.CHOICE:
            wrong = self.distractors(item, OPTIONS - 1)
            if len(wrong) < 2:
                return None
            options = [item.answer, *wrong]
            self.rng.shuffle(options)
            return self._about(
                Question(
                    kind,
                    (item.key,),
                    item.prompt,
                    options=tuple(options),
                    answers=(item.answer,),
                    solution=(options.index(item.answer),),
                ),
                [item],
            )
        if kind is QuestionKind.TRUE_FALSE:
            return self._true_false(item)
        if kind is QuestionKind.LIST:
            n = len(card.items)
            in_order = ", in order" if card.ordered else ""
            prompt = f"{card.front} ({n} item{'s' if n > 1 else ''}{in_order})"
            return self._about(
                Question(
                    kind,
                    (item.key,),
                    prompt,
                    answers=card.items,
                    ordered=card.ordered,
                    accepts=card.item_accept,
                ),
                [item],
            )
        if kind is QuestionKind.ORDER:
            order = list(range(len(card.items)))
            while order == sorted(order):
                self.rng.shuffle(order)
            return self._about(
                Question(
                    kind,
                    (item.key,),
                    card.front,
                    options=tuple(card.items[i] for i in order),
                    answers=card.items,
                    solution=tuple(order.index(p) for p in range(len(order))),
                ),
                [item],
            )
        return self._match([item, *partners])

    def _true_false(self, item: Item) -> Question | None:
        true = self.rng.random() < 0.5
        proposed = item.answer
        if not true:
            swapped = self.distractors(item, 1)
            if not swapped:
                return None
            proposed = swapped[0]
        if item.card.type is CardType.CLOZE:
            claim = _cloze_fill(item.card.text, item.cloze_number, proposed)
        else:
            claim = claims.claim(item.prompt, proposed, reverse=item.variant == "r")
        return self._about(
            Question(
                QuestionKind.TRUE_FALSE,
                (item.key,),
                claim,
                answers=(item.answer,),
                solution=(int(true),),
                statement=proposed,
            ),
            [item],
        )

    def _match(self, items: Sequence[Item]) -> Question | None:
        if len(items) < 3:
            return None
        order = list(range(len(items)))
        self.rng.shuffle(order)
        options = tuple(items[i].answer for i in order)
        kind = answer_kind(items[0].answer)
        noun = {
            Kind.DATE: "date",
            Kind.YEAR: "year",
            Kind.DOCUMENT: "document number",
            Kind.NUMBER: "number",
        }.get(kind, "answer")
        return self._about(
            Question(
                QuestionKind.MATCH,
                tuple(i.key for i in items),
                f"Match each question with its {noun}.",
                options=options,
                lefts=tuple(i.prompt for i in items),
                answers=tuple(i.answer for i in items),
                solution=tuple(order.index(p) for p in range(len(items))),
            ),
            items,
        )

    def partners(self, item: Item, free: Sequence[Item]) -> list[Item]:
        """Up to ``PAIRS - 1`` items to match alongside ``item``: same kind of answer, all
        distinct."""
        kind = answer_kind(item.answer)
        if kind is Kind.TEXT and len(item.answer.split()) > TYPED_WORDS:
            return []
        tags = set(item.card.tags)
        fitting = [
            i
            for i in free
            if i.card.type in SINGLE
            and i.note_key != item.note_key
            and i.variant == item.variant
            and answer_kind(i.answer) is kind
            and (kind is not Kind.TEXT or len(i.answer.split()) <= TYPED_WORDS)
        ]
        fitting.sort(
            key=lambda i: (
                -(
                    2 * (i.card.deck_id == item.card.deck_id)
                    + min(len(tags & set(i.card.tags)), 3)
                    + self.rng.random()
                )
            )
        )
        chosen: list[Item] = []
        for other in fitting:
            if len(chosen) >= PAIRS - 1:
                break
            if other.note_key in {c.note_key for c in chosen}:
                continue
            if not any(_same(other.answer, c.answer) for c in [item, *chosen]):
                chosen.append(other)
        return chosen


def _cloze_fill(text: str, number: int, replacement: str) -> str:
    """The cloze sentence with deletion ``number`` filled by ``replacement``, the others
    revealed."""
    numbers = iter(cloze_numbers(text))

    def fill(match: re.Match[str]) -> str:
        return replacement if next(numbers) == number else match.group(2)

    return CLOZE.sub(fill, text)
