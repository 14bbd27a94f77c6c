-- Several members' answers share one message in the reveal thread (200 answers take a few dozen messages, not 200),
-- so a thread message id no longer names one answer. Peer votes are a button per answer on that message.
DROP INDEX answers_reveal_message;
CREATE INDEX answers_reveal_message ON answers (reveal_message_id) WHERE reveal_message_id IS NOT NULL;
