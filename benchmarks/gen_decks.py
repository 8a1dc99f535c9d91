"""Synthetic decks for the benchmarks: every card type, spread over many files, deterministic.

    python benchmarks/gen_decks.py OUT_DIR --cards 100000 [--per-file 500] [--seed 1]

The same arguments always give byte-identical files. Cards look like the bundled
decks (a sentence of a question, an answer, tags, a source with a place, an
explanation), so parse and memory figures are representative.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = [
    "defence",
    "diplomacy",
    "integration",
    "cooperation",
    "resolution",
    "strategy",
    "partnership",
    "peacekeeping",
    "ministry",
    "commission",
    "forum",
    "dialogue",
    "security",
    "maritime",
    "border",
    "training",
    "exchange",
    "delegation",
    "agreement",
    "memorandum",
    "conference",
    "exercise",
    "navy",
    "army",
    "air",
    "force",
    "guard",
    "engineers",
    "hospital",
    "mission",
    "contingent",
    "region",
    "ASEAN",
    "United",
    "Nations",
    "bilateral",
    "multilateral",
    "principle",
    "policy",
    "independence",
    "sovereignty",
    "territory",
    "peace",
    "stability",
    "development",
    "trust",
    "friendship",
    "visit",
    "meeting",
    "summit",
    "declaration",
    "framework",
    "mechanism",
    "program",
    "project",
    "academy",
    "officer",
    "general",
    "minister",
    "deputy",
    "director",
    "institute",
    "review",
    "article",
    "paragraph",
    "section",
    "focus",
    "task",
    "goal",
]

TYPES = ("basic", "basic-reverse", "cloze", "typed", "choice", "list", "order")


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def _flow(items: list[str]) -> str:
    """A YAML flow list of plain words (the generator only uses safe characters)."""
    return "[" + ", ".join(items) + "]"


def _card(rng: random.Random, number: int, kind: str, sources: list[str]) -> list[str]:
    lines = [f"  - id: c{number:06d}"]
    if kind == "basic-reverse":
        lines += [
            "    type: basic",
            f"    front: {_sentence(rng, 4, 10)}",
            f"    back: {_sentence(rng, 2, 6)}",
            "    reverse: true",
        ]
    elif kind == "basic":
        lines += [f"    front: {_sentence(rng, 8, 20)}?", f"    back: {_sentence(rng, 2, 8)}"]
    elif kind == "cloze":
        a, b = _sentence(rng, 1, 3).lower(), _sentence(rng, 1, 3).lower()
        lines += [
            "    type: cloze",
            (
                f"    text: {_sentence(rng, 4, 10)} {{{{c1::{a}}}}} and {{{{c2::{b}::hint}}}} "
                f"{_sentence(rng, 2, 6).lower()}."
            ),
        ]
    elif kind == "typed":
        lines += [
            "    type: typed",
            f"    front: {_sentence(rng, 8, 18)}?",
            f'    back: "{rng.randint(1, 2030)}"',
            f"    accept: [{rng.randint(1, 99)} units]",
        ]
    elif kind == "choice":
        answer = _sentence(rng, 2, 5)
        distractors = []
        while len(distractors) < 3:
            other = _sentence(rng, 2, 5)
            if other.casefold() != answer.casefold() and other not in distractors:
                distractors.append(other)
        lines += [
            "    type: choice",
            f"    front: {_sentence(rng, 8, 18)}?",
            f"    answer: {answer}",
            f"    distractors: {_flow(distractors)}",
        ]
    else:
        count = rng.randint(3, 6)
        items = [f"{i + 1} {_sentence(rng, 2, 6).lower()}" for i in range(count)]
        lines += [f"    type: {kind}", f"    front: {_sentence(rng, 5, 12)}"]
        if kind == "list":
            lines.append(f"    ordered: {'true' if rng.random() < 0.3 else 'false'}")
        lines.append("    items:")
        lines += [f"      - {item}" for item in items]
    lines.append(f"    tags: {_flow([rng.choice(WORDS).lower(), f'y{rng.randint(1990, 2025)}'])}")
    source = rng.choice(sources)
    if rng.random() < 0.5:
        lines.append(f'    source: {{id: {source}, at: "{_sentence(rng, 2, 4).lower()}"}}')
    else:
        lines.append(f"    source: {source}")
    if rng.random() < 0.7:
        lines.append(f"    explain: {_sentence(rng, 10, 30)}.")
    return lines


def deck_text(rng: random.Random, index: int, first: int, count: int) -> str:
    """One deck file's YAML text with ``count`` cards numbered from ``first``."""
    sources = [f"src-{index}-{n}" for n in range(4)]
    lines = [
        f"title: Synthetic deck {index}",
        f"id: synthetic-{index:04d}",
        f"description: {_sentence(rng, 10, 20)}.",
        "tags: [synthetic]",
        "sources:",
    ]
    for source in sources:
        lines += [
            f"  - id: {source}",
            f"    title: {_sentence(rng, 5, 12)}",
            f"    author: {_sentence(rng, 2, 4)}",
            f'    date: "{rng.randint(1990, 2025)}"',
        ]
    lines.append("cards:")
    for number in range(first, first + count):
        lines += _card(rng, number, TYPES[number % len(TYPES)], sources)
    return "\n".join(lines) + "\n"


def generate(out: Path, cards: int, per_file: int = 500, seed: int = 1) -> list[Path]:
    """Write ``cards`` cards into ``out`` (in sub-folders of 20 files); returns the files."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, first in enumerate(range(0, cards, per_file)):
        folder = out / f"group-{index // 20:03d}"
        folder.mkdir(exist_ok=True)
        path = folder / f"deck-{index:04d}.yaml"
        path.write_text(
            deck_text(rng, index, first, min(per_file, cards - first)), encoding="utf-8"
        )
        written.append(path)
    return written


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.out, args.cards, args.per_file, args.seed)
    print(f"{args.cards} cards in {len(files)} files under {args.out}")


if __name__ == "__main__":
    main()
