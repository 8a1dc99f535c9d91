"""Bidi controls and zero-width characters in deck text ("Trojan Source", CVE-2021-42574).

A right-to-left override shows a card's text in another order than it is stored; a
zero-width space makes two texts that look alike differ. ``study lint`` refuses the first
(an error: the card is left out) and warns of the second with ``file:line:col``; the
terminal, Markdown and HTML outputs write them as ``\\u202e``; imports drop them.
"""

from __future__ import annotations

import re
from pathlib import Path

from study.core.authoring.interchange.markdown import write_markdown
from study.core.decks.model import Severity
from study.core.decks.parse import parse_deck
from study.core.decks.safe_text import find_bidi, find_invisible, strip_controls, visible
from tests.conftest import Run

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZWSP, ZWNJ, ZWJ, RLM, WJ, BOM = "\u200b", "\u200c", "\u200d", "\u200f", "\u2060", "\ufeff"
TROJAN = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
"""What must never reach a terminal, a page or a sheet raw."""


def test_visible_escapes_bidi_controls_and_zero_width_spaces_but_keeps_joiners() -> None:
    assert visible(f"a{RLO}b{PDF}c{LRI}d{PDI}") == "a\\u202eb\\u202cc\\u2066d\\u2069"
    assert visible(f"x{ZWSP}y{WJ}z{BOM}") == "x\\u200by\\u2060z\\ufeff"
    kept = f"می{ZWNJ}خواهم 👨{ZWJ}👩 שלום{RLM}!"  # Persian, an emoji family, Hebrew
    assert visible(kept) == kept


def test_imports_drop_them() -> None:
    assert strip_controls(f"{BOM}a{RLO}b{ZWSP}c{ZWJ}d") == f"abc{ZWJ}d"
    assert strip_controls(f"tag{LRI}x{PDI}", lines=False) == "tagx"


def test_finders() -> None:
    assert find_bidi("plain") == -1 and find_bidi(f"ab{LRI}") == 2
    assert find_invisible(f"a{ZWSP}b{RLM}{BOM}") == [1, 3, 4] and find_invisible("ab") == []


DECK = (
    "title: T\n"
    "cards:\n"
    f"  - {{id: a, front: 'access {RLO}nimda{PDF} level', back: b}}\n"
    f"  - {{id: b, front: 'pass{ZWSP}word', back: b}}\n"
    '  - {id: c, front: "isolate \\u2067here\\u2069", back: b}\n'
    f"  - {{id: d, front: 'fine', back: 'joined{ZWNJ}'}}\n"
)


def test_a_bidi_control_is_an_error_and_a_zero_width_character_a_warning() -> None:
    deck, problems = parse_deck(DECK, Path("t.yaml"), "t.yaml")
    assert deck is not None and [c.id for c in deck.cards] == ["b", "d"]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    assert [(p.line, p.col) for p in errors] == [(3, 20), (5, 20)]
    assert errors[0].message == (
        "'front' holds the bidi control U+202E (RIGHT-TO-LEFT OVERRIDE) (character 8), which "
        "shows the text in another order than it is written (Trojan Source): remove it; for "
        "right-to-left text no control is needed"
    )
    assert "U+2067 (RIGHT-TO-LEFT ISOLATE)" in errors[1].message  # written as a YAML escape
    assert [(p.line, p.col) for p in warnings] == [(4, 25), (6, 41)]  # the character itself
    assert warnings[0].message.startswith("invisible U+200B (ZERO WIDTH SPACE): the text looks")
    assert "joins letters or an emoji on purpose" in warnings[1].message


def test_lint_flags_them_with_file_line_col_and_prints_none_raw(run: Run, tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(DECK, encoding="utf-8")
    code, out, err = run("lint", str(tmp_path))
    assert code == 1 and not TROJAN.search(out + err)
    lines = out.splitlines()
    assert [line.split(": ")[0:2] for line in lines] == [
        [f"{tmp_path}/t.yaml:3:20", "error"],
        [f"{tmp_path}/t.yaml:5:20", "error"],
        [f"{tmp_path}/t.yaml:4:25", "warning"],
        [f"{tmp_path}/t.yaml:6:41", "warning"],
    ]
    assert all("Trojan Source" in line for line in lines if ": error: " in line)


def test_a_file_with_only_warnings_lints_clean_of_errors(run: Run, tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        f"title: T\ncards:\n  - {{id: b, front: 'pass{ZWSP}word', back: b}}\n", encoding="utf-8"
    )
    code, out, _ = run("lint", str(tmp_path))
    assert code == 0 and out == (
        f"{tmp_path}/t.yaml:3:25: warning: invisible U+200B (ZERO WIDTH SPACE): the text looks "
        "the same without it but is not (a typed answer with it never matches, a search misses "
        "it): remove it\n"
    )


def test_the_study_sheet_and_the_exam_paper_escape_them(run: Run, tmp_path: Path) -> None:
    text = f"title: T{WJ}\ncards:\n" + "".join(
        f"  - {{id: c{n}, front: 'Question{ZWSP} {n}', back: 'Answer{BOM} {n}'}}\n"
        for n in range(4)
    )
    deck, _ = parse_deck(text, Path("t.yaml"), "t.yaml")
    assert deck is not None
    sheet = write_markdown(deck)
    assert not TROJAN.search(sheet) and "Question\\\\u200b 0" in sheet  # Markdown escapes the \\
    decks = tmp_path / "d"
    decks.mkdir()
    (decks / "t.yaml").write_text(text, encoding="utf-8")
    page, paper = tmp_path / "exam.html", tmp_path / "exam.md"
    argv = ("--decks", str(decks), "exam", "t", "--seed", "3", "--questions", "3")
    code, out, err = run(*argv, "--html", str(page), "--markdown", str(paper), "--kinds", "typed")
    assert code == 0, err
    for written in (page.read_text(encoding="utf-8"), paper.read_text(encoding="utf-8")):
        assert not TROJAN.search(written) and "\\u200b" in written
    assert not TROJAN.search(out + err)
