"""What the minutes (a lower layer) read of the council's anomaly sheets: the sheets filed
for a session, for section 3 of its general minutes. Registered by `certif._resolvers`."""
from __future__ import annotations

from ..extensions import db
from ..minutes.record import AnomalyFact, register_anomaly_reader
from .models import AnomalySheet


def anomaly_facts(session_id: int) -> list[AnomalyFact]:
    """The session's anomaly sheets, in the order they were filed."""
    sheets = db.session.scalars(db.select(AnomalySheet).where(AnomalySheet.session_id == session_id)
                                .order_by(AnomalySheet.filed_at, AnomalySheet.id)).all()
    return [AnomalyFact(s.id, s.observed_on, s.type_label, s.reporter_label) for s in sheets]


def register() -> None:
    register_anomaly_reader(anomaly_facts)
