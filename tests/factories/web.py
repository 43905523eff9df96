"""The browserless client: logs in and posts like the pages do (CSRF token included)."""
import re

from certif.extensions import db

from .users import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Browserless:
    """A test client that logs in and posts like the pages do (CSRF token included).

    Each request runs in an app context of its own, as in production (the test's
    context would otherwise be reused and share `g` and the database session);
    afterwards the test's session starts a new transaction and forgets what it
    had loaded, so assertions see the database as the request left it.
    """

    def __init__(self, client):
        self.client = client
        self.token = None

    def _call(self, method, *args, **kwargs):
        app = self.client.application
        with app.app_context():
            response = getattr(self.client, method)(*args, **kwargs)
        # End the test's read transaction (its SQLite snapshot) and reload on next access.
        db.session.commit()
        db.session.expire_all()
        return response

    def login(self, user, password=PASSWORD):
        page = self._call("get", "/connexion")
        token = CSRF_RE.search(page.text).group(1)
        response = self._call("post", "/connexion", data={
            "email": user.email, "password": password, "csrf_token": token})
        assert response.status_code == 302, response.text
        self.refresh_token()
        return response

    def refresh_token(self):
        page = self._call("get", "/compte")
        self.token = CSRF_RE.search(page.text).group(1)

    def get(self, url, htmx=False, headers=None, **kwargs):
        headers = {**({"HX-Request": "true"} if htmx else {}), **(headers or {})}
        return self._call("get", url, headers=headers, **kwargs)

    def post(self, url, data=None, htmx=False, csrf=True, headers=None, **kwargs):
        headers = dict(headers or {})
        if htmx:
            headers["HX-Request"] = "true"
            if csrf:
                headers["X-CSRFToken"] = self.token
        data = dict(data or {})
        if csrf and not htmx:
            data["csrf_token"] = self.token
        return self._call("post", url, data=data, headers=headers, **kwargs)
