"""study: learn a body of facts in the terminal with spaced repetition and mock exams."""

__version__ = "0.1.0"
"""The one place the version is written (the build reads it from here)."""

__all__ = ["__version__"]
