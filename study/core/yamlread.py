"""Safe YAML reading with positions: the only module that imports ``yaml``.

Values are built from the libyaml event stream (the C parser when present), never
by a loader that can construct Python objects. Each mapping and list remembers
where its keys and values are, so validation can say ``file:line:col``.

Hostile input is bounded: the byte size is checked before reading, nesting depth
is limited while parsing, and aliases are weighed as if expanded, so an
"alias bomb" is refused instead of blowing up later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:  # the C parser: about ten times faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (a deck needs about four)."""

MAX_WEIGHT = 1_000_000
"""Most values a document may hold once its aliases are expanded."""

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_ALLOWED_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    col: int


class YamlError(Exception):
    """The text is not YAML this tool accepts; carries where and why."""

    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class YMap(dict[str, object]):
    """A mapping that remembers where each key and value is."""

    __slots__ = ("mark", "key_marks", "value_marks")

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


def _mark(event: yaml.Event) -> Mark:
    m = event.start_mark
    return Mark(m.line + 1, m.column + 1)


def _scalar(event: yaml.ScalarEvent) -> object:
    if event.tag not in _ALLOWED_TAGS:
        raise YamlError(
            f"YAML tag {event.tag!r} is not allowed in a deck: remove it", _mark(event)
        )
    value: str = event.value
    if not event.implicit[0]:
        return value  # quoted, a block scalar, or tagged as a string
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    # a number only when that loses nothing: "0800" and "1.50" stay text as written
    if _INT.fullmatch(value) and str(int(value)) == value:
        return int(value)
    if _FLOAT.fullmatch(value) and repr(float(value)) == value:
        return float(value)
    return value


@dataclass(slots=True)
class _Frame:
    """A list or mapping being built, with the key waiting for its value."""

    value: YMap | YList
    anchor: str | None
    key: str | None = None
    key_mark: Mark | None = None
    weight: int = 1


class _Builder:
    """Turns an event stream into YMap / YList / scalar values."""

    def __init__(self) -> None:
        self.anchors: dict[str, tuple[object, int]] = {}
        self.stack: list[_Frame] = []
        self.root: object = None
        self.root_mark = Mark(1, 1)
        self.total = 0

    def add(self, value: object, mark: Mark, weight: int) -> None:
        """Attach a finished value to the open collection (or make it the root)."""
        self.total += weight
        if self.total > MAX_WEIGHT:
            raise YamlError(
                "the document expands to too many values (an alias bomb?): "
                "remove the anchors and aliases",
                mark,
            )
        if not self.stack:
            self.root, self.root_mark = value, mark
            return
        frame = self.stack[-1]
        frame.weight += weight
        parent = frame.value
        if isinstance(parent, YList):
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

    def open(self, value: YMap | YList, anchor: str | None) -> None:
        """Start a nested list or mapping."""
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels: flatten the file", value.mark)
        self.stack.append(_Frame(value, anchor))

    def close(self) -> None:
        """Finish the innermost list or mapping."""
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, frame.weight)
        self.total -= frame.weight - 1  # its children were counted as they came
        self.add(frame.value, frame.value.mark, frame.weight)


def read_yaml(text: str) -> tuple[object, Mark]:
    """Parse one YAML document into located values; raise YamlError on any problem."""
    builder = _Builder()
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
                if event.anchor is not None:
                    builder.anchors[event.anchor] = (value, 1)
                builder.add(value, _mark(event), 1)
            elif isinstance(event, yaml.MappingStartEvent):
                _check_tag(event)
                builder.open(YMap(_mark(event)), event.anchor)
            elif isinstance(event, yaml.SequenceStartEvent):
                _check_tag(event)
                builder.open(YList(_mark(event)), event.anchor)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                builder.close()
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in builder.anchors:
                    raise YamlError(f"unknown alias *{event.anchor}", _mark(event))
                value, weight = builder.anchors[event.anchor]
                builder.add(value, _mark(event), weight)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(
                        "a deck file holds one YAML document: remove the second '---'",
                        _mark(event),
                    )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"invalid YAML: {problem}", where) from None
    except yaml.YAMLError as exc:  # reader errors (control characters, ...)
        raise YamlError(f"invalid YAML: {str(exc).splitlines()[0]}", Mark(1, 1)) from None
    return builder.root, builder.root_mark


_COLLECTION_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


def _check_tag(event: yaml.CollectionStartEvent) -> None:
    if event.tag not in _COLLECTION_TAGS:  # not every yaml.org tag: !!python/object is one
        raise YamlError(f"YAML tag {event.tag!r} is not allowed in a deck: remove it", _mark(event))
