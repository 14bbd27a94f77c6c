-- Issue 15, rewards: streak roles, the monthly champion role, and the monthly season summary.
-- Never edit this file once released; add a new numbered file instead.

-- A role the bot gives a member whose streak (consecutive local days with an on-time daily answer) reached `days`;
-- a member holds the highest tier reached, and loses it when the streak breaks.
CREATE TABLE streak_roles (
    guild_id   INTEGER NOT NULL,
    days       INTEGER NOT NULL CHECK (days BETWEEN 1 AND 3650),
    role_id    INTEGER NOT NULL,
    created_by INTEGER,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, days),
    UNIQUE (guild_id, role_id)
);

-- The role of the top of last month's board (the server time zone's months).
CREATE TABLE champion_roles (
    guild_id   INTEGER PRIMARY KEY,
    role_id    INTEGER NOT NULL,
    updated_by INTEGER,
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Who holds which role because the bot gave it: the bot takes away only what it gave, and calls Discord only for
-- what changed.
CREATE TABLE role_grants (
    guild_id   INTEGER NOT NULL,
    role_id    INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    granted_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, role_id, user_id)
) WITHOUT ROWID;

-- A problem the admins were told about (role_id 0: the bot lacks Manage Roles), so it is told once, not every
-- sweep; the row goes when the problem does, so a new occurrence is told again.
CREATE TABLE role_problems (
    guild_id    INTEGER NOT NULL,
    role_id     INTEGER NOT NULL,
    problem     TEXT    NOT NULL,
    reported_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, role_id)
) WITHOUT ROWID;

-- The season summary (a monthly recap) is opt-in: /recap season.
ALTER TABLE recap_settings ADD COLUMN season INTEGER NOT NULL DEFAULT 0 CHECK (season IN (0, 1));

-- One row per guild and month ('2026-11'), claimed before the summary is sent: never two summaries of a month.
CREATE TABLE seasons (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    month      TEXT    NOT NULL,
    channel_id INTEGER NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted', 'failed', 'empty')),
    message_id INTEGER,
    due_at     TEXT    NOT NULL,
    posted_at  TEXT,
    UNIQUE (guild_id, month)
);
CREATE INDEX seasons_pending ON seasons (status) WHERE status = 'pending';
