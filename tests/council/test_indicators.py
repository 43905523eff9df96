"""The indicators' pure part (records in, rows out), their CSV text and the SVG charts."""
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from certif.council.indicators import charts
from certif.council.indicators.export import csv_rows, days_fr, percent_fr, to_csv
from certif.council.indicators.figures import (
    ActionRecord,
    ConditionsRecord,
    ExamRecord,
    Figures,
    SessionRecord,
    build,
    exam_figures,
    ratio,
)
from certif.council.indicators.filters import Filters, parse_filters
from certif.errors import InvalidInput

S1 = SessionRecord(1, "S-1", date(2026, 12, 1), "RS6240", "Réseaux sociaux")
S2 = SessionRecord(2, "S-2", date(2026, 11, 2), "RS6240", "Réseaux sociaux (v2)", version=2)
S3 = SessionRecord(3, "S-3", date(2026, 12, 1), "RNCP-CM", "Community manager")


def exam(session_id, status="scheduled", decision=None, retake=False, sat=False):
    return ExamRecord(session_id, status, "closed" if decision else "grading", decision, retake, sat)


def test_exam_figures_count_registered_present_decided_and_admitted():
    figures = exam_figures([
        exam(1, decision="favorable"), exam(1, decision="defavorable"),
        exam(1, sat=True),  # sat (identity checked), not deliberated yet: no decision
        exam(1),  # convened, never seen by the jury: registered, not present
        exam(1, "absent_excused"), exam(1, "absent_unexcused", retake=True),
        exam(1, "moved", retake=True),  # counted where it moved to
    ])
    # Registered: 6 (all but the moved one). Present: the 2 with a decision + the one whose
    # identity was checked = 3 (the merely convened one and the 2 absent ones are not).
    assert (figures.registered, figures.present, figures.decided, figures.admitted,
            figures.retakes) == (6, 3, 2, 1, 1)
    assert figures.pass_rate == Decimal("50.0")


def test_anomalies_per_session_divide_by_the_sessions_held_only():
    # S-2 (2 November) and S-1 (1 December) are RS6240; today is 15 November: only S-2 is held.
    result = build([S1, S2], [], {1: 0, 2: 3}, [], [], today=date(2026, 11, 15))
    rs = result.certifications[0]
    assert (rs.sessions, rs.held, rs.anomalies_per_session) == (2, 1, Decimal("3.0"))  # 3 ÷ 1
    assert result.total.anomalies_per_session == Decimal("3.0")
    # Before any session was held there is nothing to divide by.
    before = build([S1, S2], [], {}, [], [], today=date(2026, 11, 1))
    assert before.total.held == 0 and before.total.anomalies_per_session is None


def test_a_decision_still_in_deliberation_is_not_counted():
    figures = exam_figures([ExamRecord(1, "scheduled", "deliberation", "favorable", sat=True)])
    assert (figures.present, figures.decided, figures.admitted, figures.pass_rate) == (1, 0, 0, None)


@pytest.mark.parametrize("numerator, denominator, scale, expected", [
    (2, 3, 100, Decimal("66.7")), (1, 3, 100, Decimal("33.3")), (1, 8, 100, Decimal("12.5")),
    (3, 4, 1, Decimal("0.8")),  # half-up, not banker's rounding
    (1, 40, 1, Decimal("0.0")), (5, 5, 100, Decimal("100.0")), (1, 0, 100, None),
])
def test_ratio_rounds_half_up_to_one_decimal(numerator, denominator, scale, expected):
    assert ratio(numerator, denominator, scale) == expected


def test_average_delay_in_days_over_the_verified_actions():
    assert Figures().average_delay_days is None
    assert Figures(verified_actions=2, delay_seconds=86400 * 3).average_delay_days == Decimal("1.5")
    assert Figures(verified_actions=4, delay_seconds=int(86400 * 17.25)).average_delay_days \
        == Decimal("4.3")


def test_build_rows_per_session_per_certification_and_total():
    result = build(
        [S1, S2, S3],
        [exam(1, decision="favorable"), exam(1, decision="defavorable"), exam(2, decision="favorable"),
         exam(3, "absent_excused"), exam(99, decision="favorable")],  # 99: a session left out
        {1: 2, 3: 1, 99: 5},
        [ConditionsRecord(1, 2), ConditionsRecord(3, 1)],
        [ActionRecord(1, datetime(2026, 12, 5), datetime(2026, 12, 15)),
         ActionRecord(2, datetime(2026, 12, 5), datetime(2026, 12, 6, 12)),
         ActionRecord(99, datetime(2026, 12, 5), datetime(2027, 12, 6))])
    # Sessions by date then number; certifications by code.
    assert [s.number for s in result.sessions] == ["S-2", "S-1", "S-3"]
    assert [c.code for c in result.certifications] == ["RNCP-CM", "RS6240"]
    rs = result.certifications[1]
    assert rs.title == "Réseaux sociaux (v2)"  # the newest version's title
    assert (rs.sessions, rs.figures.registered, rs.figures.admitted, rs.figures.pass_rate) == \
        (2, 3, 2, Decimal("66.7"))
    assert (rs.figures.anomalies, rs.anomalies_per_session) == (2, Decimal("1.0"))
    assert (rs.figures.breach_sheets, rs.figures.breaches) == (1, 2)
    assert (rs.figures.verified_actions, rs.figures.average_delay_days) == (2, Decimal("5.8"))
    cm = result.certifications[0]
    assert (cm.figures.present, cm.figures.pass_rate, cm.figures.average_delay_days) == (0, None, None)
    total = result.total
    assert (total.code, total.sessions, total.figures.registered, total.figures.anomalies) == \
        (None, 3, 4, 3)
    assert total.anomalies_per_session == Decimal("1.0")


