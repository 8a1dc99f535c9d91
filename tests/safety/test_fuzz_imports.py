"""Fuzzing the importers: any CSV text, any note types, any ``meta`` bytes give cards or one line.

Derandomized and bounded like ``test_fuzz.py``; ``STUDY_FUZZ_EXAMPLES`` runs more
examples (CI can set it to thousands).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from study.core.authoring.interchange.apkg_bytes import PackageError, _proto
from study.core.authoring.interchange.apkg_export import write_apkg
from study.core.authoring.interchange.apkg_import import read_apkg
from study.core.authoring.interchange.bounded import ImportRefused
from study.core.authoring.interchange.csv_tsv import read_csv
from study.core.authoring.interchange.deckfile import build_deck
from study.core.decks.model import Deck, Severity
from study.core.decks.parse import parse_deck
from tests.conftest import T0

EXAMPLES = int(os.environ.get("STUDY_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CSV_ALPHABET = ',;\t|"#:\n\r {}c1ab<>&/\\\u00e9\u1ec7'
HEADERS = st.sampled_from(
    [
        "",
        "#separator:tab\n",
        "#separator:comma\n#html:true\n",
        "#columns:Front,Back,Tags\n",
        "#notetype column:1\n#deck column:2\n",
        "#tags column:3\n#guid column:9\n",
    ]
)


def deck_of(text: str) -> None:
    """``text`` must be a deck file that loads without an error."""
    deck, problems = parse_deck(text, Path("import.yaml"), "import.yaml")
    assert deck is not None, problems
    assert not [p for p in problems if p.severity is Severity.ERROR]


@FUZZ
@given(HEADERS, st.text(CSV_ALPHABET, max_size=400), st.sampled_from([".csv", ".tsv", ".txt"]))
def test_any_csv_text_gives_a_loadable_deck_or_one_line(
    header: str, body: str, suffix: str
) -> None:
    try:
        imported = read_csv(header + body, name="fuzz", suffix=suffix)
    except ImportRefused as exc:
        assert "\n" not in str(exc)
        return
    text, kept = build_deck(imported, imported.title or "Fuzz", "fuzz")
    deck_of(text)
    assert len(kept) <= len(imported.cards)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)
FIELD = st.fixed_dictionaries({"name": st.text(max_size=6), "ord": st.integers(0, 3)})
TEMPLATE = st.fixed_dictionaries(
    {
        "qfmt": st.sampled_from(
            ["{{Front}}", "{{cloze:Text}}", "{{type:Back}}", "{{#X}}{{Back}}{{/X}}", ""]
        ),
        "afmt": st.sampled_from(["{{FrontSide}}<hr id=answer>{{Back}}", "{{Text}}", ""]),
        "ord": st.integers(0, 2),
    }
)
MODEL = st.fixed_dictionaries(
    {
        "id": st.integers(1, 3),
        "name": st.text(max_size=8),
        "type": st.integers(0, 1),
        "flds": st.lists(FIELD, max_size=3),
        "tmpls": st.lists(TEMPLATE, max_size=3),
    }
)
MODELS = (
    st.dictionaries(st.sampled_from(["1", "2", "3"]), MODEL, max_size=2).map(json.dumps)
    | (JSON.map(json.dumps))
    | st.text(max_size=20)
)


def _good_package() -> bytes:
    deck, _ = parse_deck(
        "title: F\ncards:\n  - {id: a, front: q, back: r}\n"
        "  - {id: b, type: cloze, text: '{{c1::x}}'}\n",
        Path("f.yaml"),
        "f.yaml",
    )
    assert isinstance(deck, Deck)
    with tempfile.TemporaryDirectory(prefix="study-fuzz-") as tmp:
        write_apkg(deck, Path(tmp) / "good.apkg", T0)
        with zipfile.ZipFile(Path(tmp) / "good.apkg") as archive:
            return archive.read("collection.anki2")


COLLECTION = _good_package()
"""The collection of a package of two cards (a basic and a cloze)."""


@FUZZ
@given(MODELS, st.binary(max_size=12) | st.none(), st.integers(0, 3), st.text(max_size=30))
def test_any_note_types_meta_and_fields_give_cards_or_one_line(
    models: str, meta: bytes | None, mid: int, fields: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="study-fuzz-") as tmp:
        folder = Path(tmp)
        (folder / "c.anki2").write_bytes(COLLECTION)
        db = sqlite3.connect(folder / "c.anki2")
        db.execute("UPDATE col SET models = ?", (models,))
        db.execute("UPDATE notes SET mid = ?, flds = ? WHERE rowid = 1", (mid, fields))
        db.commit()
        db.close()
        path = folder / "f.apkg"
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(folder / "c.anki2", "collection.anki2")
            archive.writestr("media", "{}")
            if meta is not None:
                archive.writestr("meta", meta)
        try:
            imported = read_apkg(path, with_history=True, scratch=folder / "scratch")
        except PackageError as exc:
            assert "\n" not in str(exc)
            return
        finally:
            assert not any((folder / "scratch").iterdir())
        text, _ = build_deck(imported, imported.title or "F", "f")
        deck_of(text)


@FUZZ
@given(st.binary(max_size=40))
def test_the_protobuf_reader_gives_fields_or_a_package_error(data: bytes) -> None:
    try:
        pairs = list(_proto(data))
    except PackageError as exc:
        assert "damaged" in str(exc)
        return
    assert all(isinstance(n, int) for n, _ in pairs)
