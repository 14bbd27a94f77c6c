"""The daily question: /qotd, the post's buttons and answer modal, the post and reveal embeds, the runner."""
