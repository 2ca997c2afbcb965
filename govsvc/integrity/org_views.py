"""The organisation department's side of the integrity module (outside /integrity/, which is for
discipline staff only): the recommendations to move persons out of enterprise-related posts
(调离建议) and their confirmation."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc import audit, confirm, nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.extensions import db
from govsvc.database import mark_write
from govsvc.exports import FORMATS, download
from govsvc.integrity import appraisal as appraisal_service
from govsvc.integrity import transfers
from govsvc.integrity.forms import AppraisalForm, TransferConfirmForm, TransferFilterForm, attach_errors
from govsvc.integrity.models import Transfer
from govsvc.lists import list_or_export
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today
from govsvc.web import id_arg

org_bp = Blueprint("integrity_org", __name__, url_prefix="/organization")
ORGANIZATION = R.ORGANIZATION


@org_bp.before_request
def _reads_are_audited():
    # The appraisal list writes an audit entry while reading: one write transaction per request.
    mark_write()


def _status(t: Transfer, today) -> str:
    if t.transferred_on is not None:
        return f"已调离（{t.transferred_on.isoformat()}）"
    if t.record.revoked:
        return "记录已撤销，无需调离"
    state = transfers.state_of(t, today)
    return f"尚未调离（已 {state.days_elapsed} 天{'，逾期' if state.overdue else ''}）"


TRANSFER_COLUMNS = [
    ("事项编号", lambda t: t.matter_id), ("姓名", lambda t: t.record.person.name),
    ("身份证号（脱敏）", lambda t: t.record.person.id_masked), ("现单位", lambda t: t.record.person.unit.name),
    ("现职务", lambda t: t.record.person.post), ("处理决定", lambda t: t.record.decision_label),
    ("决定日期", lambda t: t.record.decision_date), ("建议日期", lambda t: t.recommended_on),
    ("调离期限", lambda t: transfers.state_of(t).due), ("调离日期", lambda t: t.transferred_on),
    ("新任职务", lambda t: t.new_post), ("确认人", lambda t: t.confirmed_by),
    ("情况", lambda t: _status(t, local_today())),
]


@org_bp.route("/transfers")
@role_required(ORGANIZATION)
def transfers_list():
    form = TransferFilterForm(request.args)
    today = local_today()
    stmt = transfers.transfer_query(show=form.show.data or "", today=today)
    fmt = request.args.get("format", "")
    # Names, posts and 污点 decisions of persons: every read of the list is audited, like the file's.
    audit.record("integrity.transfer.export" if fmt in FORMATS else "integrity.transfer.list", target="transfers",
                 detail={"show": form.show.data or "", "format": fmt if fmt in FORMATS else "page",
                         "page": request.args.get("page", "1")}, purpose="调离建议办理", category="integrity")
    return list_or_export(stmt, template="integrity/transfers.html", export_stem="污点调离建议",
                          columns=TRANSFER_COLUMNS, form=form, state=lambda t: transfers.state_of(t, today),
                          days=transfers.TRANSFER_DAYS)


@org_bp.route("/transfers/<int:matter_id>", methods=["GET", "POST"])
@role_required(ORGANIZATION)
def transfer(matter_id: int):
    item = db.session.scalar(select(Transfer).where(Transfer.matter_id == matter_id)) or abort(404)
    form = TransferConfirmForm()
    if request.method == "POST" and (item.transferred_on is not None or item.record.revoked):
        flash(next(iter(transfers.confirmation_errors(item, None).values())), "danger")
        return redirect(url_for(".transfer", matter_id=matter_id))
    if form.validate_on_submit():
        errors = transfers.confirmation_errors(item, form.transferred_on.data)
        if errors:
            attach_errors(form, errors)
        elif not confirm.confirmed():
            person = item.record.person
            return confirm.ask(
                title="确认调离", button="确认已调离",
                what=f"确认{person.name}（{person.unit.name}）已调离涉企执法、管理、服务岗位。",
                facts=[("调离日期", form.transferred_on.data.isoformat()),
                       ("新任职务", (form.new_post.data or "").strip() or "—")],
                notes=["确认后调离建议事项办结，市纪委市监委在该人员的廉政档案中看到调离日期；确认不能修改。"],
                back=url_for(".transfer", matter_id=matter_id))
        else:
            try:
                transfers.confirm_transfer(current_user, item, form.transferred_on.data, form.new_post.data or "")
            except transfers.TransferError as exc:
                attach_errors(form, exc.errors)
            else:
                flash("已确认调离。", "success")
                return redirect(url_for(".transfer", matter_id=matter_id))
    if request.method == "GET":  # (a refused confirmation writes nothing, not even this)
        audit.record("integrity.transfer.read", target=f"person:{item.record.person_id}",
                     detail={"matter": item.matter_id}, purpose="调离建议办理", category="integrity")
    return render_template("integrity/transfer.html", transfer=item, state=transfers.state_of(item), form=form,
                           days=transfers.TRANSFER_DAYS)


nav.add("调离建议", "integrity_org.transfers_list", (ORGANIZATION,), order=41)
nav.add("平时考核名单", "integrity_org.appraisal", (R.DISCIPLINE, ORGANIZATION), order=42)


# -- 纳入平时考核: per unit and period (discipline staff for their units, the organisation department) ----
@org_bp.route("/appraisal")
@role_required(R.DISCIPLINE, ORGANIZATION)
def appraisal():
    user = current_user._get_current_object()
    form = AppraisalForm(request.args)
    units = appraisal_service.units_for(user)
    form.unit.choices = [("", "请选择")] + [(str(u.id), f"{u.name}（{u.code}）") for u in units]
    today = local_today()
    if not request.args.get("start"):
        form.start.data = form.start.data or date(today.year, 1, 1)
    if not request.args.get("end"):
        form.end.data = form.end.data or today
    found, unit = None, None
    if request.args.get("unit"):
        unit = db.session.get(Unit, id_arg(form.unit.data)) if id_arg(form.unit.data) is not None else None
        try:
            found = appraisal_service.rows(user, unit, form.start.data, form.end.data)
        except appraisal_service.AppraisalError as exc:
            attach_errors(form, exc.errors)
            found = None
    fmt = request.args.get("format", "")
    if found is not None:
        fmt = fmt if fmt in FORMATS else ""
        appraisal_service.log(user, unit, form.start.data, form.end.data, len(found), fmt)
        if fmt:
            stem = f"平时考核_{unit.code}_{form.start.data.isoformat()}_{form.end.data.isoformat()}"
            return download(stem, appraisal_service.HEADER, (appraisal_service.cells(r) for r in found), fmt)
    return render_template("integrity/appraisal.html", form=form, rows=found, unit=unit,
                           header=appraisal_service.HEADER, cells=appraisal_service.cells)
