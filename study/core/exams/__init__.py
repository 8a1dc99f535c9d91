"""Mock exams: where an exam is marked.

``questions`` makes questions from study items, ``exam`` chooses them from a spec and marks the
answers, ``sitting`` is the state machine a screen or a prompt drives, ``record`` and ``log``
keep the results, ``paper`` prints an exam on paper, ``plan`` is the exam-date forecast and
``goal`` the exam date and target kept in the store, with what they give.

May import: ``decks``, ``grading``, ``review``, ``progress``, ``scheduling`` and the basics.

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "exam",
    "goal",
    "log",
    "paper",
    "plan",
    "questions",
    "record",
    "sitting",
]
