"""Outgoing email: through SMTP when configured, otherwise into an outbox in instance/."""
