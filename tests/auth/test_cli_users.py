"""`flask users create` / `flask users link`: the first organiser, without a password on the
command line."""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from certif.audit.models import AuditEntry
from certif.auth import tokens
from certif.auth.login_sessions import token_hash
from certif.auth.models import COUNCIL, JUROR, ORGANISER, AccountToken, User
from certif.extensions import db

from ..factories.users import make_user

ARGS = ["users", "create", "Premiere.Orga@Exemple.fr", "--first-name", "Sephora",
        "--last-name", "Labi", "--role", "organiser"]


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    db.session.commit()  # see what the command committed
    db.session.expire_all()
    return result


def printed_link(output):
    links = [line for line in output.splitlines() if "/mot-de-passe/" in line]
    assert len(links) == 1, output
    return links[0].strip()


def token_of(link):
    return urlsplit(link).path.rsplit("/", 1)[-1]


def user_by_email(email):
    return db.session.scalar(db.select(User).filter_by(email=email))


def audit(action):
    return db.session.scalars(db.select(AuditEntry).filter_by(action=action)).all()


def test_create_prints_a_single_use_link_and_no_password(app):
    result = run(app, *ARGS)
    assert result.exit_code == 0, result.output
    user = user_by_email("premiere.orga@exemple.fr")
    assert user.roles == {ORGANISER} and user.full_name == "Sephora LABI"
    assert user.password_hash is None and user.active
    assert "Compte créé : Sephora LABI <premiere.orga@exemple.fr>" in result.output
    assert "valable 24 heures, une seule fois" in result.output
    link = printed_link(result.output)
    assert link.startswith("http://127.0.0.1:5000/mot-de-passe/")  # no CERTIF_BASE_URL: make run's
    row = tokens.lookup(token_of(link))
    assert row.user_id == user.id and row.purpose == tokens.SETUP and row.created_by_id is None
    assert tokens.problem(row) is None
    assert timedelta(hours=23) < row.expires_at - row.created_at <= timedelta(hours=24)
    # Only the token's hash is stored.
    assert row.token_hash == token_hash(token_of(link))
    stored = db.session.execute(db.select(AccountToken.__table__)).all()
    assert token_of(link) not in repr(stored)
    # Audited, by nobody (the command line), with no secret in the trail.
    [created], [issued] = audit("user.create"), audit("user.setup_link")
    assert created.actor_id is None and created.entity_id == user.id
    assert created.details["roles"] == [ORGANISER]
    assert issued.actor_id is None and token_of(link) not in repr(
        (issued.old_value, issued.new_value, issued.details))


def test_the_link_opens_the_page_to_choose_the_password(app, web):
    link = printed_link(run(app, *ARGS).output)
    assert web.get(urlsplit(link).path).status_code == 200


def test_the_link_is_built_from_the_base_url(app):
    app.config["BASE_URL"] = "https://certif.exemple.fr/app"
    result = run(app, *ARGS)
    assert printed_link(result.output).startswith("https://certif.exemple.fr/app/mot-de-passe/")
    assert "CERTIF_BASE_URL" not in result.output


def test_several_roles(app):
    result = run(app, "users", "create", "conseil@exemple.fr", "--first-name", "Paul",
                 "--last-name", "Vidal", "--role", "council", "--role", "juror", "--role", "council")
    assert result.exit_code == 0, result.output
    assert user_by_email("conseil@exemple.fr").roles == {COUNCIL, JUROR}


@pytest.mark.parametrize("args, message", [
    (["users", "create", "pas-une-adresse", "--first-name", "A", "--last-name", "B",
      "--role", "organiser"], "Adresse e-mail invalide."),
    (["users", "create", "a@exemple.fr", "--first-name", "A", "--last-name", "B",
      "--role", "admin"], "Rôle inconnu : admin"),
    (["users", "create", "a@exemple.fr", "--first-name", "A", "--last-name", "B"],
     "Indiquez au moins un rôle"),
    (["users", "create", "a@exemple.fr", "--last-name", "B", "--role", "organiser"],
     "Saisissez le prénom."),
    (["users", "create", "a@exemple.fr", "--first-name", "A", "--last-name", " ",
      "--role", "organiser"], "Saisissez le nom."),
])
def test_bad_input_is_refused_in_french(app, args, message):
    result = run(app, *args)
    assert result.exit_code != 0
    assert message in result.output and "Compte non créé." in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert audit("user.create") == []


def test_an_existing_email_is_refused(app):
    make_user(JUROR)
    existing = db.session.scalar(db.select(User))
    result = run(app, "users", "create", existing.email.upper(), "--first-name", "A",
                 "--last-name", "B", "--role", "organiser")
    assert result.exit_code != 0
    assert "Un compte existe déjà avec cette adresse e-mail." in result.output
    assert "/mot-de-passe/" not in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_no_password_option_exists(app):
    result = run(app, *ARGS, "--password", "secret-en-clair")
    assert result.exit_code != 0 and user_by_email("premiere.orga@exemple.fr") is None


def test_link_gives_a_fresh_link_and_revokes_the_earlier_one(app):
    first = printed_link(run(app, *ARGS).output)
    result = run(app, "users", "link", "PREMIERE.orga@exemple.fr")
    assert result.exit_code == 0, result.output
    second = printed_link(result.output)
    assert second != first
    assert tokens.problem(tokens.lookup(token_of(first))) == (410, tokens.MSG_REVOKED)
    assert tokens.problem(tokens.lookup(token_of(second))) is None
    assert len(audit("user.setup_link")) == 2


def test_link_for_an_account_with_a_password_says_it_still_works(app):
    user = make_user(COUNCIL)
    result = run(app, "users", "link", user.email)
    assert result.exit_code == 0
    assert "déjà un mot de passe" in result.output
    assert tokens.lookup(token_of(printed_link(result.output))).user_id == user.id


def test_link_refuses_unknown_and_deactivated_accounts(app):
    result = run(app, "users", "link", "personne@exemple.fr")
    assert result.exit_code != 0 and "Aucun compte n'a l'adresse personne@exemple.fr." in result.output
    user = make_user(COUNCIL)
    user.active = False
    db.session.commit()
    result = run(app, "users", "link", user.email)
    assert result.exit_code != 0 and "désactivé" in result.output
    assert db.session.scalar(db.select(db.func.count(AccountToken.id))) == 0
