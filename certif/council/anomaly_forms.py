"""The anomaly sheet's form (annex 3), the same for a juror, the organiser and a candidate.

The form checks shapes (required, lengths); the service checks the rules (a session of
theirs, already held, a detail for "Autre") and sets the date of the exam to the session's
day, so that a request that bypasses the form is refused just the same. The form shows that
date read-only, and each session's day in its option.
"""
from flask import request
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import timeutil
from ..errors import InvalidInput
from ..sessions.forms import int_or_none
from ..sessions.queries import session_day
from ..signatures.services import mark_from_form
from ..timeutil import french_date
from . import anomalies as services
from .models import ANOMALY_TYPES

TOO_LONG = f"{services.MAX_TEXT} caractères au plus."


class AnomalyForm(FlaskForm):
    # Not checked against the choices here: a session that is not the reporter's is a 404
    # (the service says so), not a form error.
    session_id = SelectField("Session", coerce=int_or_none, validate_choice=False,
                             validators=[InputRequired(services.MSG_SESSION_REQUIRED)])
    anomaly_type = SelectField(
        "Type d'anomalie",
        choices=[SelectChoice("", "— Choisir —")] + [SelectChoice(k, v) for k, v in ANOMALY_TYPES.items()],
        validate_choice=False, validators=[DataRequired(services.MSG_TYPE_REQUIRED)])
    type_detail = StringField("Précisez le type (si « Autre »)", validators=[
        Optional(), Length(max=services.MAX_DETAIL,
                           message=f"{services.MAX_DETAIL} caractères au plus.")])
    description = TextAreaField("Description de l'anomalie", validators=[
        DataRequired(services.MSG_DESCRIPTION_REQUIRED), Length(max=services.MAX_TEXT, message=TOO_LONG)])
    consequence = TextAreaField("Conséquence de l'anomalie", validators=[
        DataRequired(services.MSG_CONSEQUENCE_REQUIRED), Length(max=services.MAX_TEXT, message=TOO_LONG)])
    causes = TextAreaField("Causes probables de l'anomalie", validators=[
        Optional(), Length(max=services.MAX_TEXT, message=TOO_LONG)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.signature_errors: list[str] = []  # the signing pad is not a WTForms field
        self.session_days: dict[int, str] = {}  # session id -> its day, in French

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.form_errors or self.signature_errors)

    def set_sessions(self, sessions) -> None:
        """One option per session, "n° X — 22 novembre 2026" (its day: the date of the exam)."""
        self.session_days = {s.id: french_date(session_day(s)) for s in sessions}
        self.session_id.choices = [SelectChoice("", "— Choisir la session —")] + [
            SelectChoice(s.id, f"n° {s.number} — {self.session_days[s.id]}",
                         render_kw={"data-day": self.session_days[s.id]}) for s in sessions]

    @property
    def observed_day(self) -> str | None:
        """The date of the exam shown read-only: the chosen session's day."""
        return self.session_days.get(self.session_id.data)

    def fields(self) -> services.AnomalyFields:
        return services.AnomalyFields(
            session_id=self.session_id.data, anomaly_type=self.anomaly_type.data or None,
            type_detail=self.type_detail.data, description=self.description.data,
            consequence=self.consequence.data, causes=self.causes.data)

    def attach(self, exc) -> None:
        """Show a service's refusal beside its field(s), or above the form."""
        errors = getattr(exc, "errors", None) or {None: exc.message}
        for name, message in errors.items():
            if name and name in self:
                if not self[name].errors:  # one message per field: the form's comes first
                    self[name].errors = [message]
            else:
                self.form_errors.append(message)


# --- One submission, for the staff's page and the candidate's portal alike -------------

class Submission:
    """The form as the request left it: filed (`sheet`), or to show again with `status`."""

    def __init__(self, form: AnomalyForm, status: int = 200, sheet=None):
        self.form, self.status, self.sheet = form, status, sheet


def _preselect(form: AnomalyForm, reporter, sessions) -> None:
    wanted = int_or_none(request.args.get("session"))
    if wanted is not None:
        session, _ = services.reachable_session(reporter, wanted)  # 404/409 as on filing
    else:
        session = services.default_session(sessions)
    if session is not None:
        form.session_id.data = session.id


def submission(reporter) -> Submission:
    """GET: a blank form, the session preselected. POST: file the sheet, or say why not
    (400, every message beside its field; nothing written)."""
    form = AnomalyForm()
    sessions = services.session_choices(reporter)
    form.set_sessions(sessions)
    if request.method != "POST":
        _preselect(form, reporter, sessions)
        return Submission(form)
    session = None
    if form.session_id.data is not None:
        # Someone else's session is a 404 (a cancelled one a 409), whatever else is wrong.
        session, _ = services.reachable_session(reporter, form.session_id.data)
    valid = form.validate_on_submit()
    if session is not None:
        # The rules' messages too (a session to come, "Autre" to detail): one post shows them all.
        try:
            services.checked_fields(form.fields(), session, timeutil.paris_today())
        except services.InvalidFields as exc:
            form.attach(exc)
            valid = False
    try:
        mark = mark_from_form(request.form)
    except InvalidInput as exc:
        form.signature_errors.append(exc.message)
        mark = None
    if not valid or mark is None:
        return Submission(form, 400)
    try:
        sheet = services.file_anomaly(reporter, form.fields(), mark)
    except InvalidInput as exc:
        form.attach(exc)
        return Submission(form, 400)
    return Submission(form, 201, sheet)
