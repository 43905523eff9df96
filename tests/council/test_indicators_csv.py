"""The indicators' CSV against a hand-built fixture, figure by figure (computed by hand).

Fixture (sessions in date order; times UTC, Paris days as shown):
"Today" is 20/01/2027 (Paris): IND-A, IND-C and IND-B are held, IND-D is still to come.
Present = sat: an identity check by the jury, or a decision; merely convened is not present.
- IND-A, RS6240, 01/12/2026: 6 exams: favourable, unfavourable, favourable (closed); absent;
  moved to IND-B; still grading, identity checked (sat).
  → inscrits 5 (6 - moved), présents 4 (3 decisions + 1 checked), décisions 3, admis 2 (66,7 %)
  2 anomaly sheets; 1 handed conditions sheet with conditions 3 and 11 not respected (+ one
  not handed, not counted); verified actions: 10 d and 3,5 d (anomaly sheet 1's review),
  1,5 d (the conditions sheet's review); one adopted, not verified.   → 3 actions, 5,0 d
- IND-C, RNCP-CM, 10/12/2026: favourable, favourable, absent.  → 3, 2, 2, 2 (100,0 %)
  1 anomaly sheet (one action verified after 2,25 d → 2,3); 1 conditions sheet (condition 11).
- IND-B, RS6240, 15/01/2027: a retake (favourable), the exam moved from IND-A (unfavourable),
  an absent retake.          → inscrits 3, présents 2, décisions 2, admis 1 (50,0 %), 2 retakes
  a handed conditions sheet with every condition respected (no breach: not counted).
- IND-D, RNCP-CM, 01/02/2027 (to come): one candidate convened, not sat yet.
  → inscrits 1, présents 0, no decision, no pass rate, no delay; not a session held
- IND-X, RS6240, 05/12/2026, CANCELLED: an exam, an anomaly, a breach, a verified action: left out.
An action adopted at a meeting only (no sheet, meeting of 06/12/2026) is verified after 85 d:
it belongs to no session and counts in the total only.
"""
import csv
import io
from datetime import datetime

from .helpers import TODAY, add_session, build_fixture

RS_TITLE = ("Gérer les réseaux sociaux d'une entreprise afin d'intégrer une stratégie social "
            "media à une communication digitale")
CM_TITLE = "Community manager"

HEADERS = [
    "Ligne", "Certification", "Intitulé", "Session", "Date de la session", "Année",
    "Nombre de sessions", "Candidats inscrits", "Candidats présents", "Décisions rendues", "Admis",
    "Taux de réussite (%)", "Rattrapages", "Rattrapages avec décision", "Rattrapages réussis",
    "Taux de réussite des rattrapages (%)", "Blocs validés", "Fiches anomalie",
    "Anomalies par session tenue", "Fiches conditions avec manquement", "Conditions non respectées",
    "Actions vérifiées", "Délai moyen adoption → vérification (jours)",
]
# The figures of each session (inscrits … blocs validés) and its quality figures (fiches …).
A = ["5", "4", "3", "2", "66,7", "0", "0", "0", "", "0"]
A_QUALITY = ["2", "", "1", "2", "3", "5,0"]
# IND-C: 3 blocks for the first candidate, 1 for the second (its other one revoked).
C = ["3", "2", "2", "2", "100,0", "0", "0", "0", "", "4"]
C_QUALITY = ["1", "", "1", "1", "1", "2,3"]
# IND-B: 2 retakes, one absent, the other decided and admitted: 1 / 1 = 100,0 %.
B = ["3", "2", "2", "1", "50,0", "2", "1", "1", "100,0", "0"]
B_QUALITY = ["0", "", "0", "0", "0", ""]
D = ["1", "0", "0", "0", "", "0", "0", "0", "", "0"]
D_QUALITY = ["0", "", "0", "0", "0", ""]
EXPECTED = [
    HEADERS,
    ["Session", "RS6240", RS_TITLE, "IND-A", "01/12/2026", "2026", ""] + A + A_QUALITY,
    ["Session", "RNCP-CM", CM_TITLE, "IND-C", "10/12/2026", "2026", ""] + C + C_QUALITY,
    ["Session", "RS6240", RS_TITLE, "IND-B", "15/01/2027", "2027", ""] + B + B_QUALITY,
    ["Session", "RNCP-CM", CM_TITLE, "IND-D", "01/02/2027", "2027", ""] + D + D_QUALITY,
    # Per certification and calendar year: one session each here.
    ["Année", "RNCP-CM", CM_TITLE, "", "", "2026", "1"] + C + C_QUALITY,
    ["Année", "RNCP-CM", CM_TITLE, "", "", "2027", "1"] + D + D_QUALITY,
    ["Année", "RS6240", RS_TITLE, "", "", "2026", "1"] + A + A_QUALITY,
    ["Année", "RS6240", RS_TITLE, "", "", "2027", "1"] + B + B_QUALITY,
    # RNCP-CM: inscrits 3 + 1 = 4, présents 2 + 0 = 2; 1 sheet ÷ 1 session held (IND-C; IND-D
    # is to come) = 1,0 (it would be 1 ÷ 2 = 0,5 counting the session to come).
    ["Certification", "RNCP-CM", CM_TITLE, "", "", "", "2",
     "4", "2", "2", "2", "100,0", "0", "0", "0", "", "4", "1", "1,0", "1", "1", "1", "2,3"],
    # RS6240: inscrits 5 + 3 = 8, présents 4 + 2 = 6; 2 sheets ÷ 2 sessions held = 1,0.
    ["Certification", "RS6240", RS_TITLE, "", "", "", "2",
     "8", "6", "5", "3", "60,0", "2", "1", "1", "100,0", "0", "2", "1,0", "1", "2", "3", "5,0"],
    # Inscrits 4 + 8 = 12, présents 2 + 6 = 8; 5 / 7 = 71,43 %; 3 sheets ÷ 3 sessions held
    # (4 shown, IND-D to come) = 1,0. The total also counts the action adopted
    # at a meeting without a sheet (6 December 2026 → 1 March 2027: 25 + 31 + 28 + 1 = 85 d),
    # in no session's row: 4 + 1 = 5 verified actions, (15 + 2,25 + 85) d / 5 = 20,45 → 20,5 d
    # (it was 4 actions and (15 + 2,25) / 4 = 4,3 d before it counted).
    ["Total", "Toutes", "Total", "", "", "", "4",
     "12", "8", "7", "5", "71,4", "2", "1", "1", "100,0", "4", "3", "1,0", "2", "3", "5", "20,5"],
]


