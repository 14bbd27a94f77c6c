-- Issue 15: rewards that motivate, opt-in per server. A best answer per daily post (a manager's pick, else the
-- closest match to the reference after a delay) and a private nudge an hour before the reveal.

-- A server's choices. best_answer_since: when it was last turned on (the auto-pick never reaches back before it).
CREATE TABLE rewards_settings (
    guild_id              INTEGER PRIMARY KEY,
    best_answer           INTEGER NOT NULL DEFAULT 0 CHECK (best_answer IN (0, 1)),
    best_answer_delay     INTEGER NOT NULL DEFAULT 60 CHECK (best_answer_delay BETWEEN 1 AND 1440),  -- minutes
    best_answer_since     TEXT,
    nudges                INTEGER NOT NULL DEFAULT 0 CHECK (nudges IN (0, 1)),
    updated_at            TEXT    NOT NULL
);

-- One best answer per post: the primary key is the claim, taken in the transaction that awards the bonus, so a
-- manager's press and the auto-pick sweep (or two sweeps, or a restart) can never pick twice.
CREATE TABLE best_answers (
    post_id        INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    answer_id      INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    picked_by      INTEGER,                 -- the manager; NULL: the auto-pick
    picked_at      TEXT    NOT NULL,
    highlighted_at TEXT                     -- the thread shows it (NULL: the next sweep highlights it)
);
CREATE INDEX best_answers_unhighlighted ON best_answers (post_id) WHERE highlighted_at IS NULL;

-- Members who asked for a nudge in a server. A refused DM (closed DMs) pauses their nudges until they opt in again.
CREATE TABLE nudge_members (
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    language        TEXT    NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    dm_failed_at    TEXT,
    dm_failed_told  INTEGER NOT NULL DEFAULT 0 CHECK (dm_failed_told IN (0, 1)),
    updated_at      TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- One nudge per member, server and local day, claimed before the DM is sent: never a second one that day.
CREATE TABLE nudges (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,
    post_id     INTEGER NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
    message_id  INTEGER,
    claimed_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date)
);
