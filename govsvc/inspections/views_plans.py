"""Plan pages: list, create, items (form and import), submit, return; filings with justice."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from govsvc import confirm
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.exports import csv_bytes
from govsvc.extensions import db
from govsvc.inspections import filings as filing_service
from govsvc.inspections import plans as service
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit, require_city_unit
from govsvc.inspections.forms import (ConfirmForm, FilingFilterForm, FilingForm, ImportItemsForm, ItemForm,
                                      PlanFilterForm, PlanForm, ReasonForm, ReviewForm)
from govsvc.inspections.imports import PlanItemImport, import_items
from govsvc.inspections.models import InspectionResult, PlanItem
from govsvc.inspections.next_step import next_step
from govsvc.inspections.views import PLAN_USERS, bp, form_error, grading_notice, user
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise
from govsvc.tables import TableError
from govsvc.timeutil import local_today
from govsvc.web import id_arg
from scoring import inspections as core

PLAN_COLUMNS = [
    ("编号", lambda p: p.id), ("单位", lambda p: p.unit.name), ("计划名称", lambda p: p.title),
    ("类型", lambda p: p.period_label), ("期间", lambda p: p.period_name), ("事项数", lambda p: p.item_count),
    ("应报日期", lambda p: p.due_date), ("首次报司法局", lambda p: p.first_filed_at), ("状态", lambda p: p.status_label),
    ("逾期", lambda p: "逾期报备" if p.late else ("逾期未报" if p.overdue else "")),
]


@bp.route("/plans")
@role_required(*PLAN_USERS)
def plans():
    form = PlanFilterForm(request.args)
    valid = form.validate()
    stmt = service.plans_query(user(), q=form.q.data or "", status=form.status.data or "",
                               period=form.period.data or "", year=form.year.data if valid else None,
                               flag=form.flag.data or "")
    from govsvc.inspections.grades import current_policy

    return list_or_export(stmt, template="inspections/plans.html", export_stem="检查计划", columns=PLAN_COLUMNS,
                          form=form, notice=grading_notice(), policy=current_policy(local_today()))


@bp.route("/plans/new", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def new_plan():
    unit = department_unit(user())
    form = PlanForm()
    if request.method == "GET":
        form.year.data = local_today().year + 1
    if form.validate_on_submit():
        try:
            plan = service.create_plan(user(), period=form.period.data, year=form.year.data, number=form.number.data,
                                       title=form.title.data or "", reason=form.reason.data or "")
        except ServiceError as exc:
            form_error(form, exc, "period")
        else:
            flash("计划已创建，请添加检查事项。", "success")
            return redirect(url_for("inspections.plan", plan_id=plan.id))
    return render_template("inspections/plan_new.html", form=form, unit=unit)


def _plan_or_404(plan_id: int):
    return service.get_plan(user(), plan_id) or abort(404)


def _link_choices(form: ItemForm, plan) -> None:
    options = service.linkable_items(plan)
    if not options:
        del form.carries_out
        return
    form.carries_out.choices = [("", "（不关联）")] + [
        (str(i.id), f"#{i.id} {i.planned_date} {i.enterprise.name} · {i.category} · {i.basis_label}") for i in options]


def _item_values(form: ItemForm) -> dict:
    values = {name: form[name].data for name in service.ITEM_FIELDS}
    linked = id_arg(form.carries_out.data) if "carries_out" in form else None
    values["carries_out"] = db.session.get(PlanItem, linked) if linked is not None else None
    text = (form.enterprise.data or "").strip()
    values["enterprise"] = service.find_enterprise(text) if text else None
    if text and values["enterprise"] is None:
        raise ServiceError("登记库中找不到这家企业：请从建议列表中选择，或填写正确的统一社会信用代码。", "enterprise")
    values["category"], values["basis"] = form.category.data or None, form.basis.data or None
    return values


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@role_required(*PLAN_USERS)
def plan(plan_id: int):
    item = _plan_or_404(plan_id)
    form = ItemForm()
    _link_choices(form, item)
    if form.validate_on_submit():
        try:
            service.add_item(user(), item, _item_values(form))
        except ServiceError as exc:
            form_error(form, exc, "enterprise")
        else:
            flash("检查事项已添加。", "success")
            return redirect(url_for("inspections.plan", plan_id=item.id) + "#items")
    return _render_plan(item, form)


def _render_plan(plan, form):
    u = user()
    own = u.has_role(R.DEPARTMENT) and u.unit_id == plan.unit_id
    city_of = u.has_role(R.DEPARTMENT) and plan.unit.system_id is not None and plan.unit.system_id == u.unit_id
    preview = service.preview(plan) if plan.editable or plan.status == "submitted" else {}
    done = dict(db.session.execute(select(InspectionResult.item_id, func.count()).join(InspectionResult.item)
                                   .where(PlanItem.plan_id == plan.id).group_by(InspectionResult.item_id)).all())
    from govsvc.inspections.categories import categories_of
    from govsvc.inspections.grades import current_policy

    allowed, source = categories_of(plan.unit)
    refused = [i.id for i in plan.items if (preview.get(i.id) or (None,))[0]]
    step = next_step(plan, u, own=own, city_of=city_of, refused=refused)
    return render_template("inspections/plan.html", plan=plan, form=form, own=own, city_of=city_of, done=done,
                           step=step, refused=refused,
                           preview=preview, confirm=ConfirmForm(), reason_form=ReasonForm(),
                           notice=grading_notice(), core=core, policy=current_policy(local_today()),
                           allowed=allowed, allowed_source=source)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def edit_item(item_id: int):
    item = db.session.get(PlanItem, item_id) or abort(404)
    plan = _plan_or_404(item.plan_id)
    form = ItemForm(obj=item) if request.method == "GET" else ItemForm()
    _link_choices(form, plan)
    if request.method == "GET":
        form.enterprise.data = f"{item.enterprise.credit_code} {item.enterprise.name}" if item.enterprise else ""
        if "carries_out" in form:
            form.carries_out.data = str(item.carries_out_id or "")
    if form.validate_on_submit():
        try:
            service.update_item(user(), item, _item_values(form))
        except ServiceError as exc:
            form_error(form, exc, "enterprise")
        else:
            flash("检查事项已修改。", "success")
            return redirect(url_for("inspections.plan", plan_id=plan.id) + "#items")
    return render_template("inspections/item_edit.html", plan=plan, item=item, form=form)


@bp.route("/items/<int:item_id>/delete", methods=["POST"])
@role_required(R.DEPARTMENT)
def delete_item(item_id: int):
    item = db.session.get(PlanItem, item_id) or abort(404)
    plan = _plan_or_404(item.plan_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.delete_item(user(), item)
            flash("检查事项已删除。", "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    return redirect(url_for("inspections.plan", plan_id=plan.id) + "#items")


@bp.route("/plans/<int:plan_id>/import", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def import_plan_items(plan_id: int):
    plan = _plan_or_404(plan_id)
    if department_unit(user()).id != plan.unit_id:
        raise NotAllowed("import into another unit's plan")
    form, report = ImportItemsForm(), None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_items(user(), plan, upload.read(), upload.filename or "upload.csv",
                                  valid_only=form.mode.data == "valid", dry_run=form.mode.data == "check")
            report = result.as_dict()
            if not result.applied:
                db.session.rollback()
        except TableError as exc:
            form.file.errors.append(str(exc))
        except ServiceError as exc:
            form_error(form, exc, "file")
    return render_template("inspections/import.html", plan=plan, form=form, report=report,
                           columns=PlanItemImport.columns)


@bp.route("/plans/items-template.csv")
@role_required(R.DEPARTMENT)
def items_template():
    from flask import Response

    header = [c.label for c in PlanItemImport.columns]  # Chinese for Excel; the import reads either header
    year = local_today().year + 1
    example = [["", "5", "产品质量", "双随机", "", f"{year}-04-01", f"{year}-04-30", "示例：双随机抽取 5 家（指定企业时填信用代码、不填家数）"]]
    response = Response(csv_bytes(header, example), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = "attachment; filename=\"plan-items-template.csv\""
    return response


def _plan_action(plan_id: int, action, success: str, form_class=ConfirmForm):
    plan = _plan_or_404(plan_id)
    form = form_class()
    if form.validate_on_submit():
        try:
            action(plan, form)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(success, "success")
    else:
        for errors in form.errors.values():
            flash("；".join(errors), "danger")
    return redirect(url_for("inspections.plan", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/submit", methods=["POST"])
@role_required(R.DEPARTMENT)
def submit_plan(plan_id: int):
    return _plan_action(plan_id, lambda plan, form: service.submit_plan(user(), plan),
                        "计划已报送。")


@bp.route("/plans/<int:plan_id>/return", methods=["POST"])
@role_required(R.DEPARTMENT)
def return_plan(plan_id: int):
    return _plan_action(plan_id, lambda plan, form: service.return_to_county(user(), plan, form.reason.data),
                        "计划已退回区县单位修改。", ReasonForm)


@bp.route("/plans/<int:plan_id>/delete", methods=["POST"])
@role_required(R.DEPARTMENT)
def delete_plan(plan_id: int):
    plan = _plan_or_404(plan_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.delete_plan(user(), plan)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for("inspections.plan", plan_id=plan.id))
        flash("计划已删除。", "success")
    return redirect(url_for("inspections.plans"))


@bp.route("/enterprises.json")
@role_required(R.DEPARTMENT)
def enterprise_suggestions():
    """Suggestions for the enterprise pickers: code and name of up to 20 enterprises in business."""
    q = (request.args.get("q") or "").strip()
    if len(q) < 2:
        return jsonify([])
    like = f"%{q}%"
    rows = db.session.execute(select(Enterprise.credit_code, Enterprise.name)
                              .where(Enterprise.status == "存续",
                                     or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(q.upper() + "%")))
                              .order_by(Enterprise.name).limit(20))
    return jsonify([f"{code} {name}" for code, name in rows])


# -- filings with the justice bureau ---------------------------------------------------------
FILING_COLUMNS = [
    ("编号", lambda f: f.id), ("报备单位", lambda f: f.unit.name), ("期间", lambda f: f.period_name),
    ("计划数", lambda f: len(f.plans)), ("报备时间", lambda f: f.filed_at), ("应报日期", lambda f: f.due_date),
    ("逾期", lambda f: "是" if f.late else ""), ("状态", lambda f: f.status_label), ("审核意见", lambda f: f.reason),
]


@bp.route("/filings")
@role_required(*PLAN_USERS)
def filings():
    form = FilingFilterForm(request.args)
    stmt = filing_service.filings_query(user(), status=form.status.data or "", q=form.q.data or "")
    return list_or_export(stmt, template="inspections/filings.html", export_stem="计划报备", columns=FILING_COLUMNS,
                          form=form)


@bp.route("/filings/new", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def new_filing():
    city = require_city_unit(user())
    waiting = filing_service.fileable_plans(city)
    form = FilingForm()
    form.plans.choices = [(p.id, f"{p.period_name} · {p.unit.name} · {p.title}") for p in waiting]
    if request.method == "GET":
        period = request.args.get("period")
        form.plans.data = [p.id for p in waiting if f"{p.period}:{p.year}:{p.number or ''}" == period]
    if form.validate_on_submit():
        try:
            filing = filing_service.file_plans(user(), form.plans.data or [])
        except ServiceError as exc:
            form_error(form, exc, "plans")
        else:
            refused = filing_service.item_summary(filing)[1]
            flash(f"已报司法局备案（报备 #{filing.id}）。" + (f"{refused} 个事项经审核不予备案，详见下方说明。" if refused else ""),
                  "warning" if refused else "success")
            return redirect(url_for("inspections.filing", filing_id=filing.id))
    groups = {}
    for p in waiting:
        groups.setdefault((p.period, p.year, p.number), []).append(p)
    return render_template("inspections/filing_new.html", form=form, city=city, groups=groups, core=core,
                           today=local_today())


@bp.route("/filings/<int:filing_id>", methods=["GET", "POST"])
@role_required(*PLAN_USERS)
def filing(filing_id: int):
    item = filing_service.get_filing(user(), filing_id) or abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        if not user().has_role(R.JUSTICE):
            raise NotAllowed("only the justice bureau reviews filings")
        if form.decision.data not in ("accept", "return"):
            form.decision.errors = ["请选择审核意见：予以备案或退回修改。"]
            return _render_filing(item, form)
        if form.decision.data == "accept" and item.status == "pending" and not confirm.confirmed():
            return _ask_accept(item)
        try:
            filing_service.review_filing(user(), item, accept=form.decision.data == "accept",
                                         reason=form.reason.data or "")
        except ServiceError as exc:
            form_error(form, exc, "reason")
        else:
            flash("已予以备案。" if item.status == "accepted" else "已退回报备单位。", "success")
            return redirect(url_for("inspections.filing", filing_id=item.id))
    return _render_filing(item, form)


def _ask_accept(filing):
    passed, refused = filing_service.item_summary(filing)
    return confirm.ask(
        title="予以备案", button="确认予以备案",
        what=f"{filing.unit.name}{filing.period_name}的检查计划将予以备案，备案后不能退回修改。",
        facts=[("报备单位", filing.unit.name), ("计划", f"{len(filing.plans)} 份"),
               ("事项", f"通过审核 {passed} 个，不予备案 {refused} 个")],
        notes=["备案后，通过审核的事项即可按计划实施检查；不予备案的事项不得实施检查。"],
        back=url_for("inspections.filing", filing_id=filing.id))


def _render_filing(filing, form):
    passed, refused = filing_service.item_summary(filing)
    return render_template("inspections/filing.html", filing=filing, form=form, passed=passed, refused=refused,
                           notice=grading_notice())
