"""Throttling of guesses (passwords, codes, links), shared by every worker through the database."""
