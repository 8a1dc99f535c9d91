"""Subdecks, media and light formatting both ways against Anki's own library (``anki`` on PyPI).

Anki side: a collection built with Anki's API (``Geo``, ``Geo::Europe`` with an image-only
question and bold/italic, ``Geo::Asia::Japan`` with a sound), exported with Anki's exporter
in its current format (and the legacy one). ``study import`` must write folders, the media
files and the light markup. Then ``study export`` of the folder is imported by Anki's
importer into a fresh collection: the subdecks, the media files and <b>/<i>/<br> arrive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from study.cli import main
from study.core.paths import Paths

anki = pytest.importorskip(
    "anki.collection", reason="needs Anki's own library: pip install anki (the test extra)"
)

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101005cd2d6a30000000049454e44ae426082"
)
SOUND = b"ID3\x03\x00\x00\x00\x00\x00\x00fake"


def _collection(path: Path) -> Any:
    return anki.Collection(str(path))


def _add(col: Any, deck: str, front: str, back: str, tags: list[str] | None = None) -> None:
    did = col.decks.id(deck)
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = front, back
    note.tags = tags or []
    col.add_note(note, did)


def make_anki_package(tmp_path: Path, *, legacy: bool) -> Path:
    col = _collection(tmp_path / "source.anki2")
    image = col.media.write_data("flag fr.png", PNG)
    sound = col.media.write_data("konnichiwa.mp3", SOUND)
    _add(col, "Geo", "Largest ocean?", "Pacific", ["oceans"])
    _add(col, "Geo::Europe", f'<img src="{image}">', "<b>France</b>", ["flags"])
    _add(col, "Geo::Europe", "Capital of <i>Italy</i>?", "<b>Rome</b><br>since <em>1871</em>")
    _add(col, "Geo::Asia::Japan", "Hello in Japanese?", f"Konnichiwa [sound:{sound}]")
    out = tmp_path / ("legacy.apkg" if legacy else "current.apkg")
    options = anki.ExportAnkiPackageOptions(
        with_scheduling=False, with_deck_configs=False, with_media=True, legacy=legacy
    )
    col.export_anki_package(out_path=str(out), options=options, limit=None)
    col.close()
    return out


@pytest.mark.parametrize("legacy", [False, True], ids=["current", "legacy"])
def test_anki_to_study_folders_media_formatting(tmp_path: Path, legacy: bool) -> None:
    package = make_anki_package(tmp_path, legacy=legacy)
    home = Paths.resolve(None).user_decks
    assert main(["import", str(package)]) == 0
    files = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    assert files == [
        "Geo.yaml",
        "Geo/Asia/Japan.yaml",
        "Geo/Asia/media/konnichiwa.mp3",
        "Geo/Europe.yaml",
        "Geo/media/flag fr.png",
    ]
    assert (home / "Geo" / "media" / "flag fr.png").read_bytes() == PNG
    assert (home / "Geo" / "Asia" / "media" / "konnichiwa.mp3").read_bytes() == SOUND
    europe = (home / "Geo" / "Europe.yaml").read_text()
    assert "media: [media/flag fr.png]" in europe  # the image-only question is kept
    assert 'back: "**France**"' in europe
    assert "front: Capital of *Italy*?" in europe
    assert 'back: "**Rome**\\nsince *1871*"' in europe
    japan = (home / "Geo" / "Asia" / "Japan.yaml").read_text()
    assert "back: Konnichiwa" in japan and "back_media: [media/konnichiwa.mp3]" in japan
    assert "tags: [oceans]" in (home / "Geo.yaml").read_text()
    assert main(["lint"]) == 0


def test_study_to_anki_subdecks_media_formatting(tmp_path: Path) -> None:
    home = Paths.resolve(None).user_decks
    assert main(["import", str(make_anki_package(tmp_path, legacy=False))]) == 0
    out = tmp_path / "from-study.apkg"
    assert main(["export", str(home / "Geo.yaml"), str(home / "Geo"), str(out)]) == 0

    col = _collection(tmp_path / "target.anki2")
    request = anki.ImportAnkiPackageRequest(
        package_path=str(out),
        options=anki.ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True),
    )
    col.import_anki_package(request)
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Geo", "Geo::Europe", "Geo::Asia", "Geo::Asia::Japan"} <= names

    def notes_in(deck: str) -> list[dict[str, str]]:
        ids = col.find_notes(f'"deck:{deck}" -"deck:{deck}::*"')
        return [dict(col.get_note(i).items()) for i in ids]

    europe = sorted(notes_in("Geo::Europe"), key=lambda n: n["Front"])
    assert europe[0]["Front"] == '<img src="flag fr.png">'
    assert europe[0]["Back"] == "<b>France</b>"
    assert europe[1]["Front"] == "Capital of <i>Italy</i>?"
    assert europe[1]["Back"] == "<b>Rome</b><br>since <i>1871</i>"
    japan = notes_in("Geo::Asia::Japan")
    assert japan[0]["Back"] == "Konnichiwa [sound:konnichiwa.mp3]"
    assert [n["Front"] for n in notes_in("Geo")] == ["Largest ocean?"]
    media = Path(col.media.dir())
    assert (media / "flag fr.png").read_bytes() == PNG
    assert (media / "konnichiwa.mp3").read_bytes() == SOUND
    assert col.media.check().missing == []
    col.close()
