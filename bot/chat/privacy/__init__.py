"""/privacy: what the bot stores about a member, export and deletion."""
