"""Indicators per certification and year, blocks validated and retakes with their success
(Qualiopi indicator 3), and what the public results page publishes of them."""
from datetime import date
from decimal import Decimal

from certif.council.indicators.figures import ExamRecord, SessionRecord, build, exam_figures
from certif.council.indicators.publication import published_rows

S25 = SessionRecord(1, "CM-25", date(2025, 11, 20), "RNCP-CM", "Community manager")
S26A = SessionRecord(2, "CM-26A", date(2026, 3, 2), "RNCP-CM", "Community manager")
S26B = SessionRecord(3, "CM-26B", date(2026, 10, 12), "RNCP-CM", "Community manager")
S26C = SessionRecord(4, "CM-26C", date(2026, 12, 14), "RNCP-CM", "Community manager")  # to come
RS26 = SessionRecord(5, "RS-26", date(2026, 6, 1), "RS6240", "Réseaux sociaux")


def closed(session_id, decision, *, retake=False, blocks=0):
    return ExamRecord(session_id, "scheduled", "closed", decision, retake, True, blocks)


def test_blocks_and_retakes_count_only_decided_attempts():
    figures = exam_figures([
        closed(1, "favorable", blocks=3),
        closed(1, "defavorable", blocks=1),  # one block kept for a later attempt
        closed(1, "favorable", retake=True, blocks=2),  # retake: the two missing blocks
        closed(1, "defavorable", retake=True),
        ExamRecord(1, "scheduled", "deliberation", "favorable", True, True, 3),  # not closed yet
        ExamRecord(1, "absent_excused", retake=True),  # an absent retake: no decision
        ExamRecord(1, "moved", retake=True, blocks=3),  # counted where it moved to
    ])
    assert (figures.decided, figures.admitted, figures.blocks_validated) == (4, 2, 6)
    assert (figures.retakes, figures.retakes_decided, figures.retakes_admitted) == (4, 2, 1)
    assert figures.retake_success_rate == Decimal("50.0")
    assert exam_figures([closed(1, "favorable")]).retake_success_rate is None  # no retake


def test_one_row_per_certification_and_calendar_year_with_its_period():
    exams = [closed(1, "favorable"), closed(2, "favorable"), closed(2, "defavorable"),
             closed(3, "favorable", retake=True), ExamRecord(4, "scheduled"), closed(5, "favorable")]
    years = build([S25, S26A, S26B, S26C, RS26], exams, {}, [], []).years
    assert [(y.code, y.year, y.sessions) for y in years] == [
        ("RNCP-CM", 2025, 1), ("RNCP-CM", 2026, 3), ("RS6240", 2026, 1)]
    cm26 = years[1]
    assert (cm26.figures.decided, cm26.figures.admitted, cm26.figures.pass_rate) == \
        (3, 2, Decimal("66.7"))
    assert (cm26.figures.retakes_decided, cm26.figures.retakes_admitted) == (1, 1)
    # The period: the sessions with a decision (CM-26C, to come, has none).
    assert (cm26.first_day, cm26.last_day) == (date(2026, 3, 2), date(2026, 10, 12))


def test_publication_withholds_a_rate_on_too_few_candidates_but_shows_the_count():
    exams = ([closed(2, "favorable")] * 4 + [closed(3, "defavorable")]  # 2026: 5 candidates
             + [closed(1, "favorable")] * 4  # 2025: 4 candidates
             + [ExamRecord(5, "scheduled")])  # RS6240 2026: nobody decided yet
    rows = published_rows(build([S25, S26A, S26B, RS26], exams, {}, [], []), minimum=5)
    assert [(r.code, r.year, r.candidates, r.rate) for r in rows] == [
        ("RNCP-CM", 2026, 5, Decimal("80.0")),  # the latest year first
        ("RNCP-CM", 2025, 4, None),  # 4 < 5: the rate is not published
    ]  # RS6240: no decision that year, no row
    assert (rows[0].first_day, rows[0].last_day) == (date(2026, 3, 2), date(2026, 10, 12))
    assert [r.published for r in rows] == [True, False]
    # The minimum at its edge: 4 candidates are enough with a minimum of 4.
    assert published_rows(build([S25], [closed(1, "favorable")] * 4, {}, [], []), 4)[0].rate == \
        Decimal("100.0")
