"""Pages of the inspection ledger (/inspections/…). One blueprint; the pages live by topic in
views_plans (plans and filings), views_results (results, monthly filings, fines), views_draws
(the random draw and its public page), views_oversight (circulars and enterprises' reports)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, render_template, request
from flask_login import current_user

from govsvc import audit, nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.errors import render_error
from govsvc.extensions import db
from govsvc.inspections import grades
from govsvc.inspections.access import NotAllowed, ServiceError
from govsvc.main import Panel, panel
from govsvc.timeutil import local_today
from scoring import inspections as core

bp = Blueprint("inspections", __name__, url_prefix="/inspections")

PLAN_USERS = (R.DEPARTMENT, R.JUSTICE)


@bp.errorhandler(NotAllowed)
def _not_allowed(exc):
    audit.record_committed("access.refused", target=request.path,
                           detail={"endpoint": request.endpoint, "method": request.method, "reason": str(exc)})
    return render_error(403)


def user():
    return current_user._get_current_object()


def form_error(form, exc: ServiceError, default: str | None = None) -> None:
    """Show a service's refusal beside the fields it concerns (or as a message); write nothing."""
    db.session.rollback()
    errors = {name: message for name, message in exc.errors.items() if name in form}
    if not errors and default in form:
        errors = {default: str(exc)}
    if not errors:
        flash(str(exc), "danger")
    for name, message in errors.items():
        form[name].errors = list(form[name].errors) + [message]


def grading_notice() -> str | None:
    return None if grades.current_grades(local_today()) else grades.NO_GRADING_NOTICE


def upcoming_deadlines(today: date) -> list[tuple[str, date]]:
    """The next due day of each kind of plan, and of the monthly result filing."""
    years = (today.year - 1, today.year, today.year + 1)

    def soonest(days):
        return min(d for d in days if d >= today)

    annual = soonest(core.plan_due_date(core.ANNUAL, y + 1) for y in years)
    quarterly = soonest(core.plan_due_date(core.QUARTERLY, y, q) for y in years for q in range(1, 5))
    monthly = soonest(core.plan_due_date(core.MONTHLY, y, m) for y in years for m in range(1, 13))
    results = soonest(core.result_filing_due(y, m) for y in years for m in range(1, 13))
    return [(f"{annual.year + 1}年度检查计划", annual), ("季度检查计划", quarterly), ("月度检查计划", monthly),
            ("上月检查结果报备", results)]


@bp.route("/")
@role_required(*PLAN_USERS)
def index():
    from govsvc.inspections.plans import counts_by_status

    today = local_today()
    return render_template("inspections/index.html", deadlines=upcoming_deadlines(today), today=today,
                           counts=counts_by_status(user()), notice=grading_notice())


@panel
def _inspections_panel(u):
    if not u.has_role(*PLAN_USERS):
        return None
    from flask import url_for

    from govsvc.inspections.plans import counts_by_status

    counts = counts_by_status(u)
    return Panel("检查计划备案", [("起草中", counts.get("draft", 0)), ("待报司法局", counts.get("submitted", 0)),
                               ("司法局待审", counts.get("filed", 0)), ("已备案", counts.get("accepted", 0))],
                 url_for("inspections.index"))


nav.add("检查备案", "inspections.index", PLAN_USERS, order=30)

from govsvc.inspections import views_draws, views_oversight, views_plans, views_results, views_rules  # noqa: E402,F401
