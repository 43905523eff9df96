"""Who is logged in: the cookie's server-side session, looked up on every request.

Registered on the app by the factory (`init_app`), so that the request plumbing in
`web.py` knows nothing of accounts.
"""
from flask import Flask, g, session

from ..database import write_transaction
from ..extensions import db, login_manager
from . import login_sessions


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(user_id: str):
        # The cookie names a server-side session: revoked, expired or of a deactivated
        # account, it opens nothing (one statement, as loading the user alone cost).
        token = login_sessions.current_token()
        if not token or not str(user_id).isdigit():
            return None
        row = login_sessions.find_live(int(user_id), token)
        if row is None:
            session.clear()
            g.session_ended = True  # said on the login form (web's unauthorized handler)
            return None
        g.login_session = row
        return row.user

    @app.after_request
    def touch_login_session(response):
        # A grid left open all day polls: that activity shows as "last seen" on Mon compte.
        row = g.get("login_session")
        if row is not None and row.revoked_at is None and login_sessions.needs_touch(row):
            try:
                with write_transaction():
                    login_sessions.touch(row.id)
            except Exception:  # never fail a page for a bookkeeping write
                db.session.rollback()
                app.logger.warning("last-seen of login session %s not recorded", row.id)
        return response
