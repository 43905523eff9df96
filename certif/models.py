"""Imports every model so that metadata (and migrations) know all tables."""
from .audit.models import AuditEntry  # noqa: F401
from .auth.models import AccountToken, LoginSession, RecoveryCode, User, UserRole  # noqa: F401
from .candidates.accommodation import Accommodation  # noqa: F401
from .candidates.dossier.models import CandidateFile, FileEntry  # noqa: F401
from .candidates.livret.models import BlockProject, Livret, LivretEvaluation  # noqa: F401
from .candidates.models import Appeal, Candidate, RetakeRequest  # noqa: F401
from .cdc.models import CdcDeclaration, CdcFile  # noqa: F401
from .certificates.blocks.models import BlockAttestation  # noqa: F401
from .certificates.models import Certificate, ResultNotice  # noqa: F401
from .convocations.models import Convocation  # noqa: F401
from .council.models import AnomalySheet, CorrectiveAction, CouncilMeeting, CouncilReview  # noqa: F401
from .documents.models import SealedDocument  # noqa: F401
from .examday.models import AttendanceLink, CandidateUnsigned, ConditionAnswer, ConditionsSheet, IdentityCheck  # noqa: F401,E501
from .grading.blocks.models import BlockValidation  # noqa: F401
from .grading.models import DeliberationMark, EarlyStart, Grid, Mark  # noqa: F401
from .grading.parts.models import CompetencyCoverage, ExamPartStart  # noqa: F401
from .jurors.models import ConflictDeclaration, JurorHabilitation, JurorProfile  # noqa: F401
from .jurors.professionalisation.models import ProfessionalisationInvitation, ProfessionalisationSession  # noqa: F401,E501
from .mail.models import OutgoingMail  # noqa: F401
from .minutes.models import Minutes  # noqa: F401
from .organisation.models import InsurancePolicy  # noqa: F401
from .referentials.models import RefBlock, RefCompetency, RefCriterion, Referential  # noqa: F401
from .sessions.models import Exam, ExamSession, Jury, JuryMember  # noqa: F401
from .signatures.models import Signature  # noqa: F401
from .throttling.models import ThrottleHit  # noqa: F401
