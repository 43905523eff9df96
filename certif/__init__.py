"""certif: the intranet on which a training organisation runs its certification exams."""
import os
from pathlib import Path

from flask import Flask

from .config import DEV_SECRET_KEY, config_for
from .extensions import csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_for(config_name or os.environ.get("CERTIF_ENV")))
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'certif.db'}"
    _refuse_default_secret_in_production(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        from .database import configure_sqlite
        configure_sqlite(db.engine)

    from . import models  # noqa: F401  (registers every table for migrations)
    from .auth.views import bp as auth_bp
    from .grading.views import bp as grading_bp
    from .sessions.views import bp as sessions_bp
    app.register_blueprint(auth_bp)
    app.register_blueprint(grading_bp)
    app.register_blueprint(sessions_bp)

    from . import cli, web
    web.init_app(app)
    cli.init_app(app)
    return app


def _refuse_default_secret_in_production(app: Flask) -> None:
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError("SECRET_KEY must be set in the environment in production")
