"""Demo data for `make run`: an RS6240 session today (to try the exam day), an RS6240
session with two juries and six candidates and an RNCP community-manager session with one
jury and two candidates on the next weekday, and a session still to prepare. The steering
council has last year's annual meeting on record and two anomaly sheets of today's session:
one to examine, one with its opinion signed and a corrective action in progress."""
import os
from datetime import date, time, timedelta

import click
from flask import current_app

from . import demo_finished
from .audit.services import record
from .auth.accounts import create_account
from .auth.invitations import send_invitation
from .auth.models import COUNCIL, JUROR, ORGANISER, ROLES, User
from .candidates import accommodation_demo, holder_demo
from .candidates.livret import demo as livret_demo
from .candidates.models import Candidate
from .certificates.blocks import demo as blocks_demo
from .convocations.sending import send_candidate, send_juror
from .council import anomalies, meetings
from .council.actions import operations as action_ops
from .council.actions import queries as action_queries
from .council.reviews import operations as review_ops
from .council.reviews import opinion, sheets
from .database import write_transaction
from .extensions import db
from .jurors.habilitations import habilitated_codes
from .jurors.models import JurorProfile
from .jurors.professionalisation import demo as professionalisation_demo
from .organisation import demo as insurance_demo
from .referentials.models import Referential
from .sessions import habilitation_demo
from .sessions.dossier import demo as dossier_demo
from .sessions.lifecycle import advance_session
from .sessions.models import CONVENED, DRAFT, Exam, ExamSession, Jury, JuryMember
from .sessions.slots import assign_candidate
from .signatures.rules import content_sha256, parse_mark
from .timeutil import paris_to_utc, paris_today, utcnow

PASSWORD = "certif-demo"

STAFF = [
    ("organisation@certif.test", "Sephora", "Labi", [ORGANISER, COUNCIL]),
    ("conseil@certif.test", "Sylvie", "Moscou", [COUNCIL]),
    ("conseil2@certif.test", "Manon", "Garcia", [COUNCIL]),
]
JURORS = [
    ("jure1@certif.test", "Claire", "Fontaine", "Community manager", 9),
    ("jure2@certif.test", "Karim", "Benali", "Formateur en communication digitale", 12),
    ("jure3@certif.test", "Élodie", "Marchand", "Community manager", 6),
    ("jure4@certif.test", "Thomas", "Nguyen", "Formateur en communication digitale", 7),
    ("jure5@certif.test", "Julie", "Perrin", "Community manager", 11),
    ("jure6@certif.test", "Antoine", "Roussel", "Community manager", 5),
    # A juror whose habilitation the organiser has not decided yet.
    ("jure7@certif.test", "Samia", "Haddad", "Chargée de communication", 3),
]
CANDIDATES = [
    ("Léa", "Dubois"), ("Hugo", "Lefèvre"), ("Inès", "Moreau"),
    ("Lucas", "Girard"), ("Chloé", "Lambert"), ("Nathan", "Bonnet"),
    ("Manon", "Faure"), ("Yanis", "Mercier"),
    # Not yet placed in a session: for the organiser to try the workspace.
    ("Sarah", "Petit"), ("Maxime", "Roux"), ("Camille", "Fournier"),
    # Sitting today, before jure1 and jure2: the exam day can be tried at once.
    ("Emma", "Garnier"), ("Louis", "Chevalier"),
]
# Decided with the disability referent (seed 000, I.D.3).
# Louis Chevalier sits today, last of his jury: his slot lasts 10 minutes more.
ACCOMMODATION = ("Louis", "Chevalier", "Temps majoré d'un tiers décidé avec le référent handicap.", 10)


def next_weekday(today: date) -> date:
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _user(email, first, last, roles):
    user = User(email=email, first_name=first, last_name=last)
    user.set_password(PASSWORD)
    for role in roles:
        user.grant(role)
    db.session.add(user)
    return user


def _juror(email, first, last, profession, years):
    user = _user(email, first, last, [JUROR])
    user.juror_profile = JurorProfile(updated_at=utcnow(),
        profession=profession, years_experience=years, external=True, city="Paris",
        postal_code="75011", phone="06 12 34 56 78", workplace="Indépendant",
        professionalisation_date=paris_today() - timedelta(days=40))
    return user


def _session(number, referential, day, jury_specs, candidates, mode="remote"):
    session = ExamSession(number=number, referential=referential, mode=mode,
                          starts_at=paris_to_utc(day, time(9, 0)), status=DRAFT,
                          video_link="https://visio.example.org/certif-" + number.lower())
    db.session.add(session)
    minutes = referential.exam_minutes
    per_jury = len(candidates) // len(jury_specs)
    for position, (juror_a, juror_b) in enumerate(jury_specs, start=1):
        jury = Jury(position=position, president=juror_a)
        session.juries.append(jury)
        jury.members = [JuryMember(juror=juror_a, seat=1), JuryMember(juror=juror_b, seat=2)]
        mine = candidates[(position - 1) * per_jury: position * per_jury]
        for slot, candidate in enumerate(mine):
            jury.exams.append(Exam(candidate=candidate, position=slot + 1,
                                   duration_minutes=minutes + (candidate.extra_minutes or 0),
                                   starts_at=session.starts_at + timedelta(minutes=slot * minutes)))
    return session


