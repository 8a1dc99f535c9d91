"""Hostile text on the command line (issue 16): no control character reaches the terminal raw,
nothing in a card becomes markup in the exam paper's HTML or Markdown."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

import study.core.decks.field
from study.commands._common import SafeStream, safe_output
from study.core.authoring.interchange.markdown import write_markdown
from study.core.decks.parse import parse_deck
from study.core.scheduling.scheduler import Rating
from tests.conftest import Run
from tests.test_cli import study_some

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""A control character a terminal would act on (tab and newline are fine)."""


def test_a_safe_stream_escapes_control_characters_but_tab_and_newline() -> None:
    target = io.StringIO()
    SafeStream(target).write("a\tb\n\x1b]0;pwned\x07\r\x9b2J\x7f")  # type: ignore[arg-type]
    assert target.getvalue() == "a\tb\n\\u001b]0;pwned\\u0007\\u000d\\u009b2J\\u007f"


def test_safe_output_covers_stdout_and_stderr_and_is_undone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with safe_output():
        print("\x1b[2J out")
        import sys

        print("\x1b[2J err", file=sys.stderr)
    print("\x1b after")
    out, err = capsys.readouterr()
    assert (out, err) == ("\\u001b[2J out\n\x1b after\n", "\\u001b[2J err\n")


def test_lint_writes_a_file_name_with_control_characters_escaped(run: Run, tmp_path: Path) -> None:
    bad = "title: T\nid: d{}\ncards:\n  - {{id: a, front: q}}\n"
    (tmp_path / "\x1b]0;pwned\x07.yaml").write_text(bad.format(1))
    (tmp_path / "two\nlines.yaml").write_text(bad.format(2))
    code, out, err = run("lint", str(tmp_path))
    assert code == 1 and not RAW.search(out + err)
    lines = out.splitlines()
    assert len(lines) == 2  # one line per problem: the newline in the name is escaped too
    assert any(f"{tmp_path}/\\u001b]0;pwned\\u0007.yaml:4:5: error:" in line for line in lines)
    assert any(f"{tmp_path}/two\\u000alines.yaml:4:5: error:" in line for line in lines)


def test_a_card_with_escapes_is_refused_and_never_printed(
    run: Run,
    now: list[datetime],
    tmp_path: Path,
) -> None:
    decks = tmp_path / "d"
    decks.mkdir()
    (decks / "t.yaml").write_text(
        'title: T\ncards:\n  - {id: a, front: "\\e]0;pwned\\a\\e[2J\\e[H", back: b}\n'
        "  - {id: b, front: fine, back: b}\n"
    )
    code, out, err = run("lint", str(decks))
    assert code == 1 and not RAW.search(out + err)
    assert out == (
        f"{decks}/t.yaml:3:20: error: 'front' holds the control character U+001B (ESC), "
        "which can drive a terminal: remove it\n"
    )
    study_some(tmp_path / "data", [Rating.AGAIN], decks=decks)
    code, out, err = run("--data", str(tmp_path / "data"), "--decks", str(decks), "due")
    assert code == 0 and not RAW.search(out + err)
    assert out == "09:01  t/b  fine\n" and "t.yaml:3:20: error:" in err