def test_no_session_gives_an_empty_total():
    result = build([], [], {}, [], [])
    assert result.sessions == () and result.certifications == ()
    assert result.total.sessions == 0 and result.total.anomalies_per_session is None


def test_french_display_of_figures():
    assert percent_fr(Decimal("66.7")) == "66,7\u00a0%"
    assert percent_fr(None) == "—"
    assert days_fr(Decimal("1.5")) == "1,5\u00a0jour"
    assert days_fr(Decimal("2.0")) == "2,0\u00a0jours"
    assert days_fr(None) == "—"


@pytest.mark.parametrize("args, expected", [
    ({}, Filters()),
    ({"certification": " RS6240 ", "du": "2026-12-01", "au": "31/12/2026"},
     Filters("RS6240", date(2026, 12, 1), date(2026, 12, 31))),
    ({"du": "2026-12-01", "au": "2026-12-01"}, Filters(None, date(2026, 12, 1), date(2026, 12, 1))),
])
def test_parse_filters(args, expected):
    assert parse_filters(args) == expected


@pytest.mark.parametrize("args, message", [
    ({"du": "2026-02-30"}, "Date de début invalide"),
    ({"au": "hier"}, "Date de fin invalide"),
    ({"du": "2026-12-02", "au": "2026-12-01"}, "postérieure à sa date de fin"),
])
def test_parse_filters_refuses_bad_dates_in_french(args, message):
    with pytest.raises(InvalidInput, match=message):
        parse_filters(args)


def test_csv_text_uses_semicolons_and_decimal_commas():
    result = build([S1], [exam(1, decision="favorable"), exam(1, decision="defavorable"),
                          exam(1, decision="defavorable")], {}, [], [])
    text = to_csv(result)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows == csv_rows(result)
    assert rows[1][:5] == ["Session", "RS6240", "Réseaux sociaux", "S-1", "01/12/2026"]
    assert rows[1][11] == "33,3"
    assert [r[0] for r in rows[1:]] == ["Session", "Année", "Certification", "Total"]


# --- charts -----------------------------------------------------------------------------

def test_bar_chart_is_a_named_image_readable_at_640px():
    svg = charts.bar_chart("g1", "Taux de réussite", "Une barre par session.", [
        charts.Bar("S-1", Decimal("50.0"), "50,0 %"), charts.Bar("S-2", None, "—")],
        maximum=100, unit=" %")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'viewBox="0 0 640 ' in svg and 'width="100%"' in svg
    assert 'role="img" aria-labelledby="g1-title g1-desc"' in svg
    assert '<title id="g1-title">Taux de réussite</title>' in svg
    assert '<desc id="g1-desc">Une barre par session.</desc>' in svg
    bars = re.findall(r'<rect [^>]*width="([\d.]+)"', svg)
    assert bars == [f"{charts.PLOT_WIDTH / 2:.1f}"]  # 50 % of the plot; none for "—"
    assert "<title>S-2 : —</title>" in svg
    assert ">100 %</text>" in svg  # the axis' last tick


def test_charts_escape_what_they_are_given():
    svg = charts.grouped_bar_chart("g2", "<script>", "a & b", [
        charts.Group('<img src=x onerror="alert(1)">', (1, 2))], ["A<", "B\""])
    assert "<script>" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg and "a &amp; b" in svg and "B&quot;" in svg


def test_grouped_chart_draws_one_bar_per_series_with_a_legend():
    svg = charts.grouped_bar_chart("g3", "Anomalies", "Par session.", [
        charts.Group("S-1", (2, 3)), charts.Group("S-2", (0, 1))], ["Fiches", "Conditions"])
    assert svg.count('fill="#1f4fbf"') == 1 + 1  # legend + one non-zero bar of the first series
    assert svg.count('fill="#a15c00"') == 1 + 2
    assert ">Fiches</text>" in svg and ">Conditions</text>" in svg
    assert "<title>S-1 · Conditions : 3</title>" in svg


def test_long_labels_are_shortened_but_kept_whole_in_the_tooltip():
    label = "Session de rattrapage du premier trimestre 2027"
    svg = charts.bar_chart("g4", "t", "d", [charts.Bar(label, 3, "3")])
    assert f"<title>{label} : 3</title>" in svg
    assert ">Session de rattrapa…</text>" in svg


@pytest.mark.parametrize("value, expected", [(0, 1), (0.4, 1), (3, 5), (7, 10), (12, 20), (51, 100)])
def test_axis_bound_is_round(value, expected):
    assert charts.nice_max(value) == expected
