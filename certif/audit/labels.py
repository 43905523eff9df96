"""How each audited action reads in French, wherever the audit log is shown."""

ACTION_LABELS = {
    "mark.set": "Note d'un juré",
    "deliberation.open": "Ouverture de la délibération",
    "deliberation.mark": "Valeur retenue par le jury",
    "deliberation.comment": "Commentaire du président",
    "deliberation.close": "Clôture de la délibération",
    "conflict.declare": "Déclaration de conflit d'intérêts",
    "convocation.email": "Convocation envoyée par e-mail",
    "convocation.hand": "Convocation remise en main propre",
    "convocation.email_failed": "Échec de l'envoi de la convocation",
    "exam.create": "Passage créé",
    "exam.assign": "Candidat placé dans un jury",
    "exam.reorder": "Ordre de passage modifié",
    "exam.change_jury": "Candidat confié à un autre jury",
    "exam.unassign": "Candidat retiré du jury",
    "exam.absent": "Absence du candidat",
    "exam.move": "Report sur une autre session",
    "retake.request": "Demande de rattrapage",
    "retake.schedule": "Rattrapage planifié",
    "appeal.record": "Recours enregistré",
    "appeal.decide": "Décision sur un recours",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
