"""The indicators in French: figures with a decimal comma for the page, and the CSV for Excel."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from ...csvsafe import csv_text
from .figures import Figures, Indicators

NONE_SHOWN = "—"  # what the page shows for a figure without data


def decimal_fr(value: Decimal | int | None, empty: str = NONE_SHOWN) -> str:
    """12,5 (decimal comma); `empty` when there is no figure."""
    if value is None:
        return empty
    return str(value).replace(".", ",")


def percent_fr(value: Decimal | None) -> str:
    return NONE_SHOWN if value is None else f"{decimal_fr(value)}\u00a0%"


def days_fr(value: Decimal | None) -> str:
    if value is None:
        return NONE_SHOWN
    return f"{decimal_fr(value)}\u00a0jour{'s' if value >= 2 else ''}"


CSV_HEADERS = (
    "Ligne", "Certification", "Intitulé", "Session", "Date de la session", "Année",
    "Nombre de sessions", "Candidats inscrits", "Candidats présents", "Décisions rendues", "Admis",
    "Taux de réussite (%)", "Rattrapages", "Rattrapages avec décision", "Rattrapages réussis",
    "Taux de réussite des rattrapages (%)", "Blocs validés", "Fiches anomalie",
    "Anomalies par session tenue", "Fiches conditions avec manquement", "Conditions non respectées",
    "Actions vérifiées", "Délai moyen adoption → vérification (jours)",
)


def _figure_cells(f: Figures) -> list[str]:
    return [str(f.registered), str(f.present), str(f.decided), str(f.admitted),
            decimal_fr(f.pass_rate, ""), str(f.retakes), str(f.retakes_decided),
            str(f.retakes_admitted), decimal_fr(f.retake_success_rate, ""), str(f.blocks_validated)]


def _quality_cells(f: Figures, per_session: str) -> list[str]:
    return [str(f.anomalies), per_session, str(f.breach_sheets), str(f.breaches),
            str(f.verified_actions), decimal_fr(f.average_delay_days, "")]


def csv_rows(indicators: Indicators) -> list[list[str]]:
    """Header, one row per session, one per certification and year, one per certification,
    the total. Empty cell: no figure. Text cells are neutralised when written (`csvsafe`)."""
    rows = [list(CSV_HEADERS)]
    for s in indicators.sessions:
        rows.append(["Session", s.code, s.title, s.number, s.day.strftime("%d/%m/%Y"),
                     str(s.day.year), ""] + _figure_cells(s.figures) + _quality_cells(s.figures, ""))
    for y in indicators.years:
        rows.append(["Année", y.code, y.title, "", "", str(y.year), str(y.sessions)]
                    + _figure_cells(y.figures) + _quality_cells(y.figures, ""))
    for c in (*indicators.certifications, indicators.total):
        is_total = c.code is None
        rows.append(["Total" if is_total else "Certification", "Toutes" if is_total else c.code,
                     c.title, "", "", "", str(c.sessions)]
                    + _figure_cells(c.figures)
                    + _quality_cells(c.figures, decimal_fr(c.anomalies_per_session, "")))
    return rows


def to_csv(indicators: Indicators) -> str:
    """The CSV text for Excel (France): `;` separator, decimal comma (encode it utf-8-sig)."""
    return csv_text(csv_rows(indicators))


def csv_filename(today: date) -> str:
    return f"indicateurs-{today.isoformat()}.csv"
