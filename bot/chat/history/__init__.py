"""The archive of daily questions: /history, its page buttons and embed."""
