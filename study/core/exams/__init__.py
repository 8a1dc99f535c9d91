"""Mock exams: where an exam is marked.

``questions`` are the questions (``maker`` makes them from study items, ``likeness`` ranks
distractors), ``spec`` says what an exam is made from and
chooses its questions, ``marking`` marks the answers into an exam's result, ``sitting`` is the
state machine a screen or a prompt drives, ``record`` keeps the results, ``paper``
prints an exam on paper, ``plan`` is the exam-date forecast, and
``goal`` the exam date and target kept in the store, with what they give.

May import: ``decks``, ``grading``, ``review``, ``progress``, ``scheduling`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "goal",
    "likeness",
    "maker",
    "marking",
    "paper",
    "plan",
    "questions",
    "record",
    "sitting",
    "spec",
]
