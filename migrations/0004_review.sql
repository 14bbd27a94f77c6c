-- Issue: review. Personal spaced repetition with FSRS (py-fsrs does the maths; these tables only keep its state).
-- A deck belongs to a member (a Discord user), whatever the guild: one card per member and question.
-- Times are UTC ISO-8601 text, like every other table; local days are the member's (or guild's) time zone.

-- One FSRS card. `id` is also the FSRS card_id. The FSRS fields are stored as columns so SQL can find due cards.
CREATE TABLE review_cards (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    guild_id     INTEGER,                                     -- where the card came from; NULL when added in a DM
    origin       TEXT    NOT NULL CHECK (origin IN ('qotd', 'quiz', 'added')),
    state        INTEGER NOT NULL CHECK (state IN (1, 2, 3)),  -- fsrs.State: 1 Learning, 2 Review, 3 Relearning
    step         INTEGER,
    stability    REAL,
    difficulty   REAL,
    due          TEXT    NOT NULL,
    last_review  TEXT,                                        -- NULL: never rated (a new card)
    created_at   TEXT    NOT NULL,
    UNIQUE (user_id, question_id)
);
CREATE INDEX review_cards_user_due ON review_cards (user_id, due);

-- A /review session; its ratings are the log rows that carry its id.
CREATE TABLE review_sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    guild_id     INTEGER,                                     -- NULL: started in a DM
    started_at   TEXT    NOT NULL,
    finished_at  TEXT
);
CREATE INDEX review_sessions_user ON review_sessions (user_id, started_at);

-- Every rating, with the card as it was before (a changed self-grade puts it back and rates again).
CREATE TABLE review_log (
    id           INTEGER PRIMARY KEY,
    card_id      INTEGER NOT NULL REFERENCES review_cards (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),  -- fsrs.Rating: Again, Hard, Good, Easy
    reviewed_at  TEXT    NOT NULL,
    source       TEXT    NOT NULL CHECK (source IN ('session', 'qotd', 'quiz')),
    self_graded  INTEGER NOT NULL DEFAULT 0 CHECK (self_graded IN (0, 1)),
    guild_id     INTEGER,
    session_id   INTEGER REFERENCES review_sessions (id) ON DELETE SET NULL,
    card_before  TEXT    NOT NULL,                            -- fsrs.Card JSON before this rating
    due_after    TEXT    NOT NULL
);
CREATE INDEX review_log_card ON review_log (card_id, id);
CREATE INDEX review_log_user_time ON review_log (user_id, reviewed_at);
-- A card is rated at most once per session, however often a button is clicked.
CREATE UNIQUE INDEX review_log_session_card ON review_log (session_id, card_id) WHERE session_id IS NOT NULL;

-- A member's review settings: their own time zone and the daily reminder DM.
CREATE TABLE review_members (
    user_id          INTEGER PRIMARY KEY,
    timezone         TEXT,                                    -- the member's IANA zone; NULL: the guild's
    remind_time      TEXT    CHECK (remind_time IS NULL OR remind_time GLOB '[0-2][0-9]:[0-5][0-9]'),  -- NULL: off
    remind_guild_id  INTEGER,                                 -- where they opted in (its zone is the fallback)
    language         TEXT    NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    dm_failed_at     TEXT,                                    -- a reminder DM was refused: reminders pause
    dm_failed_told   INTEGER NOT NULL DEFAULT 0 CHECK (dm_failed_told IN (0, 1)),
    updated_at       TEXT    NOT NULL
);

-- One row per member and local day, claimed before the DM is sent: a reminder never goes out twice.
CREATE TABLE review_reminders (
    user_id     INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'nothing_due', 'skipped')),
    due_cards   INTEGER NOT NULL DEFAULT 0,
    message_id  INTEGER,
    claimed_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, local_date)
);
-- The reminder sweep reads the last day's claims every minute.
CREATE INDEX review_reminders_day ON review_reminders (local_date);
