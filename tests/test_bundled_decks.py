"""The bundled decks (``decks/``): clean, fully labelled, no duplicate questions or copied text.

* ``study lint decks/`` reports nothing: no error and no warning.
* Every card has an explicit id, a source with an ``at`` locator, and at least one tag.
* No two cards, across all the bundled decks, ask the same thing: their normalised
  questions are neither identical nor near-identical (rapidfuzz ratio >= 95) unless
  they differ in a number or an ordinal ("the first focus" / "the third focus").
* No run of 12 or more consecutive words of a source text appears in any card
  (skipped when ``../shared/sources`` is not there: users do not have the texts).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from study.cli import main
from study.core.loader import load_decks
from study.core.model import CLOZE, Card, CardType, Deck

REPO = Path(__file__).resolve().parents[1]
DECKS = REPO / "decks"
SOURCES = Path(__file__).resolve().parents[1].parent / "shared" / "sources"

RUN = 12
"""Length of a run of source words that counts as a copied sentence."""

NEAR = 95
"""rapidfuzz ratio from which two normalised questions count as the same question."""

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "as",
        "than",
        "then",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "according",
        "article",
        "text",
        "give",
        "name",
        "named",
        "there",
        "their",
        "his",
        "her",
        "he",
        "she",
        "they",
        "them",
    ]
)


# ---------------------------------------------------------------- helpers


def load(root: Path) -> tuple[list[Deck], list[str]]:
    """The decks under ``root`` and every problem (errors and warnings) as text."""
    result = load_decks([root])
    return result.decks, [str(p) for p in result.problems]


def all_cards(decks: list[Deck]) -> Iterator[Card]:
    for deck in decks:
        yield from deck.cards


def where(card: Card) -> str:
    return f"{card.deck_id}:{card.id} (line {card.line})"


def question(card: Card) -> str:
    """What the card asks: its front, or its cloze text with the deletions blanked."""
    if card.type is CardType.CLOZE:
        return CLOZE.sub(" ___ ", card.text)
    return card.front


def normalise(text: str) -> str:
    """Lowercase, punctuation dropped, stop-words dropped, single spaces."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w for w in words if w not in STOP_WORDS)


ORDINALS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "last",
    ]
)


def key_words(normalised: str) -> frozenset[str]:
    """The words that make two near-identical questions different questions: numbers and ordinals.

    "What is the FIRST focus of 806-NQ/QUTW?" and "What is the THIRD focus ...?", or the
    dates of Resolutions 34-NQ/TW and 59-NQ/TW, are as close as two texts can be and still
    ask different things.
    """
    return frozenset(w for w in normalised.split() if w in ORDINALS or any(c.isdigit() for c in w))


def same_questions(decks: list[Deck]) -> list[str]:
    """Pairs of cards whose normalised questions are identical or nearly so.

    Nearly so counts only with the same numbers and ordinals.
    """
    asked = [(card, normalise(question(card))) for card in all_cards(decks)]
    pairs = []
    for i, (one, q1) in enumerate(asked):
        for other, q2 in asked[i + 1 :]:
            ratio = fuzz.ratio(q1, q2)
            if q1 == q2 or (ratio >= NEAR and key_words(q1) == key_words(q2)):
                pairs.append(f"{where(one)} and {where(other)} ({ratio:.0f}): {q1!r} / {q2!r}")
    return pairs


def tokens(text: str) -> list[str]:
    """Words as the copy check sees them: lowercase runs of letters and digits."""
    return [t for t in re.split(r"[^0-9a-z]+", text.lower()) if t]


def card_texts(card: Card) -> Iterator[tuple[str, str]]:
    """Every text field of a card (cloze markup stripped), with the field's name."""
    fields: list[tuple[str, str]] = [
        ("front", card.front),
        ("back", card.back),
        ("text", CLOZE.sub(lambda m: m.group(2), card.text)),
        ("answer", card.answer),
        ("explain", card.explain),
    ]
    fields += [("accept", a) for a in card.accept]
    fields += [("distractors", d) for d in card.distractors]
    fields += [("items", i) for i in card.items]
    for name, value in fields:
        if value:
            yield name, value


def source_runs(folder: Path) -> dict[tuple[str, ...], str]:
    """Every run of ``RUN`` consecutive words of the source texts, with its file's name."""
    runs: dict[tuple[str, ...], str] = {}
    for path in sorted(folder.glob("*.txt")):
        words = tokens(path.read_text(encoding="utf-8"))
        for i in range(len(words) - RUN + 1):
            runs.setdefault(tuple(words[i : i + RUN]), path.name)
    return runs


def copied_runs(decks: list[Deck], runs: dict[tuple[str, ...], str]) -> list[str]:
    """Every card field holding a run of source words, with the run and the source."""
    found = []
    for card in all_cards(decks):
        for name, value in card_texts(card):
            words = tokens(value)
            for i in range(len(words) - RUN + 1):
                run = tuple(words[i : i + RUN])
                if run in runs:
                    found.append(f"{where(card)} {name}: {' '.join(run)!r} (from {runs[run]})")
                    break
    return found


