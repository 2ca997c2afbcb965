"""Pages of Module 5, second half, on the care blueprint (`care.views.bp`, /care): 容错纠错 and 澄清正名
(views_tolerance), the 政法委 ledgers (views_zfw), the green channel (views_green), honours
(views_honours). Endpoints are prefixed tol_, zfw_, green_, hon_. This file holds what they share:
refusals, audited reads that write on GET, the dashboard panels, the enterprise-page sections and
the hook that shows 容错 decisions on an integrity file."""
from __future__ import annotations

from flask import request, url_for

from govsvc import audit, nav
from govsvc.auth import roles as R
from govsvc.care import green, honours, tolerance, zfw
from govsvc.care.models_support import RECOMMENDATION_TARGETS
from govsvc.care.support import NotYours, unit_code_of
from govsvc.care.views import bp
from govsvc.database import mark_write
from govsvc.errors import render_error
from govsvc.integrity.scope import OutOfScope
from govsvc.main import Panel, awaiting, panel
from govsvc.registry.sections import Section, enterprise_section

# GET pages that write an audit entry while reading (容错 reads under a declared purpose).
AUDITED_READS = {"care.tol_cases", "care.tol_case"}


@bp.before_request
def _audited_reads_write():
    if request.endpoint in AUDITED_READS:
        mark_write()


@bp.errorhandler(NotYours)
def _not_yours(exc):
    audit.record_committed("access.refused", target=request.path,
                           detail={"endpoint": request.endpoint, "method": request.method, "reason": "care unit"})
    return render_error(403, "该事项不属于您的单位，或您的单位不负责此项工作。")


@bp.errorhandler(OutOfScope)
def _out_of_scope(exc):
    audit.record_committed("access.refused", target=request.path,
                           detail={"endpoint": request.endpoint, "method": request.method, "reason": "integrity scope"})
    return render_error(403, "该申请不在您的联系单位范围内。")


ENTERPRISE_SIDE = (R.ENTERPRISE, R.EVALUATOR)


# -- the dashboard: each role's waiting work ----------------------------------------------------------
@panel
def _tolerance_panel(user):
    if not user.has_role(R.DISCIPLINE):
        return None
    stats = tolerance.statistics(user)
    return Panel("容错纠错", [("待受理", stats["waiting"]), ("在办", stats["open"]), ("逾期", stats["overdue"]),
                          ("今年作出决定", stats["decided_this_year"])], url_for("care.tol_cases"))


@panel
def _zfw_panel(user):
    if not (zfw.is_zfw(user) or (user.has_role(R.DEPARTMENT) and zfw.is_organ(user.unit))):
        return None
    stats = zfw.statistics(user)
    lines = [("在办督促、整改事项", stats["open"]), ("逾期", stats["overdue"])]
    if zfw.is_zfw(user):
        lines.append(("待销号", stats["to_close"]))
    return Panel("涉企案件评查与政治督察", lines, url_for("care.zfw_problems"))


@awaiting
def _care_awaiting(user):
    """A leader decides the catalogue changes (市人才工作领导小组) and approves the honours list."""
    from sqlalchemy import select

    from govsvc.care.models_support import HonourRound, ServiceChange
    from govsvc.extensions import db

    if not user.has_role(R.LEADER):
        return []
    rounds = db.session.scalars(select(HonourRound).where(HonourRound.status == "submitted").order_by(HonourRound.year))
    changes = db.session.scalars(select(ServiceChange).where(ServiceChange.status == "proposed").order_by(ServiceChange.id))
    return ([(f"{r.year} 年度优秀企业家名单（已报审定）", url_for("care.hon_round", round_id=r.id)) for r in rounds]
            + [(f"绿色通道目录调整：{c.kind_label}“{c.name or (c.service.name if c.service else '')}”",
                url_for("care.green_change", change_id=c.id)) for c in changes])


