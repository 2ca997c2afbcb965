"""容错纠错 pages: the discipline commission's register and case pages (every read under a declared
purpose, audited; unit staff their covered units only), the entrepreneur's online application and
its follow-up, and the public 澄清正名 notices."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc.auth import roles as R
from govsvc.auth.access import public, role_required, safe_next
from govsvc.care import tolerance
from govsvc.care.forms_support import (AcceptForm, ApplyForm, CaseFilterForm, CaseForm, DecisionForm,
                                       InvestigationForm, ProtectForm, RectifiedForm, SearchForm, attach)
from govsvc.care.models_support import Clarification, ToleranceCase
from govsvc.care.support import unit_by_code
from govsvc.care.views import bp
from govsvc.extensions import db
from govsvc.integrity import files, scope
from govsvc.integrity.forms import PurposeForm
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today
from govsvc.web import id_arg
from scoring import care as rules
from scoring import credit_code as credit_codes

DISCIPLINE = R.DISCIPLINE
ENTERPRISE_SIDE = (R.ENTERPRISE, R.EVALUATOR)


def _case(case_id: int) -> ToleranceCase:
    case = db.session.get(ToleranceCase, case_id) or abort(404)
    tolerance.check_case(current_user, case)
    return case


def _ask_purpose(case: ToleranceCase | None):
    here = request.full_path if request.query_string else request.path
    return redirect(url_for("care.tol_purpose", case=case.id if case else None, next=here))


@bp.route("/tolerance/purpose", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def tol_purpose():
    case_id = id_arg(request.args.get("case"))
    case = _case(case_id) if case_id is not None else None
    target = safe_next(request.args.get("next")) or (url_for("care.tol_case", case_id=case.id) if case
                                                     else url_for("care.tol_cases"))
    form = PurposeForm()  # the integrity module's, with the 容错 purposes
    form.purpose.choices = [(p, p) for p in tolerance.PURPOSES]
    if form.validate_on_submit():
        tolerance.grant_access(current_user, case, form.text)
        return redirect(target)
    return render_template("care/tolerance_purpose.html", form=form, case=case, minutes=tolerance.GRANT_MINUTES)


CASE_COLUMNS = [
    ("编号", lambda c: c.number), ("类别", lambda c: c.kind_label), ("申请人", lambda c: c.subject_name),
    ("身份", lambda c: c.subject_type_label), ("企业", lambda c: c.enterprise.name if c.enterprise else ""),
    ("单位", lambda c: c.unit.name if c.unit else "市纪委监委"), ("申请日期", lambda c: c.applied_on),
    ("阶段", lambda c: c.stage_label), ("本阶段期限", lambda c: c.stage_deadline),
    ("逾期", lambda c: "是" if tolerance.is_overdue(c) else ""), ("决定", lambda c: c.decision_label),
    ("决定日期", lambda c: c.decided_on),
]


@bp.route("/tolerance/")
@role_required(DISCIPLINE)
def tol_cases():
    grant = tolerance.current_grant(current_user, None)
    if grant is None:
        return _ask_purpose(None)
    form = CaseFilterForm(request.args)
    enterprise_id = id_arg(request.args.get("enterprise"))
    filters = {"q": form.q.data or "", "stage": form.stage.data or "", "kind": form.kind.data or "",
               "overdue": form.overdue.data == "1", "enterprise_id": enterprise_id}
    tolerance.log_read(grant, None, "register", **{k: v for k, v in filters.items() if v},
                       export=request.args.get("format", ""))
    enterprise = db.session.get(Enterprise, enterprise_id) if enterprise_id else None
    return list_or_export(tolerance.case_query(current_user, **filters), template="care/tolerance_cases.html",
                          export_stem="容错纠错台账", columns=CASE_COLUMNS, form=form, enterprise=enterprise,
                          overdue=tolerance.is_overdue, stats=tolerance.statistics(current_user))


@bp.route("/tolerance/new", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def tol_new():
    form = CaseForm()
    if request.method == "GET":
        form.applied_on.data = local_today()
    if form.validate_on_submit():
        data = _case_input(form)
        if data is not None:
            try:
                case = tolerance.register_case(current_user, data)
            except tolerance.ToleranceError as exc:
                attach(form, exc.field, str(exc))
            except scope.OutOfScope:
                attach(form, "unit_code", "该单位不在您的联系单位范围内。")
            else:
                tolerance.grant_access(current_user, case, "受理审查：登记申请")
                flash(f"已登记 {case.number}，请在 {case.stage_deadline.isoformat()} 前完成受理审查。", "success")
                return redirect(url_for("care.tol_case", case_id=case.id))
    return render_template("care/tolerance_new.html", form=form)


def _case_input(form: CaseForm) -> tolerance.CaseInput | None:
    ok = True
    person = enterprise = unit = None
    if form.id_number.data:
        try:
            person = files.find_by_id_number(current_user, form.id_number.data)
        except files.IdLookupError as exc:
            form.id_number.errors.append(f"身份证号有误：{exc}")
            ok = False
        else:
            if person is None:
                form.id_number.errors.append("在您的联系单位中没有找到该身份证号对应的公职人员。")
                ok = False
    if form.credit_code.data:
        try:
            code = credit_codes.validate(form.credit_code.data)
        except credit_codes.CreditCodeError as exc:
            form.credit_code.errors.append(str(exc))
            ok = False
        else:
            enterprise = db.session.scalar(db.select(Enterprise).where(Enterprise.credit_code == code))
            if enterprise is None:
                form.credit_code.errors.append("登记库中没有这家企业。")
                ok = False
    if form.unit_code.data:
        unit = unit_by_code(form.unit_code.data)
        if unit is None:
            form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
            ok = False
    if form.subject_type.data == "entrepreneur" and not (form.subject_name.data or "").strip():
        form.subject_name.errors.append("请填写党员企业家姓名。")
        ok = False
    if not ok:
        return None
    return tolerance.CaseInput(kind=form.kind.data, subject_type=form.subject_type.data,
                               subject_name=form.subject_name.data or "", subject_post=form.subject_post.data or "",
                               person=person, enterprise=enterprise, unit=unit, channel=form.channel.data,
                               applied_on=form.applied_on.data, facts=form.facts.data, grounds=form.grounds.data or "",
                               clue_matter_id=form.clue_number.data)


def _forms(case: ToleranceCase) -> dict:
    decision = DecisionForm(prefix="d")
    decision.decision.choices = [("", "（请选择）")] + [(d, rules.DECISIONS[d]) for d in rules.DECISIONS_BY_KIND[case.kind]]
    protect = ProtectForm(prefix="p")
    if request.method == "GET" and case.clarification is None and case.decision == "false_accusation":
        protect.publish.data = True
        protect.title.data = f"关于为{case.subject_name}同志澄清正名的通报"
    return {"accept": AcceptForm(prefix="a"), "investigate": InvestigationForm(prefix="i"), "decide": decision,
            "rectified": RectifiedForm(prefix="r"), "protect": protect}


def _render_case(case: ToleranceCase, forms: dict, grant):
    return render_template("care/tolerance_case.html", case=case, forms=forms, grant=grant,
                           overdue=tolerance.is_overdue(case), factors=tolerance.factors_of(case), rules=rules,
                           city_wide=scope.is_city_wide(current_user))


@bp.route("/tolerance/<int:case_id>")
@role_required(DISCIPLINE)
def tol_case(case_id: int):
    case = _case(case_id)
    grant = tolerance.current_grant(current_user, case)
    if grant is None:
        return _ask_purpose(case)
    tolerance.log_read(grant, case, "case")
    return _render_case(case, _forms(case), grant)


STEPS = ("accept", "investigate", "decide", "rectified", "protect")


@bp.route("/tolerance/<int:case_id>/<step>", methods=["POST"])
@role_required(DISCIPLINE)
def tol_act(case_id: int, step: str):
    if step not in STEPS:
        abort(404)
    case = _case(case_id)
    grant = tolerance.current_grant(current_user, case)
    if grant is None:
        flash("查阅目的已过期，请重新说明后再办理。", "warning")
        return _ask_purpose(case)
    forms = _forms(case)
    form = forms[step]
    if form.validate_on_submit():
        try:
            message = _do_step(step, case, form)
        except tolerance.ToleranceError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(message, "success")
            return redirect(url_for("care.tol_case", case_id=case.id))
    tolerance.log_read(grant, case, "case", step=step)
    return _render_case(case, forms, grant)


def _do_step(step: str, case: ToleranceCase, form) -> str:
    user = current_user._get_current_object()
    if step == "accept":
        accepted = form.accepted.data == "1"
        tolerance.accept(user, case, accepted=accepted, note=form.note.data or "", on=form.on.data)
        return (f"已受理，容错调查期限至 {case.stage_deadline.isoformat()}。" if accepted else "已决定不予受理。")
    if step == "investigate":
        tolerance.report_investigation(user, case, report=form.report.data, on=form.on.data)
        return f"调查完毕，会商研判并作出决定的期限至 {case.stage_deadline.isoformat()}。"
    if step == "decide":
        tolerance.decide(user, case, tolerance.DecisionInput(
            decision=form.decision.data, factors=form.factor_values(), participants=form.participants.data or "",
            deliberation=form.deliberation.data or "", decision_number=form.decision_number.data or "",
            decision_text=form.decision_text.data or "", rectify_by=form.rectify_by.data,
            decided_on=form.decided_on.data))
        return f"已作出决定：{case.decision_label}。当前阶段：{case.stage_label}。"
    if step == "rectified":
        tolerance.record_rectification(user, case, note=form.note.data, on=form.on.data)
        return "纠错整改已完成，进入澄清保护。"
    notice = None
    if form.publish.data:
        notice = tolerance.ClarificationInput(title=form.title.data or "", body=form.body.data or "",
                                              method=form.method.data, meeting_on=form.meeting_on.data)
    published = tolerance.protect(user, case, note=form.note.data, clarification=notice, on=form.on.data)
    return "已办结。" + ("澄清正名通报已公开发布。" if published else "")


@bp.route("/tolerance/matter/<int:matter_id>")
@role_required(DISCIPLINE)
def tol_matter(matter_id: int):
    case = tolerance.case_for_matter(matter_id) or abort(404)
    tolerance.check_case(current_user, case)
    return redirect(url_for("care.tol_case", case_id=case.id))


# -- the entrepreneur's side -------------------------------------------------------------------------
@bp.route("/tolerance/apply", methods=["GET", "POST"])
@role_required(*ENTERPRISE_SIDE)
def tol_apply():
    form = ApplyForm()
    units = db.session.scalars(db.select(Unit).where(Unit.level == "city").order_by(Unit.code)).all()
    form.unit.choices = [("", "（不清楚，由市纪委监委办理）")] + [(u.code, u.name) for u in units]
    enterprise = db.session.get(Enterprise, current_user.enterprise_id) if current_user.enterprise_id else None
    if request.method == "GET" and enterprise is not None:
        form.subject_name.data = enterprise.head_name
    if form.validate_on_submit():
        try:
            case = tolerance.apply_online(current_user, subject_name=form.subject_name.data,
                                          subject_post=form.subject_post.data or "",
                                          unit=unit_by_code(form.unit.data), facts=form.facts.data,
                                          grounds=form.grounds.data, kind=form.kind.data)
        except tolerance.ToleranceError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(f"申请已提交（{case.number}），纪检监察机关将在 {case.stage_deadline.isoformat()} 前完成受理审查。", "success")
            return redirect(url_for("care.tol_mine"))
    return render_template("care/tolerance_apply.html", form=form, enterprise=enterprise)


MINE_COLUMNS = [("编号", lambda c: c.number), ("类别", lambda c: c.kind_label), ("申请日期", lambda c: c.applied_on),
                ("办理阶段", lambda c: c.stage_label), ("决定", lambda c: c.decision_label),
                ("决定日期", lambda c: c.decided_on)]


@bp.route("/tolerance/mine")
@role_required(*ENTERPRISE_SIDE)
def tol_mine():
    return list_or_export(tolerance.own_cases(current_user), template="care/tolerance_mine.html",
                          export_stem="我的容错申请", columns=MINE_COLUMNS)


# -- public: 澄清正名 ------------------------------------------------------------------------------------
@bp.route("/clarifications")
@public
def tol_clarifications():
    form = SearchForm(request.args)
    columns = [("标题", lambda n: n.title), ("澄清方式", lambda n: n.method_label), ("发布日期", lambda n: n.published_on)]
    return list_or_export(tolerance.published_clarifications((form.q.data or "")[:100]),
                          template="care/clarifications.html", export_stem="澄清正名通报", columns=columns, form=form)


@bp.route("/clarifications/<int:notice_id>")
@public
def tol_clarification(notice_id: int):
    notice = db.session.get(Clarification, notice_id) or abort(404)
    return render_template("care/clarification.html", notice=notice)
