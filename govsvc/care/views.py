"""Pages of govsvc.care (one blueprint, url_prefix /care).

Leader liaison and 站台 invitations (this file: the overview, dashboard panels, the enterprise-page
section; by topic: liaison_views, appeal_views, invitation_views). The second half of the module
(tolerance, green channel, honours) is in views_support, on the same blueprint."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from govsvc import audit, nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.care import appeals, county_plans, invitations, liaison
from govsvc.care.liaison_access import (ENTERPRISE_SIDE, GOVERNMENT_READERS, CareError, NotAllowed, city_unit,
                                        county_unit, enterprise_of, is_office, leader_office)
from govsvc.care.liaison_contacts import direct_contact_summary
from govsvc.care.liaison_leaders import profile_of
from govsvc.care.models import Appeal, Invitation
from govsvc.errors import render_error
from govsvc.extensions import db
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.main import Panel, panel
from govsvc.registry.sections import Section, enterprise_section
from govsvc.timeutil import local_today
from scoring import liaison as core

bp = Blueprint("care", __name__, url_prefix="/care")

LIAISON_READERS = GOVERNMENT_READERS
INVITATION_READERS = (*GOVERNMENT_READERS, R.DISCIPLINE, *ENTERPRISE_SIDE)


@bp.errorhandler(NotAllowed)
def _not_allowed(exc):
    audit.record_committed("access.refused", target=request.path,
                           detail={"endpoint": request.endpoint, "method": request.method, "reason": str(exc)})
    return render_error(403)


def user():
    return current_user._get_current_object()


def form_error(form, exc: CareError) -> None:
    """Show a refusal beside the fields it concerns (or on the first field); nothing was written."""
    db.session.rollback()
    errors = exc.errors or {}
    placed = False
    for name, message in errors.items():
        if name in form:
            form[name].errors = list(form[name].errors) + [message]
            placed = True
    if not placed:
        first = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField"))
        first.errors = list(first.errors) + [str(exc)]


@bp.app_template_global()
def care_tabs() -> list[tuple[str, str]]:
    """The liaison section's tabs this user may open."""
    u = user()
    office, city, admin = is_office(u), city_unit(u) is not None, u.has_role(R.ADMIN)
    leader, leaders_office = profile_of(u) is not None, leader_office(u) is not None
    tabs = [("care.index", "概览"), ("care.served_list_current", "联系服务名单"), ("care.leaders", "联系领导")]
    if leader or office or city or admin:
        tabs.append(("care.contacts", "联系记录"))
    if leader or office or city or leaders_office or admin:
        tabs.append(("care.appeals_list", "企业诉求"))
    if leader or office or leaders_office or admin:
        tabs.append(("care.invitations", "站台邀请"))
    return tabs + [("care.plans", "区县方案"), ("care.offices", "办公室联系人")]


@bp.app_template_global()
def care_timeliness_label(state: str) -> str:
    return core.TIMELINESS_LABELS.get(state, "")


def submit(form, action, *, done, target: str):
    """The lifecycle of an action form: validate; run `action()` (a service call); on a refusal put
    the message beside its field and return None (the caller re-renders the page with the form);
    on success flash `done` (a text, or a function giving it afterwards) and redirect to `target`."""
    if not form.validate_on_submit():
        return None
    try:
        action()
    except CareError as exc:
        form_error(form, exc)
        return None
    flash(done() if callable(done) else done, "success")
    return redirect(target)


def calendar(lst, today) -> list[dict]:
    """The seed's dates of the year's list, with what was done when."""
    year = lst.year if lst else core.list_year(today)
    rows = [(core.LIST_DUE, lst.confirmed_on if lst else None), (core.ASSIGNMENT_DUE, lst.published_on if lst else None)]
    items = [{"label": core.DUE_LABELS[k], "due": core.due_date(k, year), "done": done,
              "state": core.timeliness(done, core.due_date(k, year), today)} for k, done in rows]
    plans = county_plans.overview(year, today)
    filed = sum(1 for _, plan, state in plans if state in (core.ON_TIME, core.LATE))
    items.append({"label": core.DUE_LABELS[core.COUNTY_PLAN_DUE], "due": core.due_date(core.COUNTY_PLAN_DUE, year),
                  "done": None, "state": "", "text": f"{filed}/{len(plans)} 个区县已报送",
                  "late": sum(1 for _, _, s in plans if s in (core.LATE, core.OVERDUE))})
    return items


