"""The organiser's forms for sessions and juries (French messages throughout).

The forms check shapes (required, lengths, a real date); the services check the
rules (a date to come, the place or link the mode needs, a free number…), so that
a request that bypasses the form is refused just the same.
"""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..timeutil import to_paris
from .juries import JuryChoice
from .models import MODES
from .services import SessionFields

# Database ids are INTEGER columns: a bigger number would overflow SQLite's binding (a 500).
MAX_ID = 2**31 - 1


def int_or_none(value):
    """Select values arrive as text; anything that is not an id (a whole number from 1 to
    MAX_ID) becomes None (then 'required', or 'not found')."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


class FrenchDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Date invalide : utilisez le format jj/mm/aaaa.") from exc


class FrenchTimeField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Heure invalide : utilisez le format hh:mm.") from exc


class IdSelectField(SelectField):
    """A select of database ids whose choices the view sets; an unknown value is a French error."""

    def __init__(self, label=None, validators=None, message="Choisissez une valeur dans la liste.",
                 **kwargs):
        super().__init__(label, validators, coerce=int_or_none, validate_choice=False, **kwargs)
        self.message = message

    def pre_validate(self, form):
        typed = bool(self.raw_data and self.raw_data[0])
        if typed and self.data not in {c.value for c in self.choices or ()}:
            raise ValidationError(self.message)


class SessionForm(FlaskForm):
    number = StringField("Numéro de session", validators=[
        DataRequired("Indiquez le numéro de la session."),
        Length(max=40, message="40 caractères au plus.")])
    referential_id = IdSelectField("Certification (version)", validators=[
        InputRequired("Choisissez la certification.")],
        message="Choisissez une certification dans la liste.")
    day = FrenchDateField("Date de l'épreuve", validators=[
        InputRequired("Indiquez la date de l'épreuve.")])
    start = FrenchTimeField("Heure de début (heure de Paris)", validators=[
        InputRequired("Indiquez l'heure de début.")])
    mode = SelectField("Modalité", choices=[SelectChoice(k, v) for k, v in MODES.items()],
                       validate_choice=False, default="remote",
                       validators=[DataRequired("Choisissez la modalité.")])
    place = StringField("Lieu (présentiel)", validators=[
        Optional(), Length(max=300, message="300 caractères au plus.")])
    video_link = StringField("Lien de visioconférence (à distance)", validators=[
        Optional(), Length(max=500, message="500 caractères au plus.")])
    technical_requirements = TextAreaField("Prérequis techniques (à distance, facultatif)",
                                           validators=[Optional(), Length(
                                               max=2000, message="2000 caractères au plus.")])

    def fields(self, referential_id: int | None = None) -> SessionFields:
        """What was typed, for the service; `referential_id` when the field is locked."""
        return SessionFields(
            number=self.number.data or "",
            referential_id=referential_id if referential_id is not None
            else self.referential_id.data,
            day=self.day.data, start=self.start.data, mode=self.mode.data,
            place=self.place.data, video_link=self.video_link.data,
            technical_requirements=self.technical_requirements.data)

    @classmethod
    def for_session(cls, session, **kwargs):
        """The form filled with a session's current values (Paris wall clock)."""
        local = to_paris(session.starts_at)
        return cls(number=session.number, referential_id=session.referential_id,
                   day=local.date(), start=local.time().replace(tzinfo=None), mode=session.mode,
                   place=session.place, video_link=session.video_link,
                   technical_requirements=session.technical_requirements, **kwargs)


class CancelForm(FlaskForm):
    reason = TextAreaField("Motif de l'annulation", validators=[
        DataRequired("Indiquez le motif de l'annulation."),
        Length(max=2000, message="2000 caractères au plus.")])


class JuryForm(FlaskForm):
    juror_1_id = IdSelectField("Premier juré", validators=[
        InputRequired("Choisissez le premier juré.")], message="Choisissez un juré dans la liste.")
    juror_2_id = IdSelectField("Second juré", validators=[
        InputRequired("Choisissez le second juré.")], message="Choisissez un juré dans la liste.")
    president_id = SelectField("Président du jury", choices=[SelectChoice("1", "Le premier juré"),
                                                              SelectChoice("2", "Le second juré")],
                               validate_choice=False,
                               validators=[DataRequired("Choisissez le président du jury.")])

    def set_jurors(self, jurors, problems: dict):
        """The jurors to choose from; those who cannot sit on a jury of the session's
        certification are shown disabled, with the reason (the one already chosen stays
        selectable, so that the refusal names them)."""
        chosen = {self.juror_1_id.data, self.juror_2_id.data}
        choices = [SelectChoice("", "— Choisir —")]
        for juror in jurors:
            if not problems.get(juror.id):
                choices.append(SelectChoice(juror.id, juror.full_name))
                continue
            kw = {} if juror.id in chosen else {"render_kw": {"disabled": True}}
            choices.append(SelectChoice(juror.id, f"{juror.full_name} (non habilité(e) pour "
                                                  "cette certification)", **kw))
        self.juror_1_id.choices = self.juror_2_id.choices = choices

    def choice(self) -> JuryChoice:
        seat = self.president_id.data
        president = {"1": self.juror_1_id.data, "2": self.juror_2_id.data}.get(seat)
        if seat not in ("1", "2"):
            president = -1  # neither of the two: the service says so
        return JuryChoice(self.juror_1_id.data, self.juror_2_id.data, president)

    @classmethod
    def for_jury(cls, jury, **kwargs):
        ids = [m.juror_id for m in jury.members] + [None, None]
        seat = "2" if jury.president_id is not None and jury.president_id == ids[1] else "1"
        return cls(juror_1_id=ids[0], juror_2_id=ids[1], president_id=seat, **kwargs)