def load_demo() -> bool:
    """Load the demo data into an empty database; False if there are users already."""
    if db.session.scalar(db.select(User.id).limit(1)) is not None:
        return False
    refs = {r.code: r for r in db.session.scalars(db.select(Referential)).all()}
    with write_transaction():
        for email, first, last, roles in STAFF:
            _user(email, first, last, roles)
        jurors = [_juror(*spec) for spec in JURORS]
        candidates = [Candidate(first_name=first, last_name=last,
                                email=f"{first.lower()}.{last.lower()}@exemple.fr"
                                .replace("é", "e").replace("è", "e"),
                                training_end_date=paris_today() - timedelta(days=20))
                      for first, last in CANDIDATES]
        for candidate in candidates:
            candidate.phone = "06 00 00 00 00"
            candidate.city, candidate.postal_code = "Paris", "75010"
            if (candidate.first_name, candidate.last_name) == ACCOMMODATION[:2]:
                candidate.accommodation, candidate.extra_minutes = ACCOMMODATION[2:]
        db.session.add_all(candidates)
        today_session = _session("2026-RS6240-00", refs["RS6240"], paris_today(),
                                 [(jurors[0], jurors[1])], candidates[11:13])
        day = next_weekday(paris_today())
        _session("2026-RS6240-01", refs["RS6240"], day,
                 [(jurors[0], jurors[1]), (jurors[2], jurors[3])], candidates[:6])
        _session("2026-CM-01", refs["RNCP-CM"], day, [(jurors[4], jurors[5])], candidates[6:8],
                 mode="both")
        # A session still to prepare: no jury yet, nobody convened.
        later = next_weekday(day + timedelta(days=20))
        db.session.add(ExamSession(number="2026-RS6240-02", referential=refs["RS6240"],
                                   mode="remote", status=DRAFT,
                                   starts_at=paris_to_utc(later, time(9, 0)),
                                   video_link="https://visio.example.org/certif-2026-rs6240-02"))
        db.session.flush()
        record(None, "demo.load", "database", None, new="demo")
    habilitation_demo.load(db.session.scalar(db.select(User).filter_by(email=STAFF[0][0])))
    holder_demo.load(db.session.scalars(db.select(Candidate)))  # civil status (issue 15)
    insurance_demo.load(paris_today())  # before convening: the sessions must be covered
    accommodation_demo.load(ACCOMMODATION[:2], paris_today())
    livret_demo.load(paris_today(), lambda c: assign_candidate(None, db.session.scalar(db.select(Jury.id).join(ExamSession, Jury.session_id == ExamSession.id).filter(ExamSession.number == "2026-CM-01")), c.id))  # noqa: E501
    _convene_by_hand(today_session.id)
    _council_cases(today_session.id)
    _invited_account()
    _professionalisation()
    _finished_session()
    dossier_demo.load()  # the candidates' files of 2026-CM-01 (issue 14)
    blocks_demo.load()  # Manon Faure's previous RNCP attempt: BC01, BC02 kept (issue 14)
    return True


def _finished_session() -> None:
    """An RS6240 session held three weeks ago and finished (certif/demo_finished.py)."""
    by_email = {u.email: u for u in db.session.scalars(db.select(User)).unique()}
    demo_finished.load(by_email[STAFF[0][0]], by_email[JURORS[2][0]], by_email[JURORS[3][0]])


INVITED = ("nouveau.conseil@certif.test", "Paul", "Lemaire", [COUNCIL])


def _professionalisation() -> None:
    """A professionalisation session held with its attendance and a signed attestation, one to come."""
    by_email = {u.email: u for u in db.session.scalars(db.select(User)).unique()}
    jurors = [by_email[email] for email, *_ in JURORS]
    professionalisation_demo.load(by_email[STAFF[0][0]], jurors[:5], jurors[5:6], jurors[6:])


def _invited_account() -> None:
    """A council member invited by the organiser who has not chosen a password yet: the
    invitation (link valid 72 hours) waits in *Courriels*, the account under *Comptes*."""
    organiser = db.session.scalar(db.select(User).filter_by(email=STAFF[0][0]))
    email, first, last, roles = INVITED
    send_invitation(create_account(organiser, email, first, last, roles), organiser)


