"""The organisation's insurance: `make_policy`, and `insure_every_day` — the one home of the
policy that lets the other tests convene sessions (convening outside the organisation's
civil liability cover is refused, seed 000 I.A)."""
from datetime import date

from certif.extensions import db
from certif.organisation.models import InsurancePolicy

# Wide enough for every date a test picks.
ALWAYS = (date(2000, 1, 1), date(2099, 12, 31))


def make_policy(starts_on: date, ends_on: date, insurer="Mutuelle Test Assurances",
                number="RC-TEST-0001", **fields) -> InsurancePolicy:
    policy = InsurancePolicy(insurer=insurer, number=number, starts_on=starts_on, ends_on=ends_on,
                             **fields)
    db.session.add(policy)
    db.session.commit()
    return policy


def insure_every_day() -> InsurancePolicy:
    return make_policy(*ALWAYS, number="RC-TOUS-LES-JOURS")


def remove_policies() -> None:
    """No cover at all: for the tests of the refusal."""
    db.session.execute(db.delete(InsurancePolicy))
    db.session.commit()
