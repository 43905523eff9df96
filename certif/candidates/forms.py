"""The candidate form and the import form.

The fields are plain text for WTForms: every rule is `rules.clean_candidate`,
the same one the CSV import applies, and its errors are put on the fields.
"""
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateInput, EmailInput, NumberInput, TelInput

from .models import PATHWAYS
from .rules import CandidateData, clean_candidate


class CandidateForm(FlaskForm):
    last_name = StringField("Nom", render_kw={"autocomplete": "off", "maxlength": 100})
    first_name = StringField("Prénom", render_kw={"autocomplete": "off", "maxlength": 100})
    birth_date = StringField("Date de naissance", widget=DateInput())
    email = StringField("Adresse e-mail", widget=EmailInput(), render_kw={"maxlength": 254})
    phone = StringField("Téléphone", widget=TelInput(), render_kw={"maxlength": 40})
    address = StringField("Adresse", render_kw={"maxlength": 300})
    postal_code = StringField("Code postal", render_kw={"inputmode": "numeric", "maxlength": 5})
    city = StringField("Ville", render_kw={"maxlength": 100})
    training_end_date = StringField("Date de fin de formation", widget=DateInput())
    # validate_choice off: a forged value gets the shared French message, not WTForms' English one.
    pathway = RadioField("Parcours",
                         choices=[SelectChoice(value, label) for value, label in PATHWAYS.items()],
                         default="training", validate_choice=False)
    partner_organisation = StringField("Organisme partenaire", render_kw={"maxlength": 200})
    accommodation = TextAreaField("Aménagement décidé avec le référent handicap",
                                  render_kw={"rows": 3, "maxlength": 2000})
    extra_minutes = StringField("Minutes supplémentaires", default="0",
                                widget=NumberInput(min=0, max=240, step=5))

    cleaned: CandidateData | None = None

    @classmethod
    def for_candidate(cls, candidate):
        """The form filled from a stored candidate (dates as the date input wants them)."""
        form = cls(obj=candidate)
        if not form.is_submitted():
            for name in ("birth_date", "training_end_date"):
                value = getattr(candidate, name)
                getattr(form, name).data = value.isoformat() if value else ""
            form.extra_minutes.data = str(candidate.extra_minutes or 0)
        return form

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False  # the CSRF token: nothing else is checked by WTForms
        raw = {name: getattr(self, name).data for name in CandidateData.__dataclass_fields__}
        self.cleaned, errors = clean_candidate(raw, date.today())
        for name, error in errors.items():
            getattr(self, name).errors = [*getattr(self, name).errors, error.sentence]
        return not errors


class ImportForm(FlaskForm):
    file = FileField("Fichier CSV des candidats", render_kw={"accept": ".csv,text/csv"})
