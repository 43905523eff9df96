"""The candidate form and the import form.

The fields are plain text for WTForms: every rule is `rules.clean_candidate`,
the same one the CSV import applies, and its errors are put on the fields.
"""
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateInput, EmailInput, NumberInput, TelInput

from .holder import ACCESS_MODES, SEXES
from .models import PATHWAYS
from .rules import CandidateData, clean_candidate, clean_holder

HOLDER_TEXT = {"maxlength": 60}


class HolderFields:
    """The holder's civil status (`holder`): on the organiser's form and the candidate's page.
    Choices are not checked by WTForms: a forged value gets the rules' French message."""

    birth_name = StringField("Nom de naissance", render_kw=HOLDER_TEXT)
    usage_name = StringField("Nom d'usage", render_kw=HOLDER_TEXT)
    first_name_2 = StringField("Deuxième prénom", render_kw=HOLDER_TEXT)
    first_name_3 = StringField("Troisième prénom", render_kw=HOLDER_TEXT)
    sex = SelectField("Sexe", choices=[SelectChoice("", "Non renseigné"),
                                       *(SelectChoice(k, f"{v} ({k})") for k, v in SEXES.items())],
                      validate_choice=False)
    birth_insee_code = StringField("Code commune INSEE de naissance",
                                   render_kw={"maxlength": 5, "autocomplete": "off"})
    birth_postal_code = StringField("Code postal de naissance",
                                    render_kw={"maxlength": 5, "inputmode": "numeric"})
    birth_commune = StringField("Commune de naissance", render_kw=HOLDER_TEXT)
    birth_country_code = StringField("Code pays de naissance (INSEE)",
                                     render_kw={"maxlength": 5, "inputmode": "numeric"})
    birth_country_name = StringField("Pays de naissance", render_kw=HOLDER_TEXT)
    access_mode = SelectField("Modalité d'accès à la certification",
                              choices=[SelectChoice("", "Selon le parcours"),
                                       *(SelectChoice(k, v) for k, v in ACCESS_MODES.items())],
                              validate_choice=False)


class CandidateForm(HolderFields, FlaskForm):
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
            for name in ("sex", "access_mode"):
                getattr(form, name).data = getattr(candidate, name) or ""
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


class HolderForm(HolderFields, FlaskForm):
    """The candidate completes or corrects their civil status from their personal link."""

    first_name = StringField("Prénom", render_kw={"maxlength": 60})
    birth_date = StringField("Date de naissance", widget=DateInput())
    access_mode = None  # the organiser's to set: the page shows it

    cleaned: dict | None = None

    @classmethod
    def for_candidate(cls, candidate):
        form = cls(obj=candidate)
        if not form.is_submitted():
            form.birth_date.data = candidate.birth_date.isoformat() if candidate.birth_date else ""
            form.sex.data = candidate.sex or ""
            form.birth_name.data = candidate.birth_name or candidate.last_name
        return form

    def validate_for(self, candidate, today: date) -> bool:
        if not super().validate():
            return False  # the CSRF token
        raw = {name: field.data for name, field in self._fields.items()}
        self.cleaned, errors = clean_holder(raw, today, candidate.last_name)
        if self.cleaned is not None:
            self.cleaned.pop("access_mode", None)
        for name, error in errors.items():
            getattr(self, name).errors = [*getattr(self, name).errors, error.sentence]
        return not errors
