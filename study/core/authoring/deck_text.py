"""A deck file's text read for editing: UTF-8 only, split into lines, its top level parsed.

Every change the authoring modules make is a pure insertion into this text, so comments, order and
formatting are kept byte for byte; :class:`AuthoringError` says why a file cannot be changed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from study.core.decks.model import Deck, Problem
from study.core.decks.parse import parse_deck
from study.core.decks.yamlread import Mark, YamlError, YMap, read_yaml

__all__ = [
    "AuthoringError",
]


class AuthoringError(Exception):
    """A deck file cannot be changed as asked; the message says why and what to do."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class DeckText:
    """A deck file's text split for editing: BOM, body, line starts, line ending."""

    bom: str
    body: str
    starts: tuple[int, ...]
    eol: str

    @classmethod
    def of(cls, text: str) -> DeckText:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(bom) :]
        starts = (0, *(m.end() for m in _BREAK.finditer(body)))
        first = _BREAK.search(body)
        return cls(bom, body, starts, first.group() if first else "\n")

    def offset(self, mark: Mark) -> int:
        """The index in ``body`` of a 1-based line and column."""
        return self.starts[mark.line - 1] + mark.col - 1

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) without its line break."""
        start = self.starts[number - 1]
        end = self.starts[number] if number < len(self.starts) else len(self.body)
        return self.body[start:end].rstrip("\r\n")

    def insert(self, edits: list[tuple[int, int, str]]) -> str:
        """The whole text with ``(start, end, new)`` replacements applied (non-overlapping)."""
        body = self.body
        for start, end, new in sorted(edits, reverse=True):
            body = body[:start] + new + body[end:]
        return self.bom + body


@functools.lru_cache(maxsize=4)
def _root(text: str) -> tuple[DeckText, YMap]:
    """The text split for editing and its parsed top level (cached: a form checks often)."""
    source = DeckText.of(text)
    try:
        root, _ = read_yaml(source.body)
    except YamlError as exc:
        raise AuthoringError(f"line {exc.mark.line}: {exc.message}: fix the file first") from None
    if not isinstance(root, YMap) or "cards" not in root:
        raise AuthoringError("the file is not a deck (no 'cards' at the top level): fix it first")
    return source, root


def _parse(text: str, path: Path) -> tuple[Deck | None, list[Problem]]:
    return parse_deck(text.removeprefix("\ufeff"), path, str(path))


def read_deck_text(path: Path) -> str:
    """A deck file's text, refusing files that are not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise AuthoringError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise AuthoringError(f"{path}: not UTF-8 text: save it as UTF-8 first") from None
