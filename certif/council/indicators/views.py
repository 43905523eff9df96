"""Quality indicators per certification and per session: charts (SVG) and CSV."""
from flask import Blueprint, Response, render_template, request

from ... import timeutil
from ...auth.models import COUNCIL, ORGANISER
from ...errors import InvalidInput
from ...web import role_required
from . import queries
from .charts import MAX_LABEL, Bar, Group, bar_chart, grouped_bar_chart
from .export import csv_filename, days_fr, decimal_fr, percent_fr, to_csv
from .figures import Indicators, SessionRow
from .filters import parse_filters

bp = Blueprint("indicators", __name__, url_prefix="/conseil/indicateurs")


def session_label(row: SessionRow) -> str:
    """The chart's label: the session number kept whole (sessions -00/-01/-02 differ only by
    their end), with its day (dd/mm/yy, else dd/mm) when there is room for it."""
    number = row.number
    for day in (row.day.strftime("%d/%m/%y"), row.day.strftime("%d/%m")):
        label = f"{number} · {day}"
        if len(label) <= MAX_LABEL:
            return label
    if len(number) <= MAX_LABEL:
        return number
    # Too long even alone: keep its start and its distinguishing end.
    tail = MAX_LABEL // 2
    return number[:MAX_LABEL - tail - 1] + "…" + number[-tail:]


def indicator_charts(indicators: Indicators) -> dict:
    """The page's three charts, drawn from the same rows as its tables."""
    sessions, certifications = indicators.sessions, indicators.certifications
    return {
        "pass_rate": bar_chart(
            "graphique-reussite", "Taux de réussite par session",
            "Admis sur candidats présents ayant reçu une décision, de 0 à 100 %, une barre par "
            "session. Les chiffres sont repris dans le tableau à côté.",
            [Bar(session_label(s), s.figures.pass_rate, percent_fr(s.figures.pass_rate))
             for s in sessions], maximum=100, unit=" %"),
        "quality": grouped_bar_chart(
            "graphique-anomalies", "Anomalies et conditions non respectées par session",
            "Pour chaque session, le nombre de fiches anomalie et le nombre de conditions "
            "d'examen non respectées. Les chiffres sont repris dans le tableau à côté.",
            [Group(session_label(s), (s.figures.anomalies, s.figures.breaches)) for s in sessions],
            ["Fiches anomalie", "Conditions non respectées"]),
        "delay": bar_chart(
            "graphique-delai", "Délai moyen adoption → vérification par certification",
            "En jours, pour les actions correctives vérifiées, une barre par certification. "
            "Les chiffres sont repris dans le tableau à côté.",
            [Bar(c.code, c.figures.average_delay_days, days_fr(c.figures.average_delay_days))
             for c in certifications], unit=" j"),
    }


FILTER_KEYS = ("certification", "du", "au")


def render_page(status=200, **context):
    args = {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}
    return render_template("council/indicators/index.html", args=args, kept=args,
                           percent_fr=percent_fr, days_fr=days_fr,
                           decimal_fr=decimal_fr, **context), status


@bp.get("/")
@role_required(COUNCIL, ORGANISER)
def index():
    try:
        filters = parse_filters(request.args)
        indicators, certifications = queries.indicators_for(filters)
    except InvalidInput as error:
        # The filters stay on screen, with what is wrong; no figures for a bad period.
        return render_page(400, error=error.message, indicators=None,
                           certifications=queries.certifications())
    return render_page(error=None, indicators=indicators, certifications=certifications,
                       charts=indicator_charts(indicators) if indicators.sessions else None)


@bp.get("/indicateurs.csv")
@role_required(COUNCIL, ORGANISER)
def csv():
    indicators, _ = queries.indicators_for(parse_filters(request.args))
    filename = csv_filename(timeutil.paris_today())
    return Response(to_csv(indicators).encode("utf-8-sig"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})
