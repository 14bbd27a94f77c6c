"""Slash-command groups. Each cog only parses, calls a use case, and renders the result.

`COGS` lists every cog the bot loads, as "module:Class" under this package. A feature builds its services
in its cog's `cog_load` (from `bot.db`, `bot.bank`, `bot.clock`, `bot.grades`) and registers its
DynamicItems there, so adding a feature adds a line here and touches nothing else in the client.
"""

COGS = (
    "help:HelpCog",
    "qotd:QotdCog",
    "review:ReviewCog",
    "quiz:QuizCog",
    "practice:PracticeCog",
    "boards:BoardsCog",
    "stats:StatsCog",
    "privacy:PrivacyCog",
    "recap:RecapCog",
)
