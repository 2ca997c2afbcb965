"""动员部署 (seed 002, 五、工作安排 3): 下发通知, and the rated departments 查找问题, 改进工作.

- The organizer issues the 动员通知 once, after the two lists are confirmed and before voting opens:
  its text, the day it went out, and the self-check deadline (scoring.survey.self_check_deadline_problem:
  not before the issue day, strictly before the campaign's evaluation date). Issuing opens a
  self-check matter (ledger module 评议自查) per rated department, assigned to its unit with the
  deadline, and the lists can no longer go back to draft.
- Each department submits its 自查报告 (findings, rectification measures, who signs it): the
  department's own users online, or the organizer types in one received on paper on its behalf
  (marked 纸质报送). A report is never changed: a correction is a new version, with what it
  corrects, kept beside the earlier ones. The first version concludes the department's matter.
- The campaign's page shows the notice, reports received N of M, and per department its
  submission day or 逾期 (scoring.survey.self_check_status); the list downloads with Chinese headers.
Services flush; the request commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move, register_module
from govsvc.survey import campaigns
from govsvc.survey.campaigns import SurveyError, _insert
from govsvc.survey.models import LISTS_CONFIRMED, Campaign, CampaignDepartment, SelfCheck
from govsvc.timeutil import local_today, utcnow
from scoring import survey as core

SELF_CHECKS = "survey-selfcheck"
# A self-check matter closes when its report arrives (submit), never by a move on the generic
# ledger page: the ledger sends anyone who opens one to the self-check page.
register_module(SELF_CHECKS, "评议自查", {R.ORGANIZER}, page="survey.self_check_matter")
MAX_TEXT = 20000


def self_check_ref(campaign: Campaign, dept: CampaignDepartment) -> str:
    return f"survey.campaign:{campaign.id}/self-check:{dept.id}"


def parse_self_check_ref(ref: str) -> tuple[int, int] | None:
    """(campaign id, department id) of a self-check matter's ref, or None."""
    head, _, dept = ref.partition("/self-check:")
    campaign = head.removeprefix("survey.campaign:")
    return (int(campaign), int(dept)) if campaign.isdigit() and dept.isdigit() and head != campaign else None


def issued(campaign: Campaign) -> bool:
    return campaign.notice_issued_on is not None


def issue_notice(campaign: Campaign, *, text: str, issued_on: date, due: date, user) -> int:
    """Record the issued notice and open a self-check matter per rated department; their count."""
    # A second issuing waits for the first (PostgreSQL), then reads it and is refused.
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    db.session.refresh(campaign)
    if issued(campaign):
        raise SurveyError("动员通知已下发，不能重复下发。")
    if campaign.status != LISTS_CONFIRMED:
        raise SurveyError(f"评议处于“{campaign.status_label}”阶段：动员通知应在“两个名单”确认后、评议开始前下发。")
    if not (text or "").strip():
        raise SurveyError("请填写通知内容。")
    problem = core.self_check_deadline_problem(issued_on, due, campaign.evaluation_date, local_today())
    if problem:
        raise SurveyError(problem)
    campaign.notice_text, campaign.notice_issued_on, campaign.self_check_due = text.strip(), issued_on, due
    campaign.notice_recorded_at, campaign.notice_recorded_by = utcnow(), user.username
    depts = campaigns.departments(campaign)
    for dept in depts:
        matter = create_matter(
            module=SELF_CHECKS, kind="self-check", title=f"{campaign.year}年度企业评议自查：{dept.name}",
            description=(f"{issued_on.isoformat()} 下发动员通知。请对照企业评议查找问题、改进工作，"
                         f"于 {due.isoformat()} 前报送自查报告（查找的问题、整改措施、签发人）。"),
            source=f"{campaign.year}年度企业评议动员通知", ref=self_check_ref(campaign, dept),
            responsible_unit_id=dept.unit_id, deadline=due, user=user)
        if dept.unit_id is not None:
            move(matter, workflow.ASSIGNED, user=user, note="动员通知已下发，请按期报送自查报告。")
    db.session.flush()
    audit.record("survey.mobilisation.issue", target=f"survey:{campaign.id}",
                 detail={"issued_on": issued_on, "due": due, "departments": len(depts)})
    return len(depts)


def versions(campaign: Campaign, dept: CampaignDepartment) -> list[SelfCheck]:
    return list(db.session.scalars(select(SelfCheck).where(
        SelfCheck.campaign_id == campaign.id, SelfCheck.department_id == dept.id).order_by(SelfCheck.version)))


def self_check_matter(campaign: Campaign, dept: CampaignDepartment) -> Matter | None:
    return db.session.scalar(select(Matter).where(Matter.module == SELF_CHECKS,
                                                  Matter.ref == self_check_ref(campaign, dept)))


