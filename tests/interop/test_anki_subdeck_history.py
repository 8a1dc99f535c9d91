"""An Anki package with subdecks and reviews in a subdeck imports ``--with-history``."""

from __future__ import annotations

from pathlib import Path

import pytest

from study.cli import main

pytest.importorskip("anki.collection", reason="needs Anki's own library: pip install anki")

from tests.interop.anki_side import collection, export_package, import_package


def test_reviews_in_a_subdeck_import_with_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with collection(tmp_path / "anki") as col:
        for deck, front, back in [
            ("Geo", "Largest ocean?", "Pacific"),
            ("Geo::Europe", "Capital of France?", "<b>Paris</b>"),
            ("Geo::Europe", "Capital of Italy?", "Rome"),
        ]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            col.add_note(note, col.decks.id(deck))
        col.decks.select(col.decks.id("Geo::Europe"))
        card = col.sched.getCard()
        col.sched.answerCard(card, 3)
        export_package(col, tmp_path / "geo.apkg")
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "home"))
    code = main(["import", str(tmp_path / "geo.apkg"), "--with-history"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Europe.yaml: 2 cards imported" in out
    assert "imported 1 review of the history" in out
    decks = tmp_path / "home" / "decks"
    back = tmp_path / "back.apkg"
    argv = ["export", str(decks / "Geo.yaml"), str(decks / "Geo"), str(back), "--with-history"]
    assert main(argv) == 0, capsys.readouterr().err
    assert "with the history: 1 review" in capsys.readouterr().out
    with collection(tmp_path / "fresh") as col:
        import_package(col, back)
        names = [d.name for d in col.decks.all_names_and_ids()]
        assert "Geo" in names and "Geo::Europe" in names
        assert col.db.scalar("select count() from revlog") == 1
        assert col.db.scalar("select count() from cards where type != 0") == 1


def test_a_subdeck_exported_alone_keeps_its_parent_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STUDY_HOME", str(tmp_path / "home"))
    decks = tmp_path / "home" / "decks" / "Geo"
    decks.mkdir(parents=True)
    (decks / "Europe.yaml").write_text(
        "title: Europe\ncards:\n  - {id: a, front: Capital of France?, back: Paris}\n"
    )
    out = tmp_path / "europe.apkg"
    assert main(["export", str(decks / "Europe.yaml"), str(out), "--with-history"]) == 0
    capsys.readouterr()
    with collection(tmp_path / "anki") as col:
        import_package(col, out)
        assert "Geo::Europe" in [d.name for d in col.decks.all_names_and_ids()]
