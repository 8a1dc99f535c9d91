"""The bundled decks (``decks/``): clean, fully labelled, no duplicate questions or copied text.

* ``study lint decks/`` reports nothing: no error and no warning.
* Every card has an explicit id, a source with an ``at`` locator, and at least one tag.
* No two cards, across all the bundled decks, ask the same thing: their normalised
  questions are neither identical nor near-identical (rapidfuzz ratio >= 95) unless
  they differ in a number or an ordinal ("the first focus" / "the third focus").
* No run of 12 or more consecutive words of a source text appears in any card
  (skipped when ``../shared/sources`` is not there: users do not have the texts).
* No card gives its answer away: the answer (a back, a choice's answer, a cloze deletion,
  a list item) does not appear in what the card shows as its question, once case,
  punctuation and accents are set aside.
* Every document number in the decks (``806-NQ/QUTW``, ``22-NQ/TW``, ``130/2020/QH14``) is
  asked both ways: some card shows the number and asks something else (its subject, body
  or date), and some card asks for the number from its subject, body or date. A document
  whose issuing body and date the texts give is also asked for each of them.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from study.cli import main
from study.core.decks.loader import load_decks
from study.core.decks.model import (
    CLOZE,
    Card,
    CardType,
    Deck,
    cloze_answers,
    cloze_numbers,
    cloze_render,
)

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
        if not card.citations:
            bad.append(f"{where(card)}: no source")
        for ref in card.citations:
            if not ref.at.strip():
                bad.append(f"{where(card)}: source {ref.id!r} has no 'at'")
        if not card.tags:
            bad.append(f"{where(card)}: no tag")
    return bad


def plain(text: str) -> str:
    """Lowercase, accents dropped, each run of other characters one space, padded with spaces.

    ``"Türkiye's 806-NQ/QUTW."`` becomes ``" turkiye s 806 nq qutw "``, so that ``in`` on two
    such texts finds whole words only.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " " + " ".join(re.findall(r"[^\W_]+", bare)) + " "


def answer_forms(answer: str) -> set[str]:
    """The answer as ``plain`` text, also without a parenthesis or a leading article."""
    forms = {plain(answer), plain(re.sub(r"\(.*?\)", " ", answer))}
    forms |= {re.sub(r"^ (?:the|a|an) ", " ", f) for f in forms}
    return {f for f in forms if f.strip()}


def asked(card: Card) -> Iterator[tuple[str, str, str]]:
    """Every (question as shown, answer, which answer) of a card: one per answer it hides.

    Order cards are left out: their items are the question.
    """
    if card.type is CardType.CLOZE:
        for number in sorted(set(cloze_numbers(card.text))):
            shown = cloze_render(card.text, number, reveal=False, mark=("", ""))
            for hidden in cloze_answers(card.text, number):
                yield shown, hidden, f"deletion c{number}"
    elif card.type in (CardType.BASIC, CardType.TYPED):
        yield card.front, card.back, "back"
        if card.reverse:
            yield card.back, card.front, "front (reverse side)"
    elif card.type is CardType.CHOICE:
        yield card.front, card.answer, "answer"
    elif card.type is CardType.LIST:
        for item in card.items:
            yield card.front, item, f"item {item!r}"


def self_answering(decks: list[Deck]) -> list[str]:
    """Cards whose question contains their answer (case, punctuation and accents aside)."""
    found = []
    for card in all_cards(decks):
        for shown, hidden, what in asked(card):
            question_text = plain(shown)
            if any(form in question_text for form in answer_forms(hidden)):
                found.append(f"{where(card)}: its {what} is in the question: {shown!r}")
    return found


DOCUMENT_NUMBER = re.compile(r"\b\d+-(?:NQ|KL|CT)/[A-Z]+\b|\b\d+/\d{4}/[A-Z]+\d*\b")
"""A document number as the texts write them: 806-NQ/QUTW, 53-KL/TW, 130/2020/QH14."""

NO_BODY_OR_DATE = {"130/2020/QH14": "Hoang Xuan Chien gives neither its body nor its date"}
"""Documents whose issuing body and date no source text gives."""

