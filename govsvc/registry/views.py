"""Registry pages: enterprises, units, persons, tax records, top taxpayers, imports."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.exports import FORMATS, download
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.jobs import service as jobs
from govsvc.ledger.service import owner_units
from govsvc.lists import list_or_export
from govsvc.registry import imports as _import_kinds  # noqa: F401  (registers the registry import kinds)
from govsvc.registry import service
from govsvc.registry.forms import (EnterpriseFilterForm, ImportForm, PersonFilterForm, TaxFilterForm, TopForm,
                                   UnitFilterForm)
from govsvc.registry.models import Enterprise
from govsvc.registry.sections import sections_for
from govsvc.tables import TableError
from govsvc.timeutil import local_today

bp = Blueprint("registry", __name__, url_prefix="/registry")

REGISTRY_READERS = (R.ADMIN, R.ORGANIZER, R.JUSTICE, R.LEADER, R.COURT, R.FINANCE_REGULATOR)
STAFF = tuple(sorted(R.GOVERNMENT))


def _yes(value: bool) -> str:
    return "是" if value else "否"


ENTERPRISE_COLUMNS = [
    ("统一社会信用代码", lambda e: e.credit_code), ("企业名称", lambda e: e.name),
    ("法定代表人", lambda e: e.legal_rep), ("主要负责人", lambda e: e.head_name),
    ("负责人电话", lambda e: e.head_phone), ("区县", lambda e: e.district), ("行业类别", lambda e: e.industry),
    ("规模以上", lambda e: _yes(e.above_scale)), ("新业态", lambda e: _yes(e.new_format)),
    ("集团", lambda e: e.group_name), ("集团母公司", lambda e: _yes(e.group_head)), ("经营状态", lambda e: e.status),
]


@bp.route("/enterprises")
@role_required(*REGISTRY_READERS)
def enterprises():
    form = EnterpriseFilterForm(request.args)
    form.district.choices = [("", "全部")] + [(d, d) for d in service.districts()]
    filters = {k: (form[k].data or "") for k in ("q", "district", "industry", "status", "above_scale")}
    stmt = service.enterprise_query(**filters)
    return list_or_export(stmt, template="registry/enterprises.html", export_stem="企业名录",
                          columns=ENTERPRISE_COLUMNS, form=form)


@bp.route("/enterprises/<int:enterprise_id>")
@role_required(*REGISTRY_READERS)
def enterprise(enterprise_id: int):
    item = db.session.get(Enterprise, enterprise_id) or abort(404)
    members = []
    if item.group_name:
        members = db.session.scalars(select(Enterprise).where(Enterprise.group_name == item.group_name)
                                     .order_by(Enterprise.group_head.desc(), Enterprise.credit_code)).all()
    return render_template("registry/enterprise.html", item=item, members=members,
                           sections=sections_for(item, current_user))


UNIT_COLUMNS = [
    ("单位代码", lambda u: u.code), ("单位名称", lambda u: u.name), ("层级", lambda u: u.level_label),
    ("区县", lambda u: u.district), ("所属系统", lambda u: u.system.code if u.system else ""),
    ("评议类别", lambda u: u.survey_category_label), ("执法单位", lambda u: _yes(u.enforcement)),
    ("参与评级", lambda u: _yes(u.grading)),
]


@bp.route("/units")
@role_required(*STAFF)
def units():
    form = UnitFilterForm(request.args)
    filters = {k: (form[k].data or "") for k in ("q", "level", "survey_category", "flag")}
    return list_or_export(service.unit_query(**filters), template="registry/units.html", export_stem="单位名录",
                          columns=UNIT_COLUMNS, form=form)


PERSON_COLUMNS = [
    ("姓名", lambda p: p.name), ("身份证号（脱敏）", lambda p: p.id_masked), ("单位代码", lambda p: p.unit.code),
    ("单位", lambda p: p.unit.name), ("职务", lambda p: p.post),
]


@bp.route("/persons")
@role_required(R.ADMIN, R.DISCIPLINE)
def persons():
    form = PersonFilterForm(request.args)
    user = current_user
    # Unit discipline staff see the units they cover (the integrity module's scope); admins and
    # city-wide discipline staff see all.
    unit_ids = None if user.has_role(R.ADMIN) else owner_units(user, "integrity")
    if unit_ids is None and not user.has_role(R.ADMIN) and user.unit_id is not None:
        unit_ids = {user.unit_id}
    stmt = service.person_query(q=form.q.data or "", unit_ids=unit_ids)
    return list_or_export(stmt, template="registry/persons.html", export_stem="公职人员", columns=PERSON_COLUMNS,
                          form=form)


TAX_COLUMNS = [
    ("年度", lambda r: r[0].year), ("统一社会信用代码", lambda r: r[1].credit_code), ("企业名称", lambda r: r[1].name),
    ("地方留成（元）", lambda r: r[0].local_retained),
]


@bp.route("/tax")
@role_required(*REGISTRY_READERS)
def tax_records():
    form = TaxFilterForm(request.args)
    year = form.year.data if form.validate() else None
    stmt = service.tax_query(q=form.q.data or "", year=year)
    return list_or_export(stmt, template="registry/tax.html", export_stem="纳税记录", columns=TAX_COLUMNS,
                          scalars=False, form=form)


@bp.route("/top")
@role_required(*REGISTRY_READERS)
def top():
    form = TopForm(request.args)
    valid = form.validate()
    latest = service.latest_tax_year()
    year = (form.year.data if valid and form.year.data else None) or ((latest + 1) if latest else local_today().year)
    n = (form.n.data if valid and form.n.data else None) or 200
    form.year.data, form.n.data = year, n
    ranked = service.top_taxpayers(year, n)
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        header = ["排名", "统一社会信用代码", "企业名称", "集团", "计入企业数", f"{year - 1}年地方留成合计（元）"]
        rows = [[r.rank, e.credit_code, e.name, r.group, r.members, r.total] for r, e in ranked]
        return download(f"纳税{n}强_{year}", header, rows, fmt)
    return render_template("registry/top.html", form=form, ranked=ranked, year=year, n=n)


@bp.route("/import", methods=["GET", "POST"])
@role_required(R.ADMIN)
def import_data():
    form = ImportForm()
    report = None
    if request.method == "GET" and request.args.get("kind") in KINDS:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        kind = KINDS.get(form.kind.data)
        if kind is None:
            form.kind.errors.append("请选择数据类型。")
        else:
            upload = form.file.data
            data, filename = upload.read(), upload.filename or "upload.csv"
            if len(data) > current_app.config["IMPORT_BACKGROUND_BYTES"]:
                job = jobs.submit("import", f"导入{kind.label}：{filename}", filename, data,
                                  {"kind": kind.name, "mode": form.mode.data}, current_user)
                jobs.start_after_commit(job.id)
                return redirect(url_for("jobs.status", job_id=job.id))
            try:
                report = run_import(kind(), data, filename, valid_only=form.mode.data == "valid",
                                    dry_run=form.mode.data == "check").as_dict()
            except TableError as exc:
                form.file.errors.append(str(exc))
    return render_template("registry/import.html", form=form, report=report, kinds=KINDS)


nav.add("企业名录", "registry.enterprises", REGISTRY_READERS, order=10)
nav.add("纳税200强", "registry.top", REGISTRY_READERS, order=11)
nav.add("纳税记录", "registry.tax_records", (R.ADMIN,), order=11)
nav.add("单位名录", "registry.units", (R.ADMIN,), order=12)
nav.add("公职人员", "registry.persons", (R.ADMIN,), order=13)
nav.add("数据导入", "registry.import_data", (R.ADMIN,), order=14)