@panel
def _green_panel(user):
    office = green.is_office(user)
    if not (office or user.has_role(R.LEADER) or (user.has_role(R.DEPARTMENT) and user.unit_id)):
        return None
    if user.has_role(R.LEADER) and not office:  # a leader sees only what waits for the leading group
        pending = green.pending_changes()
        if not pending:
            return None
        return Panel("绿色通道", [("待领导小组审定的目录调整", pending)], url_for("care.green_manage"))
    stats = green.statistics(user)
    if not office and not stats["open"] and not stats["to_close"]:
        return None
    lines = [("待交办问题反馈", stats["received"])] if office else []
    lines += [("在办事项", stats["open"]), ("逾期", stats["overdue"])]
    if office:
        lines.append(("待反馈、销号", stats["to_close"]))
    return Panel("优秀企业家绿色通道", lines, url_for("care.green_feedback_list"))


@panel
def _honours_panel(user):
    from sqlalchemy import func, select

    from govsvc.care.models_support import HonourRound, Recommendation
    from govsvc.extensions import db

    if user.has_role(R.LEADER):
        waiting = db.session.scalar(select(func.count()).select_from(HonourRound)
                                    .where(HonourRound.status == "submitted"))
        return Panel("优秀企业家名单", [("待审定名单", waiting)], url_for("care.hon_rounds")) if waiting else None
    if honours.is_proposer(user):
        open_rounds = db.session.scalar(select(func.count()).select_from(HonourRound)
                                        .where(HonourRound.status == "open"))
        return Panel("优秀企业家名单", [("推荐中的名单", open_rounds)], url_for("care.hon_rounds"))
    if user.unit_id and unit_code_of(user) in RECOMMENDATION_TARGETS and user.roles & {R.DEPARTMENT, R.ORGANIZATION}:
        waiting = db.session.scalar(select(func.count()).select_from(Recommendation).where(
            Recommendation.target_unit_id == user.unit_id, Recommendation.status == "sent"))
        return Panel("优秀企业家推荐", [("待答复的推荐", waiting)], url_for("care.hon_recommendations"))
    return None


@panel
def _enterprise_panel(user):
    if not (user.roles & set(ENTERPRISE_SIDE)) or user.enterprise_id is None:
        return None
    listing = honours.latest_listing(user.enterprise_id)
    open_invites = sum(1 for i in honours.invitations_of(user.enterprise_id) if i.response == "invited")
    lines = [("优秀企业家", f"{listing.round.year}年度" if listing else "未入选"),
             ("待答复的会议邀请", open_invites)]
    if listing:
        lines.append(("绿色通道未销号的问题反馈", _open_reports(user.enterprise_id)))
    return Panel("荣誉与绿色通道", lines, url_for("care.hon_mine"))


def _open_reports(enterprise_id: int) -> int:
    from sqlalchemy import func, select

    from govsvc.care.models_support import ServiceFeedback
    from govsvc.extensions import db
    from govsvc.ledger import workflow
    from govsvc.ledger.models import Matter

    return db.session.scalar(select(func.count()).select_from(ServiceFeedback).join(Matter).where(
        ServiceFeedback.enterprise_id == enterprise_id, Matter.status != workflow.CLOSED))


# -- the enterprise's page ---------------------------------------------------------------------------
def _sees_enterprise_care(user, enterprise) -> bool:
    return bool(user.roles & {R.ADMIN, R.LEADER, R.ORGANIZATION}) or honours.is_proposer(user) \
        or green.is_office(user) or (bool(user.roles & set(ENTERPRISE_SIDE)) and user.enterprise_id == enterprise.id)


@enterprise_section
def _honours_section(enterprise, user):
    if not _sees_enterprise_care(user, enterprise):
        return None
    listings = honours.listings_of(enterprise.id)
    invites = honours.invitations_of(enterprise.id)
    rows = [("优秀企业家", "、".join(f"{c.round.year}年度（{c.entrepreneur_name}）" for c in listings) or "未入选")]
    for invitee in invites[:3]:
        rows.append((f"会议邀请 {invitee.invitation.meeting_on.isoformat()}",
                     f"{invitee.invitation.title}（{invitee.response_label}）"))
    mine = user.enterprise_id == enterprise.id
    return Section("荣誉与参政议政", rows, link=url_for("care.hon_mine") if mine else url_for("care.hon_public_latest"),
                   link_label="查看荣誉与会议邀请" if mine else "查看优秀企业家名单", order=60)


