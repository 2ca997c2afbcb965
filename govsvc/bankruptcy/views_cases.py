"""Case pages: the major and sensitive case ledger, registering a case before acceptance (with
its risk assessment), a case's page (assessment with the rule, disposal plan, acceptance or
decline, progress, the leadership coordination group, its matters and letters)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from govsvc import audit
from govsvc.auth.access import role_required
from govsvc.bankruptcy import cases as service
from govsvc.bankruptcy import matters as matter_service
from govsvc.bankruptcy.access import READERS, STAFF, NotAllowed, ServiceError, is_court, is_office
from govsvc.bankruptcy.directory import administrators, courts, unit_by_code
from govsvc.bankruptcy.forms import (AcceptForm, CaseFilterForm, CaseForm, DeclineForm, FiguresForm, GroupMemberForm,
                                     MajorForm, PlanForm, ProgressForm)
from govsvc.bankruptcy.models import COORD_KINDS, TASK, Administrator, Court, Letter
from govsvc.bankruptcy.models_cases import Case
from govsvc.bankruptcy.views import bp, post_action, refused, user
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today
from scoring import bankruptcy as core
from scoring.credit_code import CreditCodeError, validate

COLUMNS = [
    ("编号", lambda c: c.id), ("案号", lambda c: c.case_number or ""), ("债务人", lambda c: c.enterprise.name),
    ("统一社会信用代码", lambda c: c.enterprise.credit_code), ("区县", lambda c: c.enterprise.district),
    ("受理法院", lambda c: c.court.name), ("管理人", lambda c: c.administrator.name if c.administrator else ""),
    ("程序", lambda c: c.procedure_label), ("阶段", lambda c: c.stage_label), ("重大敏感", lambda c: c.major),
    ("风险等级", lambda c: c.risk_label), ("风险得分", lambda c: c.risk_score), ("债权人数", lambda c: c.creditors),
    ("职工人数", lambda c: c.employees), ("负债总额", lambda c: c.debts), ("资产总额", lambda c: c.assets),
    ("申请日期", lambda c: c.applied_on), ("受理日期", lambda c: c.accepted_on), ("终结日期", lambda c: c.closed_on),
]


@bp.route("/cases")
@role_required(*READERS)
def case_list():
    form = CaseFilterForm(request.args).cleaned()
    stmt = service.case_query(q=form.q.data or "", stage=form.stage.data or "", procedure=form.procedure.data or "",
                              risk=form.risk.data or "", major=form.major.data or "")
    return list_or_export(stmt, template="bankruptcy/cases.html", export_stem="重大敏感案件台账", columns=COLUMNS, form=form)


def _enterprise(form) -> Enterprise | None:
    try:
        code = validate(form.credit_code.data or "")
    except CreditCodeError as exc:
        form.credit_code.errors.append(str(exc))
        return None
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if enterprise is None:
        form.credit_code.errors.append("登记库中没有这家企业。")
    return enterprise


@bp.route("/cases/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_case():
    form = CaseForm()
    form.court_id.choices = [(c.id, c.name) for c in courts()]
    if request.method == "GET" and request.args.get("credit_code"):
        form.credit_code.data = request.args["credit_code"][:40]
    if form.validate_on_submit():
        if not is_court(user()):
            raise NotAllowed("court only")
        enterprise = _enterprise(form)
        court = db.session.get(Court, form.court_id.data) if form.court_id.data else None
        if court is None:
            form.court_id.errors.append("请选择受理法院。")
        if enterprise is not None and court is not None:
            try:
                case = service.register_case(user(), enterprise=enterprise, court=court, procedure=form.procedure.data,
                                             applicant=form.applicant.data or "", applied_on=form.applied_on.data,
                                             figures=form.figures(), note=form.note.data or "")
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"案件 #{case.id} 已登记，受理前风险评估：{case.risk_label}（{case.risk_score} 分）。", "success")
                return redirect(url_for("bankruptcy.case", case_id=case.id))
    return render_template("bankruptcy/case_new.html", form=form)


def _case(case_id: int) -> Case:
    return db.session.get(Case, case_id) or abort(404)


def _render(case: Case, **forms):
    u = user()
    court, office = is_court(u), is_office(u)
    assessment = service.latest_assessment(case)
    figures = forms.get("figures") or FiguresForm(prefix="fig", obj=case, formdata=None)
    accept = forms.get("accept") or AcceptForm(prefix="acc", formdata=None)
    accept.administrator_id.choices = [(0, "（暂未指定）")] + [(a.id, a.name) for a in administrators()]
    if not accept.accepted_on.data:
        accept.accepted_on.data = local_today()
    progress = forms.get("progress") or ProgressForm(prefix="pr", formdata=None, obj=case)
    if not progress.on.data:
        progress.on.data = local_today()
    matters = [m for m, _ in db.session.execute(matter_service.matter_query(
        u, kinds=list(COORD_KINDS) + [TASK], case_id=case.id).limit(100))]
    letters = db.session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id.desc())).all()
    return render_template(
        "bankruptcy/case.html", case=case, assessment=assessment,
        breakdown=service.breakdown(assessment) if assessment else None, plan=service.latest_plan(case),
        plan_missing=service.plan_missing(case), rules=core.parse_risk_rules(assessment.rules) if assessment else None,
        figures_form=figures, plan_form=forms.get("plan") or PlanForm(prefix="plan", formdata=None),
        accept_form=accept, decline_form=forms.get("decline") or DeclineForm(prefix="dec", formdata=None),
        progress_form=progress, major_form=forms.get("major") or MajorForm(prefix="maj", formdata=None, major=case.major),
        group_form=forms.get("group") or GroupMemberForm(prefix="grp", formdata=None),
        matters=matters, letters=letters, court=court, office=office)


@bp.route("/cases/<int:case_id>")
@role_required(*READERS)
def case(case_id: int):
    item = _case(case_id)
    audit.record("bankruptcy.case.read", target=f"bankruptcy.case:{item.id}")
    return _render(item)


def _post(case_id: int, form_class, prefix: str, key: str, action, success: str):
    item = _case(case_id)
    form = form_class(prefix=prefix)
    if key == "accept":
        form.administrator_id.choices = [(0, "")] + [(a.id, a.name) for a in administrators()]
    return post_action(form, lambda f: action(item, f), success=success,
                       target=url_for("bankruptcy.case", case_id=item.id), render=lambda f: _render(item, **{key: f}))


@bp.route("/cases/<int:case_id>/assess", methods=["POST"])
@role_required(*STAFF)
def assess_case(case_id: int):
    return _post(case_id, FiguresForm, "fig", "figures",
                 lambda case, form: service.reassess(user(), case, form.figures()), "已重新评估。")


@bp.route("/cases/<int:case_id>/plan", methods=["POST"])
@role_required(*STAFF)
def case_plan(case_id: int):
    return _post(case_id, PlanForm, "plan", "plan",
                 lambda case, form: service.record_plan(user(), case, {k: form[k].data for k in service.PLAN_FIELDS}),
                 "处置方案已保存。")


def _accept(case, form):
    administrator = db.session.get(Administrator, form.administrator_id.data) if form.administrator_id.data else None
    service.accept_case(user(), case, case_number=form.case_number.data, accepted_on=form.accepted_on.data,
                        administrator=administrator, confirm=form.confirm.data)


@bp.route("/cases/<int:case_id>/accept", methods=["POST"])
@role_required(*STAFF)
def accept_case(case_id: int):
    return _post(case_id, AcceptForm, "acc", "accept", _accept, "案件已受理。")


@bp.route("/cases/<int:case_id>/decline", methods=["POST"])
@role_required(*STAFF)
def decline_case(case_id: int):
    return _post(case_id, DeclineForm, "dec", "decline",
                 lambda case, form: service.decline_case(user(), case, note=form.note.data, confirm=form.confirm.data),
                 "已登记不予受理（撤回），案件终结。")


@bp.route("/cases/<int:case_id>/progress", methods=["POST"])
@role_required(*STAFF)
def case_progress(case_id: int):
    return _post(case_id, ProgressForm, "pr", "progress",
                 lambda case, form: service.advance(user(), case, stage=form.stage.data, on=form.on.data,
                                                    note=form.note.data, figures=form.figures(), confirm=form.confirm.data),
                 "进展已登记。")


@bp.route("/cases/<int:case_id>/major", methods=["POST"])
@role_required(*STAFF)
def case_major(case_id: int):
    return _post(case_id, MajorForm, "maj", "major",
                 lambda case, form: service.set_major(user(), case, form.major.data, form.note.data or ""), "已更新。")


def _group(case, form):
    unit = unit_by_code(form.unit_code.data)
    if form.unit_code.data and unit is None:
        raise ServiceError({"unit_code": f"找不到单位代码“{form.unit_code.data}”。"})
    service.add_group_member(user(), case, role=form.role.data, name=form.name.data, post=form.post.data or "", unit=unit)


@bp.route("/cases/<int:case_id>/group", methods=["POST"])
@role_required(*STAFF)
def case_group(case_id: int):
    return _post(case_id, GroupMemberForm, "grp", "group", _group, "领导协调组成员已添加。")
