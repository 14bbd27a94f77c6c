"""Seed study bot: a Discord study group for LLM / machine-learning interview preparation."""

__version__ = "0.1.0"
