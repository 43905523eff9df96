"""Helpers of the dashboard tests: a juror's conflict declaration, the items of one kind."""
from certif.extensions import db
from certif.jurors.models import ConflictDeclaration


def declare_conflict(exam, juror, has_conflict=True):
    """The juror's declaration for this exam (the factory may have made one already)."""
    declaration = db.session.scalar(db.select(ConflictDeclaration).filter_by(
        exam_id=exam.id, juror_id=juror.id))
    if declaration is None:
        declaration = ConflictDeclaration(exam_id=exam.id, juror_id=juror.id)
        db.session.add(declaration)
    declaration.has_conflict = has_conflict
    db.session.commit()


def kinds(items, kind):
    return [i for i in items if i.kind == kind]
