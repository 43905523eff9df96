"""The information notice on personal data: a public page (no login), nothing personal."""
from flask import Blueprint, render_template

from .notice import PURPOSES, RECIPIENTS, RIGHTS, notice_facts

bp = Blueprint("notice", __name__)


@bp.get("/donnees-personnelles")
def page():
    return render_template("organisation/notice.html", facts=notice_facts(), purposes=PURPOSES,
                           recipients=RECIPIENTS, rights=RIGHTS)
