"""Pages of issue 12's inspection rules: units' legal categories (justice), officials' recusals
(units), and change requests to accepted plans (units file, justice reviews)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.extensions import db
from govsvc.inspections import categories as category_service
from govsvc.inspections import changes as change_service
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit
from govsvc.inspections.forms import (CategoriesForm, ChangeFileForm, ChangeLineForm, ChangeOpenForm, ChangeReviewForm,
                                      ConfirmForm, FilingFilterForm, RecusalForm)
from govsvc.inspections.models import CHANGE_STATUS_LABELS, PlanChangeLine, PlanItem, Recusal
from govsvc.inspections.plans import find_enterprise, get_plan
from govsvc.inspections.views import PLAN_USERS, bp, form_error, user
from govsvc.lists import list_or_export
from govsvc.registry.models import Person, Unit
from govsvc.web import id_arg


# -- categories (justice) ---------------------------------------------------------------------------
@bp.route("/categories")
@role_required(R.JUSTICE, R.DEPARTMENT)
def categories():
    rows = []
    for unit in category_service.enforcement_units():
        allowed, source = category_service.categories_of(unit)
        rows.append((unit, allowed, source))
    return render_template("inspections/categories.html", rows=rows)


@bp.route("/categories/<int:unit_id>", methods=["GET", "POST"])
@role_required(R.JUSTICE)
def unit_categories(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    form = CategoriesForm()
    own = category_service.own_categories(unit.id)
    if request.method == "GET":
        form.categories.data = list(own)
        form.basis.data = next((b for b in own.values() if b), "")
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors = ["请勾选确认后再保存。"]
        else:
            try:
                category_service.set_categories(user(), unit, {c: form.basis.data or "" for c in form.categories.data or []})
            except ServiceError as exc:
                form_error(form, exc, "categories")
            else:
                flash(f"{unit.name}的法定检查类别已保存。", "success")
                return redirect(url_for("inspections.categories"))
    return render_template("inspections/unit_categories.html", unit=unit, form=form,
                           inherited=category_service.categories_of(unit) if not own else None)


# -- recusals (units) ----------------------------------------------------------------------------------
RECUSAL_COLUMNS = [("执法人员", lambda r: r.person.name), ("单位", lambda r: r.person.unit.name),
                   ("企业", lambda r: r.enterprise.name), ("统一社会信用代码", lambda r: r.enterprise.credit_code),
                   ("事由", lambda r: r.reason), ("登记时间", lambda r: r.declared_at)]


@bp.route("/recusals", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def recusals():
    unit = department_unit(user())
    form = RecusalForm()
    people = db.session.scalars(select(Person).where(Person.id.in_(category_service.pool_person_ids(unit)))
                                .order_by(Person.unit_id, Person.name)).all()
    form.person.choices = [("", "请选择")] + [(str(p.id), f"{p.name}（{p.unit.name}）") for p in people]
    if form.validate_on_submit():
        text = (form.enterprise.data or "").strip()
        person_id = id_arg(form.person.data)
        try:
            category_service.declare_recusal(user(), db.session.get(Person, person_id) if person_id else None,
                                             find_enterprise(text) if text else None, form.reason.data or "")
        except ServiceError as exc:
            form_error(form, exc, "person")
        else:
            flash("回避已登记：今后的双随机抽取不会为该企业抽到此人。", "success")
            return redirect(url_for("inspections.recusals"))
    return list_or_export(category_service.recusals_query(user()), template="inspections/recusals.html",
                          export_stem="执法人员回避", columns=RECUSAL_COLUMNS, form=form, confirm=ConfirmForm())


@bp.route("/recusals/<int:recusal_id>/withdraw", methods=["POST"])
@role_required(R.DEPARTMENT)
def withdraw_recusal(recusal_id: int):
    recusal = db.session.get(Recusal, recusal_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            category_service.withdraw_recusal(user(), recusal)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash("回避登记已撤销。", "success")
    return redirect(url_for("inspections.recusals"))


# -- plan changes (F5) -----------------------------------------------------------------------------------
CHANGE_COLUMNS = [("编号", lambda c: c.id), ("单位", lambda c: c.plan.unit.name), ("计划", lambda c: c.plan.title),
                  ("调整理由", lambda c: c.reason), ("调整内容", lambda c: len(c.lines)), ("状态", lambda c: c.status_label),
                  ("报司法局", lambda c: c.filed_at), ("审核意见", lambda c: c.review_note)]


@bp.route("/changes")
@role_required(*PLAN_USERS)
def changes():
    form = FilingFilterForm(request.args)
    form.status.choices = [("", "全部")] + list(CHANGE_STATUS_LABELS.items())
    stmt = change_service.changes_query(user(), status=form.status.data or "", q=form.q.data or "")
    return list_or_export(stmt, template="inspections/changes.html", export_stem="计划调整", columns=CHANGE_COLUMNS,
                          form=form)


@bp.route("/plans/<int:plan_id>/changes/new", methods=["POST"])
@role_required(R.DEPARTMENT)
def new_change(plan_id: int):
    plan = get_plan(user(), plan_id) or abort(404)
    form = ChangeOpenForm()
    if form.validate_on_submit():
        try:
            change = change_service.open_change(user(), plan, form.reason.data or "")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash("调整申请已创建，请添加调整内容。", "success")
            return redirect(url_for("inspections.change", change_id=change.id))
    else:
        flash("请说明调整的理由。", "danger")
    return redirect(url_for("inspections.plan", plan_id=plan_id))


def _line_values(form: ChangeLineForm) -> dict:
    text = (form.enterprise.data or "").strip()
    item_id = id_arg(form.item.data)
    values = {"enterprise": find_enterprise(text) if text else None,
              "item": db.session.get(PlanItem, item_id) if item_id else None,
              "category": form.category.data or None, "basis": form.basis.data or None,
              "ground": form.ground.data or "", "planned_date": form.planned_date.data, "note": form.note.data or "",
              "planned_end": None}
    if text and values["enterprise"] is None:
        raise ServiceError("登记库中找不到这家企业：请填写正确的统一社会信用代码。", "enterprise")
    return values


@bp.route("/changes/<int:change_id>", methods=["GET", "POST"])
@role_required(*PLAN_USERS)
def change(change_id: int):
    item = change_service.get_change(user(), change_id) or abort(404)
    own = user().has_role(R.DEPARTMENT) and user().unit_id == item.plan.unit_id
    form = ChangeLineForm()
    form.item.choices = [("", "请选择")] + [(str(i.id), f"#{i.id} {i.planned_date} {i.target_label} · {i.category}")
                                            for i in item.plan.items if i.usable]
    if request.method == "POST" and not own:
        raise NotAllowed("only the plan's unit edits its change")
    if form.validate_on_submit():
        try:
            change_service.add_line(user(), item, form.op.data, _line_values(form))
        except ServiceError as exc:
            form_error(form, exc, "op")
        else:
            flash("调整内容已添加。", "success")
            return redirect(url_for("inspections.change", change_id=item.id))
    return _render_change(item, form, ChangeReviewForm(), own)


def _render_change(item, form, review, own):
    return render_template("inspections/change.html", change=item, form=form, review=review, own=own,
                           confirm=ConfirmForm(), file_form=ChangeFileForm())


@bp.route("/change-lines/<int:line_id>/delete", methods=["POST"])
@role_required(R.DEPARTMENT)
def delete_change_line(line_id: int):
    line = db.session.get(PlanChangeLine, line_id) or abort(404)
    change_id = line.change_id
    if ConfirmForm().validate_on_submit():
        try:
            change_service.delete_line(user(), line)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    return redirect(url_for("inspections.change", change_id=change_id))


@bp.route("/changes/<int:change_id>/file", methods=["POST"])
@role_required(R.DEPARTMENT)
def file_change(change_id: int):
    item = change_service.get_change(user(), change_id) or abort(404)
    form = ChangeFileForm()
    if form.validate_on_submit() and not form.confirm.data:
        flash("请勾选确认后再报司法局备案。", "danger")
    elif form.validate_on_submit():
        try:
            change_service.file_change(user(), item)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            refused = sum(1 for line in item.lines if line.violation)
            flash("调整申请已报司法局备案。" + (f"{refused} 项增加的事项经审核将不予备案。" if refused else ""),
                  "warning" if refused else "success")
    return redirect(url_for("inspections.change", change_id=change_id))


@bp.route("/changes/<int:change_id>/review", methods=["POST"])
@role_required(R.JUSTICE)
def review_change(change_id: int):
    item = change_service.get_change(user(), change_id) or abort(404)
    review = ChangeReviewForm()
    if review.validate_on_submit():
        if not review.confirm.data:
            review.confirm.errors = ["请勾选确认后再提交审核意见。"]
        elif review.decision.data not in ("accept", "return"):
            review.decision.errors = ["请选择审核意见：予以备案或退回。"]
        else:
            try:
                change_service.review_change(user(), item, accept=review.decision.data == "accept",
                                             note=review.note.data or "")
            except ServiceError as exc:
                form_error(review, exc, "note")
            else:
                flash("调整申请已予以备案，调整内容生效。" if item.status == "accepted" else "调整申请已退回。", "success")
                return redirect(url_for("inspections.change", change_id=item.id))
    return _render_change(item, ChangeLineForm(), review, False)


nav.add("法定检查类别", "inspections.categories", (R.JUSTICE,), order=36)
