"""The indicators page: who reaches it, its tables and charts, its filters, its query count."""
import re
from datetime import date, datetime

import pytest

from certif.auth.models import JUROR
from certif.council.indicators import queries
from certif.council.indicators.figures import Figures, SessionRow
from certif.council.indicators.filters import Filters
from certif.council.indicators.views import session_label
from certif.extensions import db

from ..factories.council import make_anomaly
from ..factories.database import count_queries
from ..factories.examday import make_breach_sheet
from ..factories.users import make_user
from .helpers import TODAY, add_session, build_fixture

URL = "/conseil/indicateurs/"


def cells(html: str, row_header: str) -> list[str]:
    """The text of the table row whose header starts with `row_header` (first table holding it)."""
    row = re.search(r"<tr>\s*<th scope=\"row\"[^>]*>" + re.escape(row_header) + r"(.*?)</tr>",
                    html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_anonymous_goes_to_the_login_page(web):
    for url in (URL, URL + "indicateurs.csv"):
        response = web.get(url)
        assert response.status_code == 302
        assert "/connexion" in response.headers["Location"]


def test_a_juror_is_refused(make_web):
    web = make_web(make_user(JUROR))
    assert web.get(URL).status_code == 403
    assert web.get(URL + "indicateurs.csv").status_code == 403


def test_council_and_organiser_read_the_page(council_user, organiser_user, make_web):
    build_fixture(organiser_user)
    for user in (council_user, organiser_user):
        response = make_web(user).get(URL)
        assert response.status_code == 200
        assert "<h1>Indicateurs qualité</h1>" in response.text
        assert "indicateur 3 du référentiel Qualiopi" in response.text
        assert "Les sessions annulées ne sont pas comptées" in response.text


def test_page_tables_show_the_figures(organiser_user, make_web, set_paris_today):
    set_paris_today(TODAY)  # IND-D is still to come
    build_fixture(organiser_user)
    html = make_web(organiser_user).get(URL).text
    # Per session: inscrits, présents, décisions, admis, taux, rattrapages, rattrapages réussis,
    # blocs validés, anomalies, fiches conditions, conditions non respectées, actions vérifiées, délai.
    assert cells(html, "n° IND-A") == ["1er décembre 2026", "RS6240", "5", "4", "3", "2",
                                       "66,7\u00a0%", "0", "0 / 0", "0", "2", "1", "2", "3",
                                       "5,0\u00a0jours"]
    # Convened, not sat (the session is to come): registered, not present.
    assert cells(html, "n° IND-D")[2:] == ["1", "0", "0", "0", "—", "0", "0 / 0", "0", "0", "0", "0",
                                          "0", "—"]
    # Anomalies per session: 1 sheet ÷ 1 session held (IND-D, to come, is left out).
    assert cells(html, "RNCP-CM<br>") == ["2dont 1 tenue", "4", "2", "2", "2", "100,0\u00a0%", "0",
                                      "0 / 0", "4", "1", "1", "1", "1", "2,3\u00a0jours", "1,0"]
    # The total also counts the action adopted at a meeting without a sheet (see the CSV test);
    # 3 sheets ÷ 3 sessions held.
    assert cells(html, "Total") == ["4dont 3 tenues", "12", "8", "7", "5", "71,4\u00a0%", "2",
                                    "1 / 1100,0\u00a0%", "4", "3", "2", "3", "5", "20,5\u00a0jours",
                                    "1,0"]
    assert "sessions déjà tenues" in html
    assert "Les actions adoptées en réunion sans fiche ne sont rattachées à aucune session" in html
    assert "IND-X" not in html  # cancelled


def test_page_draws_three_accessible_svg_charts_with_their_tables(organiser_user, make_web):
    build_fixture(organiser_user)
    html = make_web(organiser_user).get(URL).text
    charts = re.findall(r"<svg [^>]*>", html)
    assert len(charts) == 3
    for svg in charts:
        assert 'role="img"' in svg and 'width="100%"' in svg and 'viewBox="0 0 640 ' in svg
    assert '<title id="graphique-reussite-title">Taux de réussite par session</title>' in html
    assert "Anomalies et conditions non respectées par session" in html
    assert "Délai moyen adoption → vérification par certification" in html
    # Each chart's data in a table beside it.
    assert html.count("(données du graphique)") == 3
    assert "<title>IND-A · 01/12/26 : 66,7\u00a0%</title>" in html
    assert "<title>IND-A · 01/12/26 · Conditions non respectées : 2</title>" in html
    assert "<title>RS6240 : 5,0\u00a0jours</title>" in html


def test_filters_restrict_the_sessions_and_keep_the_csv_link(organiser_user, make_web):
    build_fixture(organiser_user)
    html = make_web(organiser_user).get(URL + "?certification=RNCP-CM&du=2026-12-01&au=2026-12-31").text
    assert "n° IND-C" in html
    assert "n° IND-A" not in html and "n° IND-D" not in html
    assert 'href="/conseil/indicateurs/indicateurs.csv?certification=RNCP-CM&amp;du=2026-12-01' \
           '&amp;au=2026-12-31"' in html
    assert '<option value="RNCP-CM" selected>' in html
    assert 'value="2026-12-01"' in html


def test_period_uses_the_paris_day_of_the_session(organiser_user, make_web):
    # 31 December 2026, 23:30 UTC is 1 January 2027 in Paris.
    add_session("RS6240", "NOUVEL-AN", datetime(2026, 12, 31, 23, 30))
    web = make_web(organiser_user)
    assert "n° NOUVEL-AN" not in web.get(URL + "?au=2026-12-31").text
    assert "n° NOUVEL-AN" in web.get(URL + "?du=2027-01-01&au=2027-01-01").text


@pytest.mark.parametrize("query", ["du=0001-01-01", "au=9999-12-31", "du=01/01/0001&au=31/12/9999"])
def test_far_years_answer_400_in_french_for_the_csv_too(organiser_user, make_web, query):
    response = make_web(organiser_user).get(f"{URL}indicateurs.csv?{query}")
    assert response.status_code == 400
    assert "Choisissez une année entre 2000 et 2100." in response.text


def test_the_years_2000_and_2100_are_accepted(organiser_user, make_web):
    web = make_web(organiser_user)
    assert web.get(URL + "?du=2000-01-01&au=31/12/2100").status_code == 200
    assert web.get(URL + "indicateurs.csv?du=01/01/2000&au=2100-12-31").status_code == 200


def test_no_session_says_so(organiser_user, make_web):
    html = make_web(organiser_user).get(URL + "?du=2030-01-01").text
    assert "Aucune session ne correspond à ces filtres." in html
    assert "<svg" not in html


@pytest.mark.parametrize("query, message", [
    ("du=0001-01-01", "Date de début invalide"),
    ("au=9999-12-31", "Date de fin invalide"),
    ("du=01/01/0001", "Date de début invalide"),
    ("au=31/12/9999", "Date de fin invalide"),
    ("du=1999-12-31", "Choisissez une année entre 2000 et 2100."),
    ("au=01/01/2101", "Choisissez une année entre 2000 et 2100."),
    ("du=demain", "Date de début invalide"),
    ("au=2026-13-01", "Date de fin invalide"),
    ("du=2026-12-31&au=2026-12-01", "La date de début de la période est postérieure à sa date de fin."),
    ("certification=RS9999", "Certification inconnue"),
])
def test_bad_filters_answer_400_in_french(organiser_user, make_web, query, message):
    response = make_web(organiser_user).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert '<form method="get"' in response.text  # the filters stay, to be corrected
    assert "<svg" not in response.text


def test_text_from_the_database_is_escaped(organiser_user, make_web):
    session = add_session("RS6240", "<b>S</b>", datetime(2026, 12, 1, 8, 0))
    make_anomaly(session, organiser_user)
    html = make_web(organiser_user).get(URL).text
    assert "<b>S</b>" not in html
    assert "&lt;b&gt;S&lt;/b&gt;" in html


def add_busy_session(n, reporter):
    session = add_session("RS6240", f"Q-{n}", datetime(2026, 12, 1 + n, 8, 0),
                          [("scheduled", "favorable"), ("absent_excused", None)])
    make_anomaly(session, reporter)
    make_breach_sheet(session.juries[0])
    return session


def test_a_fixed_number_of_queries_whatever_the_number_of_sessions(organiser_user, make_web):
    add_busy_session(1, organiser_user)

    def load():
        db.session.expire_all()
        queries.indicators_for(Filters())
    few = count_queries(load)
    web = make_web(organiser_user)
    page_few = count_queries(lambda: web.get(URL))
    for n in range(2, 12):
        add_busy_session(n, organiser_user)
    assert count_queries(load) == few == 6
    assert count_queries(lambda: web.get(URL)) == page_few
    assert len(queries.load().sessions) == 11


def test_a_long_session_number_is_cut_in_the_charts_but_whole_in_the_tables(organiser_user, make_web):
    add_session("RS6240", "2027-RS6240-RATTRAPAGE", datetime(2027, 3, 1, 8, 0))
    html = make_web(organiser_user).get(URL).text
    # Too long for the label column even without its date: its start and its end are kept.
    assert ">2027-RS62…RATTRAPAGE</text>" in html
    assert "n° 2027-RS6240-RATTRAPAGE" in html


def test_chart_labels_keep_session_numbers_whole():
    def row(number):
        return SessionRow(1, number, date(2026, 11, 22), "RS6240", "t", Figures())
    # Long numbers that differ only by their end stay whole: the date is shortened or dropped.
    labels = [session_label(row(f"2026-RS6240-0{i}")) for i in range(3)]
    assert labels == ["2026-RS6240-00", "2026-RS6240-01", "2026-RS6240-02"]
    assert session_label(row("CM-01")) == "CM-01 · 22/11/26"
    assert session_label(row("2026-CM-01")) == "2026-CM-01 · 22/11"
    # Longer than the label column: its start and its end, which tell sessions apart.
    assert session_label(row("RS6240-SESSION-SPECIALE-07")) == "RS6240-SE…PECIALE-07"