def unlabelled(decks: list[Deck]) -> list[str]:
    """Cards without an explicit id, a source with an 'at' locator, or a tag."""
    bad = []
    for card in all_cards(decks):
        if not card.id_given:
            bad.append(f"{where(card)}: no explicit id")
        if card.source is None:
            bad.append(f"{where(card)}: no source")
        elif not card.source.at.strip():
            bad.append(f"{where(card)}: source {card.source.id!r} has no 'at'")
        if not card.tags:
            bad.append(f"{where(card)}: no tag")
    return bad


@pytest.fixture(scope="module")
def bundled() -> list[Deck]:
    decks, _ = load(DECKS)
    assert decks, f"no decks found under {DECKS}"
    return decks


# ---------------------------------------------------------------- the bundled decks


def test_lint_is_clean() -> None:
    decks, problems = load(DECKS)
    assert problems == []
    assert decks
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["lint", str(DECKS)])
    assert code == 0, out.getvalue() + err.getvalue()
    assert out.getvalue() == "", out.getvalue()
    assert err.getvalue().strip().endswith(": ok"), err.getvalue()


def test_every_card_has_an_id_a_located_source_and_a_tag(bundled: list[Deck]) -> None:
    bad = unlabelled(bundled)
    assert not bad, "\n".join(bad)


def test_every_deck_lists_the_sources_its_cards_cite(bundled: list[Deck]) -> None:
    for deck in bundled:
        listed = {s.id for s in deck.sources}
        cited = {c.source.id for c in deck.cards if c.source is not None}
        assert cited <= listed, f"{deck.id}: cites {sorted(cited - listed)} without listing them"
        assert all(s.title and s.date for s in deck.sources), (
            f"{deck.id}: a source lacks a title or date"
        )


def test_no_two_cards_ask_the_same_thing(bundled: list[Deck]) -> None:
    pairs = same_questions(bundled)
    assert not pairs, "cards asking the same thing:\n" + "\n".join(pairs)


@pytest.mark.skipif(
    not SOURCES.is_dir(), reason="the source texts (../shared/sources) are not here"
)
def test_no_sentence_of_a_source_is_copied(bundled: list[Deck]) -> None:
    runs = source_runs(SOURCES)
    assert runs, f"no source text found in {SOURCES}"
    found = copied_runs(bundled, runs)
    assert not found, f"runs of {RUN} source words in the decks:\n" + "\n".join(found)


# ---------------------------------------------------------------- the checks can fail

BAD_DECK = """\
title: Planted
id: planted
sources:
  - id: s
    title: A source
    date: "2014"
cards:
  - id: dup-one
    front: On what date did the Central Military Commission issue Resolution 806-NQ/QUTW?
    back: 31 December 2013
    tags: [dates]
    source: {id: s, at: "opening"}

  - id: dup-two
    type: typed
    front: "On which date did the Central Military Commission issue Resolution 806-NQ/QUTW ?"
    back: 31 December 2013
    tags: [dates]
    source: {id: s, at: "opening"}

  - front: A card without id, tags or locator
    back: "Copied: %s"
    source: s
"""


def test_the_checks_catch_a_planted_bad_deck(tmp_path: Path) -> None:
    copied = "one two three four five six seven eight nine ten eleven twelve thirteen"
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "000_x.txt").write_text(
        f"Intro. {copied.title()}, the end.", encoding="utf-8"
    )
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "planted.yaml").write_text(BAD_DECK % copied, encoding="utf-8")
    decks, problems = load(tmp_path / "decks")
    assert any("id" in p for p in problems), problems  # lint warns about the missing id
    bad = unlabelled(decks)
    assert any("no explicit id" in b for b in bad)
    assert any("has no 'at'" in b for b in bad)
    assert any("no tag" in b for b in bad)
    assert len(same_questions(decks)) == 1
    found = copied_runs(decks, source_runs(tmp_path / "sources"))
    assert len(found) == 1 and "one two three" in found[0] and "back" in found[0]


def test_normalising_ignores_case_punctuation_and_stop_words() -> None:
    assert normalise("What is the FIRST of the five focuses?") == normalise("first five focuses")
    assert key_words(normalise("The third focus of 806-NQ/QUTW")) == {"third", "806"}
    cloze = Card(
        deck_id="d", id="c", type=CardType.CLOZE, line=1, text="A {{c1::b}} c {{c2::d::hint}}"
    )
    assert question(cloze) == "A  ___  c  ___ "
    assert tokens("Resolution 806-NQ/QUTW, 31/12/2013") == [
        "resolution",
        "806",
        "nq",
        "qutw",
        "31",
        "12",
        "2013",
    ]
