-- Issue 13: question banks the group owns. A server's packs (uploaded YAML or CSV, or accepted suggestions), its
-- topics and questions turned off, member suggestions awaiting review, and the review channel.

-- One row per server that has its own questions. code: the short number in its ids (s<code>-<id>), so no id of a
-- server's question can equal a shipped one (the shipped bank may not use s<number>-) or another server's.
CREATE TABLE server_banks (
    guild_id           INTEGER PRIMARY KEY,
    code               INTEGER NOT NULL UNIQUE,
    review_channel_id  INTEGER,
    created_at         TEXT    NOT NULL
);

-- A server's own topics, one per pack topic. topic_id is the namespaced id every other table uses. source_text:
-- the last uploaded file that defined it, kept as it was sent.
CREATE TABLE server_topics (
    guild_id     INTEGER NOT NULL,
    local_id     TEXT    NOT NULL,
    topic_id     TEXT    NOT NULL UNIQUE,
    name_en      TEXT    NOT NULL,
    name_zh      TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    source_name  TEXT,
    source_text  TEXT,
    updated_by   INTEGER,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, local_id)
);

-- A server's own questions. body: the question in the bank's YAML shape (JSON), with its local id. A question
-- dropped from its pack stays (status 'dropped') so the history that hangs on its id keeps its text.
CREATE TABLE server_questions (
    guild_id      INTEGER NOT NULL,
    local_id      TEXT    NOT NULL,
    question_id   TEXT    NOT NULL UNIQUE,
    topic_local   TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dropped')),
    suggested_by  INTEGER,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (guild_id, local_id)
);

-- Topics and questions (shipped or the server's own) a server turned off: they leave its draw, history stays.
CREATE TABLE bank_disabled (
    guild_id   INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('topic', 'question')),
    item_id    TEXT    NOT NULL,
    disabled_by INTEGER,
    disabled_at TEXT   NOT NULL,
    PRIMARY KEY (guild_id, kind, item_id)
);

-- Members' suggestions. status: pending until a manager accepts or rejects it; message_id: its post in the review
-- channel (NULL until posted, so a post that failed is tried again).
CREATE TABLE bank_suggestions (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    author_id     INTEGER NOT NULL,
    body          TEXT    NOT NULL,
    topic_local   TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    reason        TEXT,
    channel_id    INTEGER,
    message_id    INTEGER,
    decided_by    INTEGER,
    question_id   TEXT,
    language      TEXT    NOT NULL DEFAULT 'en',
    created_at    TEXT    NOT NULL,
    decided_at    TEXT
);
CREATE INDEX bank_suggestions_pending ON bank_suggestions (guild_id) WHERE status = 'pending';
