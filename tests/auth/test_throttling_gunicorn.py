"""Failed logins against a real gunicorn with two workers: the limit is shared by both
workers (it lives in the database), is audited, and opens again after its window; a wrong
password takes as long for a known address as for an unknown one."""
import http.client
import os
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from certif import ROOT, create_app
from certif.auth.models import JUROR
from certif.auth.services import ACCOUNT_LIMIT, create_user
from certif.extensions import db

from ..factories.database import POSTGRES_URL

pytestmark = [pytest.mark.sqlite_only,
              pytest.mark.skipif(bool(POSTGRES_URL), reason="serves a SQLite file")]

EMAIL, OTHER = "camille.gunicorn@exemple.fr", "dominique.gunicorn@exemple.fr"
PASSWORD = "une phrase de passe assez longue"
LOCKED = "Trop de tentatives de connexion infructueuses"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(template: Path, path: Path) -> None:
    """The migrated template, plus two accounts with real (scrypt) password hashes."""
    shutil.copy(template, path)
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                     FILES_DIR=str(path.parent / "files"))
    with app.app_context():
        for email in (EMAIL, OTHER):
            create_user(email, PASSWORD, "Camille", "Gunicorn", [JUROR])
        db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
        db.engine.dispose()


class Server:
    """gunicorn serving app:app in production mode, two sync workers, on its own port."""

    def __init__(self, db_path: Path, folder: Path):
        self.port = free_port()
        self.access_log = folder / "access.log"
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("CERTIF_", "DATABASE_URL", "MAIL_", "SECRET_KEY"))}
        env.update({"DATABASE_URL": f"sqlite:///{db_path}", "CERTIF_ENV": "production",
                    "SECRET_KEY": secrets.token_hex(32), "CERTIF_FILES_DIR": str(folder / "files"),
                    "CERTIF_BASE_URL": f"http://127.0.0.1:{self.port}",
                    "PYTHONDONTWRITEBYTECODE": "1"})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "app:app", "--workers", "2",
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "30",
             "--access-logfile", str(self.access_log),
             # the worker's pid (<1234>) on each line: which worker answered what
             "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
             "--error-logfile", str(folder / "error.log")],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)

    def wait_ready(self, timeout: float = 30) -> None:
        """Until both workers have answered (each loads the app on its own after the fork)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            assert self.proc.poll() is None, "gunicorn exited"
            try:
                self.request("GET", "/connexion")
            except OSError:
                time.sleep(0.1)
                continue
            if self.access_log.exists() and len(
                    {pid for pid, _ in self.answers("GET", "/connexion", 0)}) == 2:
                return
        raise AssertionError("gunicorn's two workers did not both answer")

    def request(self, method, path, body=None, headers=None):
        """One request on a new connection (so that either worker may take it)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            conn.close()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def answers(self, method, path, count: int) -> list[tuple[str, str]]:
        """(worker pid, status) of the logged requests, in order, once `count` are logged (a
        worker writes its line just after answering)."""
        end = time.monotonic() + 5
        while True:
            lines = self.access_log.read_text().splitlines()
            found = [(pid, status) for pid, m, p, status in (line.split() for line in lines)
                     if (m, p) == (method, path)]
            if len(found) >= count or time.monotonic() > end:
                return found
            time.sleep(0.05)


class Steering:
    """Sends requests to one worker, then to the other. A sync worker that has accepted a
    connection whose request is not finished serves nobody else: holding such a connection
    on one worker leaves every new connection to the other."""

    PAUSE = 0.5  # for an idle worker to accept a connection

    def __init__(self, server: Server):
        self.server = server
        self.held = [self._half_request(), self._half_request()]  # one on each worker
        time.sleep(self.PAUSE)
        self._finish(self.held.pop(0))  # that worker is free again; the other stays held

    def switch(self) -> None:
        """Hold the free worker, then free the held one."""
        newly_held = self._half_request()
        time.sleep(self.PAUSE)  # taken by the only worker accepting
        self._finish(self.held.pop())
        self.held.append(newly_held)

    def release(self) -> None:
        while self.held:
            self._finish(self.held.pop())

    def _half_request(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        sock.sendall(b"GET /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        return sock

    @staticmethod
    def _finish(sock: socket.socket) -> None:
        sock.sendall(b"Connection: close\r\n\r\n")
        while sock.recv(65536):
            pass
        sock.close()


class LoginForm:
    """The login form as a browser posts it: CSRF token and the session cookie it lives in
    (http.client keeps no cookies and ignores Secure)."""

    def __init__(self, server: Server):
        self.server = server
        status, headers, page = server.request("GET", "/connexion")
        self.cookie = headers["Set-Cookie"].split(";")[0]
        self.token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)

    def post(self, email: str, password: str):
        body = urlencode({"email": email, "password": password, "csrf_token": self.token})
        return self.server.request("POST", "/connexion", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie})

    def timed(self, email: str, password: str) -> float:
        start = time.perf_counter()
        status = self.post(email, password)[0]
        assert status == 401
        return time.perf_counter() - start


