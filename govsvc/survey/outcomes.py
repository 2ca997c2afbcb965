"""结果运用: the published outcomes become work (seed 002, 评议结果运用).

- 排名后两位 → an interview (约谈) matter for the city leaders, one per department, due
  INTERVIEW_DAYS after publication. A leader records the interview once it is held (date, who,
  minutes, the department's rectification commitments, a follow-up date); recording assigns the
  matter to the department with that follow-up date as its deadline, so the ledger follows the
  commitments to 销号 (the department concludes, the leaders give feedback and close).
- 连续两年排名后两位 → also a referral (移送组织部门) matter for the organisation department, due
  REFERRAL_DAYS after publication; it decides on the 组织调整 through the ledger.
- 排名前列 → the commended list with the points each department gets in the annual assessment,
  sent once to the assessment office (市考核办) and downloadable as CSV/XLSX.

The matters are opened in the transaction that publishes the results, so a published campaign
always has them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move, register_module
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.models import Campaign, CampaignDepartment, DepartmentScore, Interview
from govsvc.timeutil import local_datetime, local_today, utcnow
from scoring import survey as core

INTERVIEWS, REFERRALS = "survey-interview", "survey-referral"
register_module(INTERVIEWS, "评议约谈", {R.LEADER, R.ORGANIZER})
register_module(REFERRALS, "评议组织调整", {R.ORGANIZATION})
INTERVIEW_DAYS, REFERRAL_DAYS = 30, 60
MAX_POINTS = Decimal("100")


def interview_ref(campaign: Campaign, dept: CampaignDepartment) -> str:
    return f"survey.campaign:{campaign.id}/interview:{dept.id}"


def referral_ref(campaign: Campaign, dept: CampaignDepartment) -> str:
    return f"survey.campaign:{campaign.id}/referral:{dept.id}"


def _standing(campaign: Campaign, row: DepartmentScore) -> str:
    return (f"{campaign.year}年度企业评议，{row.department.category_label}第 {row.rank} 名"
            f"（得分 {row.score_text}），排名后两位")


def open_matters(campaign: Campaign, rows: list[DepartmentScore], user) -> tuple[int, int]:
    """The interview and referral matters of a campaign being published (its stored results)."""
    published = local_datetime(campaign.published_at).date() if campaign.published_at else local_today()
    interviews = referrals = 0
    for row in rows:
        if not row.bottom_two:
            continue
        dept = row.department
        create_matter(module=INTERVIEWS, kind="interview", title=f"{campaign.year}年度企业评议约谈：{dept.name}",
                      description=f"{_standing(campaign, row)}。按规定由市委、市政府领导同志进行约谈；约谈后录入约谈纪要和整改承诺，跟踪整改到销号。",
                      source=f"{campaign.year}年度企业评议", ref=interview_ref(campaign, dept),
                      responsible_unit_id=dept.unit_id, deadline=published + timedelta(days=INTERVIEW_DAYS), user=user)
        interviews += 1
        if row.reorganize:
            create_matter(module=REFERRALS, kind="referral",
                          title=f"{campaign.year}年度企业评议组织调整：{dept.name}",
                          description=f"{_standing(campaign, row)}，且上一年度也排名后两位。按规定对领导班子进行组织调整，"
                                      "移送组织部门研究办理。",
                          source=f"{campaign.year}年度企业评议", ref=referral_ref(campaign, dept),
                          deadline=published + timedelta(days=REFERRAL_DAYS), user=user)
            referrals += 1
    return interviews, referrals


@dataclass
class OutcomeRow:
    result: DepartmentScore
    matter: Matter | None
    interview: Interview | None = None


def _matters(campaign: Campaign, module: str) -> dict[str, Matter]:
    return {m.ref: m for m in db.session.scalars(
        select(Matter).where(Matter.module == module, Matter.ref.like(f"survey.campaign:{campaign.id}/%")))}


def interview_rows(campaign: Campaign, rows: list[DepartmentScore]) -> list[OutcomeRow]:
    matters = _matters(campaign, INTERVIEWS)
    held = {i.department_id: i for i in db.session.scalars(select(Interview).where(Interview.campaign_id == campaign.id))}
    return [OutcomeRow(r, matters.get(interview_ref(campaign, r.department)), held.get(r.department_id))
            for r in rows if r.bottom_two]


def referral_rows(campaign: Campaign, rows: list[DepartmentScore]) -> list[OutcomeRow]:
    matters = _matters(campaign, REFERRALS)
    return [OutcomeRow(r, matters.get(referral_ref(campaign, r.department))) for r in rows if r.reorganize]


def commended_rows(rows: list[DepartmentScore]) -> list[DepartmentScore]:
    """The commended list: the departments whose outcome is 表扬 (a department also in the bottom
    two takes the bottom outcome and is not on it)."""
    return [r for r in rows if r.outcome == core.COMMENDED]


def interview_matter(campaign: Campaign, dept: CampaignDepartment) -> Matter | None:
    return db.session.scalar(select(Matter).where(Matter.module == INTERVIEWS, Matter.ref == interview_ref(campaign, dept)))


def held_interview(campaign: Campaign, dept: CampaignDepartment) -> Interview | None:
    return db.session.scalar(select(Interview).where(Interview.campaign_id == campaign.id,
                                                     Interview.department_id == dept.id))


def record_interview(campaign: Campaign, dept: CampaignDepartment, *, held_on: date, leaders: str, attendees: str,
                     minutes: str, commitments: str, follow_up_due: date, user) -> Interview:
    """The interview as held; the department is assigned its commitments until `follow_up_due`."""
    matter = interview_matter(campaign, dept)
    if matter is None:
        raise SurveyError("该部门（单位）不在本年度约谈名单中。")
    if held_interview(campaign, dept) is not None:
        raise SurveyError("该部门（单位）的约谈情况已录入，不能重复录入。")
    published = local_datetime(campaign.published_at).date()
    today = local_today()
    if held_on < published:
        raise SurveyError(f"约谈日期不能早于结果公布日（{published.isoformat()}）。")
    if held_on > today:
        raise SurveyError("约谈日期不能晚于今天：请在约谈后录入。")
    if follow_up_due <= held_on:
        raise SurveyError("整改跟踪期限应晚于约谈日期。")
    fields = {"约谈领导": leaders, "参加人员": attendees, "约谈纪要": minutes, "整改承诺": commitments}
    missing = [name for name, value in fields.items() if not value.strip()]
    if missing:
        raise SurveyError(f"请填写{'、'.join(missing)}。")
    if dept.unit_id is None:
        raise SurveyError("该部门（单位）没有对应的单位，无法交办整改承诺。")
    interview = Interview(campaign_id=campaign.id, department_id=dept.id, matter_id=matter.id, held_on=held_on,
                          leaders=leaders.strip(), attendees=attendees.strip(), minutes=minutes.strip(),
                          commitments=commitments.strip(), follow_up_due=follow_up_due, recorded_by=user.username)
    db.session.add(interview)
    move(matter, workflow.ASSIGNED, user=user, responsible_unit_id=dept.unit_id, deadline=follow_up_due,
         note=f"{held_on.isoformat()} 已约谈（{leaders.strip()}）。整改承诺：{commitments.strip()}")
    db.session.flush()
    audit.record("survey.interview.record", target=f"survey:{campaign.id}",
                 detail={"department": dept.code, "held_on": held_on, "follow_up_due": follow_up_due})
    return interview


def parse_points(text: str) -> int:
    """Assessment points as typed ("0.5", "1", "2.25") → hundredths; refused with a Chinese message."""
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise SurveyError(f"加分应为数字，例如 1 或 0.5，而不是“{text}”。") from None
    if not value.is_finite() or value <= 0 or value > MAX_POINTS:
        raise SurveyError(f"加分应大于 0 且不超过 {MAX_POINTS}。")
    hundredths = value * 100
    if hundredths != hundredths.to_integral_value():
        raise SurveyError("加分最多保留两位小数。")
    return int(hundredths)


def points_text(centi: int | None) -> str:
    if centi is None:
        return ""
    whole, part = divmod(centi, 100)
    return f"{whole}" if not part else f"{whole}.{part:02d}".rstrip("0")


def send_commendations(campaign: Campaign, rows: list[DepartmentScore], *, points: str, user) -> int:
    """Send the commended list with its points to the assessment office, once."""
    if not campaign.is_published:
        raise SurveyError("评议结果公布后才能报送表扬名单。")
    if campaign.commendations_sent_at is not None:
        raise SurveyError("表扬名单已报送，不能重复报送。")
    listed = commended_rows(rows)
    if not listed:
        raise SurveyError("本年度没有表扬的部门（单位）。")
    campaign.commend_points_centi = parse_points(points)
    campaign.commendations_sent_at, campaign.commendations_sent_by = utcnow(), user.username
    db.session.flush()
    audit.record("survey.commendations.send", target=f"survey:{campaign.id}",
                 detail={"departments": [r.code for r in listed], "points": points_text(campaign.commend_points_centi)})
    return len(listed)


COMMENDATION_HEADER = ["类别", "名次", "单位代码", "部门（单位）", "得分", "年度综合考核加分"]


def commendation_cells(campaign: Campaign, row: DepartmentScore) -> list:
    return [row.department.category_label, row.rank, row.code, row.name, row.score_text,
            points_text(campaign.commend_points_centi)]
