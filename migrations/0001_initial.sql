-- The schema the daily question needs. Released: never edit this file; add 0002_... instead.
-- Times are UTC ISO-8601 text (e.g. 2026-11-29T15:00:00.000Z); local_date is the guild's local day (YYYY-MM-DD).

CREATE TABLE guild_settings (
    guild_id         INTEGER PRIMARY KEY,
    language         TEXT    NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    timezone         TEXT    NOT NULL DEFAULT 'UTC',
    admin_channel_id INTEGER,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A guild may run several schedules, one per channel, each with its own time, reveal and topics.
CREATE TABLE schedules (
    id                   INTEGER PRIMARY KEY,
    guild_id             INTEGER NOT NULL REFERENCES guild_settings (guild_id) ON DELETE CASCADE,
    channel_id           INTEGER NOT NULL UNIQUE,
    post_time            TEXT    NOT NULL CHECK (post_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    timezone             TEXT    NOT NULL,
    reveal_time          TEXT    CHECK (reveal_time IS NULL OR reveal_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    reveal_after_minutes INTEGER CHECK (reveal_after_minutes IS NULL OR reveal_after_minutes > 0),
    topics               TEXT    NOT NULL DEFAULT '[]',  -- JSON list of topic ids; empty means all
    min_difficulty       INTEGER NOT NULL DEFAULT 1 CHECK (min_difficulty BETWEEN 1 AND 3),
    max_difficulty       INTEGER NOT NULL DEFAULT 3 CHECK (max_difficulty BETWEEN 1 AND 3),
    ping_role_id         INTEGER,
    language             TEXT    NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    paused               INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_by           INTEGER,
    created_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((reveal_time IS NULL) <> (reveal_after_minutes IS NULL)),
    CHECK (min_difficulty <= max_difficulty)
);
CREATE INDEX schedules_guild ON schedules (guild_id);

-- One row per schedule and local day: the unique key is what makes a second post for the same day impossible.
CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    schedule_id   INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    local_date    TEXT    NOT NULL,
    question_id   TEXT    NOT NULL,
    cycle         INTEGER NOT NULL DEFAULT 1,
    status        TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'posted', 'revealed', 'failed')),
    message_id    INTEGER,
    thread_id     INTEGER,
    post_due_at   TEXT    NOT NULL,
    posted_at     TEXT,
    reveal_due_at TEXT    NOT NULL,
    revealed_at   TEXT,
    UNIQUE (schedule_id, local_date)
);
CREATE INDEX posts_guild_question ON posts (guild_id, question_id);
CREATE INDEX posts_status_reveal ON posts (status, reveal_due_at);
CREATE UNIQUE INDEX posts_message ON posts (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE answers (
    id                 INTEGER PRIMARY KEY,
    post_id            INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    guild_id           INTEGER NOT NULL,
    user_id            INTEGER NOT NULL,
    content            TEXT    NOT NULL,
    late               INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    edits              INTEGER NOT NULL DEFAULT 0,
    coverage           TEXT,     -- JSON list of covered key-point indexes, set at the reveal
    self_grade         TEXT      CHECK (self_grade IS NULL OR self_grade IN ('got', 'partly', 'missed')),
    reveal_message_id  INTEGER,  -- the member's answer as posted in the reveal thread (peer votes land here)
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (post_id, user_id)
);
CREATE INDEX answers_guild_user ON answers (guild_id, user_id);
CREATE UNIQUE INDEX answers_reveal_message ON answers (reveal_message_id) WHERE reveal_message_id IS NOT NULL;

CREATE TABLE answer_votes (
    answer_id  INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    voter_id   INTEGER NOT NULL,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (answer_id, voter_id)
);

CREATE TABLE reactions (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    emoji      TEXT    NOT NULL,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (post_id, user_id, emoji)
);

CREATE TABLE members (
    guild_id          INTEGER NOT NULL,
    user_id           INTEGER NOT NULL,
    display_name      TEXT,
    current_streak    INTEGER NOT NULL DEFAULT 0,
    best_streak       INTEGER NOT NULL DEFAULT 0,
    last_answer_date  TEXT,
    updated_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, user_id)
);

-- Every point with its reason, so any period's board is a sum. The unique key makes awards idempotent.
CREATE TABLE points_ledger (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    source_type TEXT    NOT NULL,
    source_id   INTEGER NOT NULL,
    topic_id    TEXT,
    local_date  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (guild_id, user_id, reason, source_type, source_id)
);
CREATE INDEX points_guild_date ON points_ledger (guild_id, local_date);

-- Written by the running bot; `python -m bot health` checks that it is fresh.
CREATE TABLE heartbeat (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    beat_at  TEXT    NOT NULL,
    pid      INTEGER NOT NULL,
    version  TEXT    NOT NULL
);
