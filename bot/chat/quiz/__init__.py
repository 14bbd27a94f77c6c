"""Timed topic quizzes in a channel: /quiz, their buttons and modal, embeds, and the runner that closes questions."""
