from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    """One code: six digits from the app, or (where allowed) a recovery code."""

    code = StringField("Code de vérification", validators=[
        DataRequired("Saisissez le code à 6 chiffres affiché par votre application."),
        Length(max=40, message="Ce code est trop long.")])
    # "recovery" when the code comes from the recovery-code form of the login step.
    mode = HiddenField()