def submit(campaign: Campaign, dept: CampaignDepartment, *, findings: str, measures: str, signed_by: str,
           correction_note: str = "", on_paper: bool, user) -> SelfCheck:
    """The department's report (version 1) or a correction (the next version, which says what it
    corrects). Earlier versions stay as they were."""
    if not issued(campaign):
        raise SurveyError("尚未下发动员通知，不能报送自查报告。")
    if dept.campaign_id != campaign.id:
        raise SurveyError("该部门（单位）不在本年度被评议名单中。")
    current = db.session.scalar(select(func.max(SelfCheck.version)).where(
        SelfCheck.campaign_id == campaign.id, SelfCheck.department_id == dept.id)) or 0
    fields = {"查找的问题": findings, "整改措施": measures, "签发人": signed_by}
    if current:
        fields["更正说明"] = correction_note
    missing = [name for name, value in fields.items() if not (value or "").strip()]
    if missing:
        raise SurveyError(f"请填写{'、'.join(missing)}。")
    today = local_today()
    report = SelfCheck(campaign_id=campaign.id, department_id=dept.id, version=current + 1,
                       findings=findings.strip(), measures=measures.strip(), signed_by=signed_by.strip(),
                       correction_note=(correction_note or "").strip() if current else "", on_paper=on_paper,
                       submitted_on=today, submitted_at=utcnow(), submitted_by=user.username)
    _insert(report, "该部门（单位）的自查报告刚刚有了新的版本，请刷新后核对再提交。")
    if not current:
        matter = self_check_matter(campaign, dept)
        if matter is not None:
            note = f"{today.isoformat()} 已报送自查报告（签发人：{report.signed_by}{'，纸质报送' if on_paper else ''}）。"
            if matter.status == workflow.ASSIGNED:
                move(matter, workflow.IN_PROGRESS, user=user)
            if matter.status == workflow.IN_PROGRESS:
                move(matter, workflow.CONCLUDED, user=user, note=note)
    audit.record("survey.self_check.correct" if current else "survey.self_check.submit", target=f"survey:{campaign.id}",
                 detail={"department": dept.code, "version": report.version, "on_paper": on_paper})
    return report


@dataclass
class DepartmentSelfCheck:
    dept: CampaignDepartment
    first: SelfCheck | None      # its day is the one measured against the deadline
    latest: SelfCheck | None
    count: int
    state: str

    @property
    def state_label(self) -> str:
        return core.SELF_CHECK_LABELS[self.state]


def department_rows(campaign: Campaign, today: date | None = None) -> list[DepartmentSelfCheck]:
    """Every rated department with its reports' state on `today` (the list order)."""
    today = today or local_today()
    reports: dict[int, list[SelfCheck]] = {}
    for report in db.session.scalars(select(SelfCheck).where(SelfCheck.campaign_id == campaign.id)
                                     .order_by(SelfCheck.version)):
        reports.setdefault(report.department_id, []).append(report)
    rows = []
    for dept in campaigns.departments(campaign):
        own = reports.get(dept.id, [])
        first = own[0] if own else None
        state = core.self_check_status(campaign.self_check_due, first.submitted_on if first else None, today)
        rows.append(DepartmentSelfCheck(dept, first, own[-1] if own else None, len(own), state))
    return rows


def summary(campaign: Campaign, rows: list[DepartmentSelfCheck], today: date | None = None) -> core.SelfCheckSummary:
    return core.self_check_summary(campaign.self_check_due, [r.first.submitted_on if r.first else None for r in rows],
                                   today or local_today())


HEADER = ["类别", "单位代码", "部门（单位）", "状态", "首次报送日期", "版本数", "签发人", "报送方式", "自查截止日期"]


def cells(campaign: Campaign, row: DepartmentSelfCheck) -> list:
    return [row.dept.category_label, row.dept.code, row.dept.name, row.state_label,
            row.first.submitted_on if row.first else "", row.count, row.latest.signed_by if row.latest else "",
            ("纸质报送" if row.first.on_paper else "网上报送") if row.first else "", campaign.self_check_due]


def own_campaigns(user) -> list[tuple[Campaign, CampaignDepartment]]:
    """The campaigns with an issued notice in which this department user's unit is rated."""
    if user.unit_id is None:
        return []
    return [(campaign, dept) for campaign, dept in db.session.execute(
        select(Campaign, CampaignDepartment).join(CampaignDepartment, CampaignDepartment.campaign_id == Campaign.id)
        .where(CampaignDepartment.unit_id == user.unit_id, Campaign.notice_issued_on.is_not(None))
        .order_by(Campaign.year.desc()))]
