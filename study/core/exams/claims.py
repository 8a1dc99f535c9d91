"""The statement a true/false question asks about, made from a card's question and an answer.

A cloze card's claim is its sentence with the blank filled (made in ``exam_questions``). Other
cards have a question and an answer, and no general way to merge the two into one natural
sentence ("Which body issued Resolution 806?" + "the Central Military Commission"); so the
claim says plainly which answer is claimed for which question, as one sentence:

    The answer to “Which body issued Resolution 806-NQ/QUTW?” is “The Secretariat”.

and for the reverse side of a card (whose question is the card's back):

    “Hanoi” is the answer to “Capital of Vietnam?”.

A hint written for typing the answer (``(give its number)`` after the question mark,
``(ordinal)`` anywhere) is left out, as is the full stop that ends an answer written as a sentence.
"""

from __future__ import annotations

import re

_HINT = re.compile(r"\?\s*\([^()]*\)\s*$")
"""A parenthesised hint after the question mark: ``... 2023? (give its number)``."""
_FORM = re.compile(r"\s*\((?:give (?:its|the) )?(?:numbers?|ordinal)\)", re.IGNORECASE)
"""A hint on the form of the answer inside the question: ``At which Dialogue (ordinal) ...``."""


def question_text(prompt: str) -> str:
    """The question on one line, without a trailing hint on how to write the answer."""
    text = " ".join(prompt.split())
    text = _FORM.sub("", _HINT.sub("?", text))
    return text[:-1].rstrip() if text.endswith(":") else text


def answer_text(answer: str) -> str:
    """The answer on one line, without the full stop of a sentence (an ellipsis stays)."""
    text = " ".join(answer.split())
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


def claim(prompt: str, proposed: str, *, reverse: bool = False) -> str:
    """The sentence claiming ``proposed`` answers ``prompt`` (``reverse``: ``proposed`` is
    the card's front, so it is the question whose answer is ``prompt``)."""
    if reverse:
        return f"“{answer_text(prompt)}” is the answer to “{question_text(proposed)}”."
    return f"The answer to “{question_text(prompt)}” is “{answer_text(proposed)}”."