@pytest.fixture(scope="module")
def server(template_db, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    db_path = tmp_path / "gunicorn.db"
    prepare_database(template_db, db_path)
    server = Server(db_path, tmp_path)
    try:
        server.wait_ready()
        server.db_path = db_path
        yield server
    finally:
        server.stop()


def read(db_path: Path, sql: str, *args):
    """Run one statement on the served database file (committed), as an administrator would."""
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        with conn:
            return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_login_lock_is_shared_by_both_workers_audited_and_lifted(server):
    form = LoginForm(server)
    steering = Steering(server)
    try:
        # 30 wrong passwords, 5 to one worker, 5 to the other, and so on: each counts the
        # other's failures, and the lock set by one holds on the other.
        answers = []
        for chunk in range(6):
            answers += [form.post(EMAIL, f"mauvais-{chunk}-{i}") for i in range(5)]
            steering.switch()
        # Even the right password is refused while the lock holds, on either worker.
        right = [form.post(EMAIL, PASSWORD)[0] for _ in range(2)]
        steering.switch()
        right += [form.post(EMAIL, PASSWORD)[0] for _ in range(2)]
    finally:
        steering.release()
    statuses = [status for status, _, _ in answers]
    assert statuses == [401] * (ACCOUNT_LIMIT.max_hits - 1) + [429] * (31 - ACCOUNT_LIMIT.max_hits)
    for _status, headers, page in answers[ACCOUNT_LIMIT.max_hits - 1:]:
        assert 0 < int(headers["Retry-After"]) <= ACCOUNT_LIMIT.window.total_seconds()
        assert LOCKED in page and "Réessayez à" in page
    assert right == [429] * 4

    # Which worker answered what, from gunicorn's access log.
    logged = server.answers("POST", "/connexion", len(statuses + right))
    assert [status for _, status in logged] == [str(s) for s in statuses + right]
    chunks = [{pid for pid, _ in logged[i:i + 5]} for i in range(0, 30, 5)]
    assert all(len(pids) == 1 for pids in chunks), logged
    first, second = chunks[0] | chunks[2] | chunks[4], chunks[1] | chunks[3] | chunks[5]
    assert len(first) == len(second) == 1 and first != second, logged
    assert {pid for pid, _ in logged[30:32]} == first and {pid for pid, _ in logged[32:]} == second

    # The audit log has every failure and the lock (read from the database file itself).
    actions = read(server.db_path, "SELECT action, count(*) FROM audit_log "
                                   "WHERE action LIKE 'login.%' GROUP BY action")
    assert dict(actions) == {"login.failed": ACCOUNT_LIMIT.max_hits, "login.locked": 1}

    # Fifteen minutes later (the failures moved 16 minutes back), the right password opens.
    read(server.db_path, "UPDATE throttle_hits SET at = datetime(at, '-16 minutes')")
    status, headers, _ = form.post(EMAIL, PASSWORD)
    assert status == 302 and "Secure" in headers["Set-Cookie"]
    assert read(server.db_path, "SELECT count(*) FROM login_sessions") == [(1,)]


def test_wrong_password_takes_as_long_for_a_known_address_as_for_an_unknown_one(server):
    form = LoginForm(server)
    form.timed(OTHER, "pour chauffer")  # both workers have hashed once
    form.timed("personne@exemple.fr", "pour chauffer")
    known, unknown = [], []
    for i in range(4):  # interleaved, under the account's limit
        known.append(form.timed(OTHER, f"mauvais-{i}"))
        unknown.append(form.timed(f"inconnu-{i}@exemple.fr", f"mauvais-{i}"))
    a, b = statistics.median(known), statistics.median(unknown)
    assert abs(a - b) < 0.4 * max(a, b), (known, unknown)
