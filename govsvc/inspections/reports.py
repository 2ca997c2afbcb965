"""The report channel (举报) for enterprises: an enterprise head reports an inspection that harms
the enterprise (repeated, unfiled, against the exemption, arbitrary fines); the report becomes a
matter on the ledger owned by the justice bureau, which verifies it and gives feedback. The
enterprise sees its own reports only, with their progress and the feedback."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.inspections.access import NotAllowed, ServiceError
from govsvc.inspections.models import REPORT_KINDS, EnterpriseReport
from govsvc.ledger import workflow
from govsvc.ledger.service import create_matter
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today

HANDLING_DAYS = 15  # the ledger deadline for verifying a report
HOTLINE = "市司法局行政执法监督科 6218215"  # the seed's published report telephone


def _enterprise_of(user):
    if not user.has_role(R.EVALUATOR, R.ENTERPRISE) or user.enterprise is None:
        raise NotAllowed("only an enterprise head files reports")
    return user.enterprise


def file_report(user, *, kind: str, unit: Unit | None, incident_date: date | None, description: str) -> EnterpriseReport:
    enterprise = _enterprise_of(user)
    if kind not in REPORT_KINDS:
        raise ServiceError("请选择举报事项类别。", "kind")
    if not description.strip():
        raise ServiceError("请填写举报内容。", "description")
    if incident_date is not None and incident_date > local_today():
        raise ServiceError("发生日期不能晚于今天。", "incident_date")
    subject = unit.name if unit else "执法部门"
    matter = create_matter(
        module="inspections", kind="report", title=f"企业举报：{subject}{REPORT_KINDS[kind]}",
        description=f"举报企业：{enterprise.name}（{enterprise.credit_code}）\n"
                    f"被举报单位：{unit.name if unit else '未指明'}\n"
                    f"发生日期：{incident_date.isoformat() if incident_date else '未填写'}\n\n{description.strip()}",
        source="企业网上举报", deadline=local_today() + timedelta(days=HANDLING_DAYS), priority="high", user=user)
    report = EnterpriseReport(enterprise_id=enterprise.id, user_id=user.id, unit_id=unit.id if unit else None,
                              kind=kind, incident_date=incident_date, description=description.strip(),
                              matter_id=matter.id)
    db.session.add(report)
    db.session.flush()
    matter.ref = f"inspections.report:{report.id}"
    audit.record("inspections.report.filed", target=f"inspection_report:{report.id}", detail={"matter": matter.id})
    return report


def reports_query(user):
    enterprise = _enterprise_of(user)
    return (select(EnterpriseReport).where(EnterpriseReport.enterprise_id == enterprise.id)
            .order_by(EnterpriseReport.created_at.desc(), EnterpriseReport.id.desc()))


def get_report(user, report_id: int) -> EnterpriseReport | None:
    enterprise = _enterprise_of(user)
    report = db.session.get(EnterpriseReport, report_id)
    if report is not None and report.enterprise_id != enterprise.id:
        raise NotAllowed("report of another enterprise")
    return report


# What the enterprise is told about the handling: the status changes, and the notes written
# for it (the conclusion and the feedback), not the internal assignment notes.
PUBLIC_NOTES = frozenset({workflow.CONCLUDED, workflow.FEEDBACK_GIVEN, workflow.CLOSED})


def progress(report: EnterpriseReport) -> list[dict]:
    return [{"at": e.at, "status": e.to_label, "note": e.note if e.to_status in PUBLIC_NOTES else ""}
            for e in report.matter.events]
