from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from ..errors import InvalidInput
from . import inputs


class SendForm(FlaskForm):
    """One sending: by email (nothing else to say) or by hand (when, and who handed it)."""

    channel = StringField("Mode d'envoi")
    handed_on = StringField("Date de la remise")
    handed_by = StringField("Remise par")

    def validate_channel(self, field):
        try:
            inputs.check_channel(field.data)
        except InvalidInput as exc:
            raise ValidationError(exc.message) from None

    def validate_handed_on(self, field):
        if self.channel.data != inputs.HAND:
            return
        try:
            field.parsed = inputs.parse_handed_on(field.data)
        except InvalidInput as exc:
            raise ValidationError(exc.message) from None

    def validate_handed_by(self, field):
        if self.channel.data != inputs.HAND:
            return
        try:
            inputs.check_handed_by(field.data)
        except InvalidInput as exc:
            raise ValidationError(exc.message) from None


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (send every unsent convocation)."""
