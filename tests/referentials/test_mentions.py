"""A referential says which title goes where (registered title, annexes' heading) and how
long its registration and certificates run; those mentions may be completed in place."""
import pytest
import yaml

from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.referentials import loader
from certif.referentials.loader import ReferentialError, check
from certif.referentials.models import Referential
from certif.referentials.services import import_file


def rs6240() -> Referential:
    return db.session.scalar(db.select(Referential).filter_by(code="RS6240"))


def test_rs6240_declares_its_two_titles_and_its_registration(app):
    ref = rs6240()
    assert ref.registered_title.startswith("Gérer les réseaux sociaux d'une entreprise")
    assert ref.annex_heading == "GERER LA COMMUNICATION DIGITALE D'UNE ENTREPRISE VIA LES RESEAUX SOCIAUX"
    assert ref.registration["effective_from"] == "2023-01-26"
    assert ref.registration["ends_on"] == "2028-01-25"
    assert ref.certificate_validity_years is None
    text = (loader.DATA_DIR / "rs6240.yaml").read_text(encoding="utf-8")
    assert "`registered_title`" in text and "`annex_heading`" in text


def test_a_changed_mention_is_completed_in_place_and_audited(app, tmp_path):
    changed = tmp_path / "rs6240.yaml"
    text = (loader.DATA_DIR / "rs6240.yaml").read_text(encoding="utf-8")
    changed.write_text(text.replace('ends_on: "2028-01-25"', 'ends_on: "2026-01-25"'), encoding="utf-8")
    before = rs6240()
    criteria_ids = [c.id for comp in before.competencies for c in comp.criteria]
    assert import_file(changed) is None
    db.session.expire_all()
    ref = rs6240()
    assert ref.registration["ends_on"] == "2026-01-25" and ref.version == 1
    assert [c.id for comp in ref.competencies for c in comp.criteria] == criteria_ids
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="referential.update_mentions"))
    assert entry is not None and entry.entity_id == ref.id


def test_a_changed_grading_content_is_still_refused(app, tmp_path):
    changed = tmp_path / "rs6240.yaml"
    text = (loader.DATA_DIR / "rs6240.yaml").read_text(encoding="utf-8")
    changed.write_text(text.replace("pass_mark: 14", "pass_mark: 12"), encoding="utf-8")
    with pytest.raises(ReferentialError, match="sans nouvelle version"):
        import_file(changed)


@pytest.mark.parametrize("patch, message", [
    ({"registered_title": ""}, "registered_title"),
    ({"registration": {"ends_on": "25/01/2028"}}, "registration.ends_on"),
    ({"registration": {"effective_from": "2023-01-26", "ends_on": "2022-01-01"}}, "précède"),
    ({"certificate": {"validity_years": 0}}, "validity_years"),
])
def test_mentions_are_checked(patch, message):
    data = yaml.safe_load((loader.DATA_DIR / "rs6240.yaml").read_text(encoding="utf-8"))
    data.update(patch)
    with pytest.raises(ReferentialError, match=message):
        check(data)
