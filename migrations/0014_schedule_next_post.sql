-- When each schedule next has something for the sweep to decide (issue 16): the UTC instant of its next post, set
-- by the sweep after it looked at the schedule; NULL when not known yet (a new, changed or resumed schedule). The
-- sweep reads only the schedules whose instant has come (or is NULL), and one wake-up is armed at the earliest
-- instant still ahead, instead of a job per schedule re-armed every minute.
ALTER TABLE schedules ADD COLUMN next_post_at TEXT;
CREATE INDEX schedules_next_post ON schedules (next_post_at) WHERE paused = 0;
