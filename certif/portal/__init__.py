"""Candidate pages reached through signed, expiring links (no account)."""
