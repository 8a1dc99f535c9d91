"""Safe YAML reading with positions: the only module that imports ``yaml``.

Values are built from the libyaml event stream (the C parser when present), never
by a loader that can construct Python objects. Each mapping and list remembers
where its keys and values are, so validation can say ``file:line:col``.

Hostile input is bounded: the byte size is checked before reading, nesting depth
is limited while parsing, and aliases are weighed as if expanded, so an
"alias bomb" is refused instead of blowing up later. Only what aliases add is
weighed: the values written out in the text are bounded by its size already, so
a big deck without anchors (157,229 cards in 7.6 MB) loads whatever its count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml

try:  # the C parser: about ten times faster than the pure-Python one
    from yaml import CSafeLoader as _Loader

    _COUNTS_BYTES = True  # libyaml reports positions in UTF-8 bytes
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _COUNTS_BYTES = False

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (a deck needs about four)."""

MAX_ALIAS_VALUES = 1_000_000
"""Most values that aliases may add to a document once expanded (each ``*name`` adds
the values of what ``&name`` marks, minus one); the values written in the text
are not counted."""

_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels: flatten the file"

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_KEYWORDS: dict[str, object] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
"""Plain scalars that are not text: null and the booleans (``yes``/``no`` stay text)."""
_NUMBER_START = frozenset("0123456789+-.")
_ALLOWED_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_COLLECTION_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class Mark(NamedTuple):
    """A 1-based position in a file.

    A named tuple rather than a frozen dataclass: a deck of 100,000 cards makes
    about two million of them, and a tuple is built three times faster.
    """

    line: int
    col: int


_new_mark = tuple.__new__
"""``_new_mark(Mark, (line, col))``: a Mark without the Python-level ``__new__``."""


