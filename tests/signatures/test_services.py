"""Signatures are stored with their evidence; only those concerned can read them back."""
import hashlib
import json

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import ORGANISER
from certif.database import write_transaction
from certif.errors import Conflict, NotFound
from certif.examday.models import ConditionsSheet
from certif.extensions import db
from certif.minutes.models import Minutes
from certif.signatures import rules, services
from certif.signatures.models import CANDIDATE_ATTENDANCE, CONDITIONS, JURY_ATTENDANCE, MINUTES, Signature

from ..factories.files import png_url
from ..factories.jurors import make_juror
from ..factories.sessions import make_exam
from ..factories.users import make_user


def _sign(setup, juror, mark=None, content=None):
    with write_transaction():
        return services.add_signature(
            JURY_ATTENDANCE, setup.exam.id, signer_key=services.user_key(juror), role="juror",
            name=juror.full_name, content=content or {"exam": setup.exam.id, "juror": juror.full_name},
            mark=mark or rules.parse_mark("typed", None, juror.full_name), auth_method="login",
            user=juror)


def test_evidence_hash_matches_the_exact_content_signed(app):
    setup = make_exam(attendance_signed=False)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"},
                                  headers={"User-Agent": "Firefox/140 (test)"}):
        signature = _sign(setup, setup.president)
    stored = db.session.get(Signature, signature.id)
    assert stored.content == rules.canonical_json({"exam": setup.exam.id,
                                                   "juror": setup.president.full_name})
    assert stored.content_sha256 == hashlib.sha256(stored.content.encode("utf-8")).hexdigest()
    evidence = services.evidence(stored)
    assert evidence["ip_address"] == "203.0.113.7"
    assert evidence["user_agent"] == "Firefox/140 (test)"
    assert evidence["authentication"]["method"] == "login"
    assert evidence["signer"]["name"] == setup.president.full_name
    assert evidence["signed_at_utc"].endswith("Z")
    assert hashlib.sha256(evidence["content"].encode()).hexdigest() == evidence["content_sha256"]
    json.dumps(evidence)  # exportable as is
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="signature.add"))
    assert entry.entity == JURY_ATTENDANCE and entry.entity_id == setup.exam.id


def test_a_signer_signs_a_document_once(app):
    setup = make_exam(attendance_signed=False)
    _sign(setup, setup.president)
    with pytest.raises(Conflict, match="déjà signé"):
        _sign(setup, setup.president)
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1


def test_a_drawn_signature_keeps_its_image_and_its_hash(app):
    setup = make_exam(attendance_signed=False)
    signature = _sign(setup, setup.member, mark=rules.parse_mark("drawn", png_url(), None))
    evidence = services.evidence(signature)
    assert evidence["mark"]["method"] == "drawn"
    assert evidence["mark"]["image_sha256"] == hashlib.sha256(signature.image_png).hexdigest()


def test_who_may_see_a_signature(app):
    setup = make_exam(attendance_signed=False)
    signature = _sign(setup, setup.president)
    outsider = make_juror("Otto", "Dehors")
    organiser = make_user(ORGANISER)
    assert services.visible_signature(organiser, signature.id) is not None
    assert services.visible_signature(setup.president, signature.id) is not None
    assert services.visible_signature(setup.member, signature.id) is not None  # same jury
    with pytest.raises(NotFound):
        services.visible_signature(outsider, signature.id)
    with pytest.raises(NotFound):
        services.visible_signature(organiser, 999999)


@pytest.mark.parametrize("document", [CONDITIONS, MINUTES])
def test_the_jurors_of_the_documents_jury_see_its_signatures(app, document):
    # The exam day (conditions sheets) and the minutes tell signatures which jury a document is of.
    setup = make_exam(attendance_signed=False)
    other = make_exam(attendance_signed=False)  # another session's jury
    if document == CONDITIONS:
        subject = ConditionsSheet(jury_id=setup.jury.id, day=setup.session.starts_at.date())
    else:
        subject = Minutes(session_id=setup.session.id)
    db.session.add(subject)
    db.session.commit()
    with write_transaction():
        signature = services.add_signature(
            document, subject.id, signer_key=services.user_key(setup.president), role="president",
            name=setup.president.full_name, content={"subject": subject.id},
            mark=rules.parse_mark("typed", None, setup.president.full_name), auth_method="login",
            user=setup.president)
    assert services.visible_signature(setup.member, signature.id) is not None
    for outsider in (other.president, make_juror("Otto", "Dehors")):
        with pytest.raises(NotFound):
            services.visible_signature(outsider, signature.id)


def test_signatures_of_groups_by_subject(app):
    setup = make_exam(candidates=2, attendance_signed=False)
    _sign(setup, setup.president)
    _sign(setup, setup.member)
    grouped = services.signatures_of(JURY_ATTENDANCE, [setup.exam.id, setup.exam.id + 1])
    assert [s.signer_name for s in grouped[setup.exam.id]] == [setup.president.full_name,
                                                                setup.member.full_name]
    assert grouped[setup.exam.id + 1] == []
    assert services.signatures_of(CANDIDATE_ATTENDANCE, []) == {}


def test_evidence_route_exports_json_for_those_concerned(app, make_web):
    setup = make_exam(attendance_signed=False)
    signature = _sign(setup, setup.president)
    response = make_web(setup.member).get(f"/signatures/{signature.id}/preuve.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["content_sha256"] == hashlib.sha256(data["content"].encode()).hexdigest()
    outsider = make_web(make_juror("Otto", "Dehors"))
    assert outsider.get(f"/signatures/{signature.id}/preuve.json").status_code == 404
    assert outsider.get(f"/signatures/{signature.id}/image.png").status_code == 404


def test_image_route_serves_a_drawn_signature_only(app, make_web):
    setup = make_exam(attendance_signed=False)
    typed = _sign(setup, setup.president)
    drawn = _sign(setup, setup.member, mark=rules.parse_mark("drawn", png_url(), None))
    web = make_web(setup.president)
    response = web.get(f"/signatures/{drawn.id}/image.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert web.get(f"/signatures/{typed.id}/image.png").status_code == 404


def test_anonymous_is_sent_to_login(app, web):
    setup = make_exam(attendance_signed=False)
    signature = _sign(setup, setup.president)
    response = web.get(f"/signatures/{signature.id}/preuve.json")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
