"""Counting words: ``plural(1, "question")`` is "1 question", ``plural(2, ...)`` "2 questions"."""

from __future__ import annotations


def plural(count: float, word: str, words: str | None = None) -> str:
    """``count`` and the word, singular for exactly 1 (``words``: an irregular plural)."""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {word if count == 1 else words or word + 's'}"


def points(score: float) -> str:
    """An exam score in points, to one decimal at most: 2.967 -> '3', 2.25 -> '2.3'."""
    return f"{round(score + 1e-9, 1):g}"
