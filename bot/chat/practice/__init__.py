"""Solo practice with flashcards: /practice, its buttons and embeds."""
