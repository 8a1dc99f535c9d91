"""The study screen's marking of an answer says why: what a typed answer was read as, which
line earned each item of a list and how, what was missing, how the credit was counted."""

from __future__ import annotations

from study.core.grading.answers import grade_typed
from study.core.grading.listing import grade_list
from study.tui.widgets.answer import list_marking, typed_marking


def test_a_typed_answer_says_what_it_was_read_as() -> None:
    grade = grade_typed("185/193", "185")
    assert typed_marking("185/193", grade, {}).plain == "✓ Right   185/193\nread as 185 of 193"


def test_a_typed_answer_written_as_expected_says_nothing_more() -> None:
    assert typed_marking("185", grade_typed("185", "185"), {}).plain == "✓ Right   185"


def test_a_list_shows_each_item_with_its_line_and_the_missing_ones() -> None:
    items = ["engineering", "army medical", "military observation"]
    grade = grade_list(["engineering and medical", "observation"], items, False, [(), ("medical",)])
    assert list_marking(items, grade, {}).plain.splitlines() == [
        "✓ 1. engineering   ← line 1: engineering (as written)",
        "✓ 2. army medical   ← line 1: medical (as “medical”)",
        "½ 3. military observation   ← line 2: observation (1 of its 2 words)",
        "Credit: 2.5 of 3 items (2 in full, 1 in part) = 83%",
    ]


def test_a_list_names_what_matched_nothing() -> None:
    grade = grade_list(["[bold]guess[/bold]"], ["engineering"], False)
    lines = list_marking(["engineering"], grade, {}).plain.splitlines()
    assert lines[0] == "✗ 1. engineering   missing"
    assert lines[1] == "  matched no item: [bold]guess[/bold]"  # never read as markup
