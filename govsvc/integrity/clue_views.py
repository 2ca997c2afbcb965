"""Clue pages: the clue ledger (涉企问题线索台账), intake, one clue with its handling, and the
督办 and 整改 ledgers."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc import audit
from govsvc.auth.access import role_required
from govsvc.integrity import clues
from govsvc.integrity.forms import (ClueActionForm, ClueFilterForm, ClueIntakeForm, LedgerFilterForm, SuperviseForm,
                                    attach_errors)
from govsvc.integrity.models import CLUE_CHANNELS, LEDGER_KINDS, RECTIFICATION, SUPERVISION
from govsvc.integrity.views import DISCIPLINE, bp, unit_by_code
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.lists import list_or_export
from govsvc.timeutil import local_datetime

ACTION_LABELS = {
    workflow.ASSIGNED: "受理并交办核查",
    workflow.IN_PROGRESS: "开始核查",
    workflow.CONCLUDED: "办结（核查完毕）",
    workflow.FEEDBACK_GIVEN: "反馈反映人",
    workflow.CLOSED: "销号",
    workflow.RETURNED: "退回（不属于本单位办理等）",
}


def _related(matter, clue) -> bool:
    return clue.enterprise_related if clue is not None else matter.kind == "clue.referral"


CLUE_COLUMNS = [
    ("编号", lambda r: r[0].id), ("来源", lambda r: CLUE_CHANNELS[r[0].kind]), ("标题", lambda r: r[0].title),
    ("涉企", lambda r: "是" if _related(*r) else "否"),
    ("被反映单位", lambda r: r[0].responsible_unit.name if r[0].responsible_unit else ""),
    ("被反映人", lambda r: r[1].accused if r[1] else ""), ("涉及企业", lambda r: r[1].enterprise_name if r[1] else ""),
    ("收到日期", lambda r: r[1].received_on if r[1] else local_datetime(r[0].created_at).date()),
    ("登记时间", lambda r: r[0].created_at), ("办理期限", lambda r: r[0].deadline), ("状态", lambda r: r[0].status_label),
    ("逾期", lambda r: "是" if r[0].overdue else ""),
    ("核实结论", lambda r: r[1].verification_label if r[1] else ""),
]


@bp.route("/clues")
@role_required(DISCIPLINE)
def clue_list():
    form = ClueFilterForm(request.args)
    stmt = clues.clue_query(current_user, q=form.q.data or "", channel=form.channel.data or "",
                            status=form.status.data or "", enterprise=form.enterprise.data or "",
                            overdue=form.overdue.data == "1")
    return list_or_export(stmt, template="integrity/clues.html", export_stem="涉企问题线索台账", columns=CLUE_COLUMNS,
                          scalars=False, form=form, channels=CLUE_CHANNELS, related=_related)


@bp.route("/clues/new", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def new_clue():
    user = current_user._get_current_object()
    form = ClueIntakeForm()
    if form.validate_on_submit():
        unit = unit_by_code(form.unit_code.data)
        if form.unit_code.data and unit is None:
            form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
        else:
            try:
                clue, code = clues.intake(
                    user, channel=form.channel.data, title=form.title.data, description=form.description.data,
                    unit_id=unit.id if unit else None, enterprise_related=form.enterprise_related.data,
                    received_on=form.received_on.data, tracking=form.tracking.data,
                    **{k: form[k].data for k in clues.DETAIL_FIELDS})
            except clues.ClueError as exc:
                attach_errors(form, exc.errors)
            else:
                flash(f"线索 #{clue.matter_id} 已登记。", "success")
                if code:
                    return render_template("integrity/tracking_code.html", code=code, matter_id=clue.matter_id,
                                           staff=True)
                return redirect(url_for(".clue", matter_id=clue.matter_id))
    return render_template("integrity/clue_new.html", form=form)


def _action_form(user, matter, bind: bool = True) -> ClueActionForm:
    form = ClueActionForm(prefix="act") if bind else ClueActionForm(prefix="act", formdata=None)
    form.target.choices = [(m, ACTION_LABELS[m]) for m in ledger.allowed_moves(user, matter)]
    return form


def _render_clue(matter, form: ClueActionForm, supervise_form: SuperviseForm):
    return render_template("integrity/clue.html", matter=matter, item=clues.clue_of(matter), form=form,
                           supervise_form=supervise_form, related=clues.related_matters(matter),
                           channels=CLUE_CHANNELS, ledger_kinds=LEDGER_KINDS)


@bp.route("/clues/<int:matter_id>", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def clue(matter_id: int):
    user = current_user._get_current_object()
    matter = clues.get_clue_matter(user, matter_id) or abort(404)
    form = _action_form(user, matter)
    if form.validate_on_submit():
        unit = unit_by_code(form.unit_code.data)
        if form.unit_code.data and unit is None:
            form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
        else:
            try:
                clues.act(user, matter, form.target.data, note=form.note.data or "",
                          verification=form.verification.data or "", unit_id=unit.id if unit else None,
                          deadline=form.deadline.data, rectify_by=form.rectify_by.data)
            except clues.ClueError as exc:
                attach_errors(form, exc.errors)
            else:
                flash(f"线索 #{matter.id}：{ACTION_LABELS[form.target.data].split('（')[0]}，已完成。", "success")
                return redirect(url_for(".clue", matter_id=matter.id))
    elif request.method == "GET":
        audit.record("integrity.clue.read", target=f"matter:{matter.id}", category="integrity")
    return _render_clue(matter, form, SuperviseForm(prefix="sup", formdata=None))


@bp.route("/clues/<int:matter_id>/supervise", methods=["POST"])
@role_required(DISCIPLINE)
def supervise(matter_id: int):
    user = current_user._get_current_object()
    matter = clues.get_clue_matter(user, matter_id) or abort(404)
    form = SuperviseForm(prefix="sup")
    if form.validate_on_submit():
        try:
            sup = clues.supervise(user, matter, deadline=form.deadline.data, note=form.note.data)
        except clues.ClueError as exc:
            attach_errors(form, exc.errors)
        else:
            flash(f"已督办（督办事项 #{sup.id}）。", "success")
            return redirect(url_for(".clue", matter_id=matter.id))
    return _render_clue(matter, _action_form(user, matter, bind=False), form)


LEDGER_COLUMNS = [
    ("编号", lambda m: m.id), ("标题", lambda m: m.title), ("来源", lambda m: m.source),
    ("责任单位", lambda m: m.responsible_unit.name if m.responsible_unit else ""), ("期限", lambda m: m.deadline),
    ("状态", lambda m: m.status_label), ("逾期", lambda m: "是" if m.overdue else ""), ("登记时间", lambda m: m.created_at),
]


def _ledger(kind: str):
    form = LedgerFilterForm(request.args)
    stmt = clues.ledger_query(current_user, kind, q=form.q.data or "", status=form.status.data or "",
                              overdue=form.overdue.data == "1")
    return list_or_export(stmt, template="integrity/ledger.html", export_stem=f"{LEDGER_KINDS[kind]}台账",
                          columns=LEDGER_COLUMNS, form=form, kind=kind, title=f"{LEDGER_KINDS[kind]}台账")


@bp.route("/supervision")
@role_required(DISCIPLINE)
def supervision():
    return _ledger(SUPERVISION)


@bp.route("/rectification")
@role_required(DISCIPLINE)
def rectification():
    return _ledger(RECTIFICATION)

