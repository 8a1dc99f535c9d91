"""The parse cache: a warm start parses nothing unchanged, and a bad cache is never trusted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from study.core.decks import loader
from study.core.decks.cache import DeckCache, FileKey
from study.core.decks.loader import LoadResult, load_decks
from study.core.paths import Paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAST_NS = 1_700_000_000 * 10**9
"""A modification time long ago: files this old are cached (recent ones may still change)."""


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A copy of the fixture decks, good and broken, with an old modification time."""
    folder = tmp_path / "decks"
    shutil.copytree(FIXTURES, folder)
    for path in folder.rglob("*.yaml"):
        os.utime(path, ns=(PAST_NS, PAST_NS))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display names of the files parsed, in order (parse_deck is counted)."""
    calls: list[str] = []
    real = loader.parse_deck

    def counting(text: str, path: Path, display: str, group: str = ""):  # type: ignore[no-untyped-def]
        calls.append(display)
        return real(text, path, display, group)

    monkeypatch.setattr(loader, "parse_deck", counting)
    return calls


def summary(result: LoadResult) -> tuple[object, ...]:
    """Everything a load gives, in a comparable form."""
    return (result.decks, [str(p) for p in result.problems])


def edit(path: Path, old: str, new: str, mtime_ns: int = PAST_NS + 10**9) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_paths_have_a_cache_folder(tmp_path: Path) -> None:
    assert Paths.resolve(tmp_path).cache == tmp_path / "cache"


def test_a_warm_start_parses_nothing_and_gives_the_same_result(
    decks: Path, tmp_path: Path, parses: list[str]
) -> None:
    files = len(list(decks.rglob("*.yaml")))
    uncached = load_decks([decks])
    assert len(parses) == files
    cache = DeckCache(tmp_path / "cache")
    cold = load_decks([decks], cache)
    assert (cache.hits, cache.misses) == (0, files)
    parses.clear()
    warm_cache = DeckCache(tmp_path / "cache")
    warm = load_decks([decks], warm_cache)
    assert parses == []
    assert (warm_cache.hits, warm_cache.misses) == (files, 0)
    assert summary(warm) == summary(cold) == summary(uncached)
    assert warm.problems == uncached.problems  # severities and positions too


def test_files_that_cannot_be_decks_are_cached_with_their_problem(
    tmp_path: Path, parses: list[str]
) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "binary.yaml").write_bytes(b"title: x\0")
    (folder / "latin1.yaml").write_bytes(b"title: caf\xe9\n")
    for path in folder.iterdir():
        os.utime(path, ns=(PAST_NS, PAST_NS))
    first = load_decks([folder], DeckCache(tmp_path / "cache"))
    cache = DeckCache(tmp_path / "cache")
    second = load_decks([folder], cache)
    assert cache.hits == 2 and [str(p) for p in second.problems] == [str(p) for p in first.problems]
    assert len(first.problems) == 2


def test_a_changed_deck_is_parsed_again_and_only_it(
    decks: Path, tmp_path: Path, parses: list[str]
) -> None:
    load_decks([decks], DeckCache(tmp_path / "cache"))
    full = decks / "good" / "full.yaml"
    edit(full, "title: Fixture - every card type", "title: Fixture - renamed")
    parses.clear()
    result = load_decks([decks], DeckCache(tmp_path / "cache"))
    assert parses == [str(full)]
    assert next(d for d in result.decks if d.id == "full").title == "Fixture - renamed"
    parses.clear()
    load_decks([decks], DeckCache(tmp_path / "cache"))
    assert parses == []  # and the new version is cached in turn


def test_same_size_and_new_mtime_is_a_change(
    decks: Path, tmp_path: Path, parses: list[str]
) -> None:
    load_decks([decks], DeckCache(tmp_path / "cache"))
    full = decks / "good" / "full.yaml"
    edit(full, "Fixture - every card type", "Fixture - EVERY card type")  # same length
    parses.clear()
    result = load_decks([decks], DeckCache(tmp_path / "cache"))
    assert parses == [str(full)]
    assert next(d for d in result.decks if d.id == "full").title == "Fixture - EVERY card type"


def test_a_file_modified_just_now_is_not_cached(tmp_path: Path, parses: list[str]) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    for source in (FIXTURES / "good").rglob("*.yaml"):  # written now: modified now
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    load_decks([folder], DeckCache(tmp_path / "cache"))
    parses.clear()
    load_decks([folder], DeckCache(tmp_path / "cache"))
    assert len(parses) == len(list(folder.rglob("*.yaml")))


def test_a_cache_from_another_version_is_ignored(
    decks: Path, tmp_path: Path, parses: list[str]
) -> None:
    load_decks([decks], DeckCache(tmp_path / "cache", version="0.0.1|old"))
    parses.clear()
    cache = DeckCache(tmp_path / "cache")
    result = load_decks([decks], cache)
    assert cache.hits == 0 and len(parses) == cache.misses > 0
    assert summary(result) == summary(load_decks([decks]))


def test_the_fingerprint_names_the_tool_version() -> None:
    from study import __version__

    assert DeckCache(Path("unused")).version.startswith(f"{__version__}|")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(
    decks: Path, tmp_path: Path, parses: list[str], damage: str
) -> None:
    full = decks / "good" / "full.yaml"
    load_decks([full], DeckCache(tmp_path / "cache"))
    entry = DeckCache(tmp_path / "cache").entry(FileKey.of(full))
    data = entry.read_bytes()
    damaged = {
        "garbage": b"\x00\xff" * 100,
        "truncated": data[: len(data) // 2],
        "flipped": data[:-20] + bytes([data[-20] ^ 0x55]) + data[-19:],
        "empty": b"",
    }[damage]
    entry.write_bytes(damaged)
    parses.clear()
    cache = DeckCache(tmp_path / "cache")
    result = load_decks([full], cache)
    assert parses == [str(full)] and cache.misses == 1
    assert summary(result) == summary(load_decks([full]))
    parses.clear()
    again = DeckCache(tmp_path / "cache")
    load_decks([full], again)
    assert parses == [] and again.hits == 1


def test_an_entry_is_used_only_for_its_own_path(
    decks: Path, tmp_path: Path, parses: list[str]
) -> None:
    full = decks / "good" / "full.yaml"
    load_decks([full], DeckCache(tmp_path / "cache"))
    copy = decks / "copy.yaml"
    shutil.copy2(full, copy)  # same size and mtime, another path (and so another default id)
    parses.clear()
    load_decks([copy], DeckCache(tmp_path / "cache"))
    assert parses == [str(copy)]


def test_a_deleted_deck_is_reported_not_served_from_the_cache(decks: Path, tmp_path: Path) -> None:
    full = decks / "good" / "full.yaml"
    load_decks([decks], DeckCache(tmp_path / "cache"))
    full.unlink()
    result = load_decks([decks], DeckCache(tmp_path / "cache"))
    assert all(d.id != "full" for d in result.decks)


def test_an_unwritable_cache_folder_does_not_stop_loading(decks: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result = load_decks([decks], DeckCache(blocker / "cache"))
    assert summary(result) == summary(load_decks([decks]))


def test_clear_removes_every_entry(decks: Path, tmp_path: Path) -> None:
    cache = DeckCache(tmp_path / "cache")
    load_decks([decks], cache)
    assert cache.clear() == len(list(decks.rglob("*.yaml")))
    assert list((tmp_path / "cache").iterdir()) == []


def test_decoded_cards_are_ordinary_frozen_cards_with_every_field(
    decks: Path, tmp_path: Path
) -> None:
    import dataclasses

    from study.core.decks.model import Card

    full = decks / "good" / "full.yaml"
    parsed = load_decks([full]).decks[0].cards
    load_decks([full], DeckCache(tmp_path / "cache"))
    cache = DeckCache(tmp_path / "cache")
    decoded = load_decks([full], cache).decks[0].cards
    assert cache.hits == 1 and len(decoded) == len(parsed) > 5
    assert {c.type for c in decoded} == {c.type for c in parsed}
    for mine, theirs in zip(decoded, parsed, strict=False):
        assert type(mine) is Card
        for field in dataclasses.fields(Card):
            assert getattr(mine, field.name) == getattr(theirs, field.name), field.name
        assert hash(mine) == hash(theirs)
        with pytest.raises(dataclasses.FrozenInstanceError):
            mine.front = "changed"  # type: ignore[misc]


def test_expanded_items_are_ordinary_frozen_items(decks: Path) -> None:
    import dataclasses

    from study.core.decks.model import Item, expand

    cards = load_decks([decks / "good" / "full.yaml"]).decks[0].cards
    items = [item for card in cards for item in expand(card)]
    assert {i.variant for i in items} >= {"", "r", "c1", "c2"}
    for item in items:
        built = Item(item.card, item.variant)  # the plain constructor computes the key itself
        assert type(item) is Item and item == built and hash(item) == hash(built)
        assert item.key == built.key
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.variant = "x"  # type: ignore[misc]
