"""Reward roles: /roles for managers (streak tiers, the monthly champion role) and the runner that keeps them."""