@enterprise_section
def _green_section(enterprise, user):
    if not _sees_enterprise_care(user, enterprise):
        return None
    listing = green.entitlement(enterprise.id)
    status = f"已纳入（{listing.round.year}年度优秀企业家 {listing.entrepreneur_name}）" if listing else "未纳入"
    rows = [("绿色通道", status), ("未销号的问题反馈", str(_open_reports(enterprise.id)))]
    mine = user.enterprise_id == enterprise.id
    return Section("优秀企业家绿色通道", rows,
                   link=url_for("care.green_feedback_list") if mine and listing else url_for("care.green_catalogue"),
                   link_label="我的问题反馈" if mine and listing else "服务事项目录", order=61)


@enterprise_section
def _tolerance_section(enterprise, user):
    """Discipline staff see how many 容错 cases concern the enterprise and their decisions (numbers only;
    the cases themselves under a declared purpose); the enterprise sees its own applications; anyone who
    sees the page sees its published 澄清正名 notices."""
    from sqlalchemy import select

    from govsvc.care.models_support import Clarification, ToleranceCase
    from govsvc.extensions import db

    rows = []
    link = None
    if user.has_role(R.DISCIPLINE):
        counts = tolerance.enterprise_summary(enterprise.id)
        if counts:
            from scoring.care import DECISIONS

            decided = "；".join(f"{DECISIONS[d]} {n} 件" for d, n in sorted(counts.items()) if d)
            rows.append(("容错纠错", f"共 {sum(counts.values())} 件" + (f"（{decided}）" if decided else "（尚未决定）")))
            link = url_for("care.tol_cases", enterprise=enterprise.id)
    if user.enterprise_id == enterprise.id and user.roles & set(ENTERPRISE_SIDE):
        for case in db.session.scalars(select(ToleranceCase).where(ToleranceCase.applicant_user_id == user.id)
                                       .order_by(ToleranceCase.id.desc()).limit(3)):
            rows.append((case.number, case.decision_label or case.stage_label))
        link = link or url_for("care.tol_mine")
    notices = list(db.session.scalars(select(Clarification).join(ToleranceCase).where(
        ToleranceCase.enterprise_id == enterprise.id).order_by(Clarification.published_on.desc())))
    for notice in notices:
        rows.append((f"澄清正名 {notice.published_on.isoformat()}", notice.title))
    if not rows:
        return None
    return Section("容错纠错与澄清正名", rows, link=link or url_for("care.tol_clarifications"),
                   link_label="查看" if link else "澄清正名通报", order=62)


# -- the integrity file of a person shows its 容错 decisions (templates/care/_tolerance_file.html) --------
@bp.app_template_global("tolerance_cases_of_person")
def _tolerance_cases_of_person(person_id: int):
    return tolerance.cases_of_person(person_id)


# -- navigation ---------------------------------------------------------------------------------------
nav.add("容错纠错", "care.tol_cases", (R.DISCIPLINE,), order=41)
nav.add("容错申请", "care.tol_mine", ENTERPRISE_SIDE, order=63)
nav.add("绿色通道", "care.green_manage", (R.DEPARTMENT, R.LEADER, R.ORGANIZATION), order=65)
nav.add("绿色通道", "care.green_feedback_list", ENTERPRISE_SIDE, order=65)
nav.add("优秀企业家", "care.hon_rounds", (R.LEADER, R.ORGANIZATION), order=66)
nav.add("荣誉与会议", "care.hon_mine", ENTERPRISE_SIDE, order=66)
nav.add("政法委通报", "care.zfw_circulars", (R.LEADER,), order=67)
nav.add("失信被执行人名单", "care.hon_dishonest", (R.COURT,), order=67)
nav.add_public("优秀企业家名单", "care.hon_public_latest", order=60)
nav.add_public("绿色通道服务目录", "care.green_catalogue", order=61)
nav.add_public("澄清正名", "care.tol_clarifications", order=62)

from govsvc.care import views_green, views_honours, views_tolerance, views_zfw  # noqa: E402,F401  (routes on bp)