DATE = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}\b"
)
BODIES = ("Politburo", "Secretariat", "Central Military Commission", "National Assembly")


def card_answers(card: Card) -> list[str]:
    """What a card asks for: its back, answer, deletions or items."""
    return [hidden for _, hidden, _ in asked(card)]


def one_way_documents(decks: list[Deck]) -> list[str]:
    """Document numbers not asked both ways, or (when the texts give them) not by body and date.

    Number -> X: a card shows the number in its question and the number is not its answer.
    X -> number: a card's answer is the number and its question does not show it.
    """
    numbers: set[str] = set()
    for card in all_cards(decks):
        for _, value in card_texts(card):
            numbers.update(DOCUMENT_NUMBER.findall(value))
    missing = []
    for number in sorted(numbers):
        forward = backward = body = date = False
        for card in all_cards(decks):
            for shown, hidden, _ in asked(card):
                in_question, in_answer = number in shown, number in hidden
                if in_question and not in_answer:
                    forward = True
                    body = body or any(b.casefold() in hidden.casefold() for b in BODIES)
                    date = date or bool(DATE.search(hidden))
                if in_answer and not in_question:
                    backward = True
        if not forward:
            missing.append(f"{number}: no card asks what it is (number -> subject, body or date)")
        if not backward:
            missing.append(f"{number}: no card asks for it (subject, body or date -> number)")
        if number not in NO_BODY_OR_DATE:
            if not body:
                missing.append(f"{number}: no card asks which body issued it")
            if not date:
                missing.append(f"{number}: no card asks its date")
    return missing


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
        cited = {ref.id for c in deck.cards for ref in c.citations}
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


def test_no_card_gives_its_answer_away(bundled: list[Deck]) -> None:
    found = self_answering(bundled)
    assert not found, "cards whose question holds the answer:\n" + "\n".join(found)


def test_every_document_number_is_asked_both_ways(bundled: list[Deck]) -> None:
    missing = one_way_documents(bundled)
    assert not missing, "document numbers asked one way only:\n" + "\n".join(missing)


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


GIVEAWAYS = """\
title: Giveaways
id: giveaways
sources:
  - {id: s, title: A source, date: "2014"}
cards:
  - {id: tells, front: "Which resolution, 34-NQ/TW, is on foreign policy?", back: 34-NQ/TW}
  - {id: accents, front: "Rescue in Turkiye: which country?", back: "Türkiye"}
  - {id: cloze, text: "The {{c1::four nos}} policy: the four nos are these."}
  - {id: item, type: list, front: "Which two: Laos and the other?", items: [Laos, Cambodia]}
  - {id: fine, front: "Which body issued 22-NQ/TW?", back: The Politburo}
  - {id: fine-too, type: choice, front: "Issued on 24 January 2025?", answer: 59-NQ/TW}
"""


def test_the_new_checks_catch_planted_cards(tmp_path: Path) -> None:
    (tmp_path / "giveaways.yaml").write_text(GIVEAWAYS, encoding="utf-8")
    decks, _ = load(tmp_path)
    found = self_answering(decks)
    assert [f.split(" ")[0] for f in found] == [
        "giveaways:tells",
        "giveaways:accents",
        "giveaways:cloze",
        "giveaways:item",
    ], found
    missing = one_way_documents(decks)
    assert "22-NQ/TW: no card asks for it (subject, body or date -> number)" in missing
    assert "22-NQ/TW: no card asks its date" in missing
    assert not any(m.startswith("22-NQ/TW: no card asks what") for m in missing)
    assert not any("which body" in m for m in missing if m.startswith("22-NQ/TW"))
    assert "59-NQ/TW: no card asks what it is (number -> subject, body or date)" in missing
    assert not any("asks for it" in m for m in missing if m.startswith("59-NQ/TW"))
    # 34-NQ/TW is only asked with the number in the question: not backwards
    assert "34-NQ/TW: no card asks for it (subject, body or date -> number)" in missing
    assert plain("Türkiye's 806-NQ/QUTW.") == " turkiye s 806 nq qutw "
    assert answer_forms("The fourth (the last)") >= {" the fourth ", " fourth "}
