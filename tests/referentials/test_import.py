"""Referentials are data: YAML files imported into versioned tables."""
from decimal import Decimal

import pytest

from certif.extensions import db
from certif.referentials import loader
from certif.referentials.loader import ReferentialError, check
from certif.referentials.models import RefBlock, RefCompetency, RefCriterion, Referential
from certif.referentials.services import import_all, import_file, layout


def ref(code):
    return db.session.scalar(db.select(Referential).filter_by(code=code))


def test_rs6240_has_seven_competencies_twenty_four_criteria_and_twenty_points(app):
    rs = ref("RS6240")
    competencies = db.session.scalars(db.select(RefCompetency).filter_by(referential_id=rs.id)).all()
    criteria = db.session.scalars(db.select(RefCriterion).filter_by(referential_id=rs.id)
                                .order_by(RefCriterion.position)).all()
    assert [c.code for c in competencies] == [f"C{i}" for i in range(1, 8)]
    assert [c.points for c in competencies] == [Decimal(p) for p in (2, 3, 3, 3, 3, 3, 3)]
    assert sum(c.points for c in competencies) == Decimal(20) == rs.max_points
    assert len(criteria) == 24
    assert [c.code for c in criteria] == [f"Cr{i}" for i in range(1, 25)]
    assert (rs.rule, rs.pass_mark, rs.exam_minutes) == ("points", Decimal(14), 30)
    assert criteria[0].text.startswith("Le réseau social choisi est adapté")


def test_rs6240_criteria_per_competency_follow_the_annex(app):
    lay = layout(ref("RS6240").id)
    sizes = {c.code: len(c.criteria) for c in lay.competencies.values()}
    assert sizes == {"C1": 3, "C2": 4, "C3": 3, "C4": 4, "C5": 4, "C6": 2, "C7": 4}


def test_rncp_title_has_three_blocks_without_points(app):
    cm = ref("RNCP-CM")
    blocks = db.session.scalars(db.select(RefBlock).filter_by(referential_id=cm.id)
                                .order_by(RefBlock.position)).all()
    assert [b.code for b in blocks] == ["BC01", "BC02", "BC03"]
    lay = layout(cm.id)
    assert [len(b.competencies) for b in lay.blocks] == [6, 5, 3]
    assert all(c.points is None for c in lay.competencies.values())
    assert len(lay.criteria) == 65
    assert cm.rule == "blocks" and cm.max_points is None
    assert cm.details["deliverables"]["technical_dossier_due_days_before"] == 10


def test_import_is_idempotent(app):
    before = db.session.scalar(db.select(db.func.count(Referential.id)))
    assert import_all() == []
    assert db.session.scalar(db.select(db.func.count(Referential.id))) == before


def test_a_changed_file_without_a_new_version_is_refused(app, tmp_path):
    changed = tmp_path / "rs6240.yaml"
    text = (loader.DATA_DIR / "rs6240.yaml").read_text(encoding="utf-8")
    changed.write_text(text.replace("Le coût par clic est calculé et juste", "Autre texte"), encoding="utf-8")
    with pytest.raises(ReferentialError, match="sans nouvelle version"):
        import_file(changed)


def test_a_new_version_is_imported_beside_the_old_one(app, tmp_path):
    newer = tmp_path / "rs6240.yaml"
    text = (loader.DATA_DIR / "rs6240.yaml").read_text(encoding="utf-8")
    newer.write_text(text.replace("version: 1", "version: 2"), encoding="utf-8")
    imported = import_file(newer)
    assert imported.version == 2
    versions = db.session.scalars(db.select(Referential.version).filter_by(code="RS6240")).all()
    assert sorted(versions) == [1, 2]


def test_a_third_certification_needs_only_a_file(app, tmp_path, monkeypatch):
    (tmp_path / "demo.yaml").write_text("""
code: TEST1
version: 1
title: "Certification de test"
exam: {duration_minutes: 45}
scoring: {rule: points, max_points: 10, pass_mark: 5}
competencies:
  - code: K1
    title: "Compétence unique"
    points: 10
    criteria:
      - {code: Q1, text: "Premier critère"}
      - {code: Q2, text: "Second critère"}
""", encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    [new] = import_all()
    lay = layout(new.id)
    assert (new.code, new.exam_minutes, len(lay.criteria)) == ("TEST1", 45, 2)


BAD = [
    ("points do not add up", {"scoring": {"rule": "points", "max_points": 20, "pass_mark": 14},
                              "competencies": [{"code": "C1", "title": "t", "points": 3,
                                                "criteria": [{"code": "a", "text": "x"}]}]}, "font 3"),
    ("unknown rule", {"scoring": {"rule": "vote"}, "competencies": []}, "règle de notation inconnue"),
    ("duplicate code", {"scoring": {"rule": "points", "max_points": 2, "pass_mark": 1},
                        "competencies": [{"code": "C1", "title": "t", "points": 2, "criteria": [
                            {"code": "a", "text": "x"}, {"code": "a", "text": "y"}]}]}, "en double"),
    ("competency without criteria", {"scoring": {"rule": "blocks"}, "blocks": [
        {"code": "B", "title": "b", "competencies": [{"code": "C", "title": "t", "criteria": []}]}]},
     "aucun critère"),
]


@pytest.mark.parametrize("body,message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_invalid_files_are_refused_with_a_reason(body, message):
    data = {"code": "X", "version": 1, "title": "X", "exam": {"duration_minutes": 30}, **body}
    with pytest.raises(ReferentialError, match=message):
        check(data)


def test_shipped_files_are_valid():
    for path in loader.referential_files():
        loader.read(path)
    assert {p.stem for p in loader.referential_files()} >= {"rs6240", "rncp_cm"}
