"""Leaderboards and study groups: /leaderboard, /groups, the page buttons and embeds."""
