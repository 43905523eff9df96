"""A referential says how the Caisse des Dépôts knows it (`cdc: {type, code}`); the RNCP
title's number is unknown (seed 001), declared missing with `code: null`."""
import pytest
import yaml

from certif.extensions import db
from certif.referentials import loader
from certif.referentials.loader import ReferentialError, check
from certif.referentials.models import Referential


def test_shipped_referentials_declare_their_cdc_identity(app):
    by_code = {r.code: r.cdc_certification for r in db.session.scalars(db.select(Referential))}
    assert by_code["RS6240"] == {"type": "RS", "code": "6240"}
    assert by_code["RNCP-CM"] == {"type": "RNCP", "code": None}


@pytest.mark.parametrize(("section", "message"), [
    ({"type": "RSX", "code": "1"}, "« cdc.type » doit valoir RS ou RNCP"),
    ({"code": "1"}, "« cdc.type »"),
    ({"type": "RS", "code": 6240}, "« cdc.code » doit être un texte"),
    ({"type": "RS", "code": " "}, "« cdc.code »"),
    ({"type": "RS", "code": "1", "number": "2"}, "clé inconnue « number »"),
    ("RS6240", "« cdc.type »"),
])
def test_a_bad_cdc_section_is_refused(section, message):
    data = yaml.safe_load((loader.DATA_DIR / "rs6240.yaml").read_text(encoding="utf-8"))
    data["cdc"] = section
    with pytest.raises(ReferentialError) as refused:
        check(data, "rs6240.yaml")
    assert message in str(refused.value)


def test_a_missing_code_is_accepted_as_unknown():
    data = yaml.safe_load((loader.DATA_DIR / "rncp_cm.yaml").read_text(encoding="utf-8"))
    check(data, "rncp_cm.yaml")
    assert data["cdc"] == {"type": "RNCP", "code": None}
