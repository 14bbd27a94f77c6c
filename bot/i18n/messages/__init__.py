"""One module of messages per feature; `bot.i18n.catalog` merges them and refuses a key defined twice."""