def test_every_line_printed_is_escaped_even_text_the_checks_let_through(
    run: Run,
    now: list[datetime],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Defence in depth: with lint's check switched off, 'study due' still prints no ESC."""
    monkeypatch.setattr(study.core.decks.field, "find_control", lambda text, lines=True: -1)
    decks = tmp_path / "d"
    decks.mkdir()
    (decks / "t.yaml").write_text('title: T\ncards:\n  - {id: a, front: "\\e[2Jwiped", back: b}\n')
    study_some(tmp_path / "data", [Rating.AGAIN], decks=decks)
    argv = ("--data", str(tmp_path / "data"), "--decks", str(decks), "due")
    code, out, _ = run(*argv)
    assert (code, out) == (0, "09:01  t/a  \\u001b[2Jwiped\n")
    code, out, _ = run(*argv, "--json")
    assert json.loads(out)[0]["prompt"] == "\x1b[2Jwiped"  # JSON escapes it itself


HOSTILE = """
title: "<script>alert('title')</script>"
id: evil
sources:
  - {id: s, title: "<img src=x onerror=alert('source')>", url: "javascript:alert(0)"}
cards:
  - {id: t, type: typed, front: "<script>alert(1)</script>", back: "<b onmouseover=alert(2)>x</b>",
     source: s, explain: "<iframe src=javascript:alert(3)></iframe>"}
  - {id: c, type: choice, front: "Pick [me](javascript:alert(4))", answer: "<svg onload=alert(5)>",
     distractors: ["<img src=x onerror=alert(6)>", "&lt;script&gt;"]}
  - {id: l, type: list, front: "*list* `code`",
     items: ["<a href=javascript:alert(7)>a</a>", "<!-- x"]}
  - {id: o, type: order, front: "# heading?", items: ["</ol><script>alert(8)</script>", "2"]}
  - {id: b, front: "<style>body{display:none}</style>", back: "<div onclick=alert(9)>"}
"""
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "em", "strong",
    "ul", "ol", "li", "div", "br", "code", "hr",
}  # fmt: skip
"""The tags the paper writes itself ('hr': a list's '1. ____' blank is a thematic break)."""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def check_html_is_inert(page: str) -> None:
    """Only the paper's own tags, no event handler, no script, one <style> (the paper's)."""
    parser = _Tags()
    parser.feed(page)
    assert {tag for tag, _ in parser.tags} <= ALLOWED_TAGS
    assert [tag for tag, _ in parser.tags].count("style") == 1
    for tag, attrs in parser.tags:
        assert all(not name.startswith("on") for name, _ in attrs)
        assert tag != "div" or attrs == [("style", "page-break-before: always")]
    assert "javascript:" not in "".join(str(v) for _, attrs in parser.tags for _, v in attrs)
    assert not RAW.search(page)


def _tokens(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out += [token, *_tokens(token.children or [])]
    return out


def check_markdown_is_inert(text: str) -> None:
    """The only raw HTML in the Markdown is the paper's page break; no link either."""
    tokens = _tokens(MarkdownIt("commonmark").parse(text))
    raw = [t.content.strip() for t in tokens if t.type in ("html_block", "html_inline")]
    assert raw in ([], ['<div style="page-break-before: always"></div>'])
    assert not [t for t in tokens if t.type in ("link_open", "image")]
    assert not RAW.search(text)


def test_the_exam_paper_shows_card_text_and_runs_none_of_it(run: Run, tmp_path: Path) -> None:
    decks = tmp_path / "d"
    decks.mkdir()
    (decks / "evil.yaml").write_text(HOSTILE)
    code, out, err = run("lint", str(decks))
    assert (code, out) == (0, ""), err  # all of it is text a deck may hold
    page, sheet = tmp_path / "exam.html", tmp_path / "exam.md"
    argv = ("--decks", str(decks), "exam", "evil", "--seed", "3", "--questions", "5")
    code, _, err = run(*argv, "--html", str(page), "--markdown", str(sheet))
    assert code == 0, err
    html, markdown = page.read_text(encoding="utf-8"), sheet.read_text(encoding="utf-8")
    check_html_is_inert(html)
    check_markdown_is_inert(markdown)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as written
    assert "&lt;svg onload=alert(5)&gt;" in html
    assert "\\<script\\>alert(1)\\</script\\>" in markdown


def test_the_deck_study_sheet_shows_card_text_and_runs_none_of_it() -> None:
    deck, problems = parse_deck(HOSTILE, Path("evil.yaml"), "evil.yaml")
    assert deck is not None and problems == []
    sheet = write_markdown(deck)
    check_markdown_is_inert(sheet)
    assert "javascript:alert(0)" in sheet and "<javascript:" not in sheet  # text, not a link
    assert "\\<script\\>alert('title')\\</script\\>" in sheet
