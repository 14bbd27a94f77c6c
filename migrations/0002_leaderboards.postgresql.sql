-- PostgreSQL form of 0002_leaderboards.sql (the runner uses this file instead of rewriting that one: the back-fill
-- below computes the ISO week with SQLite's strftime/date, here with to_char(..., 'IYYY-"W"IW')). Like every
-- migration it still goes through the documented type rewrite (INTEGER -> BIGINT, ...). Keep in step with 0002.
-- Issue: leaderboards. Running totals for boards, members' privacy, study groups, and weekly recaps.
-- Released with the leaderboards feature: never edit this file once released; add 0005_... instead.

-- Points per (guild, board, member), written in the same transaction as each points_ledger entry
-- (bot/storage/points.py), so a board is an index range read and never a SUM over the ledger.
-- board is 'period:bucket:topic:scope' (bot/domain/boards.py, board_name):
--   period:bucket  'day:2026-11-30' · 'week:2026-W49' (ISO week) · 'month:2026-11' · 'all:' (of the entry's local_date)
--   topic          the entry's topic id, or '*' for every topic
--   scope          the entry's source_type ('answer' for the daily question, 'quiz', ...), or '*' for every source
-- e.g. 'week:2026-W49:rag:*' is this week's RAG board with every source. Each ledger entry adds to 16 boards (8
-- without a topic).
CREATE TABLE board_totals (
    guild_id  INTEGER NOT NULL,
    board     TEXT    NOT NULL,
    user_id   INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, board, user_id)
) WITHOUT ROWID;
CREATE INDEX board_totals_rank ON board_totals (guild_id, board, points DESC, user_id);

-- Totals for the ledger rows written before this migration, by the same rule as the code (bot/storage/boards.py,
-- REBUILD_SQL). The ISO week is the year and week of the Thursday of the row's Monday-to-Sunday week.
INSERT INTO board_totals (guild_id, board, user_id, points)
SELECT l.guild_id,
       p.period || ':' || CASE p.period
           WHEN 'day' THEN l.local_date
           WHEN 'week' THEN to_char(CAST(l.local_date AS date), 'IYYY-"W"IW')
           WHEN 'month' THEN substr(l.local_date, 1, 7)
           ELSE ''
       END
       || ':' || CASE WHEN t.own = 1 THEN l.topic_id ELSE '*' END
       || ':' || CASE WHEN s.own = 1 THEN l.source_type ELSE '*' END,
       l.user_id, sum(l.points)
FROM points_ledger AS l
CROSS JOIN (SELECT 'day' AS period UNION ALL SELECT 'week' UNION ALL SELECT 'month' UNION ALL SELECT 'all') AS p
CROSS JOIN (SELECT 0 AS own UNION ALL SELECT 1) AS t
CROSS JOIN (SELECT 0 AS own UNION ALL SELECT 1) AS s
WHERE t.own = 0 OR l.topic_id IS NOT NULL
GROUP BY 1, 2, 3;

-- A member's choices about the public boards, and their departure from the guild.
--   hidden: left the public boards with /privacy hide (points still count).
--   left_at: when the member left the guild; hidden at once, data deleted 30 days later unless they come back.
CREATE TABLE member_privacy (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    hidden     INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    left_at    TEXT,
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
CREATE INDEX member_privacy_left ON member_privacy (left_at) WHERE left_at IS NOT NULL;

-- Study groups admins name: a Discord role, or a channel with a daily-question schedule (its answerers).
CREATE TABLE study_groups (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    name       TEXT    NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 50),
    role_id    INTEGER,
    channel_id INTEGER,
    created_by INTEGER,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((role_id IS NULL) <> (channel_id IS NULL)),
    UNIQUE (guild_id, name)
);

-- When and where a guild's weekly recap is posted; no row means the defaults (Sunday 20:00 in the guild's time
-- zone, in the channel of the guild's first schedule).
CREATE TABLE recap_settings (
    guild_id   INTEGER PRIMARY KEY,
    channel_id INTEGER,
    weekday    INTEGER NOT NULL DEFAULT 6 CHECK (weekday BETWEEN 0 AND 6),  -- 0 Monday .. 6 Sunday
    post_time  TEXT    NOT NULL DEFAULT '20:00' CHECK (post_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_by INTEGER,
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- One row per guild and ISO week, claimed before the recap is sent: the unique key makes a second recap impossible.
CREATE TABLE recaps (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    week       TEXT    NOT NULL,
    first_date TEXT    NOT NULL,
    last_date  TEXT    NOT NULL,
    channel_id INTEGER NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted', 'failed', 'empty')),
    message_id INTEGER,
    due_at     TEXT    NOT NULL,
    posted_at  TEXT,
    UNIQUE (guild_id, week)
);
CREATE INDEX recaps_status ON recaps (status);

-- /privacy export and delete look up the votes a member gave.
CREATE INDEX answer_votes_voter ON answer_votes (voter_id);
