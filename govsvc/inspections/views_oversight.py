"""Oversight pages: quarterly circulars (justice issues; units and leaders read) and the report
channel for enterprises (举报)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from govsvc import confirm, nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.charts import svg_response
from govsvc.extensions import db
from govsvc.inspections import circulars as service
from govsvc.inspections import reports as report_service
from govsvc.inspections.access import ServiceError
from govsvc.inspections.forms import IssueForm, QuarterForm, ReportForm
from govsvc.inspections.models import Circular
from govsvc.inspections.views import bp, form_error, user
from govsvc.lists import list_or_export
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today
from scoring import inspections as core

CIRCULAR_READERS = (R.JUSTICE, R.LEADER, R.DEPARTMENT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _previous_quarter() -> tuple[int, int]:
    today = local_today()
    quarter = core.quarter_of(today)
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def _quarter_args() -> tuple[int, int]:
    form = QuarterForm(request.args)
    year, quarter = _previous_quarter()
    if form.validate():
        year = form.year.data or year
        quarter = int(form.quarter.data) if form.quarter.data in ("1", "2", "3", "4") else quarter
    return year, quarter


@bp.route("/circulars")
@role_required(*CIRCULAR_READERS)
def circulars():
    year, quarter = _previous_quarter()
    form = QuarterForm(data={"year": year, "quarter": str(quarter)})
    return render_template("inspections/circulars.html", circulars=service.circulars(), form=form,
                           title_of=service.title_of, data_of=service.data_of)


@bp.route("/circulars/preview")
@role_required(R.JUSTICE)
def circular_preview():
    year, quarter = _quarter_args()
    data = service.quarter_figures(year, quarter)
    issued = db.session.scalar(select(Circular).where(Circular.year == year, Circular.quarter == quarter))
    form = IssueForm(data={"year": year, "quarter": quarter})
    return render_template("inspections/circular.html", data=data, circular=issued, preview=True, form=form,
                           figures=service.FIGURES, title=service.title_of(data), rows=service.split_rows(data),
                           can_issue=local_today() > core.quarter_bounds(year, quarter)[1])


@bp.route("/circulars/issue", methods=["POST"])
@role_required(R.JUSTICE)
def issue_circular():
    form = IssueForm()
    if not form.validate_on_submit():
        flash("请选择要印发的年度和季度。", "danger")
        return redirect(url_for("inspections.circulars"))
    year, quarter = form.year.data, form.quarter.data
    issuable = local_today() > core.quarter_bounds(year, quarter)[1] and not db.session.scalar(
        select(Circular.id).where(Circular.year == year, Circular.quarter == quarter))
    if issuable and not confirm.confirmed():
        return confirm.ask(
            title=f"印发 {year} 年第 {quarter} 季度通报", button="确认印发",
            what=f"{year} 年第 {quarter} 季度双备案执行情况通报将以今天的数据印发，各部门（单位）和市委、市政府领导即可查看。",
            facts=[("通报意见", (form.remarks.data or "").strip() or "（无）")],
            notes=["印发后通报内容固定，不能修改，同一季度也不能再次印发。"],
            back=url_for("inspections.circular_preview", year=year, quarter=quarter))
    try:
        circular = service.issue(user(), form.year.data, form.quarter.data, form.remarks.data or "")
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("inspections.circular_preview", year=form.year.data, quarter=form.quarter.data))
    flash("季度通报已印发。", "success")
    return redirect(url_for("inspections.circular", circular_id=circular.id))


def _circular_or_404(circular_id: int) -> Circular:
    return db.session.get(Circular, circular_id) or abort(404)


@bp.route("/circulars/<int:circular_id>")
@role_required(*CIRCULAR_READERS)
def circular(circular_id: int):
    item = _circular_or_404(circular_id)
    data = service.data_of(item)
    return render_template("inspections/circular.html", data=data, circular=item, preview=False,
                           figures=service.FIGURES, title=service.title_of(data), rows=service.split_rows(data),
                           own_code=user().unit.code if user().has_role(R.DEPARTMENT) and user().unit else None)


@bp.route("/circulars/<int:circular_id>/chart-<any(plans, inspections):kind>.svg")
@role_required(*CIRCULAR_READERS)
def circular_chart(circular_id: int, kind: str):
    return svg_response(service.chart_svg(service.data_of(_circular_or_404(circular_id)), kind))


@bp.route("/circulars/preview/chart-<any(plans, inspections):kind>.svg")
@role_required(R.JUSTICE)
def preview_chart(kind: str):
    return svg_response(service.chart_svg(service.quarter_figures(*_quarter_args()), kind))


def _xlsx_response(data: dict, remarks: str = "") -> Response:
    from urllib.parse import quote

    response = Response(service.xlsx(data, remarks), mimetype=XLSX)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"circular.xlsx\"; filename*=UTF-8''{quote(service.title_of(data) + '.xlsx')}")
    return response


@bp.route("/circulars/<int:circular_id>/export.xlsx")
@role_required(*CIRCULAR_READERS)
def circular_xlsx(circular_id: int):
    item = _circular_or_404(circular_id)
    return _xlsx_response(service.data_of(item), item.remarks)


@bp.route("/circulars/preview/export.xlsx")
@role_required(R.JUSTICE)
def preview_xlsx():
    return _xlsx_response(service.quarter_figures(*_quarter_args()))


# -- reports by enterprises (举报) --------------------------------------------------------------
REPORT_COLUMNS = [
    ("编号", lambda r: r.id), ("提交时间", lambda r: r.created_at), ("举报事项", lambda r: r.kind_label),
    ("被举报单位", lambda r: r.unit.name if r.unit else ""), ("发生日期", lambda r: r.incident_date),
    ("办理状态", lambda r: r.matter.status_label),
]


@bp.route("/reports")
@role_required(R.EVALUATOR, R.ENTERPRISE)
def reports():
    return list_or_export(report_service.reports_query(user()), template="inspections/reports.html",
                          export_stem="我的举报", columns=REPORT_COLUMNS, hotline=report_service.HOTLINE)


@bp.route("/reports/new", methods=["GET", "POST"])
@role_required(R.EVALUATOR, R.ENTERPRISE)
def new_report():
    form = ReportForm()
    units = db.session.scalars(select(Unit).where(Unit.enforcement.is_(True)).order_by(Unit.level, Unit.code)).all()
    form.unit.choices = [("", "（不确定）")] + [(u.code, u.name) for u in units]
    if form.validate_on_submit():
        unit = next((u for u in units if u.code == form.unit.data), None)
        try:
            report = report_service.file_report(user(), kind=form.kind.data, unit=unit,
                                                incident_date=form.incident_date.data,
                                                description=form.description.data or "")
        except ServiceError as exc:
            form_error(form, exc, "description")
        else:
            flash("举报已提交，市司法局将在 15 日内核查并反馈。", "success")
            return redirect(url_for("inspections.report", report_id=report.id))
    return render_template("inspections/report_new.html", form=form, hotline=report_service.HOTLINE)


@bp.route("/reports/<int:report_id>")
@role_required(R.EVALUATOR, R.ENTERPRISE)
def report(report_id: int):
    item = report_service.get_report(user(), report_id) or abort(404)
    return render_template("inspections/report.html", report=item, progress=report_service.progress(item))


nav.add("季度通报", "inspections.circulars", (R.JUSTICE, R.LEADER), order=32)
nav.add("罚款登记簿", "inspections.fine_register", (R.FINANCE,), order=33)
nav.add("举报涉企检查", "inspections.reports", (R.EVALUATOR, R.ENTERPRISE), order=34)
nav.add("双随机抽取公示", "inspections.public_draws", None, order=35)
nav.add_public("双随机抽取公示", "inspections.public_draws", order=35)
