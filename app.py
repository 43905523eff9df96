"""Entry point: `flask --app app run` or `gunicorn app:app`."""
import gc

from certif import create_app

app = create_app()
# Everything loaded at start-up lives as long as the process: keep it out of the
# garbage collector's full passes, which otherwise stall requests (`make bench`).
gc.freeze()
