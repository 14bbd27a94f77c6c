"""The features the bot loads, one package each under `bot/chat/` (`<feature>/cog.py` holds the cog).

A feature builds its services in its cog's `cog_load` and registers them on `bot.services` (found by type), and
registers its DynamicItems there, so adding a feature adds a line here and touches nothing else in the client.
"""

FEATURES = (
    "help:HelpCog",
    "banks:BanksCog",  # before every feature that draws questions: it loads the servers' own into the bank
    "qotd:QotdCog",
    "history:HistoryCog",  # after qotd: it reads through its service
    "review:ReviewCog",
    "quiz:QuizCog",
    "practice:PracticeCog",
    "boards:BoardsCog",
    "stats:StatsCog",
    "privacy:PrivacyCog",
    "recap:RecapCog",
    "rewards:RewardsCog",
    "roles:RolesCog",
)
