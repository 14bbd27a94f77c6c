"""Reading the question bank from YAML files into the immutable domain `Bank`, with readable errors."""

from bot.bank.loader import BankError, Problem, load_bank

__all__ = ["BankError", "Problem", "load_bank"]