class YamlError(Exception):
    """The text is not YAML this tool accepts; carries where and why."""

    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class YMap(dict[str, object]):
    """A mapping that remembers where each key and value is."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class YList(list[object]):
    """A list that remembers where each item is."""

    __slots__ = ("mark", "marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.marks: list[Mark] = []


def _mark(event: Any) -> Mark:
    m = event.start_mark
    return Mark(m.line + 1, m.column + 1)


def _plain(value: str) -> object:
    """The value of a plain (unquoted, untagged) scalar: null, boolean, number or text."""
    if value in _KEYWORDS:
        return _KEYWORDS[value]
    if value[0] in _NUMBER_START:
        # a number only when that loses nothing: "0800" and "1.50" stay text as written
        if _INT.fullmatch(value) and str(int(value)) == value:
            return int(value)
        if _FLOAT.fullmatch(value) and repr(float(value)) == value:
            return float(value)
    return value


def _check_tag(event: Any) -> None:
    tag = event.tag
    allowed = _ALLOWED_TAGS if isinstance(event, yaml.ScalarEvent) else _COLLECTION_TAGS
    if tag not in allowed:  # not every yaml.org tag: !!python/object is one
        raise YamlError(f"YAML tag {tag!r} is not allowed in a deck: remove it", _mark(event))


class _Frame:
    """A list or mapping being built, with the key waiting for its value."""

    __slots__ = ("anchor", "is_list", "key", "key_mark", "value", "weight")

    def __init__(self, value: YMap | YList, anchor: str | None) -> None:
        self.value = value
        self.anchor = anchor
        self.key: str | None = None
        self.key_mark: Mark | None = None
        self.weight = 1
        self.is_list = isinstance(value, YList)


def _too_heavy(mark: Mark) -> YamlError:
    return YamlError(
        f"aliases expand to more than {MAX_ALIAS_VALUES:,} values (an alias bomb?): "
        "remove the anchors and aliases",
        mark,
    )


def _build(loader: _Loader) -> tuple[object, Mark]:
    """Turn the parser's events into YMap / YList / scalar values.

    One loop with the common case (a plain scalar inside a mapping or list) first:
    this is the hot path of loading a deck, so it avoids calls where it can.
    Every value counts its weight (aliases as if expanded); what aliases add counts
    toward MAX_ALIAS_VALUES.
    """
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    doc_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    keywords, number_start, plain = _KEYWORDS, _NUMBER_START, _plain
    anchors: dict[str, tuple[object, int]] = {}
    stack: list[_Frame] = []
    frame: _Frame | None = None
    root: object = None
    root_mark = Mark(1, 1)
    added = 0  # values added by aliases
    documents = 0
    get_event: Callable[[], Any] = loader.get_event  # events are dispatched on their class
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            if event.tag is not None:
                _check_tag(event)
            text: str = event.value
            value: object = text
            if event.implicit[0]:
                value = (
                    keywords[text]
                    if text in keywords
                    else (plain(text) if text[0] in number_start else text)
                )
            start = event.start_mark
            mark = _new_mark(Mark, (start.line + 1, start.column + 1))
            weight = 1
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif kind in ends:
            done = stack.pop()
            value, weight = done.value, done.weight
            mark = done.value.mark
            if done.anchor is not None:
                anchors[done.anchor] = (value, weight)
            frame = stack[-1] if stack else None
        elif kind is map_start or kind is seq_start:
            if event.tag is not None:
                _check_tag(event)
            start = event.start_mark
            opened = (YMap if kind is map_start else YList)(
                _new_mark(Mark, (start.line + 1, start.column + 1))
            )
            if len(stack) >= MAX_DEPTH:
                raise YamlError(_TOO_DEEP, opened.mark)
            frame = _Frame(opened, event.anchor)
            stack.append(frame)
            continue
        elif kind is alias_event:
            if event.anchor not in anchors:
                raise YamlError(f"unknown alias *{event.anchor}", _mark(event))
            value, weight = anchors[event.anchor]
            mark = _mark(event)
            added += weight - 1
            if added > MAX_ALIAS_VALUES:
                raise _too_heavy(mark)
        elif kind is doc_start:
            documents += 1
            if documents > 1:
                raise YamlError(
                    "a deck file holds one YAML document: remove the second '---'", _mark(event)
                )
            continue
        elif kind is stream_end:
            return root, root_mark
        else:
            continue
        # attach the finished value to the open collection (or make it the root)
        if frame is None:
            root, root_mark = value, mark
            continue
        frame.weight += weight
        parent: Any = frame.value
        if frame.is_list:
            parent.append(value)
            parent.marks.append(mark)
        elif frame.key_mark is None:
            if isinstance(value, (YMap, YList)):
                raise YamlError("a key must be plain text, not a list or mapping", mark)
            key = "" if value is None else str(value)
            if key in parent:
                first = parent.key_marks[key]
                raise YamlError(
                    f"duplicate key {key!r} (first at line {first.line}): keep one", mark
                )
            frame.key, frame.key_mark = key, mark
        else:
            key = str(frame.key)
            parent[key] = value
            parent.key_marks[key] = frame.key_mark
            parent.value_marks[key] = mark
            frame.key, frame.key_mark = None, None


def _char_mark(text: str, position: int) -> Mark:
    """Where a reader error is: libyaml counts UTF-8 bytes, the pure-Python reader characters."""
    before = (
        text.encode("utf-8")[:position].decode("utf-8", "ignore")
        if _COUNTS_BYTES
        else text[:position]
    )
    return Mark(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


def _raise_if_too_deep(prefix: str) -> None:
    """Raise the tool's own nesting error if ``prefix`` already nests past MAX_DEPTH.

    libyaml's scanner reads flow collections (``[[[...``) ahead of the events, and
    since PyYAML 6.0.4 its libyaml refuses nesting itself (at depth 1,000) before
    the builder sees the 65th level. Walking the events of the text before libyaml's
    error finds the builder's verdict whatever libyaml's limit or wording is: the
    prefix nests less deeply than where libyaml stopped. Only the depth is kept, so
    a large file that fails for another reason costs time, not memory.
    """
    opens = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = _Loader(prefix)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, opens):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(_TOO_DEEP, _mark(event))
            elif isinstance(event, ends):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return
    except yaml.YAMLError:
        return  # the cut text ends mid-document: the original error stands
    finally:
        loader.dispose()


def read_yaml(text: str) -> tuple[object, Mark]:
    """Parse one YAML document into located values; raise YamlError on any problem."""
    loader = _Loader(text)
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            _raise_if_too_deep(text[: mark.index])
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", where) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        where = _char_mark(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(
            f"invalid YAML: the control character U+{code:04X} is not allowed: remove it", where
        ) from None
    except yaml.YAMLError as exc:  # any other reader error
        raise YamlError(f"invalid YAML: {str(exc).splitlines()[0]}", Mark(1, 1)) from None
    finally:
        loader.dispose()
