"""Pages of govsvc.bankruptcy (one blueprint, url_prefix /bankruptcy). The pages live by topic:
views_directory (directory, duty matrix, settings, rules), views_meetings (meetings and the
calendar), views_matters (coordination matters, tasks, hand-overs), views_letters (函告/函复),
views_cases (the case ledger and the warning), views_reports (lists, zombie candidates,
circulars, typical cases, statistics). This module holds the overview, the dashboard panel and
the enterprise section."""
from __future__ import annotations

from flask import Blueprint, Response, flash, has_request_context, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from govsvc import audit, nav
from govsvc.auth.access import role_required
from govsvc.bankruptcy import access
from govsvc.bankruptcy.access import ALL, NotAllowed, ServiceError
from govsvc.bankruptcy.forms import attach_errors
from govsvc.errors import render_error
from govsvc.exports import csv_bytes
from govsvc.extensions import db
from govsvc.main import Panel, panel
from govsvc.registry.sections import Section, enterprise_section
from govsvc.web import id_arg

bp = Blueprint("bankruptcy", __name__, url_prefix="/bankruptcy")


@bp.errorhandler(NotAllowed)
def _not_allowed(exc):
    audit.record_committed("access.refused", target=request.path,
                           detail={"endpoint": request.endpoint, "method": request.method, "reason": str(exc)})
    return render_error(403)


def user():
    return current_user._get_current_object()


def refused(form, exc: ServiceError) -> None:
    """A service refused: nothing written; messages beside their fields, the rest flashed."""
    db.session.rollback()
    loose = attach_errors(form, exc.errors) if form is not None else list(exc.errors.values())
    for message in loose:
        flash(message, "danger")


def post_action(form, action, *, success, target, render):
    """The shape of every form post of the module: validate `form`, run `action(form)`; on success
    flash `success` and redirect to `target` (either may be a function of the action's result); on
    a refusal show the messages beside the fields and re-render with `render(form)`."""
    if form.validate_on_submit():
        try:
            result = action(form)
        except ServiceError as exc:
            refused(form, exc)
        else:
            flash(success(result) if callable(success) else success, "success")
            return redirect(target(result) if callable(target) else target)
    return render(form)


def csv_template(stem: str, header, rows):
    """A CSV template to fill in (for the upload pages)."""
    response = Response(csv_bytes(header, rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f"attachment; filename=\"{stem}-template.csv\""
    return response


def arg_id(name: str) -> int | None:
    return id_arg(request.args.get(name))


@bp.app_context_processor
def _bankruptcy_context():
    """What the module's pages need to decide what to offer (only on its own pages)."""
    if not (has_request_context() and request.blueprint == "bankruptcy" and current_user.is_authenticated):
        return {}
    u = user()
    return {"bk_office": access.is_office(u), "bk_court": access.is_court(u), "bk_staff": access.is_staff(u),
            "bk_all": access.sees_all(u)}


@bp.route("/")
@role_required(*ALL)
def index():
    from govsvc.bankruptcy import letters, matters, meetings
    from govsvc.bankruptcy.directory import mechanism, office_name
    from govsvc.bankruptcy.models import Meeting
    from govsvc.bankruptcy.models_cases import Case

    u = user()
    counts = matters.counts_for(u)
    upcoming = db.session.scalars(meetings.meeting_query(u, status="planned").limit(5)).all()
    cases_by_stage = {}
    if access.sees_all(u):
        cases_by_stage = dict(db.session.execute(select(Case.stage, func.count()).group_by(Case.stage)).all())
    my_letters = []
    if not access.sees_all(u):
        my_letters = db.session.scalars(letters.letter_query(u, state_="pending").limit(10)).all() + \
            db.session.scalars(letters.letter_query(u, state_="overdue").limit(10)).all()
    held = db.session.scalar(select(func.count()).select_from(Meeting).where(Meeting.status != "planned"))
    return render_template("bankruptcy/index.html", settings=mechanism(), office=office_name(), counts=counts,
                           calendars=meetings.calendars(), schedule_label=meetings.schedule_label,
                           upcoming=upcoming, cases_by_stage=cases_by_stage, my_letters=my_letters,
                           letter_state=letters.state, held=held)


@panel
def _bankruptcy_panel(u):
    """Waiting work; for a unit only when it has some."""
    if not u.has_role(*ALL):
        return None
    from govsvc.bankruptcy import matters, meetings

    counts = matters.counts_for(u)
    if not access.sees_all(u) and not (counts["open"] or counts["letters"] or counts["overdue"]):
        return None
    lines = [("待办协调事项和任务", counts["open"]), ("逾期", counts["overdue"]), ("待函复函件", counts["letters"])]
    if access.is_staff(u):
        lines.append(("待接收的司法介入移交", counts["handovers"]))
        overdue = [label for _, label, cal in meetings.calendars() if cal.overdue]
        lines.append(("逾期未召开的会议", "、".join(overdue) if overdue else "无"))
    return Panel("企业破产处置府院联动", lines, url_for("bankruptcy.index"))


@enterprise_section
def _case_section(enterprise, u):
    """The enterprise's bankruptcy case and the member units' lists it is on (staff and leaders)."""
    if not (access.is_staff(u) or u.has_role("leader")):
        return None
    from govsvc.bankruptcy.cases import case_for_enterprise
    from govsvc.bankruptcy.lists import verdicts
    from govsvc.timeutil import local_today

    case = case_for_enterprise(enterprise.id)
    verdict = verdicts([enterprise.id], local_today()).get(enterprise.id)
    if case is None and verdict is None:
        return None
    rows = []
    if case is not None:
        rows += [("破产案件", case.title), ("阶段", case.stage_label), ("受理前风险评估", case.risk_label)]
    if verdict is not None:
        result, entries = verdict
        rows.append(("成员单位名单", "、".join(sorted({e.kind_label for e in entries}))))
        rows.append(("僵尸企业候选", "是（" + result.suggestion + "）" if result.candidate else "否"))
    link = url_for("bankruptcy.case", case_id=case.id) if case is not None else url_for("bankruptcy.candidates", q=enterprise.credit_code)
    return Section("企业破产处置（府院联动）", rows, link, "查看案件" if case is not None else "查看名单", order=60)


nav.add("破产府院联动", "bankruptcy.index", ALL, order=45)

from govsvc.bankruptcy import (views_cases, views_directory, views_letters, views_matters,  # noqa: E402,F401
                               views_meetings, views_reports)
