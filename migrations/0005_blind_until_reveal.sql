-- Blind until the reveal: one definition of "revealed activity", and indexes for the privacy scans.

-- Every reader that counts or shows members' daily-question answers to anyone but their author (boards, study
-- groups, recaps, /stats) reads this view: an answer to a post that is not yet revealed is not in it, so not even
-- the fact that a member answered shows before the reveal.
CREATE VIEW revealed_answers AS
SELECT a.id, a.post_id, a.guild_id, a.user_id, a.late, a.coverage, a.self_grade, a.reveal_message_id,
       p.question_id, p.local_date, p.channel_id, p.thread_id
FROM answers a JOIN posts p ON p.id = a.post_id
WHERE p.status = 'revealed';

-- The reveal closes answers in the same transaction that scores the day: an answer transaction that comes after
-- it is refused (the member's text handed back) instead of being told "saved" and then missing from the reveal.
-- Reveal progress is recorded as it goes, so a restart resumes it: nothing sent twice, nothing skipped.
ALTER TABLE posts ADD COLUMN answers_closed_at TEXT;
ALTER TABLE posts ADD COLUMN reveal_parts_sent INTEGER NOT NULL DEFAULT 0;  -- reference-answer messages sent
ALTER TABLE posts ADD COLUMN reveal_prompt_id INTEGER;  -- the thread's closing vote and grade prompt, once sent

-- The server time zone: the admin's choice (/qotd timezone) when made, else the zone of the first schedule.
ALTER TABLE guild_settings ADD COLUMN timezone_chosen INTEGER NOT NULL DEFAULT 0 CHECK (timezone_chosen IN (0, 1));

-- Problems reported to a server's admins, so that each (schedule, day, problem) is reported once, not every sweep.
CREATE TABLE admin_reports (
    guild_id    INTEGER NOT NULL,
    report_key  TEXT    NOT NULL,
    reported_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, report_key)
);

CREATE INDEX reactions_user ON reactions (user_id);
CREATE INDEX quiz_answers_user ON quiz_answers (user_id);
CREATE INDEX posts_guild_channel ON posts (guild_id, channel_id);
