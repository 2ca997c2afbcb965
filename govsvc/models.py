"""Import every model module so the metadata (and Alembic) knows every table."""
from govsvc.audit.models import AuditEntry  # noqa: F401
from govsvc.auth.models import LoginAttempt, User, UserRole  # noqa: F401
from govsvc.throttle import ThrottleHit  # noqa: F401
from govsvc.ledger.models import Matter, MatterEvent  # noqa: F401
from govsvc.registry.models import Enterprise, Person, TaxRecord, Unit  # noqa: F401
from govsvc.jobs.models import Job, JobInput  # noqa: F401
from govsvc.integrity.models import (Certificate, Clue, DisciplineCoverage, FileAccess, IntegrityRecord,  # noqa: F401
                                     RecordVersion)
from govsvc.grading.models import (Complaint, DowngradeProposal, EnforcementRecord, GradeChange,  # noqa: F401
                                   GradingResult, GradingRound, Objection, RoundUnit, UnitGrade)
from govsvc.survey.models import (Ballot, BallotCredential, Campaign, CampaignDepartment,  # noqa: F401
                                   CampaignEvaluator, CredentialUse, DepartmentScore, Opinion)
from govsvc.inspections.models import (  # noqa: F401
    Circular, Draw, DrawCandidate, DrawInspector, EnterpriseReport, FineTransfer, InspectionPlan, InspectionResult,
    PlanEvent, PlanFiling, PlanItem, ResultFiling, DrawRecusal, Recusal, UnitCategory, PlanChange, PlanChangeLine,
)
from govsvc.portal import models as _portal_models  # noqa: F401,E402
from govsvc.care import models as _care_models  # noqa: F401,E402
from govsvc.bankruptcy import models as _bankruptcy_models  # noqa: F401,E402
from govsvc.finrisk import models as _finrisk_models  # noqa: F401,E402
