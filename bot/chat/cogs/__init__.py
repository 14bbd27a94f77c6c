"""Slash-command groups. Each cog only parses, calls a use case, and renders the result."""
