"""`make bench`: 40 simulated jurors against gunicorn on a fresh SQLite database.

bench.seed builds the database, bench.run drives the load and prints the figures.
"""
