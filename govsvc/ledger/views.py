"""Ledger pages: the matters a user may see, one matter with its history, status changes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import refuse, role_required
from govsvc.extensions import db
from govsvc.ledger import service, workflow
from govsvc.ledger.forms import MatterFilterForm, MatterForm, MoveForm, SuperviseForm
from govsvc.ledger.models import MODULES, Matter
from govsvc.lists import list_or_export
from govsvc.registry.models import Unit

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

LEDGER_USERS = (R.ADMIN, R.ORGANIZER, R.JUSTICE, R.DISCIPLINE, R.DEPARTMENT, R.LEADER, R.ORGANIZATION)

COLUMNS = [
    ("编号", lambda m: m.id), ("类别", lambda m: m.module_label), ("标题", lambda m: m.title),
    ("来源", lambda m: m.source), ("承办单位", lambda m: m.responsible_unit.name if m.responsible_unit else ""),
    ("办理期限", lambda m: m.deadline), ("优先级", lambda m: m.priority_label), ("状态", lambda m: m.status_label),
    ("逾期", lambda m: "是" if m.overdue else ""), ("受理时间", lambda m: m.created_at),
]


def _unit_id(code: str | None, field) -> tuple[bool, int | None]:
    if not code:
        return True, None
    unit = db.session.scalar(select(Unit).where(Unit.code == code.strip().upper()))
    if unit is None:
        field.errors.append(f"找不到单位代码“{code}”。")
        return False, None
    return True, unit.id


@bp.route("/")
@role_required(*LEDGER_USERS)
def matters():
    form = MatterFilterForm(request.args)
    form.module.choices = [("", "全部")] + list(MODULES.items())
    stmt = service.matters_query(current_user, q=form.q.data or "", status=form.status.data or "",
                                 module=form.module.data or "", overdue=form.overdue.data == "1")
    return list_or_export(stmt, template="ledger/matters.html", export_stem="事项台账", columns=COLUMNS, form=form)


@bp.route("/new", methods=["GET", "POST"])
@role_required(R.ADMIN)
def new_matter():
    form = MatterForm()
    if form.validate_on_submit():
        ok, unit_id = _unit_id(form.unit_code.data, form.unit_code)
        if ok:
            matter = service.create_matter(module="general", kind="general", title=form.title.data,
                                           description=form.description.data or "", source=form.source.data or "",
                                           responsible_unit_id=unit_id, deadline=form.deadline.data,
                                           priority=form.priority.data, user=current_user)
            flash(f"事项 #{matter.id} 已登记。", "success")
            return redirect(url_for("ledger.matter", matter_id=matter.id))
    return render_template("ledger/new.html", form=form)


@bp.route("/<int:matter_id>", methods=["GET", "POST"])
@role_required(*LEDGER_USERS)
def matter(matter_id: int):
    item = db.session.get(Matter, matter_id) or abort(404)
    if not service.can_see(current_user, item):
        refuse("not visible")
    if item.module in service.MATTER_PAGES:
        return redirect(url_for(service.MATTER_PAGES[item.module], matter_id=item.id))
    moves = service.allowed_moves(current_user, item)
    form = MoveForm()
    form.target.choices = [(m, workflow.STATUS_LABELS[m]) for m in moves]
    if form.validate_on_submit():
        if form.target.data not in moves:
            form.target.errors.append("您不能把事项变为该状态。")
        else:
            ok, unit_id = _unit_id(form.unit_code.data, form.unit_code)
            if ok:
                try:
                    service.move(item, form.target.data, user=current_user, note=form.note.data or "",
                                 responsible_unit_id=unit_id, deadline=form.deadline.data)
                except workflow.TransitionError as exc:
                    form.note.errors.append(str(exc))
                else:
                    flash(f"事项状态已变为“{item.status_label}”。", "success")
                    return redirect(url_for("ledger.matter", matter_id=item.id))
    supervise_form = SuperviseForm(prefix="sv") if service.is_owner(current_user, item) else None
    return render_template("ledger/matter.html", item=item, form=form, moves=moves, supervise_form=supervise_form,
                           path=service.lineage(item))


@bp.route("/<int:matter_id>/supervise", methods=["POST"])
@role_required(*LEDGER_USERS)
def supervise(matter_id: int):
    item = db.session.get(Matter, matter_id) or abort(404)
    if not service.is_owner(current_user, item):
        refuse("not owner")
    form = SuperviseForm(prefix="sv")
    if form.validate_on_submit():
        try:
            service.supervise(item, user=current_user, note=form.note.data, deadline=form.deadline.data)
        except workflow.TransitionError as exc:
            flash(str(exc), "error")
        else:
            flash("督办意见已记录。", "success")
    else:
        flash("请填写督办意见。", "error")
    return redirect(url_for("ledger.matter", matter_id=item.id))


nav.add("事项台账", "ledger.matters", LEDGER_USERS, order=50)