def _convene_by_hand(session_id: int) -> None:
    """Today's session is ready for the exam day: everyone's convocation was handed over."""
    organiser = db.session.scalar(db.select(User).filter_by(email=STAFF[0][0]))
    session = db.session.get(ExamSession, session_id)
    jury = session.juries[0]
    hand = dict(handed_on=paris_today(), handed_by=organiser.full_name)
    # The convocation PDFs carry the candidates' absolute links.
    # `make run PORT=…` serves elsewhere: the links follow.
    with current_app.test_request_context(base_url=f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"):
        for exam in list(jury.exams):
            send_candidate(organiser, exam.id, "hand", **hand)
        for juror in list(jury.jurors):
            send_juror(organiser, session_id, juror.id, "hand", **hand)
        advance_session(organiser, session_id, CONVENED)


def _council_cases(session_id: int) -> None:
    """What the council finds on its first visit, made through the services (signed, audited)."""
    by_email = {u.email: u for u in db.session.scalars(db.select(User)).unique()}
    organiser, chair, member = (by_email[STAFF[i][0]] for i in range(3))
    juror = by_email[JURORS[0][0]]
    today = paris_today()
    meetings.record_meeting(chair, meetings.MeetingFields(
        kind="annual", held_on=today - timedelta(days=300), place="Locaux d'ALLOKOM, Paris",
        member_ids=[organiser.id, chair.id, member.id],
        decisions="Bilan des sessions de l'année : aucune anomalie signalée.",
        programme_opinion="Programme adapté ; ajouter un module sur les formats vidéo courts.",
        certification_adjustments="Suivre l'évolution des outils de planification de publications."))

    def file(reporter, anomaly_type, description, consequence, causes):
        return anomalies.file_anomaly(
            anomalies.Reporter(user=reporter),
            anomalies.AnomalyFields(session_id=session_id, observed_on=None, anomaly_type=anomaly_type,
                                    description=description, consequence=consequence, causes=causes),
            parse_mark("typed", None, reporter.full_name))

    file(juror, "technical", "La connexion du candidat a coupé pendant quatre minutes pendant la mise en "
         "situation pratique.", "Épreuve reprise ; temps d'examen prolongé de quatre minutes.",
         "Réseau Wi-Fi du candidat.")
    followed = file(organiser, "organisation", "Le lien de la visioconférence envoyé à un juré "
                    "était celui de la session précédente.", "Début du premier passage retardé de "
                    "dix minutes.", "Modèle de convocation du juré non mis à jour.")
    review_ops.save_opinion(member, "anomaly", followed.id, review_ops.OpinionFields(
        opinion_date=today, commission_number=f"{today.year}-01",
        opinion="Anomalie d'organisation : la convocation des jurés doit reprendre le lien de la session."))
    action = action_ops.propose(member, action_ops.ActionFields(
        title="Vérifier le lien de visioconférence de chaque convocation de juré avant l'envoi",
        description="Relecture croisée des convocations par une seconde personne.",
        owner=str(organiser.id), owner_name=None, due_on=today + timedelta(days=14)),
        sheet=("anomaly", followed.id))
    action_ops.move(action, "adopted", member)
    review = sheets.find_review("anomaly", followed.id)
    review_ops.sign_opinion(member, "anomaly", followed.id, parse_mark("typed", None, member.full_name),
                            content_sha256(opinion.opinion_content(review)))
    action_ops.move(action_queries.get_action(action.id), "in_progress", organiser,
                    note="Liste de contrôle ajoutée à la procédure d'envoi.")


def print_logins() -> None:
    """The demo accounts as they are in the database, with the juries each juror sits on."""
    click.echo("")
    click.echo(f"Comptes de démonstration (mot de passe pour tous : {PASSWORD})")
    demo_emails = [e for e, *_ in STAFF] + [e for e, *_ in JURORS]
    users = db.session.scalars(db.select(User).where(User.email.in_(demo_emails))).unique().all()
    for user in sorted(users, key=lambda u: demo_emails.index(u.email)):
        roles = ", ".join(ROLES[r].lower() for r in sorted(user.roles) if r != JUROR)
        juries = db.session.scalars(
            db.select(Jury).join(JuryMember).where(JuryMember.juror_id == user.id)).all()
        seats = [f"juré {j.session.number}" + (" (aujourd'hui)" if j.session.number.endswith("-00") else "")
                 + (" (préside le jury)" if j.president_id == user.id else "") for j in juries]
        if user.has_role(JUROR):
            seats.append(f"habilité(e) : {', '.join(habilitated_codes(user))}" if habilitated_codes(user)
                         else "juré, habilitation à décider")
        click.echo(f"  {user.email:<28} {user.full_name:<20} {', '.join(filter(None, [roles, *seats]))}")
    invited = f"{INVITED[1]} {INVITED[2].upper()}"
    click.echo(f"  {INVITED[0]:<28} {invited:<20} invité au conseil : "
               "son lien pour choisir un mot de passe est dans Courriels")
    click.echo(demo_finished.summary() or "")
    click.echo(blocks_demo.summary() or "")
    click.echo("")
