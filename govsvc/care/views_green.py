"""Green-channel pages: the public catalogue and each item's notice, catalogue management (changes for
the leading group, implementation rules and their filing), 服务专员, entrepreneurs' problem reports and
their handling, and the periodic evaluation."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.auth.access import public, role_required
from govsvc.care import green
from govsvc.care.forms_support import (CatalogueFilterForm, ChangeDecisionForm, ChangeForm, ConfirmForm,
                                       EvaluationForm, FeedbackFilterForm, FeedbackForm, FilingForm, HandleForm,
                                       IssueEvaluationForm, RateForm, RulesForm, SearchForm, SpecialistForm, attach)
from govsvc.care.models_support import (GreenService, ServiceChange, ServiceEvaluation, ServiceFeedback,
                                        ServiceSpecialist)
from govsvc.care.support import NotYours, in_units, reply_of, unit_by_code
from govsvc.care.views import bp
from govsvc.exports import FORMATS, download
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.lists import list_or_export
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today
from scoring import care as rules

STAFF = (R.DEPARTMENT, R.LEADER, R.ORGANIZATION)
ENTERPRISE_SIDE = (R.ENTERPRISE, R.EVALUATOR)


def _city_units() -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in db.session.scalars(select(Unit).where(Unit.level == "city").order_by(Unit.code))]


# -- the public catalogue ---------------------------------------------------------------------------
CATALOGUE_COLUMNS = [
    ("服务类别", lambda s: s.category_label), ("服务事项", lambda s: s.name), ("服务内容", lambda s: s.content),
    ("主管部门", lambda s: s.unit.name), ("承办机构", lambda s: s.venue), ("公示方式", lambda s: s.notice_mode_label),
    ("实施细则公布日期", lambda s: s.rules_published_on), ("备案号", lambda s: s.filing_number or ""),
]


@bp.route("/green/")
@public
def green_catalogue():
    form = CatalogueFilterForm(request.args)
    stmt = green.catalogue_query(q=form.q.data or "", category=form.category.data or "")
    return list_or_export(stmt, template="care/green_catalogue.html", export_stem="优秀企业家绿色通道服务目录",
                          columns=CATALOGUE_COLUMNS, form=form)


@bp.route("/green/services/<int:service_id>")
@public
def green_service(service_id: int):
    service = db.session.get(GreenService, service_id) or abort(404)
    return render_template("care/green_service.html", service=service,
                           specialists=green.specialists_of([service.unit_id]).get(service.unit_id, []))


# -- management ------------------------------------------------------------------------------------
@bp.route("/green/manage")
@role_required(*STAFF)
def green_manage():
    user = current_user._get_current_object()
    changes = db.session.scalars(select(ServiceChange).order_by(ServiceChange.status != "proposed",
                                                                ServiceChange.id.desc()).limit(50)).all()
    services = select(GreenService).where(GreenService.status == "active")
    if not (green.is_office(user) or user.roles & {R.LEADER, R.ORGANIZATION}):
        services = services.where(GreenService.unit_id == user.unit_id)
    services = db.session.scalars(services.order_by(GreenService.rules_published_on.is_not(None),
                                                    GreenService.rules_due, GreenService.id)).all()
    return render_template("care/green_manage.html", changes=changes, services=services,
                           office=green.is_office(user), today=local_today(), stats=green.statistics(user))


def _service_input(form: ChangeForm) -> green.ServiceInput:
    return green.ServiceInput(category=form.category.data or None, name=form.name.data or "",
                              content=form.content.data or "", unit=unit_by_code(form.unit_code.data),
                              venue=form.venue.data or "", notice_mode=form.notice_mode.data,
                              notice_text=form.notice_text.data or "")


@bp.route("/green/changes/new", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def green_change_new():
    green.require(green.is_office(current_user))
    form = ChangeForm()
    active = db.session.scalars(select(GreenService).where(GreenService.status == "active")
                                .order_by(GreenService.category, GreenService.name)).all()
    form.service.choices = [("", "（新增时不选）")] + [(str(s.id), f"{s.category_label}：{s.name}") for s in active]
    form.unit_code.choices = [("", "（请选择）")] + _city_units()
    if form.validate_on_submit():
        service = db.session.get(GreenService, int(form.service.data)) if (form.service.data or "").isdigit() else None
        try:
            change = green.propose_change(current_user, form.kind.data, service=service,
                                          data=_service_input(form) if form.kind.data != "remove" else None,
                                          reason=form.reason.data)
        except green.GreenError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash("调整申请已报市人才工作领导小组审定。", "success")
            return redirect(url_for("care.green_change", change_id=change.id))
    return render_template("care/green_change_new.html", form=form)


@bp.route("/green/changes/<int:change_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def green_change(change_id: int):
    change = db.session.get(ServiceChange, change_id) or abort(404)
    form = ChangeDecisionForm() if R.LEADER in current_user.roles and change.status == "proposed" else None
    if form is not None and form.validate_on_submit():
        try:
            service = green.decide_change(current_user, change, approve=form.approve.data == "1",
                                          note=form.note.data or "")
        except green.GreenError as exc:
            attach(form, exc.field, str(exc))
        else:
            if change.status == "approved" and change.kind == "add":
                flash(f"已同意，事项已纳入服务目录并向社会公布；{service.unit.name}须在 "
                      f"{service.rules_due.isoformat()} 前公布实施细则并备案。", "success")
            else:
                flash(f"已审定：{change.status_label}。", "success")
            return redirect(url_for("care.green_change", change_id=change.id))
    elif request.method == "POST" and form is None:
        raise NotYours("change")
    return render_template("care/green_change.html", change=change, form=form)


@bp.route("/green/services/<int:service_id>/rules", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def green_rules(service_id: int):
    service = db.session.get(GreenService, service_id) or abort(404)
    user = current_user._get_current_object()
    can_file = in_units(user, ("RCB",))
    green.require(green.can_publish_rules(user, service) or can_file)
    rules_form = RulesForm(prefix="r") if service.rules_published_on is None and green.can_publish_rules(user, service) \
        else None
    filing_form = FilingForm(prefix="f") if can_file and service.rules_published_on and not service.filing_number \
        else None
    action = request.form.get("action", "")
    form = {"rules": rules_form, "file": filing_form}.get(action)
    if request.method == "POST" and form is None:
        flash("当前不能进行该操作。", "warning")
        return redirect(url_for("care.green_rules", service_id=service.id))
    if form is not None and form.validate_on_submit():
        try:
            if action == "rules":
                green.publish_rules(user, service, form.rules_text.data)
                message = "实施细则已向社会公布，待市高层次人才服务窗口备案。"
            else:
                message = f"已备案：{green.file_rules(user, service)}。"
        except green.GreenError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(message, "success")
            return redirect(url_for("care.green_rules", service_id=service.id))
    return render_template("care/green_rules.html", service=service, rules_form=rules_form, filing_form=filing_form,
                           today=local_today())


# -- 服务专员 --------------------------------------------------------------------------------------------
SPECIALIST_COLUMNS = [("单位", lambda s: s.unit.name), ("姓名", lambda s: s.name), ("职务", lambda s: s.post),
                      ("联系电话", lambda s: s.phone)]


@bp.route("/green/specialists", methods=["GET", "POST"])
@role_required(*STAFF)
def green_specialists():
    user = current_user._get_current_object()
    office = green.is_office(user)
    form = SpecialistForm() if office or (R.DEPARTMENT in user.roles and user.unit_id) else None
    if form is not None:
        form.unit_code.choices = _city_units() if office else [(user.unit.code, user.unit.name)]
    if form is not None and form.validate_on_submit():
        try:
            specialist = green.add_specialist(user, unit_by_code(form.unit_code.data), name=form.name.data,
                                              post=form.post.data or "", phone=form.phone.data)
        except green.GreenError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(f"已登记服务专员：{specialist.unit.name} {specialist.name}。", "success")
            return redirect(url_for("care.green_specialists"))
    search = SearchForm(request.args)
    return list_or_export(green.specialist_query(q=(search.q.data or "")[:100]), template="care/green_specialists.html",
                          export_stem="绿色通道服务专员", columns=SPECIALIST_COLUMNS, form=form, search=search,
                          can_remove=lambda s: green.can_manage_specialists(user, s.unit_id), remove_form=ConfirmForm())


@bp.route("/green/specialists/<int:specialist_id>/remove", methods=["POST"])
@role_required(R.DEPARTMENT)
def green_specialist_remove(specialist_id: int):
    specialist = db.session.get(ServiceSpecialist, specialist_id) or abort(404)
    if ConfirmForm().validate_on_submit() and specialist.active:
        green.remove_specialist(current_user, specialist)
        flash(f"已撤销服务专员：{specialist.name}。", "success")
    return redirect(url_for("care.green_specialists"))


# -- 问题反馈 ------------------------------------------------------------------------------------------
@bp.route("/green/feedback/new", methods=["GET", "POST"])
@role_required(*ENTERPRISE_SIDE)
def green_feedback_new():
    listing = green.entitlement(current_user.enterprise_id)
    form = FeedbackForm()
    active = db.session.scalars(select(GreenService).where(GreenService.status == "active")
                                .order_by(GreenService.category, GreenService.name)).all()
    form.service.choices = [("", "（请选择）")] + [(str(s.id), f"{s.category_label}：{s.name}（{s.unit.name}）")
                                                for s in active]
    if form.validate_on_submit():
        service = db.session.get(GreenService, int(form.service.data)) if form.service.data.isdigit() else None
        try:
            feedback = green.file_feedback(current_user, service, description=form.description.data,
                                           occurred_on=form.occurred_on.data)
        except green.GreenError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash("问题已反映给市人才办、市工业和信息化局，将第一时间联系主管部门办理。", "success")
            return redirect(url_for("care.green_feedback", feedback_id=feedback.id))
    return render_template("care/green_feedback_new.html", form=form, listing=listing)


FEEDBACK_COLUMNS = [
    ("编号", lambda f: f.matter_id), ("服务事项", lambda f: f.service.name if f.service else ""),
    ("企业", lambda f: f.enterprise.name), ("主管部门", lambda f: f.unit.name), ("反映日期", lambda f: f.created_at),
    ("状态", lambda f: f.matter.status_label), ("办理期限", lambda f: f.matter.deadline),
    ("逾期", lambda f: "是" if f.matter.overdue else ""), ("评价", lambda f: f.rating_label),
]


@bp.route("/green/feedback")
@role_required(R.DEPARTMENT, *ENTERPRISE_SIDE)
def green_feedback_list():
    user = current_user._get_current_object()
    form = FeedbackFilterForm(request.args)
    stmt = green.feedback_query(user, q=form.q.data or "", status=form.status.data or "",
                                overdue=form.overdue.data == "1")
    enterprise_side = bool(user.roles & set(ENTERPRISE_SIDE)) and not green.is_office(user)
    return list_or_export(stmt, template="care/green_feedback_list.html", export_stem="绿色通道问题反馈",
                          columns=FEEDBACK_COLUMNS, form=form, enterprise_side=enterprise_side,
                          listing=green.entitlement(user.enterprise_id) if enterprise_side else None)


def _handle_form(feedback: ServiceFeedback) -> HandleForm | None:
    moves = ledger.allowed_moves(current_user, feedback.matter)
    if not moves:
        return None
    form = HandleForm(prefix="h")
    form.target.choices = [(m, workflow.STATUS_LABELS[m]) for m in moves]
    form.unit_code.choices = _city_units()
    if request.method == "GET":
        form.unit_code.data = feedback.unit.code
    return form


@bp.route("/green/feedback/<int:feedback_id>", methods=["GET", "POST"])
@role_required(R.DEPARTMENT, *ENTERPRISE_SIDE)
def green_feedback(feedback_id: int):
    feedback = db.session.get(ServiceFeedback, feedback_id) or abort(404)
    user = current_user._get_current_object()
    if not green.can_read_feedback(user, feedback):
        raise NotYours("feedback")
    form = _handle_form(feedback) if R.DEPARTMENT in user.roles else None
    if request.method == "POST":
        if form is None:
            raise NotYours("feedback")
        if form.validate_on_submit():
            if form.target.data == workflow.CLOSED and not form.confirm.data:
                form.confirm.errors.append("销号前请勾选确认。")
            else:
                try:
                    green.handle_feedback(user, feedback, form.target.data, note=form.note.data or "",
                                          unit=unit_by_code(form.unit_code.data), deadline=form.deadline.data)
                except green.GreenError as exc:
                    attach(form, exc.field, str(exc))
                else:
                    flash(f"事项状态已变为“{feedback.matter.status_label}”。", "success")
                    return redirect(url_for("care.green_feedback", feedback_id=feedback.id))
    rate_form = RateForm(prefix="rate") if (user.enterprise_id == feedback.enterprise_id and feedback.rating is None
                                            and feedback.matter.status in (workflow.FEEDBACK_GIVEN, workflow.CLOSED)) \
        else None
    return render_template("care/green_feedback.html", feedback=feedback, form=form, rate_form=rate_form,
                           reply=reply_of(feedback.matter), staff=R.DEPARTMENT in user.roles)


@bp.route("/green/feedback/<int:feedback_id>/rate", methods=["POST"])
@role_required(*ENTERPRISE_SIDE)
def green_feedback_rate(feedback_id: int):
    feedback = db.session.get(ServiceFeedback, feedback_id) or abort(404)
    form = RateForm(prefix="rate")
    if form.validate_on_submit():
        try:
            green.rate_feedback(current_user, feedback, form.rating.data)
        except green.GreenError as exc:
            flash(str(exc), "danger")
        else:
            flash("感谢您的评价。", "success")
    else:
        flash("请选择评价。", "danger")
    return redirect(url_for("care.green_feedback", feedback_id=feedback.id))


# -- 督查评估 ----------------------------------------------------------------------------------------
@bp.route("/green/evaluations", methods=["GET", "POST"])
@role_required(*STAFF)
def green_evaluations():
    user = current_user._get_current_object()
    form = EvaluationForm() if green.is_evaluator(user) else None
    if form is not None and request.method == "GET":
        today = local_today()
        half = 1 if today.month <= 6 else 2
        form.start.data = today.replace(month=1 if half == 1 else 7, day=1)
        form.end.data = today.replace(month=6, day=30) if half == 1 else today.replace(month=12, day=31)
        form.title.data = f"{today.year}年{'上' if half == 1 else '下'}半年绿色通道服务评估"
    if form is not None and form.validate_on_submit():
        try:
            evaluation = green.compute_evaluation(user, title=form.title.data, start=form.start.data,
                                                  end=form.end.data)
        except green.GreenError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash("评估结果已计算，核对后通报。", "success")
            return redirect(url_for("care.green_evaluation", evaluation_id=evaluation.id))
    elif request.method == "POST" and form is None:
        raise NotYours("evaluation")
    evaluations = db.session.scalars(select(ServiceEvaluation).order_by(ServiceEvaluation.period_end.desc())).all()
    return render_template("care/green_evaluations.html", form=form, evaluations=evaluations)


EVALUATION_COLUMNS = [
    ("单位", lambda r: r.unit.name), ("服务事项", lambda r: r.services), ("配备服务专员", lambda r: r.has_specialist),
    ("实施细则逾期", lambda r: r.late_rules), ("问题反馈", lambda r: r.feedback), ("反馈办理逾期", lambda r: r.late_feedback),
    ("不满意评价", lambda r: r.dissatisfied), ("得分", lambda r: r.score), ("评估等次", lambda r: r.grade_label),
    ("通报整改", lambda r: "是" if r.circulated else ""),
]


@bp.route("/green/evaluations/<int:evaluation_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def green_evaluation(evaluation_id: int):
    evaluation = db.session.get(ServiceEvaluation, evaluation_id) or abort(404)
    user = current_user._get_current_object()
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        return download(evaluation.title, [h for h, _ in EVALUATION_COLUMNS],
                        ([get(r) for _, get in EVALUATION_COLUMNS] for r in evaluation.rows), fmt)
    form = IssueEvaluationForm() if green.is_evaluator(user) and evaluation.issued_on is None else None
    if request.method == "POST":
        if form is None:
            raise NotYours("evaluation")
        if form.validate_on_submit():
            try:
                count = green.issue_evaluation(user, evaluation, form.note.data or "")
            except green.GreenError as exc:
                attach(form, exc.field, str(exc))
            else:
                flash(f"评估结果已通报，{count} 个单位收到通报整改事项。", "success")
                return redirect(url_for("care.green_evaluation", evaluation_id=evaluation.id))
    return render_template("care/green_evaluation.html", evaluation=evaluation, form=form, grades=rules.GRADES)
