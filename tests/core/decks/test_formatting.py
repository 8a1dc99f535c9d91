"""Light formatting: **bold**, *italic*, line breaks; read, stripped, written as Anki HTML."""

from __future__ import annotations

import random

import pytest

from study.core.authoring.interchange.common import html_to_text
from study.core.decks.formatting import Span, escape, parse, strip_markup, to_html
from study.core.grading.answers import Verdict, grade_typed


def test_bold_and_italic_become_ranges() -> None:
    assert parse("**Resolution 806** was *adopted*") == (
        "Resolution 806 was adopted",
        (Span(0, 14, bold=True), Span(19, 26, italic=True)),
    )


def test_nested_markers() -> None:
    text, spans = parse("***both***")
    assert text == "both"
    assert Span(0, 4, bold=True, italic=True) in spans


@pytest.mark.parametrize("text", ["2 * 3 * 4", "a*b*c", "** not bold **", "x * y", "*", "**"])
def test_asterisks_that_do_not_hug_words_stay(text: str) -> None:
    assert strip_markup(text) == text
    assert parse(text)[1] == ()


def test_escaped_asterisk_is_literal() -> None:
    assert strip_markup("\\*not italic\\*") == "*not italic*"
    assert escape("*x*") == "\\*x\\*"
    assert strip_markup(escape("*x* and **y**")) == "*x* and **y**"
    assert escape("2 * 3") == "2 * 3"


def test_to_html() -> None:
    assert to_html("**a** <b> *c*\nd") == "<b>a</b> &lt;b&gt; <i>c</i><br>d"
    assert to_html("\\*x\\*") == "*x*"


def test_anki_html_keeps_bold_italic_and_breaks() -> None:
    text, media = html_to_text(
        "<b>Resolution 806</b> was <i>adopted</i><br>in <strong>1993</strong>"
        "<span style='color:red'>!</span><img src='x.png'>"
    )
    assert text == "**Resolution 806** was *adopted*\nin **1993**!"
    assert media == 1
    assert html_to_text("<b> spaced </b>word")[0] == "**spaced** word"
    assert html_to_text("<b></b>empty")[0] == "empty"
    assert html_to_text("foo<i>bar</i>")[0] == "foobar"  # mid-word italic cannot read back
    assert html_to_text("x<b>y</b>z")[0] == "x**y**z"
    assert html_to_text("<i>2 * 3</i>")[0] == "*2 \\* 3*"
    assert strip_markup(html_to_text("<i>2 * 3</i>")[0]) == "2 * 3"


def test_round_trip_html_markup_html() -> None:
    text, _ = html_to_text("<b>bold</b> and <i>italic</i><br>next")
    assert to_html(text) == "<b>bold</b> and <i>italic</i><br>next"


def test_grading_ignores_the_markup() -> None:
    grade = grade_typed("Resolution 806", "**Resolution 806**")
    assert grade.verdict is Verdict.EXACT
    assert grade.expected == "Resolution 806"
    assert grade_typed("adopted", "x", accept=["*adopted*"]).verdict is Verdict.EXACT


def test_an_image_only_question_is_not_asked_in_an_exam() -> None:
    from study.core.decks.model import Card, CardType, Item, MediaRef
    from study.core.exams.maker import QuestionMaker

    card = Card("d", "flag", CardType.BASIC, 1, back="France", media=(MediaRef("media/f.png"),))
    maker = QuestionMaker([Item(card)], {}, random.Random(1))
    assert maker.possible(Item(card)) == []


def test_search_and_browser_read_through_the_markup() -> None:
    from study.core.decks.model import Card, CardType, MediaRef
    from study.core.review.browse import card_text

    card = Card("d", "c", CardType.BASIC, 1, front="**Resolution** 806", back="x")
    assert "resolution 806" in card_text(card)
    image = Card("d", "i", CardType.BASIC, 1, back="France", media=(MediaRef("media/fr.png"),))
    assert "media/fr.png" in card_text(image)
