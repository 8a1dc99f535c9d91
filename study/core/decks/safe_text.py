"""Control characters: finding them in deck text, escaping them on output, stripping them on import.

A control character (C0 ``U+0000``-``U+001F``, ``DEL`` and C1 ``U+0080``-``U+009F``)
in text that reaches a terminal can drive it: ``ESC ] 0 ; ... BEL`` sets the window's
title, ``ESC [ 2 J`` wipes the screen, a lone ``CR`` writes over the line. Tab and
newline are the only ones a text field may hold (and only a field that allows several
lines). This module is the one place that knows the set:

- ``find_control`` for validation (``study lint`` and the loader refuse them);
- ``visible`` for output: each one becomes a ``\\u001b``-style escape (valid in JSON
  strings too), so a terminal, a Markdown or an HTML page never gets the raw character;
- ``strip_controls`` for imports from foreign files (Anki, CSV): they are dropped, line
  ends become ``\\n``.
"""

from __future__ import annotations

import re

_ANY = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Every control character, tab and newline included (for one-line text such as a file name)."""
_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Every control character but tab and newline (for text that may run over several lines)."""
_LINE_ENDS = re.compile("\r\n?|[\x0b\x0c\x85]")

_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BS",
    0x09: "TAB",
    0x0A: "LF",
    0x0B: "VT",
    0x0C: "FF",
    0x0D: "CR",
    0x1B: "ESC",
    0x7F: "DEL",
    0x85: "NEL",
    0x9B: "CSI",
    0x9D: "OSC",
}


def _pattern(lines: bool) -> re.Pattern[str]:
    return _BUT_LINES if lines else _ANY


def find_control(text: str, *, lines: bool = True) -> int:
    """The index of the first control character in ``text``, or -1 if there is none.

    With ``lines`` (the default) tab and newline are allowed; without, they count too.
    """
    found = _pattern(lines).search(text)
    return -1 if found is None else found.start()


def control_name(char: str) -> str:
    """How a message names a control character: ``U+001B (ESC)``."""
    code = ord(char)
    name = _NAMES.get(code)
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def visible(text: str, *, lines: bool = True) -> str:
    """``text`` with each control character written as ``\\u001b``.

    With ``lines`` (the default) tab and newline are kept as they are.
    """
    pattern = _pattern(lines)
    if pattern.search(text) is None:  # the common case: no copy
        return text
    return pattern.sub(_escape, text)


def strip_controls(text: str, *, lines: bool = True) -> str:
    """``text`` without control characters, for importing foreign files.

    With ``lines`` every line end (``CR LF``, ``CR``, vertical tab, form feed, ``NEL``)
    becomes ``\\n`` and tabs stay; without, line ends become a space and tabs too.
    """
    if _ANY.search(text) is None:
        return text
    text = _LINE_ENDS.sub("\n", text)
    if not lines:
        text = text.replace("\n", " ").replace("\t", " ")
    return _pattern(lines).sub("", text)


__all__ = ["control_name", "find_control", "strip_controls", "visible"]
