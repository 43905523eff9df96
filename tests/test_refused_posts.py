"""Issue 13, item 2: a refused POST never leaves the user on a broken page.

After "Clôturer la fiche" was refused, the page was answered at /…/cloture and every other
form on it then landed on "Erreur 405". This test walks every POST route of the application
(read from `app.url_map`, so a new route is covered the day it is added), posts an empty
plain form to it as each kind of user (organiser, council member, juror, nobody), and checks
what comes back:

- a redirect goes to an address that answers GET (no 405, no 500);
- a page (the route's page again with its errors, or an error page) only holds forms, htmx
  attributes, "next" fields and links whose address accepts their method. An empty or
  relative `action` counts from the address the page was answered at, as a browser does.
"""
from __future__ import annotations

from html.parser import HTMLParser
from itertools import product
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from certif import create_app
from certif.auth.models import COUNCIL, ORGANISER
from certif.candidates.links import make_token
from certif.council.models import APPLIED
from certif.extensions import db

from .factories.council import make_action, make_anomaly, make_meeting, make_review
from .factories.examday import make_breach_sheet
from .factories.grading import finished_session
from .factories.jurors import make_juror
from .factories.sessions import make_exam
from .factories.users import make_user
from .factories.web import CSRF_RE

# htmx reads each attribute in both spellings; certif writes the valid one, data-hx-*.
HTMX_METHODS = {f"{prefix}hx-{verb}": verb.upper() for prefix in ("", "data-")
                for verb in ("get", "post", "put", "patch", "delete")}
# Bodies posted besides the empty one, to reach a refusal that shows the page again (with the
# world's ids: {sheet} the anomaly sheet). Every route gets the empty form.
BODIES = {
    "council.move_action": [{"target": "verified", "evidence_text": " "},
                            {"target": "verified", "next": "/conseil/fiches/anomalie/{sheet}#actions"}],
}
# Hidden fields that carry the page to come back to.
RETURN_FIELDS = {"next", "back", "return_to", "retour"}


