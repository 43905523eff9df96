"""Makers of test rows, one module per domain (one `make_<model>` per model, keyword overrides),
and the fixtures every test package shares (`fixtures`, registered once in tests/conftest.py)."""