@bp.route("/")
@role_required(*LIAISON_READERS, R.DISCIPLINE, *ENTERPRISE_SIDE)
def index():
    u = user()
    if enterprise_of(u) is not None:
        return redirect(url_for(".my"))
    if u.has_role(R.DISCIPLINE) and not u.has_role(*LIAISON_READERS):
        return redirect(url_for(".invitations"))
    today = local_today()
    lst = liaison.current_list(today) or liaison.get_list(core.list_year(today))
    stats = None
    if lst is not None:
        stats = {"sources": liaison.source_counts(lst), "unassigned": liaison.unassigned_count(lst),
                 "contact": direct_contact_summary(lst, today) if lst.status != "draft" else None}
    gaps = sum(len(row.gaps) for row in liaison.coverage(lst.year)) if lst else None
    return render_template("care/index.html", lst=lst, stats=stats, calendar=calendar(lst, today), gaps=gaps,
                           profile=profile_of(u), office=is_office(u), county=county_unit(u),
                           city=city_unit(u), leader_office=leader_office(u), today=today,
                           year=lst.year if lst else core.list_year(today))


# -- dashboard panels --------------------------------------------------------------------------------
@panel
def _care_panel(u):
    if enterprise_of(u) is not None:
        found = liaison.liaison_of(u.enterprise_id)
        open_appeals = db.session.scalar(select(func.count()).select_from(Appeal).join(Matter, Matter.id == Appeal.matter_id)
                                         .where(Appeal.enterprise_id == u.enterprise_id,
                                                Matter.status.not_in((W.CLOSED, W.ESCALATED))))
        active = db.session.scalar(select(func.count()).select_from(Invitation).where(
            Invitation.enterprise_id == u.enterprise_id, Invitation.state.not_in(core.FINAL_STATES)))
        return Panel("联系服务", [("联系领导", found.leader.label if found else "暂无"), ("在办诉求", open_appeals),
                                ("进行中的邀请", active)], url_for("care.my"))
    lines = []
    profile = profile_of(u)
    if profile is not None:
        year = liaison.current_year()
        served = db.session.scalar(select(func.count()).select_from(
            liaison.leader_enterprises_query(profile, year).subquery()))
        lines.append(("联系企业", served))
    count, late = appeals.waiting_counts(u, profile)
    if count or profile is not None or is_office(u) or city_unit(u):
        lines += [("待办诉求", count), ("其中逾期", late)]
    waiting = invitations.waiting_counts(u, profile)
    labels = {"screen": "待筛选邀请", "reply": "待答复邀请", "attend": "待登记出席", "upcoming": "将出席活动"}
    lines += [(labels[k], v) for k, v in waiting.items()]
    county = county_unit(u)
    if county is not None:
        year = liaison.current_year()
        row = next(iter(liaison.coverage(year, county.district)), None)
        plan = county_plans.plan_of(county.id, year)
        lines += [("规上企业联系缺口", len(row.gaps) if row else 0), ("本县方案", plan.status_label if plan else "未报送")]
    if is_office(u):
        pending = db.session.scalar(select(func.count()).select_from(county_plans.CountyPlan).where(
            county_plans.CountyPlan.status == "submitted"))
        lines.append(("待备案区县方案", pending))
    if not lines:
        return None
    title = "重点企业联络员办公室" if is_office(u) else "联系服务企业"
    return Panel(title, lines, url_for("care.index"))


# -- the enterprise page's section ---------------------------------------------------------------------
@enterprise_section
def _liaison_section(enterprise, u):
    own = enterprise_of(u)
    if own is not None and own.id != enterprise.id:
        return None
    if own is None and not u.has_role(*LIAISON_READERS, R.DISCIPLINE, R.ORGANIZER, R.JUSTICE, R.COURT,
                                      R.FINANCE_REGULATOR, R.ORGANIZATION):
        return None
    found = liaison.liaison_of(enterprise.id)
    rows = [("联系领导", found.text if found else "暂无")]
    open_appeals = list(db.session.scalars(
        select(Appeal).join(Matter, Matter.id == Appeal.matter_id)
        .where(Appeal.enterprise_id == enterprise.id, Matter.status.in_(W.OPEN_STATUSES))
        .order_by(Appeal.id.desc()).limit(3)))
    rows.append(("在办诉求", "；".join(f"{a.title}（{a.level_label}）" for a in open_appeals) or "无"))
    recent = list(db.session.scalars(select(Invitation).where(Invitation.enterprise_id == enterprise.id)
                                     .order_by(Invitation.activity_on.desc(), Invitation.id.desc()).limit(3)))
    rows.append(("站台邀请", "；".join(f"{i.activity_on.isoformat()} {i.title}（{i.state_label}）" for i in recent) or "无"))
    if own is None and not (found or open_appeals or recent):
        return None  # nothing to show staff; the enterprise itself still gets its door to the pages
    link = url_for("care.my") if own is not None else None
    return Section("联系服务（联络员制度）", rows, link=link, link_label="我的诉求和邀请", order=50)


nav.add("联系服务企业", "care.index", LIAISON_READERS, order=60)
nav.add("诉求与邀请", "care.my", ENTERPRISE_SIDE, order=60)
nav.add("站台活动登记", "care.invitations", (R.DISCIPLINE,), order=61)

from govsvc.care import appeal_views, invitation_views, liaison_views  # noqa: E402,F401  (routes on bp)


# The second half of the module's pages (tolerance, green channel, honours) on the same blueprint.
from govsvc.care import views_support  # noqa: E402,F401
