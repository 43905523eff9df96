"""The form recording a council meeting (French messages). It checks shapes only; the service
checks the rules (a date already past, members of the council, a session for an exceptional
meeting…), so that a request bypassing the form is refused just the same."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..sessions.forms import FrenchDateField, int_or_none
from .meetings import MAX_PLACE, MAX_TEXT, MSG_DATE_REQUIRED, MSG_KIND, MeetingFields
from .models import MEETING_KINDS

TEXT_LENGTH = Length(max=MAX_TEXT, message=f"{MAX_TEXT} caractères au plus.")


class CheckboxesField(SelectMultipleField):
    """Checked values; the template draws the boxes and the service checks each value."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, validate_choice=False, choices=[], **kwargs)


class MeetingForm(FlaskForm):
    held_on = FrenchDateField("Date de la réunion", validators=[InputRequired(MSG_DATE_REQUIRED)])
    kind = RadioField("Type de réunion", choices=[SelectChoice(k, v) for k, v in MEETING_KINDS.items()],
                      validate_choice=False, validators=[InputRequired(MSG_KIND)])
    place = StringField("Lieu", validators=[
        Optional(), Length(max=MAX_PLACE, message=f"{MAX_PLACE} caractères au plus.")])
    member_ids = CheckboxesField("Membres du conseil présents", coerce=int_or_none)
    other_attendees = TextAreaField("Autres participants", validators=[Optional(), TEXT_LENGTH])
    session_ids = CheckboxesField("Sessions traitées", coerce=int_or_none)
    sheet_refs = CheckboxesField("Fiches examinées", coerce=str)
    decisions = TextAreaField("Décisions", validators=[Optional(), TEXT_LENGTH])
    programme_opinion = TextAreaField("Avis sur les programmes d'enseignement",
                                      validators=[Optional(), TEXT_LENGTH])
    certification_adjustments = TextAreaField(
        "Ajustements de la certification aux évolutions professionnelles",
        validators=[Optional(), TEXT_LENGTH])

    def fields(self) -> MeetingFields:
        return MeetingFields(
            kind=self.kind.data, held_on=self.held_on.data, place=self.place.data,
            member_ids=list(self.member_ids.data or []), other_attendees=self.other_attendees.data,
            session_ids=list(self.session_ids.data or []),
            sheet_refs=list(self.sheet_refs.data or []), decisions=self.decisions.data,
            programme_opinion=self.programme_opinion.data,
            certification_adjustments=self.certification_adjustments.data)

    @classmethod
    def for_meeting(cls, meeting, review_ref):
        return cls(formdata=None, held_on=meeting.held_on, kind=meeting.kind, place=meeting.place,
                   member_ids=[u.id for u in meeting.members],
                   other_attendees=meeting.other_attendees,
                   session_ids=[s.id for s in meeting.sessions],
                   sheet_refs=[review_ref(r) for r in meeting.reviews], decisions=meeting.decisions,
                   programme_opinion=meeting.programme_opinion,
                   certification_adjustments=meeting.certification_adjustments)