def read_csv(response):
    assert response.data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    text = response.data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def assert_cells(rows, expected):
    assert len(rows) == len(expected), rows
    for r, (row, want) in enumerate(zip(rows, expected, strict=True)):
        assert len(row) == len(want), (r, row)
        for c, (cell, wanted) in enumerate(zip(row, want, strict=True)):
            assert cell == wanted, f"ligne {r + 1}, colonne « {HEADERS[c]} » : {cell!r} ≠ {wanted!r}"


def test_csv_figures_match_the_hand_computed_fixture(council_user, organiser_user, make_web,
                                                     set_paris_today):
    build_fixture(organiser_user)
    set_paris_today(TODAY)

    response = make_web(council_user).get("/conseil/indicateurs/indicateurs.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="indicateurs-2027-01-20.csv"'
    assert_cells(read_csv(response), EXPECTED)


def test_csv_keeps_the_page_filters(organiser_user, make_web, set_paris_today):
    set_paris_today(TODAY)

    build_fixture(organiser_user)
    web = make_web(organiser_user)
    rows = read_csv(web.get("/conseil/indicateurs/indicateurs.csv?certification=RNCP-CM"))
    assert [r[3] for r in rows[1:]] == ["IND-C", "IND-D", "", "", "", ""]
    assert rows[-2][:2] == ["Certification", "RNCP-CM"]
    assert rows[-1][7:12] == ["4", "2", "2", "2", "100,0"]

    # December 2026 (Paris days): IND-A and IND-C, both held (3 sheets ÷ 2 = 1,5); the
    # cancelled IND-X stays out. The meeting of
    # 6 December is in the period: its sheet-less action counts in the total, (15 + 2,25 + 85) / 5.
    rows = read_csv(web.get("/conseil/indicateurs/indicateurs.csv?du=2026-12-01&au=2026-12-31"))
    assert [r[3] for r in rows[1:3]] == ["IND-A", "IND-C"]
    assert rows[-1] == ["Total", "Toutes", "Total", "", "", "", "2", "8", "6", "5", "4", "80,0",
                        "0", "0", "0", "", "4", "3", "1,5", "2", "3", "5", "20,5"]
    # January 2027 on: the meeting was held before, its action is left out (IND-B: none).
    rows = read_csv(web.get("/conseil/indicateurs/indicateurs.csv?du=2027-01-01"))
    assert rows[-1][21:] == ["0", ""]
    # A certification chosen: the meeting dealt with no session of it, its action is left out.
    rows = read_csv(web.get("/conseil/indicateurs/indicateurs.csv?certification=RNCP-CM"))
    assert rows[-1][21:] == ["1", "2,3"]


def test_csv_refuses_a_bad_date_in_french(organiser_user, make_web):
    response = make_web(organiser_user).get("/conseil/indicateurs/indicateurs.csv?du=31/02/2026")
    assert response.status_code == 400
    assert "Date de début invalide" in response.text


def test_csv_cells_cannot_run_as_excel_formulas(organiser_user, make_web):
    add_session("RS6240", "=HYPERLINK(\"x\")", datetime(2026, 12, 1, 8, 0))
    rows = read_csv(make_web(organiser_user).get("/conseil/indicateurs/indicateurs.csv"))
    assert rows[1][3] == "'=HYPERLINK(\"x\")"
