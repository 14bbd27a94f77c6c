"""Rewards that motivate (opt-in per server): the best answer of each reveal and members' nudges before it."""
