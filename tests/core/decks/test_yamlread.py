"""The safe YAML reader: located values, plain scalars, and hostile input refused."""

from __future__ import annotations

import gc

import pytest

from study.core.decks.yamlread import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    Mark,
    YamlError,
    YList,
    YMap,
    read_yaml,
)


def refused(text: str) -> YamlError:
    """The error ``read_yaml`` raises for ``text`` (fails the test if it raises none)."""
    with pytest.raises(YamlError) as info:
        read_yaml(text)
    return info.value


def test_mappings_and_lists_remember_where_keys_and_values_are() -> None:
    root, mark = read_yaml("title: T\ncards:\n  - front: q\n    back:  b\n")
    assert mark == Mark(1, 1)
    assert isinstance(root, YMap)
    assert root.key_marks["cards"] == Mark(2, 1)
    cards = root["cards"]
    assert isinstance(cards, YList)
    assert cards.marks == [Mark(3, 5)]
    card = cards[0]
    assert isinstance(card, YMap)
    assert card.mark == Mark(3, 5)
    assert card.key_marks["back"] == Mark(4, 5)
    assert card.value_marks["back"] == Mark(4, 12)
    assert dict(card) == {"front": "q", "back": "b"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: yes", "yes"),  # YAML 1.2: only true/false are booleans
        ("a: no", "no"),
        ("a: 12:30", "12:30"),  # no base-60 numbers
        ("a: true", True),
        ("a: False", False),
        ("a: ~", None),
        ("a:", None),
        ("a: 1994", 1994),
        ("a: -3", -3),
        ("a: 2.5", 2.5),
        ("a: 0800", "0800"),  # a number only when nothing is lost
        ("a: 1.50", "1.50"),
        ("a: +5", "+5"),
        ("a: '1994'", "1994"),
        ("a: !!str 12", "12"),
        ("a: |\n  two\n  lines\n", "two\nlines\n"),
    ],
)
def test_scalars(text: str, value: object) -> None:
    root, _ = read_yaml(text)
    assert isinstance(root, YMap)
    assert root["a"] == value
    assert type(root["a"]) is type(value)


def test_empty_document_is_none() -> None:
    assert read_yaml("") == (None, Mark(1, 1))
    assert read_yaml("# only a comment\n")[0] is None


def test_duplicate_key_points_at_the_second_and_names_the_first() -> None:
    error = refused("a: 1\nb: 2\na: 3\n")
    assert error.mark == Mark(3, 1)
    assert error.message == "duplicate key 'a' (first at line 1): keep one"


def test_duplicate_key_in_a_nested_mapping() -> None:
    error = refused("cards:\n  - front: q\n    front: r\n")
    assert error.mark == Mark(3, 5)


def test_a_key_cannot_be_a_collection() -> None:
    error = refused("? [a, b]\n: value\n")
    assert error.message == "a key must be plain text, not a list or mapping"
    assert error.mark == Mark(1, 3)


def test_second_document_is_refused() -> None:
    error = refused("a: 1\n---\nb: 2\n")
    assert error.mark == Mark(2, 1)
    assert "one YAML document" in error.message


def test_explicit_single_document_is_fine() -> None:
    root, _ = read_yaml("---\na: 1\n...\n")
    assert root == {"a": 1}


@pytest.mark.parametrize(
    ("text", "tag", "mark"),
    [
        (
            "a: !!python/object:os.system x\n",
            "tag:yaml.org,2002:python/object:os.system",
            Mark(1, 4),
        ),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "tag:yaml.org,2002:python/object/apply:os.system",
            Mark(1, 4),
        ),
        ("a: !!python/name:os.system {}\n", "tag:yaml.org,2002:python/name:os.system", Mark(1, 4)),
        ("- !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary", Mark(1, 3)),
        ("a: !!set {x, y}\n", "tag:yaml.org,2002:set", Mark(1, 4)),
        ("a: !custom x\n", "!custom", Mark(1, 4)),
    ],
)
def test_tags_that_build_objects_are_refused(text: str, tag: str, mark: Mark) -> None:
    error = refused(text)
    assert error.message == f"YAML tag {tag!r} is not allowed in a deck: remove it"
    assert error.mark == mark


def test_plain_collection_tags_are_allowed() -> None:
    root, _ = read_yaml("a: !!map {b: !!seq [1]}\n")
    assert root == {"a": {"b": [1]}}


def test_syntax_error_has_a_position() -> None:
    error = refused("title: T\ncards:\n  - front: a: b\n")
    assert error.mark == Mark(3, 13)
    assert error.message.startswith("invalid YAML: mapping values are not allowed")


def test_tab_indentation_is_a_syntax_error() -> None:
    error = refused("a:\n\t- b\n")
    assert error.mark.line == 2
    assert error.message.startswith("invalid YAML")


def test_control_character_is_refused() -> None:
    error = refused("a: b\x07\n")
    assert error.message.startswith("invalid YAML")


def test_control_character_is_reported_where_it_is_even_after_vietnamese_text() -> None:
    error = refused("title: Nguyễn Chí Vịnh\ncards:\n  - front: Hà Nội\x07\n")
    assert (error.mark.line, error.mark.col) == (3, 18)
    assert "U+0007" in error.message


