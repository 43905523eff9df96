"""The staff accounts' forms: a new account, an account's roles."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from .accounts import EMAIL_RE, MSG_EMAIL_INVALID, MSG_NO_ROLE
from .models import ROLES

ROLE_CHOICES = [SelectChoice(value, label) for value, label in ROLES.items()]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RolesField(SelectMultipleField):
    """Checkboxes (drawn by the template); an unknown value is a French error."""

    def pre_validate(self, form):
        unknown = [value for value in self.data or [] if value not in ROLES]
        if unknown:
            raise ValidationError("Rôle inconnu.")


def _roles_field():
    return RolesField("Rôles", choices=ROLE_CHOICES,
                      validators=[DataRequired(MSG_NO_ROLE)])


class RolesForm(FlaskForm):
    roles = _roles_field()


class AccountForm(FlaskForm):
    first_name = StringField("Prénom", filters=[_strip], validators=[
        DataRequired("Saisissez le prénom."), Length(max=100, message="100 caractères au maximum.")])
    last_name = StringField("Nom", filters=[_strip], validators=[
        DataRequired("Saisissez le nom."), Length(max=100, message="100 caractères au maximum.")])
    email = EmailField("Adresse e-mail (identifiant de connexion)", filters=[_strip], validators=[
        DataRequired("Saisissez l'adresse e-mail."),
        Regexp(EMAIL_RE.pattern, message=MSG_EMAIL_INVALID),
        Length(max=254, message=MSG_EMAIL_INVALID)])
    roles = _roles_field()
