"""The juror's habilitation form (annex 7), the organiser's decision, and the CV upload."""
from datetime import date, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from .models import FAVOURABLE, UNFAVOURABLE

EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
EXTERNAL_CHOICES = [SelectChoice("oui", "Oui, externe à l'organisme"),
                    SelectChoice("non", "Non, salarié(e) ou lié(e) à l'organisme"),
                    SelectChoice("", "Non précisé")]
_EXTERNAL = {"oui": True, "non": False, "": None}


class FrenchIntegerField(IntegerField):
    """An integer field whose parse error is in French."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError("Saisissez un nombre entier d'années (par exemple 6).") from None


class FrenchDateField(DateField):
    """A date field (HTML date input, or JJ/MM/AAAA typed by hand) with French errors."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                self.data = datetime.strptime(raw, pattern).date()
                return
            except ValueError:
                continue
        raise ValueError("Date invalide : utilisez le format JJ/MM/AAAA.")


def _plausible_date(form, field):
    if field.data is not None and not (date(1990, 1, 1) <= field.data <= date(2100, 12, 31)):
        raise ValidationError("Date invalide : vérifiez l'année.")


class IdentityFields(FlaskForm):
    first_name = StringField("Prénom", validators=[
        DataRequired("Saisissez le prénom."), Length(max=100, message="100 caractères au maximum.")])
    last_name = StringField("Nom", validators=[
        DataRequired("Saisissez le nom."), Length(max=100, message="100 caractères au maximum.")])
    email = EmailField("Adresse e-mail (identifiant de connexion)", validators=[
        DataRequired("Saisissez l'adresse e-mail."),
        Regexp(EMAIL_RE, message="Adresse e-mail invalide."),
        Length(max=254, message="254 caractères au maximum.")])


class JurorForm(IdentityFields):
    """Identity, contact, and the facts the habilitation rules read (annex 7 order)."""

    address = StringField("Adresse", validators=[
        Optional(), Length(max=300, message="300 caractères au maximum.")])
    postal_code = StringField("Code postal", validators=[
        Optional(), Regexp(r"^\d{5}$", message="Code postal invalide : 5 chiffres.")])
    city = StringField("Ville", validators=[
        Optional(), Length(max=100, message="100 caractères au maximum.")])
    phone = StringField("Téléphone", validators=[
        Optional(), Length(max=40, message="40 caractères au maximum."),
        Regexp(r"^\+?[0-9 .()-]{6,}$", message="Numéro de téléphone invalide.")])
    profession = StringField("Profession", validators=[
        Optional(), Length(max=200, message="200 caractères au maximum.")],
        description="Par exemple : community manager, formateur en communication digitale.")
    workplace = StringField("Lieu d'exercice", validators=[
        Optional(), Length(max=200, message="200 caractères au maximum.")],
        description="Entreprise, agence ou organisme où la profession est exercée.")
    years_experience = FrenchIntegerField("Ancienneté (années d'expérience professionnelle)", validators=[
        Optional(), NumberRange(min=0, max=80, message="Saisissez un nombre d'années entre 0 et 80.")])
    external = RadioField("Externe à l'organisme ?", choices=EXTERNAL_CHOICES, default="",
                          validate_choice=False)
    professionalisation_date = FrenchDateField(
        "Date de la session de professionnalisation suivie", validators=[Optional(), _plausible_date],
        description="La session d'explicitation des modalités et des attendus de la certification.")

    def validate_external(self, field):
        if field.data not in _EXTERNAL:
            raise ValidationError("Choix invalide.")

    # What the services take.
    def identity(self) -> dict:
        return {name: getattr(self, name).data for name in ("first_name", "last_name", "email")
                if name in self._fields}

    def profile(self) -> dict:
        return {
            "address": self.address.data, "postal_code": self.postal_code.data,
            "city": self.city.data, "phone": self.phone.data,
            "profession": self.profession.data, "workplace": self.workplace.data,
            "years_experience": self.years_experience.data,
            "external": _EXTERNAL.get(self.external.data),
            "professionalisation_date": self.professionalisation_date.data,
        }

    def fill_from(self, user, profile) -> None:
        """Pre-fill a GET form from the database."""
        for name in ("first_name", "last_name", "email"):
            if name in self._fields:
                getattr(self, name).data = getattr(user, name)
        if profile is None:
            return
        for name in ("address", "postal_code", "city", "phone", "profession", "workplace",
                     "years_experience", "professionalisation_date"):
            getattr(self, name).data = getattr(profile, name)
        self.external.data = {True: "oui", False: "non"}.get(profile.external, "")


class DecisionForm(FlaskForm):
    result = RadioField("Décision", choices=[
        SelectChoice(FAVOURABLE, "Favorable"), SelectChoice(UNFAVOURABLE, "Défavorable")],
        validate_choice=False,
        validators=[DataRequired("Choisissez le résultat : favorable ou défavorable.")])
    comment = TextAreaField("Commentaire", validators=[
        Length(max=2000, message="2000 caractères au maximum.")],
        description="Obligatoire pour un avis défavorable, ou favorable alors qu'une condition "
                    "n'est pas remplie.")

    def validate_result(self, field):
        if field.data not in (FAVOURABLE, UNFAVOURABLE):
            raise ValidationError("Choisissez le résultat : favorable ou défavorable.")


class CvForm(FlaskForm):
    cv = FileField("CV (PDF)")
