"""Live servers and real-browser pages: seeded data as plain values, a juror's page with
locators named after what they see, and the servers and contexts of one test."""
from __future__ import annotations

import re
import shutil
import threading
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect
from werkzeug.serving import WSGIRequestHandler, make_server

from certif import ROOT, create_app
from certif.extensions import db
from certif.grading import rules
from certif.grading.presenters import decision_label, status_label
from certif.referentials.scoring import POINTS
from certif.referentials.services import Layout
from certif.web import fr_number

from ..factories.organisation import insure_every_day
from ..factories.sessions import make_exam
from ..factories.users import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


ARTIFACTS = ROOT / "test-artifacts"


VIEWPORT = {"width": 640, "height": 900}  # half a laptop screen: what a juror keeps open


# Generous: with the suite spread over the cores, a browser test shares the machine with
# another worker; a passing test never waits this long, a failing one reports a little later.
TIMEOUT_MS = 15_000


expect.set_options(timeout=TIMEOUT_MS)


PRESSED_JS = """() => Object.fromEntries(
  [...document.querySelectorAll('li.criterion')].flatMap(li => {
    const b = li.querySelector('.choice button[aria-pressed="true"]');
    return b ? [[li.id.replace('critere-', ''), b.value === 'acquis']] : [];
  }))"""


@dataclass
class Seeded:
    exam_id: int
    president_email: str
    member_email: str
    president_id: int
    member_id: int
    layout: Layout

    @property
    def codes(self) -> list[str]:
        """Criterion codes in grid order."""
        return [self.layout.criteria[k].code for k in self.layout.scheme.criteria]

    @property
    def ids(self) -> dict[str, int]:
        return {c.code: c.id for c in self.layout.criteria.values()}

    def by_id(self, marks: dict[str, bool]) -> dict[int, bool]:
        ids = self.ids
        return {ids[code]: value for code, value in marks.items()}

    def score(self, marks: dict[str, bool]) -> rules.GridResult:
        return rules.score(self.layout.scheme, self.by_id(marks))

    def final_score(self, president: dict[str, bool], other: dict[str, bool],
                    jury: dict[str, bool]) -> rules.GridResult:
        final = rules.merge_grids(self.layout.scheme.criteria, self.by_id(president),
                                  self.by_id(other), self.by_id(jury))
        return rules.score(self.layout.scheme, rules.final_values(final))

    def competency_of(self, code: str) -> str:
        return self.layout.criteria[self.ids[code]].competency_code

    @property
    def grid_path(self) -> str:
        return f"/jury/examens/{self.exam_id}/grille"

    @property
    def deliberation_path(self) -> str:
        return f"/jury/examens/{self.exam_id}/deliberation"


class QuietHandler(WSGIRequestHandler):
    """Logs only the requests that went wrong (4xx/5xx), so failures stay readable."""

    def log_request(self, code="-", size="-"):
        if str(getattr(code, "value", code))[:1] in ("4", "5") and self.path != "/favicon.ico":
            super().log_request(code, size)


@dataclass
class LiveServer:
    app: object
    url: str
    seeded: Seeded
    _server: object = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def total_text(result: rules.GridResult, layout: Layout) -> str:
    """The total as shown: a dash until something is marked."""
    total = fr_number(result.total) if result.marked else "–"
    return f"Total : {total} / {fr_number(layout.max_points, 0)}"


def other_progress(done: int, total: int) -> re.Pattern:
    """ "Autre juré : 3/24" (the other juror's name may follow "Autre juré", in brackets)."""
    return re.compile(rf"Autre juré(?: \([^)]*\))? : {done}/{total}(?!\d)")


def unmarked_text(result: rules.GridResult) -> str:
    return f"Critères non notés : {result.unmarked} / {result.criteria}"


