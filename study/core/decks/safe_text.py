"""Control and invisible characters: finding them in deck text, escaping them on output,
stripping them on import.

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

Invisible characters can make a card read differently than it is stored ("Trojan Source",
CVE-2021-42574). The bidi embeddings, overrides and isolates (``U+202A``-``U+202E``,
``U+2066``-``U+2069``) reorder what follows them on screen: ``find_bidi`` finds them for
validation (an error, like a control character). The zero-width characters (``U+200B``-
``U+200F``, ``U+2060``, ``U+FEFF``) hide inside a word, so that two texts that look alike
differ: ``find_invisible`` finds them for ``study lint`` (a warning: the joiners ``U+200C``,
``U+200D`` and the marks ``U+200E``, ``U+200F`` have their place in Persian, Indic, Hebrew
and Arabic text and in emoji). ``visible`` escapes and ``strip_controls`` drops the bidi
controls and the zero-width space, word joiner and ``U+FEFF``, which no text needs; the
joiners and the marks are kept, as they cannot move text about.
"""

from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
"""The bidi embeddings, overrides and isolates, and their terminators (PDF, PDI)."""
_HIDDEN = "\u200b\u2060\ufeff"
"""Zero-width space, word joiner, zero-width no-break space (BOM): invisible, never needed."""
_ANY = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_HIDDEN}]")
"""Every character escaped on output, tab and newline included (for one-line text such as a
file name)."""
_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_HIDDEN}]")
"""Every character escaped on output but tab and newline (for text that may run over several
lines)."""
_CONTROL_ANY = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI_RE = re.compile(f"[{_BIDI}]")
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u2060\ufeff]")
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
    0x200B: "ZERO WIDTH SPACE",
    0x200C: "ZERO WIDTH NON-JOINER",
    0x200D: "ZERO WIDTH JOINER",
    0x200E: "LEFT-TO-RIGHT MARK",
    0x200F: "RIGHT-TO-LEFT MARK",
    0x202A: "LEFT-TO-RIGHT EMBEDDING",
    0x202B: "RIGHT-TO-LEFT EMBEDDING",
    0x202C: "POP DIRECTIONAL FORMATTING",
    0x202D: "LEFT-TO-RIGHT OVERRIDE",
    0x202E: "RIGHT-TO-LEFT OVERRIDE",
    0x2060: "WORD JOINER",
    0x2066: "LEFT-TO-RIGHT ISOLATE",
    0x2067: "RIGHT-TO-LEFT ISOLATE",
    0x2068: "FIRST STRONG ISOLATE",
    0x2069: "POP DIRECTIONAL ISOLATE",
    0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
}


def _pattern(lines: bool) -> re.Pattern[str]:
    return _BUT_LINES if lines else _ANY


def find_control(text: str, *, lines: bool = True) -> int:
    """The index of the first control character in ``text``, or -1 if there is none.

    With ``lines`` (the default) tab and newline are allowed; without, they count too.
    """
    found = (_CONTROL_BUT_LINES if lines else _CONTROL_ANY).search(text)
    return -1 if found is None else found.start()


def find_bidi(text: str) -> int:
    """The index of the first bidi embedding, override or isolate in ``text``, or -1."""
    found = _BIDI_RE.search(text)
    return -1 if found is None else found.start()


def find_invisible(text: str) -> list[int]:
    """The index of every zero-width character in ``text`` (``U+200B``-``U+200F``, ``U+2060``,
    ``U+FEFF``)."""
    return [found.start() for found in _INVISIBLE_RE.finditer(text)]


def control_name(char: str) -> str:
    """How a message names a control or invisible character: ``U+001B (ESC)``."""
    code = ord(char)
    name = _NAMES.get(code)
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def visible(text: str, *, lines: bool = True) -> str:
    """``text`` with each control character written as ``\\u001b``, and each bidi control
    and zero-width space, word joiner or ``U+FEFF`` as ``\\u202e``.

    With ``lines`` (the default) tab and newline are kept as they are.
    """
    pattern = _pattern(lines)
    if pattern.search(text) is None:  # the common case: no copy
        return text
    return pattern.sub(_escape, text)


def strip_controls(text: str, *, lines: bool = True) -> str:
    """``text`` without control characters (nor what ``visible`` escapes), for importing
    foreign files.

    With ``lines`` every line end (``CR LF``, ``CR``, vertical tab, form feed, ``NEL``)
    becomes ``\\n`` and tabs stay; without, line ends become a space and tabs too.
    """
    if _ANY.search(text) is None:
        return text
    text = _LINE_ENDS.sub("\n", text)
    if not lines:
        text = text.replace("\n", " ").replace("\t", " ")
    return _pattern(lines).sub("", text)


__all__ = [
    "control_name",
    "find_bidi",
    "find_control",
    "find_invisible",
    "strip_controls",
    "visible",
]