def test_small_aliases_are_expanded() -> None:
    root, _ = read_yaml("base: &t [x, y]\nother: *t\n")
    assert isinstance(root, YMap)
    assert root["other"] == ["x", "y"]


def test_alias_bomb_is_refused_before_it_expands() -> None:
    # ten levels of ten aliases: 10**10 values if it were expanded
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    error = refused("\n".join(lines) + "\n")
    assert "alias bomb" in error.message
    assert MAX_ALIAS_VALUES == 10**6
    assert error.mark.line == 6  # a5 is the first anchor past a million values
    assert error.message == (
        "aliases expand to more than 1,000,000 values (an alias bomb?): "
        "remove the anchors and aliases"
    )


def test_a_big_deck_without_anchors_is_read_whatever_its_number_of_values() -> None:
    # a real 7.6 MB deck of 157,229 short cards (1.1 million values) was refused as "an alias
    # bomb?"; a flat list of 1.05 million values is the same count at a third of the reading time
    text = "cards: [" + "q, " * 1_050_000 + "]\n"
    gc.disable()  # as the loader does while it reads (the collector would walk every value)
    try:
        root, _ = read_yaml(text)
    finally:
        gc.enable()
    assert isinstance(root, YMap) and len(root["cards"]) == 1_050_000  # type: ignore[arg-type]


def test_aliases_that_add_a_million_values_are_refused_one_less_is_read() -> None:
    # a list of 1,000 values aliased 1,001 times adds 1,001 * 1,000 = 1,001,000 values
    items = ", ".join(["x"] * 1000)
    error = refused(f"a: &a [{items}]\nb: [{', '.join(['*a'] * 1001)}]\n")
    assert "alias bomb" in error.message and error.mark.line == 2
    root, _ = read_yaml(f"a: &a [{items}]\nb: [{', '.join(['*a'] * 1000)}]\n")
    assert isinstance(root, YMap) and len(root["b"]) == 1000  # type: ignore[arg-type]


def test_nesting_at_the_limit_is_read() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    root, _ = read_yaml(text)
    depth = 0
    while isinstance(root, list):
        depth += 1
        root = root[0] if root else None
    assert depth == MAX_DEPTH


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    error = refused("[" * depth + "]" * depth)
    assert error.message == f"nesting deeper than {MAX_DEPTH} levels: flatten the file"
    assert error.mark == Mark(1, MAX_DEPTH + 1)


def test_deep_nesting_of_mappings_is_refused() -> None:
    error = refused("{a: " * 10_000 + "b" + "}" * 10_000)
    assert "nesting deeper" in error.message


def _libyaml_with_a_limit(limit: int | None) -> type:
    """A loader that refuses nesting past ``limit`` before any event, as libyaml does.

    PyYAML 6.0.4's libyaml refuses flow nesting deeper than 1,000 in its scanner, which
    reads ahead of the events; 6.0.2's has no limit. ``None`` stands for no limit.
    """
    import yaml

    class Loader:
        def __init__(self, text: str) -> None:
            self._inner = yaml.SafeLoader(text)
            self._text = text
            self._scanned = False

        def get_event(self) -> object:
            if not self._scanned and limit is not None:
                self._scanned = True
                depth = line = column = 0
                for index, char in enumerate(self._text):
                    depth += (char in "[{") - (char in "]}")
                    if depth > limit:
                        mark = yaml.Mark("<unicode string>", index, line, column, None, None)
                        raise yaml.scanner.ScannerError(
                            None, None, "exceeded maximum nesting depth", mark
                        )
                    line, column = (line + 1, 0) if char == "\n" else (line, column + 1)
            return self._inner.get_event()

        def dispose(self) -> None:
            self._inner.dispose()

    return Loader


@pytest.mark.parametrize("limit", [None, 1000, 100, MAX_DEPTH + 1])
@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("[" * 10_000 + "]" * 10_000, Mark(1, MAX_DEPTH + 1)),
        ("{a: " * 10_000 + "b" + "}" * 10_000, Mark(1, 4 * MAX_DEPTH + 1)),
        (
            "title: é日\ncards: " + "[" * 5_000 + "]" * 5_000,
            Mark(2, 7 + MAX_DEPTH),
        ),  # the root mapping is the first level
    ],
    ids=["lists", "mappings", "after-accents"],
)
def test_deep_nesting_gets_the_tools_message_whatever_libyaml_refuses(
    monkeypatch: pytest.MonkeyPatch, limit: int | None, text: str, mark: Mark
) -> None:
    monkeypatch.setattr("study.core.decks.yamlread._Loader", _libyaml_with_a_limit(limit))
    error = refused(text)
    assert error.message == f"nesting deeper than {MAX_DEPTH} levels: flatten the file"
    assert error.mark == mark


def test_other_errors_are_kept_when_libyaml_refuses_for_another_reason() -> None:
    error = refused("a: [[[\n  b: ]")
    assert error.message.startswith("invalid YAML: ")
    assert "nesting" not in error.message
