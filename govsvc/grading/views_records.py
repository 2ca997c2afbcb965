"""Enforcement records (list, import) and the downgrade proposals of dynamic management."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.extensions import db
from govsvc.grading import records as record_service
from govsvc.grading import service
from govsvc.grading.forms import MatterFilterForm, ProposalForm, RecordFilterForm, RecordImportForm
from govsvc.grading.models import DowngradeProposal, GradingRound
from govsvc.grading.views import bp
from govsvc.imports import run_import
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise, Unit
from govsvc.tables import TableError

RECORD_READERS = (R.JUSTICE, R.DEPARTMENT, R.ADMIN)

RECORD_COLUMNS = [
    ("日期", lambda r: r.date), ("统一社会信用代码", lambda r: r.enterprise.credit_code),
    ("企业名称", lambda r: r.enterprise.name), ("单位代码", lambda r: r.unit.code), ("单位", lambda r: r.unit.name),
    ("结果", lambda r: r.outcome_label), ("罚款金额（元）", lambda r: r.fine), ("决定书文号", lambda r: r.decision_no),
    ("说明", lambda r: r.description),
]


def _own_unit_only(user) -> int | None:
    """Department staff see and import their own unit's records; justice and admins see all."""
    if user.has_role(R.JUSTICE, R.ADMIN):
        return None
    return user.unit_id if user.unit_id is not None else -1


@bp.route("/records")
@role_required(*RECORD_READERS)
def records():
    form = RecordFilterForm(request.args)
    own = _own_unit_only(current_user)
    if own is None:
        units = db.session.scalars(select(Unit).where(Unit.enforcement.is_(True) | Unit.grading.is_(True))
                                   .order_by(Unit.level, Unit.code)).all()
        form.unit.choices = [("", "全部")] + [(u.code, f"{u.code} {u.name}") for u in units]
    else:
        form.unit.choices = [("", "本单位")]
    unit_id = own
    if own is None and form.unit.data:
        unit = db.session.scalar(select(Unit).where(Unit.code == form.unit.data))
        unit_id = unit.id if unit else -1
    year = form.year.data if form.validate() else None
    stmt = record_service.record_query(q=form.q.data or "", unit_id=unit_id, outcome=form.outcome.data or "",
                                       year=year)
    return list_or_export(stmt, template="grading/records.html", export_stem="执法检查记录", columns=RECORD_COLUMNS,
                          form=form)


@bp.route("/records/import", methods=["GET", "POST"])
@role_required(R.JUSTICE, R.DEPARTMENT)
def import_records():
    form = RecordImportForm()
    own = _own_unit_only(current_user)
    round_id = request.args.get("round", type=int)
    back = db.session.get(GradingRound, round_id) if round_id else None
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        kind = record_service.RecordImport(only_unit_id=own)
        try:
            report = run_import(kind, upload.read(), upload.filename or "records.csv",
                                valid_only=form.mode.data == "valid", dry_run=form.mode.data == "check")
        except TableError as exc:
            form.file.errors.append(str(exc))
        if report is not None and report.applied:
            message = (f"已导入执法检查记录：新增 {report.created}，更新 {report.updated}，未变化 {report.unchanged}"
                       + (f"，跳过有错误的 {report.skipped} 行" if report.skipped else "") + "。")
            if kind.serious and current_user.has_role(R.JUSTICE):
                message += "新录入的严重违法记录已按动态管理规则核查，降级建议见“降级建议”。"
            flash(message, "success")
    return render_template("grading/records_import.html", form=form, report=report.as_dict() if report else None,
                           back=back,
                           columns=record_service.RecordImport.columns, own=own)


# -- downgrade proposals ------------------------------------------------------------------------
PROPOSAL_COLUMNS = [
    ("年度", lambda p: p.round.year), ("统一社会信用代码", lambda p: p.enterprise.credit_code),
    ("企业名称", lambda p: p.enterprise.name), ("现评级", lambda p: p.from_grade), ("建议评级", lambda p: p.proposed_grade),
    ("依据", lambda p: p.reason), ("状态", lambda p: p.status_label), ("提出时间", lambda p: p.created_at),
    ("处理意见", lambda p: p.decision_note),
]


@bp.route("/proposals")
@role_required(R.JUSTICE)
def proposals():
    form = MatterFilterForm(request.args)
    form.state.choices = [("", "全部"), ("pending", "待处理"), ("accepted", "已降级"), ("rejected", "不予降级")]
    stmt = select(DowngradeProposal).order_by(DowngradeProposal.status != "pending", DowngradeProposal.created_at.desc(),
                                              DowngradeProposal.id.desc())
    if form.state.data in ("pending", "accepted", "rejected"):
        stmt = stmt.where(DowngradeProposal.status == form.state.data)
    if form.q.data:
        like = f"%{form.q.data.strip()}%"
        stmt = stmt.join(DowngradeProposal.enterprise).where(Enterprise.name.ilike(like) |
                                                             Enterprise.credit_code.ilike(like.upper()))
    return list_or_export(stmt, template="grading/proposals.html", export_stem="降级建议", columns=PROPOSAL_COLUMNS,
                          form=form)


@bp.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
@role_required(R.JUSTICE)
def proposal(proposal_id: int):
    item = db.session.get(DowngradeProposal, proposal_id) or abort(404)
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            record_service.decide_proposal(item, form.decision.data == "accept", form.note.data or "",
                                           user=current_user)
        except service.GradingError as exc:
            form.note.errors.append(str(exc))
        else:
            flash("已降级，新的评级即时生效并公开。" if item.status == "accepted" else "已决定不予降级。", "success")
            return redirect(url_for("grading.proposals"))
    return render_template("grading/proposal.html", item=item, form=form)


nav.add("执法检查记录", "grading.records", RECORD_READERS, order=31)
