"""Forms of the changes' pages (carence, replacement, absence, move, retake, appeal).

The forms check what a field alone can say (present, well formed); the services
check the rules (dates, habilitations, states) and answer in French. Choices are
checked by the services too (`validate_choice=False`), so that every refusal is
worded there.
"""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import int_or_none
from ..models import MODES

TEXT_MAX = 2000
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # what <input type=date> sends, and what people type
BAD_DATE = "Date invalide : utilisez le format jj/mm/aaaa."
BAD_TIME = "Heure invalide : utilisez le format hh:mm."


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options WTForms expects."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def _max(n: int) -> Length:
    return Length(max=n, message=f"Ce champ ne doit pas dépasser {n} caractères.")


def _date(label: str) -> DateField:
    return DateField(label, format=DATE_FORMATS, invalid_value_message=BAD_DATE,
                     validators=[InputRequired(BAD_DATE)])


def _choice(label: str, message: str, field=RadioField, **kwargs):
    return field(label, coerce=kwargs.pop("coerce", int_or_none), validate_choice=False,
                 validators=[InputRequired(message)], **kwargs)


class CarenceForm(FlaskForm):
    absent_juror = _choice("Juré absent", "Choisissez le juré absent.")
    reason = TextAreaField("Motif et circonstances", validators=[
        DataRequired("Indiquez le motif de la carence."), _max(TEXT_MAX)])


class ReplacementForm(FlaskForm):
    number = StringField("Numéro de la session de remplacement", validators=[
        DataRequired("Indiquez le numéro de la session."), _max(40)])
    day = _date("Date")
    start = TimeField("Heure de début (heure de Paris)", invalid_value_message=BAD_TIME,
                      validators=[InputRequired(BAD_TIME)])
    mode = _choice("Modalité", "Choisissez la modalité.", field=SelectField, coerce=str,
                   choices=choices(MODES.items()))
    place = StringField("Lieu (présentiel)", validators=[Optional(), _max(300)])
    video_link = StringField("Lien de visioconférence (à distance)",
                             validators=[Optional(), _max(500)])
    juror_1 = _choice("Premier juré", "Choisissez le premier juré.", field=SelectField)
    juror_2 = _choice("Second juré", "Choisissez le second juré.", field=SelectField)
    president = _choice("Président du jury", "Choisissez le président du jury.", field=SelectField)


class AbsenceForm(FlaskForm):
    excused = _choice("Absence", "Indiquez si l'absence est excusée ou non.", coerce=str,
                      choices=choices([("yes", "Excusée"), ("no", "Non excusée")]))
    note = TextAreaField("Observation (facultatif)", validators=[Optional(), _max(TEXT_MAX)])


class TargetForm(FlaskForm):
    """A jury of another session (move or retake)."""

    jury_id = _choice("Session et jury", "Choisissez une session et un jury.")
    confirm = BooleanField("Je confirme le report malgré l'avertissement")


class RetakeRequestForm(FlaskForm):
    """Only the CSRF token: recording the request is one button."""


class AppealForm(FlaskForm):
    filed_on = _date("Date du recours")
    grounds = TextAreaField("Motifs du recours", validators=[
        DataRequired("Indiquez les motifs du recours."), _max(TEXT_MAX)])


class AppealDecisionForm(FlaskForm):
    outcome = _choice("Décision de la direction", "Choisissez l'issue du recours.", coerce=str,
                      choices=choices([("upheld", "Recours accepté"),
                                       ("rejected", "Recours rejeté")]))
    decided_on = _date("Date de la décision")
    outcome_text = TextAreaField("Réponse de la direction", validators=[
        DataRequired("Indiquez la réponse de la direction."), _max(TEXT_MAX)])
