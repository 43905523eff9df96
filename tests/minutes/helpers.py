"""Helpers of the minutes tests: signing forms with the fingerprint of what a page showed,
grading through the services up to closed deliberations."""
import re

from certif.extensions import db
from certif.grading import services as grading

HASH_FIELD = re.compile(r'name="content_sha256" value="([0-9a-f]{64})"')


def sign_form(name="Paule Presidente", content_sha256=None):
    form = {"signature_method": "typed", "signature_typed": name}
    if content_sha256 is not None:
        form["content_sha256"] = content_sha256
    return form


def page_hash(client, path):
    """The content fingerprint carried by the signing form of the page at `path`."""
    response = client.get(path)
    found = HASH_FIELD.search(response.text)
    assert response.status_code == 200 and found, f"no signing form on {path}"
    return found.group(1)


def shown_hash(session_id):
    """The fingerprint a page would show now (for pages that offer no signing form yet)."""
    from certif.minutes.state import minutes_state
    return minutes_state(session_id).content_sha256


def sign(client, setup, name="Paule Presidente"):
    """A juror opens the minutes page and signs what it shows."""
    path = f"/jury/sessions/{setup.session.id}/proces-verbal"
    return client.post(f"{path}/signature", sign_form(name, page_hash(client, path)))


def give_visa(client, setup, name="Olga Organisatrice"):
    """The organiser opens the minutes page and gives the visa to what it shows."""
    path = f"/sessions/{setup.session.id}/proces-verbal"
    return client.post(f"{path}/visa", sign_form(name, page_hash(client, path)))


def grade(setup, exam, values=None):
    """Both jurors mark every criterion the same (acquis unless `values` says otherwise)."""
    values = values or {}
    for juror in (setup.president, setup.member):
        for criterion_id in setup.criteria:
            value = "acquis" if values.get(criterion_id, True) else "non_acquis"
            grading.set_mark(juror, exam.id, criterion_id, value)


def close(setup, exam, values=None, comment="Très bonne prestation."):
    grade(setup, exam, values)
    grading.open_deliberation(setup.president, exam.id)
    grading.close_deliberation(setup.president, exam.id, confirmed=True, comment=comment)
    db.session.expire_all()


def exams_of(setup):
    return sorted(setup.jury.exams, key=lambda e: e.id)
