"""Counts shown to a user agree with their noun: "1 card", "2 cards", never "1 cards" or "card(s)".

A scan of every f-string in ``study/``: a counted value followed by a plural noun (``f"{n}
cards"``, ``f"{n} new items"``) must go through ``study.core.words.plural`` instead, and no
text says "(s)". A value that is a constant (``{MAX_DAYS} days``) or a large figure written
with thousands separators (``{limit:,} bytes``) is never 1 and may stay as it is.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from study.core.words import plural

SOURCE = Path(__file__).resolve().parents[1] / "study"

NOUNS = {
    "answer", "backup", "byte", "card", "change", "day", "deck", "entry", "error", "exam",
    "file", "flag", "folder", "hour", "item", "leech", "letter", "line", "minute", "mistake",
    "note", "number", "point", "problem", "question", "review", "second", "setting", "step",
    "tag", "text", "value", "warning", "week", "word", "year",
}  # fmt: skip
PLURALS = {noun + ("es" if noun.endswith("ch") else "s") for noun in NOUNS}
LEADING = re.compile(r" ([a-z-]+)(?: ([a-z-]+))?")
"""The one or two words right after a value: ``{n} cards``, ``{n} new items``."""


def _constant(node: ast.FormattedValue) -> bool:
    """A name in capitals (a constant), or a figure written with thousands separators."""
    spec = ast.unparse(node.format_spec) if node.format_spec else ""
    names = [n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)]
    attrs = [n.attr for n in ast.walk(node.value) if isinstance(n, ast.Attribute)]
    last = attrs[0] if attrs else names[-1] if names else ""
    return "," in spec or last.isupper()


def counted_plurals(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of each ``{count} nouns`` in the f-strings of a module."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for value, after in zip(node.values, node.values[1:], strict=False):
            if not (isinstance(value, ast.FormattedValue) and isinstance(after, ast.Constant)):
                continue
            words = LEADING.match(str(after.value))
            if not _constant(value) and words and PLURALS & set(words.groups()):
                found.append((node.lineno, ast.unparse(node)))
    return found


def texts_with_s(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of each string that says ``(s)``."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "(s)" in node.value
    ]


MODULES = sorted(SOURCE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_counts_go_through_plural(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = counted_plurals(tree) + texts_with_s(tree)
    assert not bad, "\n".join(f"{path.name}:{line}: {text}" for line, text in bad)


def test_the_scan_finds_what_it_should() -> None:
    tree = ast.parse(
        'f"{n} cards"; f"{a.b} new items, {c} (s)"; "item(s)"; f"{MAX} days"; f"{n:,} bytes"'
    )
    assert [line for line, _ in counted_plurals(tree)] == [1, 1]
    assert len(texts_with_s(tree)) == 2


def test_plural() -> None:
    assert [plural(1, "card"), plural(2, "card"), plural(0, "card")] == [
        "1 card",
        "2 cards",
        "0 cards",
    ]
    assert plural(1, "leech", "leeches") == "1 leech" and plural(3.5, "day") == "3.5 days"
