"""Typed answers read by meaning (study.core.grading.reading through grade_typed): each rule,
and the near misses that stay wrong."""

from __future__ import annotations

import pytest

from study.core.grading.answers import Verdict, grade_typed
from study.core.grading.folding import normalise

EXACT, CLOSE, WRONG = Verdict.EXACT, Verdict.CLOSE, Verdict.WRONG
MORE = "With more than how many countries has Vietnam built partnerships?"
NEARLY = "The article speaks of nearly how many years of renovation?"
OUT_OF = "Vietnam's diplomatic relations count out of how many UN member states?"
SLD = "At which Shangri-La Dialogue (ordinal) did the Prime Minister speak?"
ADMM = "Which ASEAN Defence Ministers' Meeting (number) was held in Brunei?"
BEIJING = "Which Beijing forum does the article list?"
COMMUNITY = "Viet Nam's part helps build which ASEAN community?"
HOTLINES = "What kind of link between the navies of ASEAN member countries did Viet Nam propose?"
CONGRESS = "Which National Party Congress (ordinal) set the guidelines?"


@pytest.mark.parametrize(
    ("given", "expected", "accept", "prompt", "verdict", "read_as"),
    [
        # figures: qualifiers, units, number words, a whole
        ("over 30", "30", (), MORE, EXACT, "more than 30"),
        ("more than 30 countries", "30", (), MORE, EXACT, "more than 30"),
        ("above 30", "30", (), MORE, EXACT, "more than 30"),
        ("less than 30", "30", (), MORE, WRONG, ""),  # the other way
        ("about 30", "30", (), MORE, WRONG, ""),
        ("more than 31", "30", (), MORE, WRONG, ""),
        ("about 5", "5", (), "", WRONG, ""),  # a qualifier the card does not use
        ("nearly 40", "40", (), NEARLY, EXACT, "about 40"),
        ("almost 40 years", "40", (), NEARLY, EXACT, "about 40"),
        ("more than 1,100", "over 1,100", (), "", EXACT, "more than 1,100"),
        ("under 1,100", "over 1,100", (), "", WRONG, ""),
        ("1,100", "over 1,100", (), "", EXACT, "1,100"),  # the qualifier left out
        ("80 countries and territories", "80", (), "", EXACT, "80"),
        ("eighty countries", "80", (), "", EXACT, "80"),
        ("ninety-five years", "95", (), "", EXACT, "95"),
        ("five initiatives", "5", (), "", EXACT, "5"),
        ("six initiatives", "5", (), "", WRONG, ""),
        ("81 countries", "80", (), "", WRONG, ""),
        ("185 of 193", "185", (), "", EXACT, "185 of 193"),
        ("185/193", "185", (), "", EXACT, "185 of 193"),  # not 185193
        ("185 out of the 193 member states", "185", (), "", EXACT, "185 of 193"),
        ("184/193", "185", (), "", WRONG, ""),
        ("185 of 193", "193", (), OUT_OF, EXACT, "185 of 193"),  # asked for the whole
        ("185 of 193", "193", (), "", WRONG, ""),
        ("185", "193", (), OUT_OF, WRONG, ""),
        ("1,100 military personnel", "1,100", ("1100",), "", EXACT, "1,100"),
        ("110", "1,100", ("1100",), "", WRONG, ""),
        ("30%", "30", (), "", WRONG, ""),  # a unit that changes the figure
        # document numbers by their number
        ("Resolution 806", "806-NQ/QUTW", (), "", EXACT, "806-NQ/QUTW"),
        ("806", "806-NQ/QUTW", (), "", EXACT, "806-NQ/QUTW"),
        ("No. 806", "806-NQ/QUTW", (), "", EXACT, "806-NQ/QUTW"),
        ("Resolution 806", "Resolution 806-NQ/QUTW", (), "", EXACT, "Resolution 806-NQ/QUTW"),
        ("Resolution 807", "806-NQ/QUTW", (), "", WRONG, ""),
        ("Resolution 806-NQ/TW", "806-NQ/QUTW", (), "", WRONG, ""),  # another suffix
        ("Directive 806", "806-NQ/QUTW", (), "", WRONG, ""),  # NQ: a resolution
        ("Directive 25", "25-CT/TW", (), "", EXACT, "25-CT/TW"),
        ("Resolution 25", "25-CT/TW", (), "", WRONG, ""),
        ("Conclusion 53", "53-KL/TW", (), "", EXACT, "53-KL/TW"),
        ("Conclusion 57", "53-KL/TW", (), "", WRONG, ""),
        ("Resolution 130", "130/2020/QH14", (), "", EXACT, "130/2020/QH14"),
        ("130/2021/QH14", "130/2020/QH14", (), "", WRONG, ""),
        # dates and years
        ("12/31/2013", "31 December 2013", (), "", EXACT, "31 December 2013"),
        ("31/12/2013", "31 December 2013", (), "", EXACT, "31 December 2013"),
        ("12/30/2013", "31 December 2013", (), "", WRONG, ""),
        ("by 2015", "2015", (), "", EXACT, ""),
        ("since 2014", "2014", (), "", EXACT, ""),
        ("since 2015", "2014", (), "", WRONG, ""),
        ("before 2015", "2015", (), "", WRONG, ""),  # changes the meaning
        ("from 1975 to 2025", "1975-2025", ("1975 to 2025",), "", EXACT, "1975 to 2025"),
        ("1975–2025", "1975-2025", (), "", EXACT, ""),
        ("from 1975 to 2024", "1975-2025", ("1975 to 2025",), "", WRONG, ""),
        ("in 2024 and 2022", "2022 and 2024", (), "", EXACT, "2022 to 2024"),
        ("2022 and 2023", "2022 and 2024", (), "", WRONG, ""),
        # ordinals with their noun, ordinal words
        ("twelfth", "12th", (), "", EXACT, "the 12th"),
        ("the 12th Shangri-La Dialogue", "12th", (), SLD, EXACT, "the 12th"),
        ("the 11th Shangri-La Dialogue", "12th", (), SLD, WRONG, ""),
        ("the thirteenth", "12th", (), SLD, WRONG, ""),
        ("the seventh ADMM", "7th", ("ADMM-7",), ADMM, EXACT, "the 7th"),
        ("ADMM 6", "7th", ("ADMM-7",), ADMM, WRONG, ""),
        ("the 12th Military Party Congress", "12th", (), CONGRESS, WRONG, ""),  # another body
        ("the 12th National Party Congress", "12th", (), CONGRESS, EXACT, "the 12th"),
        # shorter forms, acronyms, spelling variants, signs
        (
            "Xiangshan",
            "Beijing Xiangshan Forum",
            (),
            BEIJING,
            EXACT,
            "Beijing Xiangshan Forum (a short form)",
        ),
        (
            "the Xiangshan forum in Beijing",
            "Beijing Xiangshan Forum",
            (),
            BEIJING,
            EXACT,
            "Beijing Xiangshan Forum (a short form)",
        ),
        ("Beijing Forum", "Beijing Xiangshan Forum", (), BEIJING, WRONG, ""),
        (
            "Political-Security Community",
            "ASEAN Political-Security Community",
            (),
            COMMUNITY,
            EXACT,
            "ASEAN Political-Security Community (a short form)",
        ),
        ("Economic Community", "ASEAN Political-Security Community", (), COMMUNITY, WRONG, ""),
        (
            "APSC",
            "ASEAN Political-Security Community",
            (),
            "",
            EXACT,
            "ASEAN Political-Security Community (an acronym)",
        ),
        ("AEC", "ASEAN Political-Security Community", (), "", WRONG, ""),
        ("hotlines between the navies", "Hotlines", (), HOTLINES, EXACT, "Hotlines (a short form)"),
        ("Lao", "Laos", (), "", WRONG, ""),
        ("fewer friends, more enemies", "more friends, fewer enemies", (), "", WRONG, ""),
        ("defense industry", "Defence industry", (), "", EXACT, ""),
        (
            "Vietnam International Defense Exhibitions",
            "Vietnam International Defence Exhibition",
            (),
            "",
            EXACT,
            "Vietnam International Defence Exhibition (a short form)",
        ),
        ("ADMM", "ADMM+", (), "", WRONG, ""),  # "+" names another body
        ("ADMM Plus", "ADMM+", (), "", EXACT, ""),
        (
            "conference",
            "Moscow International Security Conference",
            ("Moscow Security Conference",),
            "Which Moscow security meeting?",
            WRONG,
            "",
        ),
    ],
)
def test_read_by_meaning(
    given: str, expected: str, accept: tuple[str, ...], prompt: str, verdict: Verdict, read_as: str
) -> None:
    grade = grade_typed(given, expected, accept, prompt=prompt)
    assert grade.verdict is verdict
    assert grade.read_as == read_as
    assert (grade.score == 1.0) == (verdict is EXACT)


def test_a_sign_is_a_word() -> None:
    assert normalise("ADMM+") == "admm plus"
    assert normalise("R&D") == "r and d"


def test_as_written_beats_a_reading() -> None:
    grade = grade_typed("CMC", "The Central Military Commission", ["CMC"])
    assert (grade.expected, grade.read_as) == ("CMC", "")


def test_decades_and_centuries_are_years() -> None:
    from study.core.grading.answers import Verdict, grade_typed

    asked = "Chien calls for a review of how many years of implementing the resolution?"
    assert grade_typed("a decade", "10", prompt=asked).verdict is Verdict.EXACT
    assert grade_typed("four decades", "40", prompt=asked).verdict is Verdict.EXACT
    assert grade_typed("three decades", "40", prompt=asked).verdict is Verdict.WRONG
    assert grade_typed("a decade", "10", prompt="How many meetings?").verdict is Verdict.WRONG


def test_a_year_from_which_onwards() -> None:
    from study.core.grading.answers import Verdict, grade_typed

    assert grade_typed("from 2014 onwards", "2014").verdict is Verdict.EXACT
    assert grade_typed("from 2013 onwards", "2014").verdict is Verdict.WRONG
