"""Pages of the mechanism's periodic output: member units' lists (upload, entries), zombie
enterprise candidates, progress circulars, typical cases (staff and the public page) and the
yearly report per unit."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import public, role_required
from govsvc.bankruptcy import lists as list_service
from govsvc.bankruptcy import reports
from govsvc.bankruptcy.access import ALL, READERS, STAFF, NotAllowed, ServiceError, is_office, sees_all
from govsvc.bankruptcy.directory import unit_by_code
from govsvc.bankruptcy.forms import (CandidateFilterForm, CircularForm, ListFilterForm, ListUploadForm, PublishForm,
                                     TypicalForm, YearForm)
from govsvc.bankruptcy.models_cases import Case, ProgressCircular, TypicalCase
from govsvc.bankruptcy.views import bp, csv_template, refused, user
from govsvc.exports import download
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.registry.service import districts
from govsvc.tables import TableError
from govsvc.timeutil import local_today
from govsvc.web import id_arg
from scoring import bankruptcy as core

# -- periodic lists -------------------------------------------------------------------------------
LIST_COLUMNS = [
    ("名单", lambda e: e.kind_label), ("报送期间", lambda e: e.period), ("报送单位", lambda e: e.unit.name),
    ("统一社会信用代码", lambda e: e.enterprise.credit_code), ("企业名称", lambda e: e.enterprise.name),
    ("区县", lambda e: e.enterprise.district), ("金额（元）", lambda e: e.amount), ("情况说明", lambda e: e.detail),
    ("备注", lambda e: e.note),
]


@bp.route("/lists")
@role_required(*ALL)
def list_entries():
    form = ListFilterForm(request.args)
    form.period.choices = [("", "全部")] + [(p, p) for p in list_service.periods()]
    form.cleaned()
    stmt = list_service.entry_query(user(), q=form.q.data or "", kind=form.kind.data or "", period=form.period.data or "")
    return list_or_export(stmt, template="bankruptcy/lists.html", export_stem="成员单位报送名单", columns=LIST_COLUMNS,
                          form=form, may_upload=list_service.may_upload(user()))


@bp.route("/lists/upload", methods=["GET", "POST"])
@role_required(R.DEPARTMENT, *STAFF)
def list_upload():
    u = user()
    form, report = ListUploadForm(), None
    if request.method == "GET" and request.args.get("kind") in core.LIST_KINDS:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        unit = u.unit
        if form.unit_code.data:
            unit = unit_by_code(form.unit_code.data)
            if unit is None:
                form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
            elif not is_office(u) and unit.id != u.unit_id:
                form.unit_code.errors.append("只能上传本单位的名单。")
        elif unit is None:
            form.unit_code.errors.append("请填写报送单位代码。")
        try:
            period = core.parse_period(form.period.data)
        except ValueError as exc:
            form.period.errors.append(str(exc))
            period = None
        if not form.unit_code.errors and period is not None:
            upload = form.file.data
            try:
                result = list_service.upload(u, kind=form.kind.data, period=period, unit=unit, data=upload.read(),
                                             filename=upload.filename or "upload.csv", valid_only=form.mode.data == "valid",
                                             dry_run=form.mode.data == "check")
            except TableError as exc:
                form.file.errors.append(str(exc))
            else:
                report = result.as_dict()
                if not result.applied:
                    db.session.rollback()
    return render_template("bankruptcy/list_upload.html", form=form, report=report,
                           columns=list_service.ListImport.base_columns, details=core.LIST_DETAILS,
                           amounts=core.LIST_AMOUNTS, reporting=list_service.REPORTING_UNITS, office=is_office(u),
                           may_upload=list_service.may_upload(u))


@bp.route("/lists/template.csv")
@role_required(*ALL)
def list_template():
    example = [["91370303MA3C00000X", "示例：某某有限公司", "1250000.00", "欠缴增值税及附加，已催缴两次", ""]]
    return csv_template("bankruptcy-list", [c.label for c in list_service.ListImport.base_columns], example)


def _candidate_columns(verdicts):
    def verdict(enterprise):
        return verdicts.get(enterprise.id, (core.zombie_verdict(()), []))

    return [
        ("统一社会信用代码", lambda r: r[0].credit_code), ("企业名称", lambda r: r[0].name), ("区县", lambda r: r[0].district),
        ("状态", lambda r: r[0].status), ("所在名单数", lambda r: r[1]),
        ("僵尸企业候选", lambda r: verdict(r[0])[0].candidate), ("理由", lambda r: "；".join(verdict(r[0])[0].reasons)),
        ("处置建议", lambda r: verdict(r[0])[0].suggestion),
    ]


class _LazyVerdicts(dict):
    """Verdicts fetched for the rows an export reads, a page at a time."""

    def get(self, key, default=None):
        if key not in self:
            self.update(list_service.verdicts([key]))
        return super().get(key, default)


@bp.route("/candidates")
@role_required(*READERS)
def candidates():
    form = CandidateFilterForm(request.args)
    form.district.choices = [("", "全部")] + [(d, d) for d in districts()]
    form.cleaned()
    stmt = list_service.candidate_query(q=form.q.data or "", kind=form.kind.data or "", district=form.district.data or "",
                                        candidates_only=form.scope.data != "all")
    verdicts = _LazyVerdicts()
    return list_or_export(stmt, template="bankruptcy/candidates.html", export_stem="僵尸企业候选名单",
                          columns=_candidate_columns(verdicts), scalars=False, form=form, verdicts=verdicts)


# -- progress circulars ----------------------------------------------------------------------------
CIRCULAR_COLUMNS = [("文号", lambda c: c.number), ("期间", lambda c: c.period_label), ("印发日期", lambda c: c.issued_on),
                    ("印发单位", lambda c: c.issuer)]


@bp.route("/circulars")
@role_required(*ALL)
def circular_list():
    stmt = select(ProgressCircular).order_by(ProgressCircular.year.desc(), ProgressCircular.seq.desc())
    preview = None
    form = CircularForm(prefix="cir", formdata=None)
    period_text = request.args.get("preview", "")
    if period_text and sees_all(user()):
        try:
            period = core.parse_period(period_text)
        except ValueError as exc:
            flash(str(exc), "danger")
        else:
            preview = reports.circular_content(period)
            form.period.data = period.code
    return list_or_export(stmt, template="bankruptcy/circulars.html", export_stem="重大案件进展通报",
                          columns=CIRCULAR_COLUMNS, form=form, preview=preview)


@bp.route("/circulars/new", methods=["POST"])
@role_required(*STAFF)
def issue_circular():
    form = CircularForm(prefix="cir")
    if form.validate_on_submit():
        try:
            circular = reports.issue_circular(user(), form.period.data, confirm=form.confirm.data)
        except ServiceError as exc:
            refused(None, exc)
            return redirect(url_for("bankruptcy.circular_list", preview=form.period.data))
        flash(f"已印发{circular.number}。", "success")
        return redirect(url_for("bankruptcy.circular", circular_id=circular.id))
    for errors in form.errors.values():
        flash("；".join(errors), "danger")
    return redirect(url_for("bankruptcy.circular_list"))


@bp.route("/circulars/<int:circular_id>")
@role_required(*ALL)
def circular(circular_id: int):
    item = db.session.get(ProgressCircular, circular_id) or abort(404)
    return render_template("bankruptcy/circular.html", circular=item, data=reports.circular_data(item))


# -- typical cases ---------------------------------------------------------------------------------
TYPICAL_COLUMNS = [("编号", lambda t: t.id), ("标题", lambda t: t.title), ("程序", lambda t: t.procedure_label),
                   ("状态", lambda t: "已发布" if t.status == "published" else "草稿"), ("发布日期", lambda t: t.published_on)]


@bp.route("/typical")
@role_required(*READERS)
def typical_list():
    stmt = select(TypicalCase).order_by(TypicalCase.status, TypicalCase.id.desc())
    return list_or_export(stmt, template="bankruptcy/typical_list.html", export_stem="典型案例", columns=TYPICAL_COLUMNS,
                          may_write=reports.may_write_typical(user()))


@bp.route("/typical/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_typical():
    return _edit_typical(None)


@bp.route("/typical/<int:typical_id>", methods=["GET", "POST"])
@role_required(*READERS)
def typical(typical_id: int):
    return _edit_typical(db.session.get(TypicalCase, typical_id) or abort(404))


def _edit_typical(item: TypicalCase | None):
    u = user()
    form = TypicalForm(obj=item) if request.method == "GET" and item else TypicalForm()
    if request.method == "GET" and item is None and request.args.get("case"):
        form.case_id.data = id_arg(request.args.get("case"))
    if form.validate_on_submit():
        if not reports.may_write_typical(u):
            raise NotAllowed("write typical case")
        case = db.session.get(Case, form.case_id.data) if form.case_id.data else None
        if form.case_id.data and case is None:
            form.case_id.errors.append("案件台账中没有该编号。")
        else:
            try:
                saved = reports.save_typical(u, {k: form[k].data for k in reports.TYPICAL_FIELDS}, typical=item, case=case)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash("典型案例已保存（草稿）。", "success")
                return redirect(url_for("bankruptcy.typical", typical_id=saved.id))
    problems = reports.anonymity_problems({k: getattr(item, k) for k in reports.TYPICAL_FIELDS}, item.case) if item else []
    return render_template("bankruptcy/typical.html", item=item, form=form, publish_form=PublishForm(prefix="pub"),
                           may_write=reports.may_write_typical(u), problems=problems)


@bp.route("/typical/<int:typical_id>/publish", methods=["POST"])
@role_required(*STAFF)
def publish_typical(typical_id: int):
    item = db.session.get(TypicalCase, typical_id) or abort(404)
    form = PublishForm(prefix="pub")
    if form.validate_on_submit():
        try:
            reports.publish_typical(user(), item, confirm=form.confirm.data)
        except ServiceError as exc:
            refused(None, exc)
        else:
            flash("典型案例已发布。", "success")
    return redirect(url_for("bankruptcy.typical", typical_id=item.id))


@bp.route("/public/typical")
@public
def public_typical_list():
    stmt = select(TypicalCase).where(TypicalCase.status == "published").order_by(TypicalCase.published_on.desc(),
                                                                                 TypicalCase.id.desc())
    return list_or_export(stmt, template="bankruptcy/public_typical_list.html", export_stem="企业破产处置典型案例",
                          columns=TYPICAL_COLUMNS[1:3] + TYPICAL_COLUMNS[4:])


@bp.route("/public/typical/<int:typical_id>")
@public
def public_typical(typical_id: int):
    item = db.session.get(TypicalCase, typical_id)
    if item is None or item.status != "published":
        abort(404)
    return render_template("bankruptcy/public_typical.html", item=item)


# -- yearly report per unit -------------------------------------------------------------------------
@bp.route("/stats")
@role_required(*READERS)
def stats():
    form = YearForm(request.args)
    years = reports.report_years()
    form.year.choices = [(str(y), f"{y}年") for y in years]
    year = id_arg(form.year.data)
    year = year if year in years else years[0]
    rows = reports.unit_year_report(year)
    fmt = request.args.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = ["单位代码", "单位", "函告收到", "按期函复", "逾期函复", "逾期未复", "任务收到", "按期办结", "逾期办结", "逾期未办结",
                  "合计收到", "按期", "逾期办理", "逾期未办", "尚在期限内", "按期率（%）"]
        data = [[r["unit"].code, r["unit"].name, r["letters"].received, r["letters"].on_time, r["letters"].late,
                 r["letters"].overdue, r["tasks"].received, r["tasks"].on_time, r["tasks"].late, r["tasks"].overdue,
                 r["total"].received, r["total"].on_time, r["total"].late, r["total"].overdue, r["total"].pending,
                 r["total"].on_time_rate if r["total"].on_time_rate is not None else ""] for r in rows]
        return download(f"府院联动成员单位履职情况_{year}", header, data, fmt)
    return render_template("bankruptcy/stats.html", form=form, year=year, rows=rows, today=local_today())


nav.add_public("破产处置典型案例", "bankruptcy.public_typical_list", order=60)
