"""The integrity module's pages under /integrity/: discipline roles only, every one of them.
The pages are split by topic (clue_views, file_views); the public complaint column and the
certificate verification live outside /integrity/ (public_views)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, case, func, select

from govsvc import audit, nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.auth.models import User, UserRole
from govsvc.database import mark_write
from govsvc.errors import render_error
from govsvc.extensions import db
from govsvc.integrity import clues, scope
from govsvc.integrity.forms import ConfirmForm, CoverageForm
from govsvc.integrity.models import (CLUE_CHANNELS, RECTIFICATION, SUPERVISION, Certificate, Clue, DisciplineCoverage,
                                     IntegrityRecord)
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.main import Panel, panel
from govsvc.registry.models import Person, Unit
from govsvc.timeutil import local_today
from scoring.integrity import DECISIONS, earliest_in_force

bp = Blueprint("integrity", __name__, url_prefix="/integrity")
DISCIPLINE = R.DISCIPLINE


@bp.before_request
def _reads_are_audited():
    # Most pages here write an audit entry while reading: one write transaction per request.
    mark_write()


@bp.errorhandler(scope.OutOfScope)
def _out_of_scope(exc):
    audit.record_committed("access.refused", target=request.path,
                           detail={"endpoint": request.endpoint, "method": request.method, "reason": "integrity scope"})
    return render_error(403, "该人员或事项不在您的联系单位范围内。")


def unit_by_code(code: str | None) -> Unit | None:
    if not code or not code.strip():
        return None
    return db.session.scalar(select(Unit).where(Unit.code == code.strip().upper()))


@bp.route("/")
@role_required(DISCIPLINE)
def overview():
    user = current_user._get_current_object()
    return render_template("integrity/overview.html", stats=statistics(user), city_wide=scope.is_city_wide(user),
                           units=None if scope.is_city_wide(user) else scope.units_in_scope(user))


def statistics(user) -> dict:
    today = local_today()
    visible = ledger.visibility_clause(user)
    open_ = Matter.status.in_(workflow.OPEN_STATUSES)
    overdue = ledger.overdue_clause(today)
    related = select(Matter.id).outerjoin(Clue, Clue.matter_id == Matter.id).where(
        Matter.module == "integrity", Matter.kind.in_(CLUE_CHANNELS), visible, open_, clues.enterprise_related_clause())

    # The ledger's six figures in one pass over the module's matters (was one COUNT each).
    def number(*conditions):
        return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)

    clue = Matter.kind.in_(CLUE_CHANNELS)
    figures = db.session.execute(select(
        number(clue, open_), number(clue, overdue),
        number(Matter.kind == SUPERVISION, open_), number(Matter.kind == SUPERVISION, overdue),
        number(Matter.kind == RECTIFICATION, open_), number(Matter.kind == RECTIFICATION, overdue),
    ).where(Matter.module == "integrity", visible)).one()
    figures = [int(f) for f in figures]

    in_scope = scope.unit_clause(user, Person.unit_id)
    in_force = (select(IntegrityRecord.person_id).join(IntegrityRecord.person)
                .where(in_scope, IntegrityRecord.revoked_on.is_(None), IntegrityRecord.decision.in_(DECISIONS),
                       IntegrityRecord.decision_date.between(earliest_in_force(today), today)).distinct())
    def count(stmt):
        return select(func.count()).select_from(stmt.subquery()).scalar_subquery()

    # The four counts over other tables in one statement (a scalar subquery each).
    related_open, restricted, records, certificates = db.session.execute(select(
        count(related), count(in_force),
        count(select(IntegrityRecord.id).join(IntegrityRecord.person).where(in_scope)),
        count(select(Certificate.id).join(Certificate.person).where(in_scope, Certificate.year == today.year)),
    )).one()
    return {
        "clues_open": figures[0],
        "clues_overdue": figures[1],
        "clues_related_open": int(related_open or 0),
        "supervision": (figures[2], figures[3]),
        "rectification": (figures[4], figures[5]),
        "restricted_persons": int(restricted or 0),
        "records": int(records or 0),
        "certificates_this_year": int(certificates or 0),
    }


# -- coverage of unit-level accounts (city-wide staff) ----------------------------------------------
@bp.route("/coverage", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def coverage():
    user = current_user._get_current_object()
    scope.check_city_wide(user)
    form = CoverageForm()
    if form.validate_on_submit():
        anchor, unit = unit_by_code(form.anchor_code.data), unit_by_code(form.unit_code.data)
        if anchor is None:
            form.anchor_code.errors.append(f"找不到单位代码“{form.anchor_code.data}”。")
        if unit is None:
            form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
        if anchor and unit:
            try:
                scope.add_coverage(user, anchor, unit)
            except ValueError as exc:
                form.unit_code.errors.append(str(exc))
            else:
                flash(f"已添加：{anchor.name}的纪检监察账号联系{unit.name}。", "success")
                return redirect(url_for(".coverage"))
    accounts = db.session.execute(
        select(User, Unit).join(UserRole, UserRole.user_id == User.id).join(Unit, Unit.id == User.unit_id)
        .where(UserRole.role == DISCIPLINE).order_by(Unit.code, User.username)).all()
    return render_template("integrity/coverage.html", form=form, rows=scope.coverage_rows(), accounts=accounts)


@bp.route("/coverage/<int:row_id>/remove", methods=["POST"])
@role_required(DISCIPLINE)
def remove_coverage(row_id: int):
    user = current_user._get_current_object()
    scope.check_city_wide(user)
    row = db.session.get(DisciplineCoverage, row_id)
    if row is not None and ConfirmForm().validate_on_submit():
        scope.remove_coverage(user, row)
        flash(f"已移除：{row.anchor.name}不再联系{row.unit.name}。", "success")
    return redirect(url_for(".coverage"))


@panel
def _dashboard_panel(user):
    if not user.has_role(DISCIPLINE):
        return None
    stats = statistics(user)
    return Panel("廉政档案与涉企线索", [("在办线索", stats["clues_open"]), ("逾期线索", stats["clues_overdue"]),
                                   ("限制期内人员", stats["restricted_persons"]),
                                   ("今年廉政鉴定", stats["certificates_this_year"])], url_for("integrity.overview"))


nav.add("廉政档案", "integrity.overview", (DISCIPLINE,), order=40)
nav.add_public("涉企问题投诉", "integrity_public.complaint", order=40)
nav.add_public("廉政鉴定核验", "integrity_public.verify", order=41)
nav.add_public("典型问题曝光", "integrity_public.cases", order=42)

from govsvc.integrity import case_views, clue_views, file_views  # noqa: E402,F401  (routes on bp)
