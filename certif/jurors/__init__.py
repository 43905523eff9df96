"""Jurors: their habilitation profile (annex 7) and their conflict-of-interest declarations."""
