"""Issue 13, item 4: an action is verified by a council member other than the one who applied it
(and other than its owner). The service refuses (403, French), the pages do not offer it."""
from html import unescape

import pytest

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, ORGANISER
from certif.council.actions import operations as action_ops
from certif.council.models import APPLIED, IN_PROGRESS, VERIFIED, CorrectiveAction
from certif.errors import Forbidden
from certif.extensions import db

from ..factories.council import make_action, make_review
from ..factories.users import make_user

pytestmark = pytest.mark.usefixtures("fixed_today")

OWN_APPLIED = action_ops.MSG_VERIFY_OWN_APPLIED
OWN_ACTION = action_ops.MSG_VERIFY_OWN_ACTION
COUNCIL_ONLY = action_ops.MSG_COUNCIL_STEP.format(what="vérifier")


@pytest.fixture
def people(app):
    """Sephora organises and sits on the council (as in the demo), Sylvie and Manon sit on the
    council, Olga organises only."""
    return {"sephora": make_user(ORGANISER, COUNCIL, first_name="Sephora", last_name="Labi"),
            "sylvie": make_user(COUNCIL, first_name="Sylvie", last_name="Moscou"),
            "manon": make_user(COUNCIL, first_name="Manon", last_name="Garcia"),
            "olga": make_user(ORGANISER, first_name="Olga", last_name="Organisatrice")}


def reload(action) -> CorrectiveAction:
    return db.session.get(CorrectiveAction, action.id)


def move(web, action, target, **data):
    return web.post(f"/conseil/actions/{action.id}/statut", {"target": target, **data})


# owner (None: someone without an account), who marks it applied, who verifies, the refusal (None: verified)
CASES = [
    pytest.param("sephora", "sephora", "sephora", OWN_APPLIED, id="owner-applies-then-verifies-her-own"),
    pytest.param(None, "sylvie", "sylvie", OWN_APPLIED, id="member-verifies-what-she-applied"),
    pytest.param("manon", "sylvie", "manon", OWN_ACTION, id="owner-verifies-what-another-applied"),
    pytest.param("olga", "olga", "olga", COUNCIL_ONLY, id="organiser-not-on-the-council"),
    pytest.param("sephora", "sephora", "sylvie", None, id="another-member-verifies"),
    pytest.param(None, "sylvie", "manon", None, id="another-member-verifies-an-outsiders-action"),
]


@pytest.mark.parametrize(("owner", "applier", "verifier", "refusal"), CASES)
def test_who_may_verify_an_applied_action(sheet, people, make_web, owner, applier, verifier, refusal):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=IN_PROGRESS, owner=people[owner] if owner else None)
    webs = {name: make_web(people[name]) for name in {applier, verifier}}
    assert move(webs[applier], action, APPLIED, note="Fait.").status_code == 303
    page = unescape(webs[verifier].get(f"/conseil/actions/{action.id}").text)

    response = move(webs[verifier], action, VERIFIED, evidence_text="Constaté en salle 3.")
    if refusal is None:
        assert response.status_code == 303
        assert reload(action).status == VERIFIED
        assert reload(action).verified_by_id == people[verifier].id
        assert "Marquer vérifiée" in page
        return
    assert response.status_code == 403
    assert refusal in unescape(response.text)
    assert reload(action).status == APPLIED and reload(action).verified_at is None
    assert not db.session.scalars(db.select(AuditEntry).filter_by(action="action.verify")).all()
    # The page neither offers it nor hides why.
    assert "Marquer vérifiée" not in page
    if refusal != COUNCIL_ONLY:
        assert refusal in page


def test_the_service_itself_refuses_the_one_who_applied_it(sheet, people):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=IN_PROGRESS)
    action_ops.move(action, APPLIED, people["sylvie"], note="Fait.")
    with pytest.raises(Forbidden) as refused:
        action_ops.move(reload(action), VERIFIED, people["sylvie"], evidence_text="Vu.")
    assert refused.value.status == 403 and refused.value.message == OWN_APPLIED
    assert action_ops.allowed_steps(people["sylvie"], reload(action)) == [("reopen", IN_PROGRESS)]
    assert ("verify", VERIFIED) in action_ops.allowed_steps(people["manon"], reload(action))


def test_after_a_reopening_the_last_one_who_applied_it_may_not_verify(sheet, people):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=IN_PROGRESS)
    action_ops.move(action, APPLIED, people["sylvie"])
    action_ops.move(reload(action), IN_PROGRESS, people["manon"], note="Pas effectif.")
    action_ops.move(reload(action), APPLIED, people["manon"])
    assert action_ops.verify_problem(people["manon"], reload(action)) == OWN_APPLIED
    action_ops.move(reload(action), VERIFIED, people["sylvie"], evidence_text="Vu.")
    assert reload(action).status == VERIFIED


def test_the_review_page_does_not_offer_verifying_to_the_one_who_applied_it(sheet, people, make_web):
    review = make_review(anomaly=sheet, signed=True)
    action = make_action(review, status=IN_PROGRESS)
    sylvie, manon = make_web(people["sylvie"]), make_web(people["manon"])
    assert move(sylvie, action, APPLIED).status_code == 303
    url = f"/conseil/fiches/anomalie/{sheet.id}"
    mine = unescape(sylvie.get(url).text)
    assert "Marquer vérifiée" not in mine and OWN_APPLIED in mine
    assert "Marquer vérifiée" in unescape(manon.get(url).text)
