from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length, Regexp


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Saisissez votre adresse e-mail."),
        Regexp(r"^[^@\s]+@[^@\s]+$", message="Adresse e-mail invalide."), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[
        DataRequired("Saisissez votre mot de passe."), Length(max=200)])
