"""Issue 13, item 9: a finished exam is not labelled "Prévu" (one home: Exam.status_label)."""
import pytest

from certif.sessions.models import Exam


@pytest.mark.parametrize("status, phase, label", [
    ("scheduled", "grading", "Prévu"),
    ("scheduled", "deliberation", "En délibération"),
    ("scheduled", "closed", "Évalué"),
    ("moved", "grading", "Reporté"),
    ("absent_excused", "grading", "Absent excusé"),
])
def test_an_exams_status_label_follows_its_phase(app, status, phase, label):
    assert Exam(status=status, phase=phase).status_label == label
