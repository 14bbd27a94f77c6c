"""A member's /stats: the embed and the activity chart."""
