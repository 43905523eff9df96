from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length, Regexp


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Saisissez votre adresse e-mail."),
        Regexp(r"^[^@\s]+@[^@\s]+$", message="Adresse e-mail invalide."), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[
        DataRequired("Saisissez votre mot de passe."), Length(max=200)])


# Passwords are checked by the policy (password_rules) in the service, which gives every
# reason at once; the forms only say what is missing. Long enough for a passphrase.
TOO_LONG = "Ce mot de passe est beaucoup trop long."


class ChoosePasswordForm(FlaskForm):
    new_password = PasswordField("Nouveau mot de passe", validators=[
        DataRequired("Choisissez un mot de passe."), Length(max=1000, message=TOO_LONG)])
    confirmation = PasswordField("Nouveau mot de passe, une seconde fois", validators=[
        DataRequired("Saisissez le nouveau mot de passe une seconde fois."),
        Length(max=1000, message=TOO_LONG)])


class ChangePasswordForm(ChoosePasswordForm):
    current_password = PasswordField("Mot de passe actuel", validators=[
        DataRequired("Saisissez votre mot de passe actuel."),
        Length(max=200, message="Mot de passe actuel incorrect.")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Adresse e-mail de votre compte", validators=[
        DataRequired("Saisissez votre adresse e-mail."),
        Regexp(r"^[^@\s]+@[^@\s]+$", message="Adresse e-mail invalide."), Length(max=254)])
