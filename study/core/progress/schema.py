"""The progress database's schema: one migration per version, applied in order, never edited.

``Store`` applies the missing ones when it opens a file (each in its own write
transaction) and refuses a file written by a newer version.
"""

from __future__ import annotations

PENDING_REBUILD = "pending_rebuild"
"""The ``meta`` key a migration sets when every item's state must be rebuilt from the log."""

MIGRATIONS: tuple[str, ...] = (
    # 1: the first release
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE review (
        id INTEGER PRIMARY KEY,
        item TEXT NOT NULL,           -- deck/card[#variant]
        at INTEGER NOT NULL,          -- UTC, milliseconds since the epoch
        rating INTEGER NOT NULL,      -- 1 again, 2 hard, 3 good, 4 easy; 0 for an undo row
        duration_ms INTEGER NOT NULL DEFAULT 0,
        mode TEXT NOT NULL,           -- review | practice | exam | undo
        answer TEXT,                  -- what was typed or picked, if anything
        due INTEGER,                  -- UTC ms: the due date this review gave
        undoes INTEGER REFERENCES review(id)
    );
    CREATE INDEX review_item ON review(item, id);
    CREATE INDEX review_at ON review(at);
    CREATE TABLE item_state (
        item TEXT PRIMARY KEY,
        phase INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER,
        last_review INTEGER,
        reps INTEGER NOT NULL,
        lapses INTEGER NOT NULL
    );
    CREATE INDEX item_state_due ON item_state(due);
    CREATE TABLE item_flag (
        item TEXT PRIMARY KEY,
        flagged INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        leech INTEGER NOT NULL DEFAULT 0,
        buried_until INTEGER
    );
    """,
    # 2: mock exams and the answers given in them
    """
    CREATE TABLE exam (
        id INTEGER PRIMARY KEY,
        started INTEGER NOT NULL,     -- UTC ms
        finished INTEGER NOT NULL,    -- UTC ms
        title TEXT NOT NULL,          -- what was examined, as shown in the history
        spec TEXT NOT NULL,           -- JSON: the settings the exam was built from
        questions INTEGER NOT NULL,
        score REAL NOT NULL,          -- points, with partial credit (0 to questions)
        timed_out INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX exam_finished ON exam(finished);
    CREATE TABLE exam_answer (
        exam INTEGER NOT NULL REFERENCES exam(id),
        position INTEGER NOT NULL,    -- question number, from 0
        kind TEXT NOT NULL,           -- typed | choice | truefalse | list | order | match
        items TEXT NOT NULL,          -- the item keys tested, space separated
        question TEXT NOT NULL,       -- JSON: the question as asked, with its solution
        response TEXT,                -- JSON: the answer given; NULL when unanswered
        score REAL NOT NULL,          -- 0 to 1
        duration_ms INTEGER NOT NULL,
        flagged INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (exam, position)
    );
    """,
    # 3: authoring: what cards without an id said (to carry their progress over an edit)
    # and the record of each carry-over
    """
    CREATE TABLE card_text (
        card TEXT PRIMARY KEY,        -- deck/card key of a card without an id (a hash of its text)
        type TEXT NOT NULL,           -- its card type
        content TEXT NOT NULL,        -- its normalised text, for comparing with later versions
        seen INTEGER NOT NULL         -- UTC ms: when it was first seen
    );
    CREATE TABLE item_alias (
        old TEXT NOT NULL,            -- the item key progress was carried from
        new TEXT NOT NULL,            -- the item key it was carried to
        at INTEGER NOT NULL,          -- UTC ms
        similarity REAL NOT NULL      -- of the two cards' texts, 0 to 1
    );
    """,
    # 4: the undone reviews, found without reading the whole log (a million rows in a big
    # collection)
    """
    CREATE INDEX review_undoes ON review(undoes) WHERE undoes IS NOT NULL;
    """,
    # 5: elapsed time counted in study days, as Anki's FSRS counts it (it was whole 24-hour
    # periods): every item's state is rebuilt from the log, which stays as it is, by the first
    # program that opens the file with a scheduler (``Store.rebuild_pending``); due dates stay
    # as logged, as in Anki when parameters change without rescheduling
    f"""
    INSERT OR REPLACE INTO meta VALUES ('{PENDING_REBUILD}', 'elapsed time in study days');
    """,
)


COUNTED_REVIEW = (
    "due IS NOT NULL AND mode != 'undo' "
    "AND id NOT IN (SELECT undoes FROM review WHERE undoes IS NOT NULL)"
)
"""A review that scheduled the item and was not undone (undo rows have no due date)."""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema this version writes: one migration per version, applied in order, never edited."""
