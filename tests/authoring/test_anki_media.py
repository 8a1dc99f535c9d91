"""Subdecks, media and light formatting through 'study import' and 'study export' (.apkg)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from study.cli import main
from study.core.authoring.interchange.subdecks import anki_name, safe_name, split_by_deck
from study.core.paths import Paths

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101005cd2d6a30000000049454e44ae426082"
)


@pytest.fixture
def home() -> Path:
    return Paths.resolve(None).user_decks


def make_package(tmp_path: Path) -> Path:
    """A package as genanki writes it: Geo (1 card), Geo::Europe (an image-only question,
    bold and italic), Geo::Asia::Japan (a sound on the back)."""
    media = tmp_path / "src"
    media.mkdir()
    (media / "flag fr.png").write_bytes(PNG)
    (media / "konnichiwa.mp3").write_bytes(b"ID3fake-sound")
    model = genanki.BASIC_MODEL
    geo = genanki.Deck(1_111, "Geo")
    geo.add_note(genanki.Note(model=model, fields=["Largest ocean?", "Pacific"], guid="g1"))
    europe = genanki.Deck(2_222, "Geo::Europe")
    europe.add_note(
        genanki.Note(model=model, fields=['<img src="flag fr.png">', "<b>France</b>"], guid="g2")
    )
    europe.add_note(
        genanki.Note(
            model=model,
            fields=["Capital of <i>Italy</i>?", "<b>Rome</b><br>since 1871"],
            guid="g3",
        )
    )
    japan = genanki.Deck(3_333, "Geo::Asia::Japan")
    japan.add_note(
        genanki.Note(model=model, fields=["Hello in Japanese?", "[sound:konnichiwa.mp3]"])
    )
    path = tmp_path / "geo.apkg"
    genanki.Package(
        [geo, europe, japan], media_files=[str(p) for p in media.iterdir()]
    ).write_to_file(str(path))
    return path


def test_subdecks_become_folders_with_their_media(tmp_path: Path, home: Path) -> None:
    package = make_package(tmp_path)
    assert main(["import", str(package)]) == 0
    files = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    assert files == [
        "Geo.yaml",
        "Geo/Asia/Japan.yaml",
        "Geo/Asia/media/konnichiwa.mp3",
        "Geo/Europe.yaml",
        "Geo/media/flag fr.png",
    ]
    europe = (home / "Geo" / "Europe.yaml").read_text()
    assert "title: Europe\nid: geo-europe\n" in europe
    assert "media: [media/flag fr.png]" in europe
    assert "- id: flag-fr\n" in europe  # the id of an image-only question: its file name
    assert 'back: "**France**"' in europe
    assert "front: Capital of *Italy*?" in europe
    assert 'back: "**Rome**\\nsince 1871"' in europe
    assert (home / "Geo" / "media" / "flag fr.png").read_bytes() == PNG
    assert (
        "back_media: [media/konnichiwa.mp3]" in (home / "Geo" / "Asia" / "Japan.yaml").read_text()
    )
    assert main(["lint"]) == 0
    # again: every file is there, nothing is replaced
    assert main(["import", str(package)]) == 1
    assert main(["import", str(package), "--force"]) == 0
    assert sorted(p.name for p in (home / "Geo" / "media").iterdir()) == ["flag fr.png"]


def test_a_media_file_with_other_bytes_is_never_replaced(tmp_path: Path, home: Path) -> None:
    (home / "Geo" / "media").mkdir(parents=True)
    (home / "Geo" / "media" / "flag fr.png").write_bytes(b"mine")
    assert main(["import", str(make_package(tmp_path))]) == 0
    assert (home / "Geo" / "media" / "flag fr.png").read_bytes() == b"mine"
    assert (home / "Geo" / "media" / "flag fr-2.png").read_bytes() == PNG
    assert "media: [media/flag fr-2.png]" in (home / "Geo" / "Europe.yaml").read_text()


def test_deck_flag_still_makes_one_deck(tmp_path: Path, home: Path) -> None:
    assert main(["import", str(make_package(tmp_path)), "--deck", "All geo"]) == 0
    assert sorted(p.name for p in home.glob("*.yaml")) == ["all-geo.yaml"]
    assert (home / "media" / "flag fr.png").is_file()


def test_a_missing_media_file_is_a_lint_error_at_its_place(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = home / "m.yaml"
    deck.parent.mkdir(parents=True, exist_ok=True)
    deck.write_text(
        "title: M\ncards:\n  - id: a\n    media: media/gone.png\n    back: B\n"
        "  - id: b\n    front: Q\n    back: A\n    back_media: [../x.mp3]\n"
    )
    assert main(["lint", str(deck)]) == 1
    out = capsys.readouterr().out
    assert f"{deck}:4:12: error: media: no file 'media/gone.png'" in out
    assert f"{deck}:9:18: error: back_media: the path '../x.mp3' leaves the deck file" in out


def test_names_are_made_safe_and_collisions_numbered() -> None:
    assert safe_name('a/b:c*?"<>|') == "a_b_c______"
    assert safe_name("CON") == "_CON" and safe_name("  ..  ") == "deck"
    parts = split_by_deck(["A::x/y", "A::x_y", "A::Misc", "B::Misc", "A::misc"])
    assert parts is not None
    assert [p.path.as_posix() for p in parts] == [
        "A/Misc.yaml",
        "A/misc (2).yaml",
        "A/x_y.yaml",
        "A/x_y (2).yaml",
        "B/Misc.yaml",
    ]
    assert len({p.deck_id for p in parts}) == 5
    assert split_by_deck(["Only", "Only"]) is None


def test_anki_name_of_a_deck_file(tmp_path: Path) -> None:
    assert anki_name(tmp_path / "Geo" / "Asia" / "j.yaml", "Japan", tmp_path) == "Geo::Asia::Japan"
    assert anki_name(tmp_path / "x.yaml", "A::B", tmp_path) == "A:B"


def _package_contents(path: Path) -> tuple[dict[str, str], list[str], dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        media = json.loads(archive.read("media"))
        files = {name: archive.read(number) for number, name in media.items()}
        db = tmp = path.with_suffix(".db")
        tmp.write_bytes(archive.read("collection.anki2"))
    con = sqlite3.connect(db)
    decks = json.loads(con.execute("SELECT decks FROM col").fetchone()[0])
    names = {str(d["id"]): d["name"] for d in decks.values()}
    fields = [f for (f,) in con.execute("SELECT flds FROM notes ORDER BY flds")]
    con.close()
    return names, fields, files


def test_a_folder_exports_as_subdecks_with_media_and_html(tmp_path: Path, home: Path) -> None:
    assert main(["import", str(make_package(tmp_path))]) == 0
    out = tmp_path / "back.apkg"
    assert main(["export", str(home / "Geo"), str(home / "Geo.yaml"), str(out)]) == 0
    names, fields, files = _package_contents(out)
    assert {"Geo", "Geo::Europe", "Geo::Asia::Japan"} <= set(names.values())
    assert files == {"flag fr.png": PNG, "konnichiwa.mp3": b"ID3fake-sound"}
    assert any(f.startswith('<img src="flag fr.png">\x1f<b>France</b>') for f in fields)
    assert any("Capital of <i>Italy</i>?\x1f<b>Rome</b><br>since 1871" in f for f in fields)
    assert any("[sound:konnichiwa.mp3]" in f for f in fields)


def test_media_refs_survive_the_parse_cache(tmp_path: Path) -> None:
    from study.core.decks.cache import decode, encode
    from study.core.decks.parse import parse_deck

    text = (
        "title: M\ncards:\n  - id: a\n    media: media/a.png\n    back: B\n"
        "    back_media: [media/b.mp3, media/c.png]\n"
    )
    deck, problems = parse_deck(text, tmp_path / "m.yaml", "m.yaml")
    assert deck is not None and problems == []
    assert [(m.path, m.back, m.line, m.col) for m in deck.cards[0].media] == [
        ("media/a.png", False, 4, 12),
        ("media/b.mp3", True, 6, 18),
        ("media/c.png", True, 6, 31),
    ]
    again, _ = decode(encode(deck, problems), deck.path, deck.display, "")
    assert again == deck


def test_hostile_media_names_stay_in_the_media_folder(tmp_path: Path) -> None:
    from study.core.authoring.interchange.media_files import plan_media, safe_file_name, write_media

    assert safe_file_name("../../etc/evil.png") == "evil.png"
    assert safe_file_name("..\\win\\x.png") == "x.png"
    assert safe_file_name("a\x1b]0;t\x07.png") == "a]0;t.png"
    assert safe_file_name("NUL.png") == "_NUL.png"
    package = tmp_path / "p.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("media", json.dumps({"0": "../../evil.png", "1": "notes.txt"}))
        archive.writestr("0", PNG)
        archive.writestr("1", b"text")
    folder = tmp_path / "decks" / "media"
    with zipfile.ZipFile(package) as archive:
        members = {"../../evil.png": "0", "notes.txt": "1"}
        wanted = ["../../evil.png", "notes.txt", "absent.png"]
        plan = plan_media(wanted, members, archive, 2, folder)
    assert plan.paths == {"../../evil.png": "media/evil.png"}
    assert plan.missing == ["notes.txt", "absent.png"]
    assert write_media(plan) == 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["evil.png", "p.zip"]
