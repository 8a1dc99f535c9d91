"""FSRS: the scheduler (the only ``fsrs`` import) and the fitting of its parameters.

May import: the standard library, ``fsrs`` and the basics (clock, config).

The face lists the modules; import names from them. It imports nothing itself, so that
loading one module does not load its neighbours (start-up time).
"""

__all__ = [
    "fitting",
    "scheduler",
]
