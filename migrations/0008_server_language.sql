-- The server language (what everyone in a channel reads: quizzes, and the default of new schedules): the admins'
-- choice (/qotd language) when made, else the language of the first schedule, else the guild's preferred locale.
ALTER TABLE guild_settings ADD COLUMN language_chosen INTEGER NOT NULL DEFAULT 0 CHECK (language_chosen IN (0, 1));
