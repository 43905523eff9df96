"""Certificates whose holders can be declared to the Caisse des Dépôts (issue 15)."""
from datetime import date

from certif.certificates.models import Certificate
from certif.extensions import db
from certif.grading.rules import FAVORABLE

from .grading import finished_session

HOLDER = {"birth_name": "Durand", "usage_name": None, "first_name_2": "Marie",
          "first_name_3": None, "birth_date": date(1991, 4, 12), "sex": "F",
          "birth_insee_code": "69123", "birth_postal_code": None, "birth_commune": "Lyon",
          "birth_country_code": None, "birth_country_name": None, "access_mode": None}


def declarable_certificates(n: int = 2, days_ago: int = 3, code: str = "RS6240",
                            holders=()) -> list[Certificate]:
    """`n` certificates of a session held `days_ago` days ago, their holders' data complete
    (each `holders[i]`, when given, overrides fields of the i-th holder). The certificate rows
    are made directly (no sealed PDF: the declaration does not need it)."""
    setup = finished_session(decisions=(FAVORABLE,) * n, days_ago=days_ago, code=code)
    certificates = []
    for i, exam in enumerate(setup.jury.exams):
        overrides = holders[i] if i < len(holders) else {}
        for key, value in {**HOLDER, "birth_name": f"Durand{i + 1}", **overrides}.items():
            setattr(exam.candidate, key, value)
        certificate = Certificate(exam_id=exam.id, number=f"{code}-{setup.session.number}-{i + 1:04d}",
                                  verification_code="ABCDEFGHJK")
        db.session.add(certificate)
        certificates.append(certificate)
    db.session.commit()
    return certificates
