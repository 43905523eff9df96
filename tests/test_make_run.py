"""`make run` serves on the port the administrator asks for (PORT), 5000 otherwise."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def serve_command(*args, port_env=None):
    """The `flask run` line `make run` would execute (make -n prints without running)."""
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    if port_env:
        env["PORT"] = port_env
    out = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True,
                         env=env, check=True).stdout
    return next(line for line in out.splitlines() if "flask run" in line)


@pytest.mark.parametrize(("args", "port_env", "port"), [
    ((), None, "5000"),
    (("PORT=8080",), None, "8080"),
    ((), "5123", "5123"),
])
def test_make_run_serves_on_the_port_asked(args, port_env, port):
    assert serve_command(*args, port_env=port_env).endswith(f"--port {port}")
