-- Issue: quizzes. Topic quizzes in a channel, and solo practice runs.
-- Times are UTC ISO-8601 text, as in 0001. The state is written as it happens, so a restart loses nothing.

CREATE TABLE quizzes (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    channel_id         INTEGER NOT NULL,
    starter_id         INTEGER NOT NULL,
    language           TEXT    NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    topic_id           TEXT,     -- NULL: every topic
    kind               TEXT    NOT NULL CHECK (kind IN ('choice', 'open', 'mixed')),
    seconds            INTEGER NOT NULL CHECK (seconds > 0),
    status             TEXT    NOT NULL DEFAULT 'running'
                       CHECK (status IN ('running', 'grading', 'finished', 'stopped', 'abandoned')),
    started_at         TEXT    NOT NULL,
    grading_until      TEXT,     -- set when the last question closes and open questions may still be graded
    ended_at           TEXT,
    stopped_by         INTEGER,
    summary_message_id INTEGER,  -- the results as posted (0: they could not be posted)
    CHECK ((status IN ('running', 'grading')) = (ended_at IS NULL))
);
-- One quiz at a time per channel: the database refuses a second even if two starts race.
CREATE UNIQUE INDEX quizzes_one_active_per_channel ON quizzes (channel_id) WHERE status IN ('running', 'grading');
CREATE INDEX quizzes_guild ON quizzes (guild_id);
-- The sweep's "what is left to post": only quizzes whose results are not posted yet, so it stays small.
CREATE INDEX quizzes_unsettled ON quizzes (id) WHERE summary_message_id IS NULL;

-- The quiz's questions in order. The row id is the points ledger's source_id (source_type 'quiz').
CREATE TABLE quiz_items (
    id                INTEGER PRIMARY KEY,
    quiz_id           INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL CHECK (position >= 0),
    question_id       TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('choice', 'open')),
    option_order      TEXT    NOT NULL DEFAULT '[]',  -- JSON: button i shows the bank's option option_order[i]
    opened_at         TEXT,
    closes_at         TEXT,
    closed_at         TEXT,
    message_id        INTEGER,  -- the question as posted (0: it could not be posted)
    reveal_message_id INTEGER,  -- the last message of its reveal (0: it could not be posted)
    UNIQUE (quiz_id, position)
);

CREATE TABLE quiz_answers (
    item_id     INTEGER NOT NULL REFERENCES quiz_items (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    choice      INTEGER,  -- the button pressed (0 = A), for a choice question; final once stored
    content     TEXT,     -- the answer, for an open question; editable until it closes
    coverage    TEXT,     -- JSON list of covered key-point indexes, set when the question closes
    self_grade  TEXT    CHECK (self_grade IS NULL OR self_grade IN ('got', 'partly', 'missed')),
    edits       INTEGER NOT NULL DEFAULT 0,
    answered_at TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (item_id, user_id),
    CHECK ((choice IS NULL) <> (content IS NULL))
);

-- A member's private flashcard run (/practice). Nothing of it is posted in a channel.
CREATE TABLE practice_runs (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    topic_id     TEXT,
    question_ids TEXT    NOT NULL,  -- JSON list, in the order the cards are shown
    position     INTEGER NOT NULL DEFAULT 0,
    shown        INTEGER NOT NULL DEFAULT 0 CHECK (shown IN (0, 1)),
    grades       TEXT    NOT NULL DEFAULT '[]',  -- JSON list, one self-grade per card done
    started_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX practice_runs_member ON practice_runs (guild_id, user_id);
