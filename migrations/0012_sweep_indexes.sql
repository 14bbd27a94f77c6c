-- Sweeps read by set: one query per sweep for the whole process (issue 16).
-- The qotd sweep reads the days posted since a few days ago for every schedule at once.
CREATE INDEX posts_local_date ON posts (local_date, schedule_id);
-- Claimed posts never confirmed sent: the sweep asks for these each time.
CREATE INDEX posts_pending ON posts (id) WHERE status = 'pending';
-- Active schedules (the sweep's list) and the shard filter on their guild.
CREATE INDEX schedules_active_guild ON schedules (guild_id, id) WHERE paused = 0;
