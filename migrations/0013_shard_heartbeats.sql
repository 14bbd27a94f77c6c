-- One heartbeat per shard a process runs (issue 16), written while that shard's gateway connection is open;
-- `python -m bot health` checks the shards its own settings name. A process without SHARD_COUNT runs every shard
-- Discord advises and beats as shard 0 of 1 while all of them are connected. `host` and `pid` say which process.
DROP TABLE heartbeat;
CREATE TABLE shard_heartbeats (
    shard_count INTEGER NOT NULL,
    shard_id    INTEGER NOT NULL,
    beat_at     TEXT    NOT NULL,
    host        TEXT    NOT NULL,
    pid         INTEGER NOT NULL,
    version     TEXT    NOT NULL,
    PRIMARY KEY (shard_count, shard_id)
);
