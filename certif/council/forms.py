"""The council's forms (French messages). They check shapes; the rules (a date not in the
future, an owner among the users, a due date not in the past…) are the services' own
`*_problems` functions, put on the fields here so a request bypassing the form is refused
just the same, by the service."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from ..sessions.forms import FrenchDateField
from .actions import operations as action_ops
from .checks import MAX_TEXT
from .reviews import operations as review_ops


def _put_errors(form, problems: dict[str, str]) -> bool:
    for name, message in problems.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    return not problems


def _check(form, problems: dict[str, str], date_field) -> bool:
    """Put the service's problems on the fields. A blank date is the service's "required";
    a date that could not be read keeps its own message alone."""
    if not "".join(date_field.raw_data or []).strip():
        date_field.errors = []
    elif date_field.errors:
        problems.pop(date_field.name, None)
    _put_errors(form, problems)
    return not any(field.errors for field in form)


class OpinionForm(FlaskForm):
    opinion_date = FrenchDateField("Date de l'avis")
    commission_number = StringField("Commission n°", render_kw={"maxlength": review_ops.MAX_COMMISSION,
                                                                "autocomplete": "off"})
    opinion = TextAreaField("Avis du comité de pilotage",
                            render_kw={"rows": 5, "maxlength": MAX_TEXT})

    def fields(self) -> review_ops.OpinionFields:
        return review_ops.OpinionFields(self.opinion_date.data, self.commission_number.data,
                                     self.opinion.data)

    def validate_with(self, today: date) -> bool:
        self.validate()
        return _check(self, review_ops.opinion_problems(self.fields(), today), self.opinion_date)

    def fill(self, review, suggestion: str, today: date) -> None:
        """The stored draft, or today's date and the suggested commission number. Called on
        a form built without the request's data (another form of the page may be posted)."""
        if review is not None and (review.commission_number or review.opinion_date or review.opinion):
            self.opinion_date.data = review.opinion_date
            self.commission_number.data = review.commission_number
            self.opinion.data = review.opinion
        else:
            self.opinion_date.data = today
            self.commission_number.data = suggestion


class ActionForm(FlaskForm):
    title = StringField("Action corrective", render_kw={"maxlength": action_ops.MAX_TITLE})
    description = TextAreaField("Précisions", render_kw={"rows": 3, "maxlength": MAX_TEXT})
    # validate_choice off: the service's French message, not WTForms' English one.
    owner = SelectField("Responsable", validate_choice=False)
    owner_name = StringField("Nom de l'autre personne", render_kw={"maxlength": action_ops.MAX_OWNER})
    due_on = FrenchDateField("Échéance")

    def set_owners(self, owners) -> None:
        self.owner.choices = ([("", "— Choisir —")] + [(str(u.id), u.full_name) for u in owners]
                              + [(action_ops.OTHER_OWNER, "Autre personne (sans compte certif)")])
        self._owners = owners

    def fields(self) -> action_ops.ActionFields:
        return action_ops.ActionFields(self.title.data, self.description.data, self.owner.data,
                                    self.owner_name.data, self.due_on.data)

    def validate_with(self, today: date) -> bool:
        self.validate()
        return _check(self, action_ops.field_problems(self.fields(), today, self._owners), self.due_on)


class CloseForm(FlaskForm):
    note = TextAreaField("Note de clôture (facultative)",
                         render_kw={"rows": 3, "maxlength": MAX_TEXT})
