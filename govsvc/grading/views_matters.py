"""Objections and complaints: the enterprise head's pages (own enterprise only) and the justice
bureau's handling; circulars of upheld complaints."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.extensions import db
from govsvc.grading import matters, service
from govsvc.grading.forms import (AnswerForm, CircularForm, ComplaintForm, MatterFilterForm, ObjectionForm, ReferForm,
                                  SearchForm, VerifyForm)
from govsvc.grading.models import Complaint, GradingResult, GradingRound, Objection, PUBLISHED
from govsvc.grading.views import bp, unit_names
from govsvc.lists import list_or_export
from govsvc.web import id_arg

OBJECTION_STATES = [("", "全部"), ("open", "待答复"), ("upheld", "异议成立"), ("rejected", "异议不成立")]
COMPLAINT_STATES = [("", "全部"), ("open", "待核实"), ("upheld", "投诉属实"), ("not_upheld", "投诉不属实"),
                    ("circulated", "已通报"), ("referred", "已移交纪检监察")]
CIRCULAR_READERS = (R.JUSTICE, R.LEADER, R.DEPARTMENT, R.DISCIPLINE, R.ADMIN)


def objection_state(o: Objection) -> str:
    return o.decision_label or ("逾期未答复" if o.matter.overdue else "办理中")


def complaint_state(c: Complaint) -> str:
    if c.finding is None:
        return "逾期未核实" if c.matter.overdue else "核实中"
    parts = [c.finding_label]
    if c.circulated_at:
        parts.append("已通报批评")
    if c.referred_at:
        parts.append("已移交市纪委市监委")
    return "，".join(parts)


OBJECTION_COLUMNS = [
    ("编号", lambda o: o.id), ("年度", lambda o: o.round.year), ("企业名称", lambda o: o.enterprise.name),
    ("统一社会信用代码", lambda o: o.enterprise.credit_code), ("针对", lambda o: o.unit.name if o.unit else "综合评定"),
    ("异议内容", lambda o: o.text), ("提出时间", lambda o: o.created_at), ("答复期限", lambda o: o.matter.deadline),
    ("状态", objection_state), ("答复", lambda o: o.answer), ("答复时间", lambda o: o.answered_at),
]
COMPLAINT_COLUMNS = [
    ("编号", lambda c: c.id), ("企业名称", lambda c: c.enterprise.name), ("被投诉单位", lambda c: c.unit.name),
    ("检查日期", lambda c: c.inspection_date), ("投诉内容", lambda c: c.text), ("提出时间", lambda c: c.created_at),
    ("核实期限", lambda c: c.matter.deadline), ("状态", complaint_state), ("核实情况", lambda c: c.finding_text),
]


def _filter_form(states):
    form = MatterFilterForm(request.args)
    form.state.choices = states
    return form


# -- the enterprise head --------------------------------------------------------------------------
def _enterprise_id() -> int:
    enterprise_id = current_user.enterprise_id
    if enterprise_id is None:
        abort(404)
    return enterprise_id


@bp.route("/my")
@role_required(R.EVALUATOR, R.ENTERPRISE)
def my_grade():
    enterprise_id = _enterprise_id()
    grading_round = service.published_round()
    item = service.result_of(grading_round, enterprise_id) if grading_round else None
    history = db.session.execute(
        select(GradingRound, GradingResult).join(GradingResult, GradingResult.round_id == GradingRound.id)
        .where(GradingRound.status == PUBLISHED, GradingResult.enterprise_id == enterprise_id)
        .order_by(GradingRound.year.desc())).all()
    objections = db.session.scalars(matters.objection_query(enterprise_id=enterprise_id).limit(5)).all()
    pending = next((o for o in objections if o.decision is None and grading_round and o.round_id == grading_round.id), None)
    complaints = db.session.scalars(matters.complaint_query(enterprise_id=enterprise_id).limit(5)).all()
    return render_template("grading/my.html", round=grading_round, item=item, history=history,
                           units=unit_names(grading_round) if grading_round else {}, objections=objections,
                           complaints=complaints, objection_state=objection_state, complaint_state=complaint_state,
                           pending=pending,
                           changes=service.changes_of(grading_round.id, enterprise_id) if item else [])


@bp.route("/my/objections")
@role_required(R.EVALUATOR, R.ENTERPRISE)
def my_objections():
    form = _filter_form(OBJECTION_STATES)
    stmt = matters.objection_query(q=form.q.data or "", state=form.state.data or "", enterprise_id=_enterprise_id())
    return list_or_export(stmt, template="grading/my_objections.html", export_stem="我的异议", columns=OBJECTION_COLUMNS,
                          form=form, state=objection_state)


@bp.route("/my/objections/new", methods=["GET", "POST"])
@role_required(R.EVALUATOR, R.ENTERPRISE)
def my_objection_new():
    _enterprise_id()
    grading_round = service.published_round()
    form = ObjectionForm()
    form.unit.choices = [("", "综合评定结果")] + (
        [(str(p.unit_id), p.unit.name) for p in sorted(grading_round.units, key=lambda p: p.unit.code)]
        if grading_round else [])
    if form.validate_on_submit():
        unit_id = id_arg(form.unit.data)
        try:
            objection = matters.file_objection(current_user, form.text.data, unit_id)
        except service.GradingError as exc:
            form.text.errors.append(str(exc))
        else:
            flash(f"异议已提交（第 {objection.id} 号），司法局将在 {objection.matter.deadline.isoformat()} 前答复。", "success")
            return redirect(url_for("grading.my_objection", objection_id=objection.id))
    return render_template("grading/my_objection_new.html", form=form, round=grading_round)


@bp.route("/my/objections/<int:objection_id>")
@role_required(R.EVALUATOR, R.ENTERPRISE)
def my_objection(objection_id: int):
    item = db.session.get(Objection, objection_id)
    if item is None or item.enterprise_id != _enterprise_id():
        abort(404)  # another enterprise's objection: it does not exist for this user
    return render_template("grading/my_objection.html", item=item, state=objection_state(item))


@bp.route("/my/complaints")
@role_required(R.EVALUATOR, R.ENTERPRISE)
def my_complaints():
    form = _filter_form(COMPLAINT_STATES)
    stmt = matters.complaint_query(q=form.q.data or "", state=form.state.data or "", enterprise_id=_enterprise_id())
    return list_or_export(stmt, template="grading/my_complaints.html", export_stem="我的投诉", columns=COMPLAINT_COLUMNS,
                          form=form, state=complaint_state)


@bp.route("/my/complaints/new", methods=["GET", "POST"])
@role_required(R.EVALUATOR, R.ENTERPRISE)
def my_complaint_new():
    _enterprise_id()
    form = ComplaintForm()
    form.unit.choices = [("", "请选择")] + [(str(u.id), u.name) for u in matters.complaint_units()]
    if form.validate_on_submit():
        try:
            complaint = matters.file_complaint(current_user, id_arg(form.unit.data) or 0,
                                               form.text.data, form.inspection_date.data)
        except service.GradingError as exc:
            getattr(form, exc.field or "text").errors.append(str(exc))
        else:
            flash(f"投诉已提交（第 {complaint.id} 号），司法局将在 {complaint.matter.deadline.isoformat()} 前核实答复。",
                  "success")
            return redirect(url_for("grading.my_complaint", complaint_id=complaint.id))
    return render_template("grading/my_complaint_new.html", form=form)


@bp.route("/my/complaints/<int:complaint_id>")
@role_required(R.EVALUATOR, R.ENTERPRISE)
def my_complaint(complaint_id: int):
    item = db.session.get(Complaint, complaint_id)
    if item is None or item.enterprise_id != _enterprise_id():
        abort(404)
    return render_template("grading/my_complaint.html", item=item, state=complaint_state(item))


# -- the justice bureau ---------------------------------------------------------------------------
@bp.route("/objections")
@role_required(R.JUSTICE)
def objections():
    form = _filter_form(OBJECTION_STATES)
    stmt = matters.objection_query(q=form.q.data or "", state=form.state.data or "")
    return list_or_export(stmt, template="grading/objections.html", export_stem="评级异议", columns=OBJECTION_COLUMNS,
                          form=form, state=objection_state)


@bp.route("/objections/<int:objection_id>", methods=["GET", "POST"])
@role_required(R.JUSTICE)
def objection(objection_id: int):
    item = db.session.get(Objection, objection_id) or abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            matters.answer_objection(item, form.decision.data, form.answer.data or "",
                                     new_grade=form.new_grade.data or None, user=current_user)
        except service.GradingError as exc:
            form.answer.errors.append(str(exc))
        else:
            flash("已答复，答复已反馈给企业。", "success")
            return redirect(url_for("grading.objection", objection_id=item.id))
    result = service.result_of(item.round, item.enterprise_id)
    return render_template("grading/objection.html", item=item, form=form, result=result, state=objection_state(item),
                           units=unit_names(item.round))


@bp.route("/complaints")
@role_required(R.JUSTICE)
def complaints():
    form = _filter_form(COMPLAINT_STATES)
    stmt = matters.complaint_query(q=form.q.data or "", state=form.state.data or "")
    return list_or_export(stmt, template="grading/complaints.html", export_stem="免检免扰投诉", columns=COMPLAINT_COLUMNS,
                          form=form, state=complaint_state)


def _render_complaint(item: Complaint, **forms):
    circular = forms.get("circular") or CircularForm()
    if not circular.text.data:
        circular.text.data = matters.circular_draft(item) if item.finding == "upheld" else ""
    return render_template("grading/complaint.html", item=item, state=complaint_state(item),
                           verify=forms.get("verify") or VerifyForm(), circular=circular,
                           refer=forms.get("refer") or ReferForm())


@bp.route("/complaints/<int:complaint_id>")
@role_required(R.JUSTICE)
def complaint(complaint_id: int):
    return _render_complaint(db.session.get(Complaint, complaint_id) or abort(404))


def _complaint_action(complaint_id: int, form, field: str, action, success: str, name: str):
    item = db.session.get(Complaint, complaint_id) or abort(404)
    if form.validate_on_submit():
        try:
            action(item, form)
        except service.GradingError as exc:
            getattr(form, field).errors.append(str(exc))
        else:
            flash(success, "success")
            return redirect(url_for("grading.complaint", complaint_id=item.id))
    return _render_complaint(item, **{name: form})


@bp.route("/complaints/<int:complaint_id>/verify", methods=["POST"])
@role_required(R.JUSTICE)
def complaint_verify(complaint_id: int):
    return _complaint_action(complaint_id, VerifyForm(), "text",
                             lambda c, f: matters.verify_complaint(c, f.finding.data, f.text.data or "", user=current_user),
                             "核实结论已记录，并已反馈给企业。", "verify")


@bp.route("/complaints/<int:complaint_id>/circulate", methods=["POST"])
@role_required(R.JUSTICE)
def complaint_circulate(complaint_id: int):
    return _complaint_action(complaint_id, CircularForm(), "text",
                             lambda c, f: matters.circulate(c, f.text.data or "", user=current_user),
                             "已通报批评。", "circular")


@bp.route("/complaints/<int:complaint_id>/refer", methods=["POST"])
@role_required(R.JUSTICE)
def complaint_refer(complaint_id: int):
    return _complaint_action(complaint_id, ReferForm(), "note",
                             lambda c, f: matters.refer(c, f.note.data or "", user=current_user),
                             "已作为问题线索移交市纪委市监委。", "refer")


CIRCULAR_COLUMNS = [("通报时间", lambda c: c.circulated_at), ("被通报单位", lambda c: c.unit.name),
                    ("通报内容", lambda c: c.circular_text)]


@bp.route("/circulars")
@role_required(*CIRCULAR_READERS)
def circulars():
    form = SearchForm(request.args)
    stmt = matters.circulars_query(q=form.q.data or "")
    return list_or_export(stmt, template="grading/circulars.html", export_stem="免检免扰通报", columns=CIRCULAR_COLUMNS,
                          form=form)


nav.add("我的评级", "grading.my_grade", (R.EVALUATOR, R.ENTERPRISE), order=30)
nav.add("异议与投诉", "grading.objections", (R.JUSTICE,), order=32)
nav.add("通报", "grading.circulars", CIRCULAR_READERS, order=33)
