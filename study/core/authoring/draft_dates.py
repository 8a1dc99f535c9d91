"""Dates found in a draft's text: full dates, months and years ('in YEAR').

Each is normalised (``31 December 2013``) with its other accepted forms (``31/12/2013``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_M = "|".join(MONTHS)


_DAY = r"\d{1,2}(?:st|nd|rd|th)?"


_YEAR = r"(?:1[89]|20)\d{2}"


DATE_RE = re.compile(
    rf"(?<![\w/])(?:(?P<d1>{_DAY})(?:\s*[-–]\s*(?P<e1>{_DAY}))?\s+(?:of\s+)?(?P<m1>{_M}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_M})\s+(?P<d2>{_DAY})(?:\s*[-–]\s*(?P<e2>{_DAY}))?,?\s+(?P<y2>{_YEAR})"
    rf"|(?P<d3>\d{{1,2}})/(?P<n3>\d{{1,2}})/(?P<y3>{_YEAR})"
    rf"|(?P<m4>{_M}),?\s+(?P<y4>{_YEAR})"
    rf"|(?<=\b[Ii]n\s)(?P<y5>{_YEAR})(?:\s+and\s+(?P<z5>{_YEAR}))?)(?![\w/]|[-–]\d)"
)


@dataclass(frozen=True)
class _Date:
    """A date found in a sentence, normalised, with other accepted forms."""

    start: int
    end: int
    text: str
    accept: tuple[str, ...]
    unit: str  # "date", "month" or "year": what a question about it asks for
    years: tuple[str, ...]


def _dates(text: str) -> list[_Date]:
    """The dates in a text: full dates, month and year, 'in YEAR'."""
    return [d for m in DATE_RE.finditer(text) if (d := _date(m)) is not None]


def _date(m: re.Match[str]) -> _Date | None:
    """One date match, normalised to '31 December 2013' with other accepted forms."""
    if m["y5"]:
        years = (m["y5"], m["z5"]) if m["z5"] else (m["y5"],)
        return _Date(m.start(), m.end(), " and ".join(years), (), "year", years)
    year = m["y1"] or m["y2"] or m["y3"] or m["y4"]
    if m["m4"]:
        month = m["m4"]
        return _Date(
            m.start(),
            m.end(),
            f"{month} {year}",
            (f"{MONTHS.index(month) + 1}/{year}",),
            "month",
            (year,),
        )
    if m["d3"]:
        a, b = int(m["d3"]), int(m["n3"])
        day, number = (b, a) if a <= 12 < b else (a, b)
        if not (1 <= number <= 12 and 1 <= day <= 31):
            return None
        month, last = MONTHS[number - 1], ""
    else:
        day, month = int((m["d1"] or m["d2"]).rstrip("stndrh")), m["m1"] or m["m2"]
        number, last = MONTHS.index(month) + 1, (m["e1"] or m["e2"] or "").rstrip("stndrh")
    if last:
        return _Date(
            m.start(),
            m.end(),
            f"{day}-{last} {month} {year}",
            (f"{month} {day}-{last}, {year}",),
            "date",
            (year,),
        )
    text = f"{day} {month} {year}"
    accept = (f"{day}/{number}/{year}", f"{day:02d}/{number:02d}/{year}", f"{month} {day}, {year}")
    return _Date(
        m.start(),
        m.end(),
        text,
        tuple(dict.fromkeys(a for a in accept if a != text)),
        "date",
        (year,),
    )
