"""Configuration. Development defaults; production reads everything from the environment."""
import os
from datetime import timedelta


def database_url(raw: str | None) -> str | None:
    """DATABASE_URL as given, with PostgreSQL URLs pointed at the psycopg 3 driver."""
    if raw:
        for prefix in ("postgres://", "postgresql://"):
            if raw.startswith(prefix):
                return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


class Config:
    ENV_NAME = "development"
    # From the environment; outside production, generated once into instance/secret_key.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_FIX_HOPS = int(os.environ.get("CERTIF_PROXY_HOPS", "0"))
    # SQLite in instance/ unless DATABASE_URL says otherwise (set by the factory).
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A juror's page stays open all exam day: the CSRF token lives as long as the
    # session instead of the default hour, and the session lasts a long day.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    PERMANENT_SESSION_LIFETIME = timedelta(hours=16)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # htmx from the CDN (with SRI), falling back to the copy in static/vendor;
    # CERTIF_HTMX_CDN=0 serves the local copy only (networks that drop CDN traffic).
    HTMX_CDN = os.environ.get("CERTIF_HTMX_CDN", "1") != "0"
    # Seconds between refreshes of the other juror's progress.
    PROGRESS_POLL_SECONDS = 4
    ORGANISATION_NAME = os.environ.get("CERTIF_ORGANISATION", "ALLOKOM")
    # Where certificates are "fait à" (the place of award, a mandatory mention): a demo city
    # outside production; production has none until set, and refuses to produce certificates.
    ORGANISATION_CITY = os.environ.get("CERTIF_ORGANISATION_CITY") or "Paris"
    # Qualiopi indicator 3: the public results page (/resultats-certification); 0 turns it off
    # (404). A rate resting on fewer candidates than the minimum is not published (its count is).
    PUBLISH_RESULTS = os.environ.get("CERTIF_PUBLISH_RESULTS", "1") != "0"
    PUBLISH_RESULTS_MIN_CANDIDATES = int(os.environ.get("CERTIF_PUBLISH_RESULTS_MIN_CANDIDATES", "5"))
    # The information notice on personal data (/donnees-personnelles): who answers and where.
    # Development defaults; set them in production.
    PRIVACY_CONTROLLER_ADDRESS = os.environ.get("CERTIF_PRIVACY_ADDRESS",
                                                "1 rue de l'Exemple, 75000 Paris (adresse à configurer)")
    PRIVACY_CONTACT = os.environ.get("CERTIF_PRIVACY_CONTACT", "dpo@certif.test")
    PRIVACY_DPO = os.environ.get("CERTIF_PRIVACY_DPO") or None  # name of the DPO, when one is named
    # Where the outbox and uploads live; None means the instance folder.
    FILES_DIR = os.environ.get("CERTIF_FILES_DIR") or None
    # Where `flask backup` writes its archives; None: FILES_DIR/../backups (instance/backups
    # when the files folder is the instance folder, which the backup then leaves out).
    BACKUP_DIR = os.environ.get("CERTIF_BACKUP_DIR") or None
    # Uploads (juror CVs): PDF only, checked by content, kept under instance/uploads.
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    CV_MAX_BYTES = 5 * 1024 * 1024
    EVIDENCE_MAX_BYTES = 5 * 1024 * 1024  # a corrective action's proof of application
    # A piece of a candidate's file (technical dossier PDF, letters, CV): its own request limit.
    DOSSIER_MAX_BYTES = int(os.environ.get("CERTIF_DOSSIER_MAX_BYTES", str(20 * 1024 * 1024)))
    # A candidate's personal link (convocation, later signing and reporting) expires.
    CANDIDATE_LINK_DAYS = int(os.environ.get("CERTIF_CANDIDATE_LINK_DAYS", "120"))
    # Email: SMTP when MAIL_SERVER is set; otherwise messages go to instance/outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_TIMEOUT = 15
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "certification@certif.test")
    MAIL_SENDER_NAME = os.environ.get("MAIL_SENDER_NAME", "Certification ALLOKOM")
    # A remote candidate signs the attendance sheet through a single-use link (or its short
    # code) that expires after this many minutes.
    ATTENDANCE_LINK_MINUTES = int(os.environ.get("CERTIF_ATTENDANCE_LINK_MINUTES", "30"))
    # The organisation's certificate that seals signed minutes and certificates (PDF signatures):
    # PEM certificate + key, or a PKCS#12 file; when none is set, a self-signed one is made on
    # first start and kept under FILES_DIR/seal/.
    SEAL_CERT_FILE = os.environ.get("CERTIF_SEAL_CERT_FILE") or None
    SEAL_KEY_FILE = os.environ.get("CERTIF_SEAL_KEY_FILE") or None
    SEAL_KEY_PASSPHRASE = os.environ.get("CERTIF_SEAL_KEY_PASSPHRASE") or None
    SEAL_PKCS12_FILE = os.environ.get("CERTIF_SEAL_PKCS12_FILE") or None
    LOAD_DEMO_DATA = False
    # Links in emails and PDFs start with this (e.g. https://certif.example.fr), never with
    # the request's Host header; required in production, the request's own in development.
    BASE_URL = (os.environ.get("CERTIF_BASE_URL") or "").rstrip("/") or None
    # « Mot de passe oublié ? » answers no sooner than this many seconds after the request
    # came, whether the address has an account or not (so that timing tells nothing).
    RESET_RESPONSE_SECONDS = 0.6
    # Organiser and council accounts must use a second factor (TOTP) when set to 1.
    REQUIRE_2FA = os.environ.get("CERTIF_REQUIRE_2FA", "0") == "1"
    # The Caisse des Dépôts' identifiers of the organisation (declaring holders, « accrochage »):
    # idClient (8 characters) and idContrat, given by the CDC; demo values outside production.
    CDC_ID_CLIENT = os.environ.get("CERTIF_CDC_ID_CLIENT") or "DEMO0001"
    CDC_ID_CONTRAT = os.environ.get("CERTIF_CDC_ID_CONTRAT") or "DEMO-CONTRAT"
    # Holders are declared within this many months after the award (L6113-8).
    CDC_DEADLINE_MONTHS = int(os.environ.get("CERTIF_CDC_DEADLINE_MONTHS", "3"))


class ProductionConfig(Config):
    ENV_NAME = "production"
    # A failed statement is logged without its values (password hashes, TOTP secrets).
    SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    ORGANISATION_CITY = os.environ.get("CERTIF_ORGANISATION_CITY") or None
    # Never the demo identifiers: without the environment's, the CDC page says what to set.
    CDC_ID_CLIENT = os.environ.get("CERTIF_CDC_ID_CLIENT") or None
    CDC_ID_CONTRAT = os.environ.get("CERTIF_CDC_ID_CONTRAT") or None


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret"
    HTMX_CDN = False
    MAIL_SERVER = None  # the outbox, unless a test starts its own SMTP server
    REQUIRE_2FA = False  # whatever the machine's environment says; tests turn it on
    BASE_URL = None  # links from the request, unless a test sets one
    BACKUP_DIR = None  # beside each test's files folder, never the machine's CERTIF_BACKUP_DIR
    RESET_RESPONSE_SECONDS = 0.2  # still padded (the timing test needs it), just shorter
    CDC_ID_CLIENT, CDC_ID_CONTRAT, CDC_DEADLINE_MONTHS = "TEST0001", "TEST-CONTRAT", 3


def config_for(name: str | None):
    return {"production": ProductionConfig, "test": TestConfig}.get(name or "", Config)
