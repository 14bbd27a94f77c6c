"""One file of messages per feature (`<name>.toml`); `bot.i18n.catalog` merges them and refuses a key defined twice."""
