"""Personal spaced repetition (FSRS): /review, its buttons and embeds, and the reminder runner."""