class JurorPage:
    """A logged-in juror's page, with locators named after what they see."""

    def __init__(self, page: Page, server: LiveServer):
        self.page = page
        self.server = server
        self.seeded = server.seeded

    def goto(self, path: str):
        self.page.goto(self.server.url + path)
        return self

    def open_grid(self):
        return self.goto(self.seeded.grid_path)

    def row(self, code: str):
        return self.page.locator(f"#critere-{code}")

    def button(self, code: str, value: bool):
        return self.row(code).locator("button.choice-a" if value else "button.choice-n")

    def competency_status(self, comp_code: str):
        return self.page.locator(f"#statut-{comp_code.replace('.', '-')}")

    @property
    def summary(self):
        return self.page.locator("#synthese")

    @property
    def progress(self):
        return self.page.locator("#avancement")

    def pressed(self) -> dict[str, bool]:
        """Every criterion shown as marked on this page: code -> True (acquis) / False."""
        return self.page.evaluate(PRESSED_JS)

    def mark(self, code: str, value: bool):
        """Click and wait until the row comes back with the button pressed."""
        self.button(code, value).click()
        expect(self.button(code, value)).to_have_attribute("aria-pressed", "true")
        expect(self.button(code, not value)).to_have_attribute("aria-pressed", "false")

    def set_marker(self):
        self.page.evaluate("window.__marker = 1")

    def assert_not_navigated(self):
        assert self.page.evaluate("window.__marker") == 1, "the page navigated (marker lost)"

    def expect_summary(self, result: rules.GridResult):
        layout = self.seeded.layout
        if layout.rule == POINTS:
            expect(self.summary.locator(".total")).to_have_text(total_text(result, layout))
        expect(self.summary).to_contain_text(unmarked_text(result))
        expect(self.summary.locator(".decision")).to_contain_text(
            decision_label(layout.rule, result.decision, result.unmarked))

    def expect_competency(self, result: rules.GridResult, comp_code: str):
        r = result.competencies[comp_code]
        status = self.competency_status(comp_code)
        expect(status).to_contain_text(f"{comp_code} : {status_label(r.acquired)}")
        expect(status).to_contain_text(f"{r.acquired_criteria}/{r.criteria} critères acquis")

    def scroll_width(self) -> int:
        return self.page.evaluate("document.scrollingElement.scrollWidth")


class Live:
    """Servers and browser contexts of one test; everything is closed at teardown."""

    _numbers = count(1)

    def __init__(self, browser: Browser, template_db: Path, tmp_path: Path):
        self.browser = browser
        self.template_db = template_db
        self.tmp_path = tmp_path
        self.servers: list[LiveServer] = []
        self.contexts: list[BrowserContext] = []

    def start(self, code: str = "RS6240", seed=None, **config) -> LiveServer:
        """A server on a copy of the template database, seeded by `seed(app)` (whatever it
        returns becomes `server.seeded`) or, by default, with one exam ready to grade."""
        path = self.tmp_path / f"live-{next(self._numbers)}.db"
        shutil.copy(self.template_db, path)
        settings = {"PROGRESS_POLL_SECONDS": 1, **config}
        app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                         FILES_DIR=str(path.parent / f"files-{path.stem}"), **settings)
        with app.app_context():
            insure_every_day()  # sessions can be convened (tests/factories/organisation.py)
            if seed is not None:
                seeded = seed(app)
            else:
                setup = make_exam(code)
                seeded = Seeded(setup.exam.id, setup.president.email, setup.member.email,
                                setup.president.id, setup.member.id, setup.layout)
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        live = LiveServer(app, f"http://127.0.0.1:{server.server_port}", seeded, server, thread)
        self.servers.append(live)
        return live

    def context(self, **options) -> BrowserContext:
        options.setdefault("viewport", VIEWPORT)
        options.setdefault("locale", "fr-FR")
        context = self.browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context

    def user(self, server: LiveServer, email: str, heading: str, **options) -> Page:
        """A new browser context in which `email` logged in; waits for their home's heading."""
        page = self.context(**options).new_page()
        page.goto(server.url + "/connexion")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        return page

    def juror(self, server: LiveServer, email: str, *, cdn_unreachable: bool = False,
              **options) -> JurorPage:
        """A new browser context in which `email` has logged in through the form.

        `cdn_unreachable`: every request to the htmx CDN fails, as offline (whether
        or not this machine can reach the internet).
        """
        context = self.context(**options)
        if cdn_unreachable:
            context.route("https://cdn.jsdelivr.net/**",
                          lambda route: route.abort("internetdisconnected"))
        page = context.new_page()
        page.goto(server.url + "/connexion")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", name="Mes jurys")).to_be_visible()
        return JurorPage(page, server)

    def close(self):
        for context in self.contexts:
            context.close()
        for server in self.servers:
            server.stop()
