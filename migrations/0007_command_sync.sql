-- The command tree as last synced to Discord, per scope ('global' or 'guild:<id>'): start-up syncs only on change.
CREATE TABLE command_sync (
    scope     TEXT PRIMARY KEY,
    tree_hash TEXT NOT NULL,
    synced_at TEXT NOT NULL
);
