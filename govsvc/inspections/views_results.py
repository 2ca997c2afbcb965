"""Result pages: inspections with their plan item and conclusion, the monthly filing by the city
unit, and the fines forwarded to finance."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.extensions import db
from govsvc.inspections import results as service
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit, require_city_unit
from govsvc.inspections.forms import (ConfirmForm, FineFilterForm, ForwardForm, ResultFilingForm, ResultFilterForm,
                                      ResultForm)
from govsvc.inspections.models import FineTransfer, PlanItem, ResultFiling
from govsvc.inspections.plans import find_enterprise
from govsvc.inspections.views import PLAN_USERS, bp, form_error, user
from govsvc.lists import list_or_export
from govsvc.web import id_arg
from scoring import inspections as core

RESULT_COLUMNS = [
    ("编号", lambda r: r.id), ("检查日期", lambda r: r.inspected_on), ("检查单位", lambda r: r.unit.name),
    ("统一社会信用代码", lambda r: r.enterprise.credit_code), ("企业", lambda r: r.enterprise.name),
    ("计划事项", lambda r: r.item_id or ""), ("检查类别", lambda r: r.category), ("检查依据", lambda r: r.basis_label),
    ("执法人员", lambda r: r.inspectors), ("结论", lambda r: r.conclusion_label), ("处罚决定书文号", lambda r: r.decision_number),
    ("处罚种类", lambda r: r.penalty_type), ("罚款（元）", lambda r: r.fine), ("未备案检查", lambda r: r.unfiled_reason),
    ("状态", lambda r: "已报备" if r.status == "filed" else "待报备"),
]


@bp.route("/results")
@role_required(*PLAN_USERS)
def results():
    form = ResultFilterForm(request.args)
    valid = form.validate()
    stmt = service.results_query(user(), q=form.q.data or "", month=(form.month.data or "") if valid else "",
                                 flag=form.flag.data or "", status=form.status.data or "")
    return list_or_export(stmt, template="inspections/results.html", export_stem="检查结果", columns=RESULT_COLUMNS,
                          form=form)


def _item_label(item: PlanItem) -> str:
    return f"#{item.id} {item.planned_date} {item.target_label} · {item.category} · {item.basis_label}"


def _result_form(unit, result=None) -> ResultForm:
    form = ResultForm(obj=result) if result is not None and request.method == "GET" else ResultForm()
    items = service.usable_items(unit)
    form.item.choices = [("", "（无计划：未备案检查）")] + [(str(i.id), _item_label(i)) for i in items]
    if request.method == "GET":
        if result is not None:
            form.item.data = str(result.item_id or "")
            form.enterprise.data = f"{result.enterprise.credit_code} {result.enterprise.name}"
        elif id_arg(request.args.get("item")) is not None:
            form.item.data = request.args["item"]
            chosen = next((i for i in items if str(i.id) == form.item.data), None)
            if chosen is not None and chosen.enterprise is not None:
                form.enterprise.data = f"{chosen.enterprise.credit_code} {chosen.enterprise.name}"
    return form


def _result_values(form: ResultForm, unit) -> dict:
    values = {name: form[name].data for name in ("inspected_on", "inspectors", "category", "basis", "conclusion",
                                                 "decision_number", "penalty_type", "fine", "note")}
    item = None
    if form.item.data:
        item = db.session.get(PlanItem, id_arg(form.item.data)) if id_arg(form.item.data) is not None else None
        if item is None:
            raise ServiceError("请选择本单位已备案的计划事项。", "item")
    values["item"] = item
    text = (form.enterprise.data or "").strip()
    values["enterprise"] = find_enterprise(text) if text else (item.enterprise if item else None)
    if text and values["enterprise"] is None:
        raise ServiceError("登记库中找不到这家企业：请填写正确的统一社会信用代码。", "enterprise")
    return values


@bp.route("/results/new", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def new_result():
    unit = department_unit(user())
    form = _result_form(unit)
    if form.validate_on_submit():
        try:
            result = service.save_result(user(), _result_values(form, unit))
        except ServiceError as exc:
            form_error(form, exc, "enterprise")
        else:
            flash("检查结果已登记" + ("，该检查没有已备案的计划，已标记为“未备案检查”。" if result.unfiled else "。"),
                  "warning" if result.unfiled else "success")
            return redirect(url_for("inspections.results"))
    return render_template("inspections/result_form.html", form=form, result=None)


@bp.route("/results/<int:result_id>", methods=["GET", "POST"])
@role_required(*PLAN_USERS)
def result(result_id: int):
    item = service.get_result(user(), result_id) or abort(404)
    editable = item.status == "draft" and user().has_role(R.DEPARTMENT) and user().unit_id == item.unit_id
    if not editable:
        if request.method == "POST":
            raise NotAllowed("result not editable by this user")
        return render_template("inspections/result.html", result=item)
    unit = department_unit(user())
    form = _result_form(unit, item)
    if form.validate_on_submit():
        try:
            service.save_result(user(), _result_values(form, unit), item)
        except ServiceError as exc:
            form_error(form, exc, "enterprise")
        else:
            flash("检查结果已修改。", "success")
            return redirect(url_for("inspections.results"))
    return render_template("inspections/result_form.html", form=form, result=item, confirm=ConfirmForm())


@bp.route("/results/<int:result_id>/delete", methods=["POST"])
@role_required(R.DEPARTMENT)
def delete_result(result_id: int):
    item = service.get_result(user(), result_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            service.delete_result(user(), item)
            flash("检查结果已删除。", "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
    return redirect(url_for("inspections.results"))


# -- monthly filing of results ------------------------------------------------------------------
RESULT_FILING_COLUMNS = [
    ("编号", lambda f: f.id), ("报备单位", lambda f: f.unit.name), ("月份", lambda f: f"{f.year}-{f.month:02d}"),
    ("检查数", lambda f: len(f.results)), ("报备时间", lambda f: f.filed_at), ("应报日期", lambda f: f.due_date),
    ("逾期", lambda f: "是" if f.late else ""),
]


@bp.route("/result-filings")
@role_required(*PLAN_USERS)
def result_filings():
    return list_or_export(service.result_filings_query(user()), template="inspections/result_filings.html",
                          export_stem="检查结果报备", columns=RESULT_FILING_COLUMNS)


@bp.route("/result-filings/new", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def new_result_filing():
    city = require_city_unit(user())
    form = ResultFilingForm()
    months = service.month_options(24)[1:]  # past months only
    form.month.choices = [(m, m) for m in months]
    if request.method == "GET":
        form.month.data = request.args.get("month")
    chosen = form.month.data if form.month.data in months else months[0]
    form.month.data = chosen
    year, month = (int(x) for x in chosen.split("-"))
    waiting = service.month_results(city, year, month)
    if form.validate_on_submit():
        try:
            filing = service.file_results(user(), year, month)
        except ServiceError as exc:
            form_error(form, exc, "month")
        else:
            flash(f"{year} 年 {month} 月的检查结果已报司法局备案（{len(filing.results)} 条）。"
                  + ("已超过次月 10 日，记为逾期报备。" if filing.late else ""), "warning" if filing.late else "success")
            return redirect(url_for("inspections.result_filing", filing_id=filing.id))
    return render_template("inspections/result_filing_new.html", form=form, city=city, waiting=waiting,
                           previous=service.month_filings(city, year, month),
                           year=year, month=month, due=core.result_filing_due(year, month))


@bp.route("/result-filings/<int:filing_id>")
@role_required(*PLAN_USERS)
def result_filing(filing_id: int):
    filing = db.session.get(ResultFiling, filing_id) or abort(404)
    u = user()
    if not u.has_role(R.JUSTICE) and not (u.has_role(R.DEPARTMENT) and filing.unit_id == u.unit_id):
        raise NotAllowed("result filing of another system")
    return render_template("inspections/result_filing.html", filing=filing)


# -- fines to finance -----------------------------------------------------------------------------
@bp.route("/fines", methods=["GET", "POST"])
@role_required(R.JUSTICE)
def fines():
    form = ForwardForm()
    if form.validate_on_submit():
        year, month = (int(x) for x in form.month.data.split("-"))
        try:
            transfer = service.forward_fines(user(), year, month)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(f"已将 {year} 年 {month} 月的 {transfer.count} 笔罚款（合计 {transfer.total:,.2f} 元）转报财政局。", "success")
        return redirect(url_for("inspections.fines"))
    return render_template("inspections/fines.html", waiting=service.fines_waiting(), transfers=service.transfers(),
                           form=form)


REGISTER_COLUMNS = [
    ("转报批次", lambda r: r.transfer_id), ("检查日期", lambda r: r.inspected_on), ("执法单位", lambda r: r.unit.name),
    ("统一社会信用代码", lambda r: r.enterprise.credit_code), ("企业", lambda r: r.enterprise.name),
    ("处罚决定书文号", lambda r: r.decision_number), ("处罚种类", lambda r: r.penalty_type), ("罚款（元）", lambda r: r.fine),
]


@bp.route("/fines/register")
@role_required(R.FINANCE, R.JUSTICE)
def fine_register():
    form = FineFilterForm(request.args)
    valid = form.validate()
    transfer_id = request.args.get("transfer", "")
    transfer = db.session.get(FineTransfer, id_arg(transfer_id)) if id_arg(transfer_id) is not None else None
    stmt = service.register_query(q=form.q.data or "", month=(form.month.data or "") if valid else "",
                                  transfer_id=transfer.id if transfer else None)
    count, total = service.total_of(stmt)
    return list_or_export(stmt, template="inspections/register.html", export_stem="罚款登记簿",
                          columns=REGISTER_COLUMNS, form=form, count=count, total=total, transfer=transfer,
                          transfers=service.transfers())
