"""Matter pages: coordination matters by tier, raising one, a matter's page (its escalation path,
handling, 督办, 提级, its tasks and letters), the tasks of decisions, and the hand-overs from the
financial-risk module with the step that opens a case from one."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from govsvc.auth.access import role_required
from govsvc.bankruptcy import cases as case_service
from govsvc.bankruptcy import matters as service
from govsvc.bankruptcy.access import ALL, READERS, STAFF, NotAllowed, ServiceError, is_office
from govsvc.bankruptcy.directory import courts, lead_unit_for, unit_by_code
from govsvc.bankruptcy.forms import (ActionForm, EscalateForm, HandoverCaseForm, MatterFilterForm, RaiseMatterForm,
                                     SuperviseForm, TaskFilterForm)
from govsvc.bankruptcy.models import (COORD_KINDS, HANDOVER, LETTER, MATTER_TYPES, TASK, Court, Letter, coord_kind,
                                      tier_of)
from govsvc.bankruptcy.models_cases import Case
from govsvc.bankruptcy.views import bp, post_action, refused, user
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise
from govsvc.web import id_arg
from scoring import bankruptcy as core


def _unit_name(matter) -> str:
    return matter.responsible_unit.name if matter.responsible_unit else ""


MATTER_COLUMNS = [
    ("编号", lambda r: r[0].id), ("层级", lambda r: COORD_KINDS.get(r[0].kind, "")), ("事项类别", lambda r: r[1].type_label if r[1] else ""),
    ("标题", lambda r: r[0].title), ("承办单位", lambda r: _unit_name(r[0])), ("来源", lambda r: r[0].source),
    ("关联案件", lambda r: r[1].case.title if r[1] and r[1].case else ""), ("办理期限", lambda r: r[0].deadline),
    ("状态", lambda r: r[0].status_label), ("逾期", lambda r: "是" if r[0].overdue else ""), ("登记时间", lambda r: r[0].created_at),
]


@bp.route("/matters")
@role_required(*ALL)
def matter_list():
    form = MatterFilterForm(request.args).cleaned()
    tier = form.tier.data or ""
    kinds = [coord_kind(tier)] if tier in core.TIERS else list(COORD_KINDS)
    stmt = service.matter_query(user(), kinds=kinds, q=form.q.data or "", status=form.status.data or "",
                                matter_type=form.matter_type.data or "", overdue=form.overdue.data == "1")
    return list_or_export(stmt, template="bankruptcy/matters.html", export_stem="府院联动协调事项", columns=MATTER_COLUMNS,
                          scalars=False, form=form)


TASK_COLUMNS = [
    ("编号", lambda r: r[0].id), ("任务", lambda r: r[0].title), ("承办单位", lambda r: _unit_name(r[0])),
    ("来源会议", lambda r: r[0].source), ("完成期限", lambda r: r[0].deadline), ("状态", lambda r: r[0].status_label),
    ("逾期", lambda r: "是" if r[0].overdue else ""),
]


@bp.route("/tasks")
@role_required(*ALL)
def task_list():
    form = TaskFilterForm(request.args).cleaned()
    stmt = service.matter_query(user(), kinds=[TASK], q=form.q.data or "", status=form.status.data or "",
                                overdue=form.overdue.data == "1")
    return list_or_export(stmt, template="bankruptcy/tasks.html", export_stem="府院联动议定任务", columns=TASK_COLUMNS,
                          scalars=False, form=form)


@bp.route("/matters/new", methods=["GET", "POST"])
@role_required(*ALL)
def new_matter():
    form = RaiseMatterForm()
    if request.method == "GET" and request.args.get("case"):
        form.case_id.data = id_arg(request.args.get("case"))
    if form.validate_on_submit():
        unit = unit_by_code(form.unit_code.data)
        case = db.session.get(Case, form.case_id.data) if form.case_id.data else None
        if form.unit_code.data and unit is None:
            form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
        elif form.case_id.data and case is None:
            form.case_id.errors.append("案件台账中没有该编号。")
        else:
            try:
                matter = service.raise_matter(user(), matter_type=form.matter_type.data, title=form.title.data,
                                              description=form.description.data, unit=unit, deadline=form.deadline.data,
                                              case=case, priority=form.priority.data)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"协调事项 #{matter.id} 已登记，由{_unit_name(matter)}承办，提交业务会议研究。", "success")
                return redirect(url_for("bankruptcy.matter", matter_id=matter.id))
    leads = {t: getattr(lead_unit_for(t), "name", "") for t in MATTER_TYPES}
    return render_template("bankruptcy/matter_new.html", form=form, leads=leads)


def _matter(matter_id: int):
    matter = service.get_matter(user(), matter_id)
    if matter is None:
        abort(404)
    return matter


def _action_form(matter, bind: bool = True) -> ActionForm:
    form = ActionForm(prefix="act") if bind else ActionForm(prefix="act", formdata=None)
    form.target.choices = [(m, service.ACTION_LABELS[m]) for m in service.allowed_moves(user(), matter)]
    return form


def _render(matter, **forms):
    tasks, letters = service.follow_ups(matter)
    info = service.info_of(matter)
    office = is_office(user())
    tier = tier_of(matter.kind)
    can_escalate = office and tier is not None and tier != "joint" and matter.status in workflow.OPEN_STATUSES
    handover_case = case_service.case_for_handover(matter) if matter.kind == HANDOVER else None
    decision = info.decision if info and info.decision_id else None
    return render_template(
        "bankruptcy/matter.html", matter=matter, info=info, path=service.path_view(matter), tasks=tasks, letters=letters,
        action_form=forms.get("action") or _action_form(matter, bind=False),
        supervise_form=forms.get("supervise") or (SuperviseForm(prefix="sv", formdata=None) if office else None),
        escalate_form=forms.get("escalate") or (EscalateForm(prefix="esc", formdata=None) if can_escalate else None),
        next_tier=core.TIER_LABELS[core.next_tier(tier)] if can_escalate else "", handover_case=handover_case,
        decision=decision, open_items=service.open_follow_ups(matter) if tier else [])


@bp.route("/matters/<int:matter_id>", methods=["GET", "POST"])
@role_required(*ALL)
def matter(matter_id: int):
    item = _matter(matter_id)
    if item.kind == LETTER:
        letter = db.session.scalar(select(Letter).where(Letter.matter_id == item.id))
        if letter is not None:
            return redirect(url_for("bankruptcy.letter", letter_id=letter.id))
    form = _action_form(item)
    if form.validate_on_submit():
        unit = unit_by_code(form.unit_code.data)
        if form.unit_code.data and unit is None:
            form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
        else:
            try:
                service.act(user(), item, form.target.data, note=form.note.data or "", unit=unit,
                            deadline=form.deadline.data, confirm=form.confirm.data)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"事项 #{item.id}：{service.ACTION_LABELS[form.target.data]}，已完成。", "success")
                return redirect(url_for("bankruptcy.matter", matter_id=item.id))
    return _render(item, action=form)


@bp.route("/matters/<int:matter_id>/supervise", methods=["POST"])
@role_required(*STAFF)
def supervise(matter_id: int):
    item = _matter(matter_id)
    return post_action(SuperviseForm(prefix="sv"),
                       lambda f: service.supervise_matter(user(), item, f.note.data, f.deadline.data),
                       success="已督办，事项改为紧急。", target=url_for("bankruptcy.matter", matter_id=item.id),
                       render=lambda f: _render(item, supervise=f))


@bp.route("/matters/<int:matter_id>/escalate", methods=["POST"])
@role_required(*STAFF)
def escalate(matter_id: int):
    item = _matter(matter_id)
    form = EscalateForm(prefix="esc")
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors.append("请勾选确认。")
        else:
            try:
                upper = service.escalate_matter(user(), item, form.note.data, deadline=form.deadline.data)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"已提交{COORD_KINDS[upper.kind]}研究（事项 #{upper.id}）。", "success")
                return redirect(url_for("bankruptcy.matter", matter_id=upper.id))
    return _render(item, escalate=form)


# -- hand-overs from the financial-risk module -------------------------------------------------
HANDOVER_COLUMNS = [
    ("编号", lambda m: m.id), ("标题", lambda m: m.title), ("来源", lambda m: m.source), ("关联", lambda m: m.ref),
    ("状态", lambda m: m.status_label), ("移交时间", lambda m: m.created_at),
]


@bp.route("/handovers")
@role_required(*READERS)
def handovers():
    status = request.args.get("status", "")
    stmt = service.handover_query(user(), status=status if status in ("open",) + tuple(workflow.STATUS_LABELS) else "")
    return list_or_export(stmt, template="bankruptcy/handovers.html", export_stem="司法介入移交事项",
                          columns=HANDOVER_COLUMNS, status=status, case_for=case_service.case_for_handover)


@bp.route("/handovers/<int:matter_id>/open", methods=["GET", "POST"])
@role_required(*STAFF)
def open_handover(matter_id: int):
    item = _matter(matter_id)
    if item.kind != HANDOVER:
        abort(404)
    existing = case_service.case_for_handover(item)
    if existing is not None:
        flash(f"该移交事项已建立案件 #{existing.id}。", "info")
        return redirect(url_for("bankruptcy.case", case_id=existing.id))
    enterprise, procedure = case_service.handover_reading(item)
    form = HandoverCaseForm()
    form.court_id.choices = [(c.id, c.name) for c in courts()]
    if form.validate_on_submit():
        if not user().has_role("court"):
            raise NotAllowed("court only")
        chosen = None
        if form.credit_code.data:
            chosen = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == form.credit_code.data.strip().upper()))
            if chosen is None:
                form.credit_code.errors.append("登记库中没有这家企业。")
        if not form.credit_code.errors:
            try:
                case = case_service.open_case_from_handover(
                    item, user(), enterprise=chosen, procedure=form.procedure.data or None,
                    court=db.session.get(Court, form.court_id.data) if form.court_id.data else None,
                    figures=form.figures())
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"已建立案件 #{case.id}，受理前风险评估：{case.risk_label}。", "success")
                return redirect(url_for("bankruptcy.case", case_id=case.id))
    return render_template("bankruptcy/handover_open.html", matter=item, form=form, enterprise=enterprise,
                           procedure=core.PROCEDURES.get(procedure or "", ""))
