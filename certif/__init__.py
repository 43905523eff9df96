"""certif: the intranet on which a training organisation runs its certification exams."""
import os
import secrets
from pathlib import Path

from flask import Flask

from .config import config_for
from .database import configure_sqlite
from .extensions import csrf, db, login_manager, migrate
from .files import private_dir, write_private

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """The application factory, certif's composition root.

    It imports the domains inside this function and its helpers, not at the top (the
    Flask factory idiom): Python runs this package's `__init__` before any `certif.…`
    module, and importing one helper (a script, the migrations, a unit test) must not
    load every domain with it. This is the one place where imports inside functions are
    allowed, besides the lazy heavy dependencies (tests/test_layers.py,
    `test_no_import_hides_inside_a_function`).
    """
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_for(config_name or os.environ.get("CERTIF_ENV")))
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        private_dir(app.instance_path)  # the SQLite file and its WAL: certif's user only
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'certif.db'}"
    # Files certif keeps (outbox, uploaded CVs): instance/ unless configured (tests use a tmp dir).
    app.config.setdefault("FILES_DIR", app.instance_path)
    if not app.config.get("FILES_DIR"):
        app.config["FILES_DIR"] = app.instance_path
    _secret_key(app)
    if app.config["ENV_NAME"] == "production" and not app.config.get("BASE_URL"):
        raise RuntimeError("CERTIF_BASE_URL must be set in production (e.g. https://certif.example.fr): "
                           "links in emails and PDFs are built from it")

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)

    from . import cli, models, web  # noqa: F401  (models: every table, for migrations)
    from .auth import loader as auth_loader
    web.init_app(app)  # before the blueprints: it registers the <id:…> URL converter
    auth_loader.init_app(app)
    _template_helpers(app)
    _resolvers()
    cli.init_app(app)

    from .auth.account_views import bp as account_bp
    from .auth.password_views import bp as passwords_bp
    from .auth.staff_views import bp as staff_bp
    from .auth.twofactor_views import bp as twofactor_bp
    from .auth.views import bp as auth_bp
    from .candidates.accommodation_views import bp as accommodations_bp
    from .candidates.livret.views import bp as livret_bp
    from .cdc.views import bp as cdc_bp
    from .certificates.views import bp as certificates_bp
    from .convocations.views import bp as convocations_bp
    from .council.anomaly_views import bp as anomalies_bp
    from .council.indicators.views import bp as indicators_bp
    from .council.meeting_views import bp as meetings_bp
    from .council.views import bp as council_bp
    from .dashboard.views import bp as dashboard_bp
    from .documents import cli as documents_cli
    from .documents.views import bp as documents_bp
    from .examday.conditions.views import bp as conditions_bp
    from .examday.dossier_views import bp as jury_dossier_bp
    from .examday.views import bp as examday_bp
    from .grading.parts.views import bp as exam_parts_bp
    from .grading.views import bp as grading_bp
    from .jurors.professionalisation.views import bp as professionalisation_bp
    from .mail.views import bp as mail_bp
    from .minutes.views import bp as minutes_bp
    from .organisation.views import bp as organisation_bp
    from .portal.views import bp as portal_bp
    from .sessions.candidate_views import bp as candidates_bp
    from .sessions.changes.views import bp as exceptions_bp
    from .sessions.dossier.candidate_views import bp as dossier_bp
    from .sessions.dossier.views import bp as session_dossiers_bp
    from .sessions.juror_views import bp as jurors_bp
    from .sessions.views import bp as sessions_bp
    from .signatures.views import bp as signatures_bp
    for blueprint in (anomalies_bp, auth_bp, candidates_bp, certificates_bp, conditions_bp, convocations_bp,
                      council_bp, dashboard_bp, documents_bp, examday_bp, exceptions_bp, grading_bp,
                      indicators_bp, jurors_bp, mail_bp, meetings_bp, minutes_bp, portal_bp, sessions_bp,
                      signatures_bp, staff_bp, twofactor_bp, account_bp, passwords_bp,
                      professionalisation_bp, organisation_bp, accommodations_bp, exam_parts_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(dossier_bp)  # the candidate's file (issue 14)
    app.register_blueprint(session_dossiers_bp)
    app.register_blueprint(jury_dossier_bp)
    app.register_blueprint(livret_bp)
    from .portal.holder_views import bp as holder_bp
    app.register_blueprint(holder_bp)  # the candidate's civil status from their link (issue 15)
    app.register_blueprint(cdc_bp)  # declaring holders to the Caisse des Dépôts (issue 15)
    from .council.indicators.public_views import bp as results_bp
    from .organisation.notice_views import bp as notice_bp
    app.register_blueprint(results_bp)  # public: the published results (issue 15)
    app.register_blueprint(notice_bp)  # public: the information notice on personal data
    documents_cli.init_app(app)
    if not app.testing:
        from .documents.seal import ensure_seal
        ensure_seal(app)  # the organisation's seal: a self-signed one is made on first start
    return app


def _resolvers() -> None:
    """What a lower layer must learn from a higher one, which it never imports (the layers:
    tests/test_layers.py). Tables register theirs when `models` imports them."""
    from .convocations import queries as convocation_queries
    from .council import session_record as council_record
    from .minutes import steps as minutes_steps
    from .sessions.convened import register_reader
    minutes_steps.register()  # the minutes' conditions on a session's last steps
    council_record.register()  # the anomaly sheets that the minutes' section 3 mentions
    register_reader(convocation_queries)  # what sessions read about convocations


def _template_helpers(app: Flask) -> None:
    """The domains' labels and images that every template may show."""
    from .audit.labels import action_label
    from .grading.presenters import decision_label, mark_label, status_label
    from .signatures.rules import data_url
    app.jinja_env.globals.update(decision_label=decision_label, status_label=status_label,
                                 mark_label=mark_label, action_label=action_label)
    app.jinja_env.filters.update(png_data_url=data_url)


def _secret_key(app: Flask) -> None:
    """Production takes SECRET_KEY from the environment; elsewhere one is made once and kept."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError("SECRET_KEY must be set in the environment in production")
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        try:
            write_private(path, secrets.token_hex(32), exclusive=True)
        except FileExistsError:  # another worker made it first: every worker uses that one
            pass
    app.config["SECRET_KEY"] = path.read_text().strip()
