"""Survey panels on the dashboard: the campaign under way for staff, the ballot for a head, the
latest result for a rated department."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.main import Panel, awaiting, panel
from govsvc.survey import ballots, campaigns, results
from govsvc.survey.models import ARCHIVED, CLOSED, Campaign


@awaiting
def _results_awaiting(user):
    """Counted results wait for a leader's approval (审定) before they are published."""
    if not user.has_role(R.LEADER):
        return []
    waiting = db.session.scalars(select(Campaign).where(Campaign.status == CLOSED, Campaign.tallied_at.is_not(None))
                                 .order_by(Campaign.year)).all()
    return [(f"{c.year} 年度企业评议结果（已计票，待审定公布）", url_for("survey.results", campaign_id=c.id)) for c in waiting]


@panel
def _staff_panel(user):
    if not user.has_role(R.ORGANIZER, R.NOTARY, R.LEADER):
        return None
    campaign = db.session.scalar(select(Campaign).where(Campaign.status != ARCHIVED).order_by(Campaign.year.desc()))
    if campaign is None:
        return Panel("年度评议", [("进行中的评议", "无")], url_for("survey.index"))
    turnout = ballots.turnout(campaign)
    return Panel(f"{campaign.year} 年度评议", [("阶段", campaign.status_label), ("参评", f"{turnout.voted}/{turnout.evaluators}")],
                 url_for("survey.overview", campaign_id=campaign.id))


@panel
def _evaluator_panel(user):
    if not user.has_role(R.EVALUATOR):
        return None
    campaign = campaigns.open_campaign_for(user)
    if campaign is None:
        return Panel("企业评议", [("正在进行的评议", "无")], url_for("survey.public_index"))
    voted = ballots.has_voted(ballots.online_credential(campaign, user))
    return Panel(f"{campaign.year} 年度企业评议", [("状态", "已提交" if voted else "请评议")], url_for("survey.vote"))


@panel
def _department_panel(user):
    if not user.has_role(R.DEPARTMENT):
        return None
    for campaign in results.published_campaigns():
        dept = results.own_department(campaign, user)
        if dept is not None:
            own = next((r for r in results.stored_results(campaign, dept.category) if r.department_id == dept.id), None)
            lines = [("得分", own.score_text or "未评"), ("名次", own.rank or "—")] if own else []
            return Panel(f"{campaign.year} 年度企业评议", lines, url_for("survey.feedback", campaign_id=campaign.id))
    return None