def post_rules() -> list[tuple[str, str]]:
    """(endpoint, rule) of every route accepting POST, read from a throwaway app."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://")
    return sorted((r.endpoint, r.rule) for r in app.url_map.iter_rules() if "POST" in r.methods)


class Targets(HTMLParser):
    """Where a page sends the user: (method, address, what) of its forms, buttons with a
    formaction, htmx attributes, return fields and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self.form_method = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form_method = (attrs.get("method") or "get").upper()
            self.found.append((self.form_method, attrs.get("action") or "", "<form action>"))
        if tag in ("button", "input") and "formaction" in attrs:
            method = (attrs.get("formmethod") or self.form_method or "get").upper()
            self.found.append((method, attrs["formaction"], f"<{tag} formaction>"))
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name") in RETURN_FIELDS:
            self.found.append(("GET", attrs.get("value") or "", f"<input name={attrs['name']}>"))
        for name, method in HTMX_METHODS.items():
            if name in attrs:
                self.found.append((method, attrs[name] or "", f"[{name}]"))
        if tag == "a" and attrs.get("href") and not attrs["href"].startswith("#"):
            self.found.append(("GET", attrs["href"], "<a href>"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form_method = None


def route_problem(app, path: str, method: str) -> str | None:
    """Why `method` on `path` would fail on routing (405 or 404); None when it reaches a view."""
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path, method=method)
    except MethodNotAllowed:
        return "405"
    except NotFound:
        return "404"
    except RequestRedirect:
        return None
    return None


def page_problems(app, page_url: str, html: str) -> list[str]:
    parser = Targets()
    parser.feed(html)
    problems = []
    for method, target, what in parser.found:
        address = urljoin(page_url, target)
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or parts.netloc != "localhost":
            continue  # another site, mailto:, data:
        problem = route_problem(app, parts.path, method)
        if problem:
            problems.append(f"{what} {method} {target or '(empty)'} -> {problem}")
    return problems


@pytest.fixture
def world(app):
    """One of everything the POST routes take an id of, and the users who may post there."""
    organiser = make_user(ORGANISER, first_name="Olga", last_name="Organisatrice")
    council = make_user(COUNCIL, first_name="Sylvie", last_name="Moscou")
    setup = make_exam(candidates=2, identity_checked=False)
    done = finished_session()
    sheet = make_anomaly(setup.session, setup.president)
    review = make_review(anomaly=sheet)
    action = make_action(review, status=APPLIED)
    breach = make_breach_sheet(setup.jury)
    meeting = make_meeting(sessions=[setup.session])
    bystander = make_juror("Victor", "Tiers")  # the account the staff routes act on
    db.session.commit()
    values = {
        "action_id": action.id, "meeting_id": meeting.id, "exam_id": setup.exam.id,
        "session_id": [setup.session.id, done.session.id], "jury_id": setup.jury.id, "user_id": bystander.id,
        "juror_id": setup.member.id, "candidate_id": setup.exam.candidate_id,
        "criterion_id": setup.criteria[0], "token": make_token(setup.exam.candidate),
        "certificate_id": 1, "appeal_id": 1, "sheet_id": 0,
    }
    sheets = {"anomalie": sheet.id, "conditions": breach.id}
    users = {"organiser": organiser, "council": council, "juror": setup.president}
    return {"values": values, "sheets": sheets, "users": users}


def urls_of(app, endpoint: str, rule: str, world) -> list[str]:
    """The rule's addresses with the world's ids (each value of an <any(…)>)."""
    found = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule)
    choices = []
    for name in sorted(found.arguments):
        if name == "slug":
            choices.append([("slug", slug) for slug in sorted(found._converters["slug"].items)])
            continue
        value = world["values"].get(name, 1)
        choices.append([(name, v) for v in (value if isinstance(value, list) else [value])])
    urls = []
    for combination in product(*choices):
        values = dict(combination)
        if "sheet_id" in values:
            values["sheet_id"] = world["sheets"][values.get("slug", "anomalie")]
        urls.append(app.url_map.bind("localhost").build(endpoint, values))
    return urls


def response_problems(app, client, url: str, response) -> list[str]:
    """What is wrong with the answer to a POST on `url`: a 5xx, a redirect to an address that
    does not answer GET, a page whose forms, htmx calls, return fields or links would fail."""
    if response.status_code >= 500:
        return ["server error"]
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(urljoin(f"http://localhost{url}", response.headers["Location"]))
        followed = client.get(target.path + (f"?{target.query}" if target.query else ""))
        if route_problem(app, target.path, "GET") or followed.status_code == 405 \
                or followed.status_code >= 500:
            return [f"redirects to {target.path}, GET gives {followed.status_code}"]
        return []
    if "text/html" not in response.headers.get("Content-Type", ""):
        return []
    return page_problems(app, f"http://localhost{url}", response.text)


@pytest.mark.parametrize(("endpoint", "rule"), post_rules())
def test_a_refused_post_leaves_a_page_whose_forms_and_links_work(app, world, make_web, web,
                                                                 endpoint, rule):
    clients = {name: make_web(user) for name, user in world["users"].items()}
    clients["nobody"] = web
    web.token = CSRF_RE.search(web.get("/connexion").text).group(1)
    bodies = [{}, *BODIES.get(endpoint, [])]
    failures = []
    for url in urls_of(app, endpoint, rule, world):
        for (who, client), body in product(clients.items(), bodies):
            data = {k: v.format(sheet=world["sheets"]["anomalie"]) for k, v in body.items()}
            response = client.post(url, data)
            failures += [f"{who} POST {url} {data or ''} -> {response.status_code}: {problem}"
                         for problem in response_problems(app, client, url, response)]
    assert not failures, "\n".join(failures)
