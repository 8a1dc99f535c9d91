"""Fuzzing with hypothesis (derandomized, bounded): the deck loader and the scheduler wrapper.

The loader turns any text, any bytes and any YAML structure into a deck and/or
problems, never an exception. The scheduler never gives a due date before the
review that set it (whatever the clock did), and replaying the log, through the
store or by hand, gives exactly the stored state, with fuzz on or off.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from study.core.config import Config
from study.core.decks.card import COMMON_KEYS, TYPE_KEYS
from study.core.decks.loader import load_decks
from study.core.decks.model import Deck, Problem, Severity, expand
from study.core.decks.parse import DECK_KEYS, SOURCE_KEYS, parse_deck
from study.core.progress.store import Store
from study.core.scheduling.scheduler import NEW, Memory, Rating, Scheduler
from tests.conftest import T0

FUZZ = settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PATH = Path("fuzz.yaml")


def check_result(deck: Deck | None, problems: list[Problem]) -> None:
    """What every parse must give: located problems, and a deck only when it is usable."""
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path == "fuzz.yaml"
        assert problem.line >= 1 and problem.col >= 1 and "\n" not in problem.message
    if deck is None:
        assert any(p.severity is Severity.ERROR for p in problems)
        return
    for card in deck.cards:
        assert card.deck_id == deck.id
        assert list(expand(card))  # every card gives at least one study item


# --- the deck loader -------------------------------------------------------------------------

YAML_ALPHABET = "-:{}[],'\"&*!|>#?%@` \n\tabcxyz019.\\~=<"
KEYS = sorted(
    {
        *DECK_KEYS,
        *COMMON_KEYS,
        *SOURCE_KEYS,
        "at",
        *(k for keys in TYPE_KEYS.values() for k in keys),
    }
)


@FUZZ
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    check_result(*parse_deck(text, PATH, "fuzz.yaml"))


@FUZZ
@given(st.text(alphabet=YAML_ALPHABET, max_size=300))
def test_any_yaml_looking_text(text: str) -> None:
    check_result(*parse_deck(text, PATH, "fuzz.yaml"))


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_in_a_deck_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "fuzz.yaml").write_bytes(data)
        result = load_decks([Path(folder)])
    for problem in result.problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.path.endswith("fuzz.yaml")
    assert len(result.decks) <= 1


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-10, 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=15)
    | st.sampled_from(
        [
            "basic",
            "cloze",
            "typed",
            "choice",
            "list",
            "order",
            "x {{c1::y}}",
            "{{c2::z::hint}} and {{c1::w}}",
            "s1",
        ]
    )
)
keys = st.sampled_from(KEYS) | st.text(max_size=6)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)
cards = st.dictionaries(st.sampled_from(KEYS), values, max_size=7) | values
decks = st.fixed_dictionaries(
    {},
    optional={
        "title": scalars,
        "id": scalars,
        "description": values,
        "tags": values,
        "sources": st.lists(
            st.dictionaries(st.sampled_from([*SOURCE_KEYS, "at"]), scalars, max_size=4), max_size=3
        )
        | values,
        "cards": st.lists(cards, max_size=6) | values,
        "extra": values,
    },
)


@FUZZ
@given(decks, st.booleans())
def test_any_structure(deck: dict[str, object], flow: bool) -> None:
    text = yaml.safe_dump(deck, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    check_result(*parse_deck(text, PATH, "fuzz.yaml"))


@FUZZ
@given(st.lists(cards, min_size=1, max_size=5))
def test_good_decks_with_any_cards(card_list: list[object]) -> None:
    """A valid header: every card either loads or is reported; the others still load."""
    text = yaml.safe_dump(
        {"title": "T", "sources": [{"id": "s1"}], "cards": card_list}, allow_unicode=True
    )
    deck, problems = parse_deck(text, PATH, "fuzz.yaml")
    check_result(deck, problems)
    assert deck is not None
    reported = {p.line for p in problems if p.severity is Severity.ERROR}
    assert len(deck.cards) + len(reported) >= len(card_list)


# --- the scheduler wrapper -------------------------------------------------------------------

SECOND = 1000
steps = st.lists(
    st.tuples(
        st.sampled_from(list(Rating)),
        st.one_of(
            st.integers(0, 600),
            st.integers(600, 86_400),
            st.integers(86_400, 400 * 86_400),
            st.integers(-5 * 86_400, -1),
        ),
    ),
    min_size=1,
    max_size=25,
)
configs = st.builds(
    Config,
    desired_retention=st.sampled_from([0.7, 0.85, 0.9, 0.99]),
    learning_steps=st.sampled_from([("1m", "10m"), (), ("10m",), ("1d", "3d")]),
    relearning_steps=st.sampled_from([("10m",), (), ("1h", "1d")]),
    maximum_interval=st.sampled_from([36500, 30, 1]),
    fuzz=st.booleans(),
)


@FUZZ
@given(configs, steps)
def test_due_dates_never_go_back_and_replay_gives_the_state(
    config: Config, history: list[tuple[Rating, int]]
) -> None:
    live, exact = Scheduler(config), Scheduler(config, fuzz=False)
    memory, replayed, now = NEW, NEW, T0
    for rating, seconds in history:
        now += timedelta(milliseconds=seconds * SECOND)  # the clock may also go back
        after = live.review(memory, rating, now)
        floor = max(now, memory.last_review) if memory.last_review else now
        assert after.last_review == floor
        assert after.due is not None and after.due >= floor
        assert after.reps == memory.reps + 1 and after.lapses >= memory.lapses
        replayed = exact.replay(replayed, rating, now, after.due)
        assert replayed == after
        memory = after


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    configs,
    st.lists(
        st.tuples(
            st.integers(0, 3), st.sampled_from(list(Rating)), st.integers(-2 * 86_400, 30 * 86_400)
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_the_store_always_equals_a_replay_of_its_log(
    config: Config, answers: list[tuple[int, Rating, int]]
) -> None:
    scheduler = Scheduler(config)
    store = Store(":memory:")
    now = T0
    for item, rating, seconds in answers:
        now += timedelta(seconds=seconds)
        store.record_answer(f"d/c{item}", now, rating, 0, None, scheduler, leech_lapses=3)
    assert store.memories() == store.replay_all(scheduler)
    assert all(isinstance(m, Memory) for m in store.memories().values())


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    configs,
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.sampled_from(["answer", "answer", "answer", "forget", "undo"]),
            st.sampled_from(list(Rating)),
            st.integers(-2 * 86_400, 30 * 86_400),
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_forgetting_and_undoing_keep_the_store_equal_to_a_replay(
    config: Config, steps: list[tuple[int, str, Rating, int]]
) -> None:
    """Forget rows (a reset to new) mixed with answers and undos: the states still equal a
    replay of the log, at every step."""
    scheduler = Scheduler(config)
    store = Store(":memory:")
    now = T0
    for item, what, rating, seconds in steps:
        now += timedelta(seconds=seconds)
        key = f"d/c{item}"
        if what == "answer":
            store.record_answer(key, now, rating, 0, None, scheduler, leech_lapses=3)
        elif what == "forget":
            store.forget([key], now)
        else:
            last = store.db.execute(
                "SELECT id FROM review WHERE item = ? AND mode != 'undo' AND id NOT IN "
                "(SELECT undoes FROM review WHERE undoes IS NOT NULL) ORDER BY id DESC LIMIT 1",
                (key,),
            ).fetchone()
            if last is not None:
                store.undo(key, last[0], now, scheduler, leech_lapses=3)
        assert store.memories() == store.replay_all(scheduler)
