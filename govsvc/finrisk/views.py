"""Pages of govsvc.finrisk (one blueprint, url_prefix /finrisk): the overview, the banks' loans and
guarantees with their imports, and the "321" maturity ledger. Networks and classification live in
views_network.py, rescue, the bridge fund, listed companies and the blacklist in views_rescue.py."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.exports import csv_bytes
from govsvc.extensions import db
from govsvc.finrisk import access, loans, maturity
from govsvc.finrisk.forms import (AcknowledgeForm, FundsForm, GuaranteeFilterForm, ImportForm, LoanFilterForm,
                                  MaturityFilterForm, PlanForm)
from govsvc.finrisk.models import STATE_LABELS
from govsvc.imports import run_import
from govsvc.lists import list_or_export
from govsvc.tables import TableError
from govsvc.web import id_arg

bp = Blueprint("finrisk", __name__, url_prefix="/finrisk")

READERS = (R.FINANCE_REGULATOR, R.BANK, R.DEPARTMENT, R.LEADER, R.COURT)
DATA_READERS = (R.FINANCE_REGULATOR, R.BANK, R.DEPARTMENT)


def reader():
    """The current user, refused (403) when a department account is not a county government."""
    user = current_user._get_current_object()
    access.require_reader(user)
    return user


def bank_choices(form_field, user) -> None:
    if access.bank_of(user) is None:
        form_field.choices = [("", "全部")] + [(str(b.id), b.name) for b in access.banks()]
    else:
        form_field.choices = [("", "本行")]


def post_form(form, act, errors, field: str, done: str, target: str, page):
    """A POST's common path: validate, act, flash the outcome and redirect to `target`; a refusal
    (one of `errors`) goes beside `field` and `page()` renders the form again, nothing written."""
    if form.validate_on_submit():
        try:
            message = act(form)
        except errors as exc:
            getattr(form, field).errors.append(str(exc))
        else:
            flash(message or done, "success")
            return redirect(target)
    return page()


@bp.route("/")
@role_required(*READERS)
def index():
    user = reader()
    board = maturity.dashboard(user) if maturity.is_reader(user) else None
    return render_template("finrisk/index.html", board=board, bank=access.bank_of(user),
                           county=access.county_of(user))


# -- loans and guarantees -------------------------------------------------------------------------
LOAN_COLUMNS = [("银行", lambda x: x.bank.name), ("贷款编号", lambda x: x.loan_no), ("报送期", lambda x: x.period),
                ("统一社会信用代码", lambda x: x.enterprise.credit_code), ("借款人", lambda x: x.enterprise.name),
                ("县（市、区）", lambda x: x.enterprise.district), ("金额（元）", lambda x: x.amount),
                ("起始日", lambda x: x.start_date), ("到期日", lambda x: x.maturity_date), ("状态", lambda x: x.status_label)]


@bp.route("/loans")
@role_required(*DATA_READERS)
def loan_list():
    user = reader()
    form = LoanFilterForm(request.args)
    bank_choices(form.bank, user)
    stmt = loans.loan_query(user, q=form.q.data or "", status=form.status.data or "", bank_id=id_arg(form.bank.data))
    return list_or_export(stmt, template="finrisk/loans.html", export_stem="银行贷款", columns=LOAN_COLUMNS, form=form)


GUARANTEE_COLUMNS = [("银行", lambda x: x.bank.name), ("担保合同编号", lambda x: x.contract_no),
                     ("担保人", lambda x: x.guarantor.name), ("担保人信用代码", lambda x: x.guarantor.credit_code),
                     ("被担保人", lambda x: x.borrower.name), ("被担保人信用代码", lambda x: x.borrower.credit_code),
                     ("金额（元）", lambda x: x.amount), ("起始日", lambda x: x.start_date), ("到期日", lambda x: x.end_date)]


@bp.route("/guarantees")
@role_required(*DATA_READERS)
def guarantee_list():
    user = reader()
    form = GuaranteeFilterForm(request.args)
    bank_choices(form.bank, user)
    stmt = loans.guarantee_query(user, q=form.q.data or "", bank_id=id_arg(form.bank.data))
    return list_or_export(stmt, template="finrisk/guarantees.html", export_stem="银行担保", columns=GUARANTEE_COLUMNS,
                          form=form)


IMPORTS = {"loans": "贷款数据", "guarantees": "担保数据"}
SAMPLES = {
    "loans": ["2026-11", "GH-2026-0001", "913703030000000010", "5000000.00", "2025-12-01", "2026-12-01", "正常"],
    "guarantees": ["2026-11", "GH-DB-0001", "913703030000000010", "913703030000000029", "3000000.00", "2025-12-01",
                   "2026-12-01"],
}


@bp.route("/import/<kind>", methods=["GET", "POST"])
@role_required(R.FINANCE_REGULATOR, R.BANK)
def import_data(kind: str):
    if kind not in IMPORTS:
        abort(404)
    form = ImportForm()
    report = None
    importer = loans.import_kind(kind, current_user)
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = run_import(importer, upload.read(), upload.filename or f"{kind}.csv",
                                valid_only=form.mode.data == "valid", dry_run=form.mode.data == "check",
                                actor=(current_user.id, current_user.username))
        except TableError as exc:
            form.file.errors.append(str(exc))
        if report is not None and report.applied:
            flash(f"已导入{IMPORTS[kind]}：新增 {report.created}，更新 {report.updated}，未变化 {report.unchanged}"
                  + (f"，跳过有错误的 {report.skipped} 行" if report.skipped else "") + "。", "success")
    own = access.bank_of(current_user) is not None
    return render_template("finrisk/import.html", form=form, kind=kind, label=IMPORTS[kind], own=own,
                           columns=importer.columns, report=report.as_dict() if report else None)


@bp.route("/import/<kind>/template.csv")
@role_required(R.FINANCE_REGULATOR, R.BANK)
def import_template(kind: str):
    if kind not in IMPORTS:
        abort(404)
    importer = loans.import_kind(kind, current_user)
    from flask import Response

    body = csv_bytes([c.label for c in importer.columns], [[""] + SAMPLES[kind]])
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=finrisk-{kind}.csv"})


# -- "321" ----------------------------------------------------------------------------------------
MATURITY_COLUMNS = [("到期日", lambda e: e.maturity_date), ("银行", lambda e: e.loan.bank.name),
                    ("借款人", lambda e: e.loan.enterprise.name), ("统一社会信用代码", lambda e: e.loan.enterprise.credit_code),
                    ("县（市、区）", lambda e: e.county.name if e.county else ""), ("金额（元）", lambda e: e.loan.amount),
                    ("预警日", lambda e: e.warning_date), ("还款计划应录入日", lambda e: e.plan_due),
                    ("资金应到账日", lambda e: e.funds_due), ("还款计划", lambda e: e.repayment_plan),
                    ("资金来源", lambda e: e.funds_source), ("到账资金（元）", lambda e: e.funds_amount),
                    ("落实情况", lambda e: STATE_LABELS[e.state()])]


@bp.route("/maturity")
@role_required(*DATA_READERS)
def maturity_list():
    user = reader()
    form = MaturityFilterForm(request.args)
    bank_choices(form.bank, user)
    if access.district_of(user) is None:
        form.county.choices = [("", "全部")] + [(str(c.id), c.name) for c in access.counties()]
    else:
        form.county.choices = [("", "本县（市、区）")]
    month = form.month.data or ""
    if month and not (len(month) == 7 and month[:4].isdigit() and month[4] == "-" and month[5:].isdigit()
                      and 1 <= int(month[5:]) <= 12):
        form.month.errors = ["格式应为 YYYY-MM。"]
        month = ""
    stmt = maturity.entry_query(user, q=form.q.data or "", state=form.state.data or "", bank_id=id_arg(form.bank.data),
                                county_id=id_arg(form.county.data), month=month)
    return list_or_export(stmt, template="finrisk/maturity.html", export_stem="到期贷款台账", columns=MATURITY_COLUMNS,
                          form=form, board=maturity.dashboard(user))


@bp.route("/maturity/<int:entry_id>")
@role_required(*DATA_READERS)
def maturity_entry(entry_id: int):
    user = reader()
    entry = maturity.get_entry(user, entry_id)
    return _entry_page(entry, PlanForm(obj=entry), FundsForm(), AcknowledgeForm())


def _entry_page(entry, plan_form, funds_form, ack_form, status: int = 200):
    user = current_user._get_current_object()
    from govsvc.ledger.models import Matter

    matters = [db.session.get(Matter, i) for i in (entry.warning_matter_id, entry.plan_matter_id, entry.funds_matter_id) if i]
    county = access.county_of(user)
    return render_template("finrisk/maturity_entry.html", entry=entry, steps=maturity.readiness(entry), matters=matters,
                           plan_form=plan_form, funds_form=funds_form, ack_form=ack_form,
                           own_bank=access.bank_of(user) == entry.loan.bank_id,
                           own_county=county is not None and county.id == entry.county_id), status


FIRST_FIELD = {"plan_form": "repayment_plan", "funds_form": "amount", "ack_form": "note"}


def _entry_action(entry_id: int, form_class, act, done: str):
    user = reader()
    entry = maturity.get_entry(user, entry_id)
    form = form_class()
    forms = {"plan_form": PlanForm(obj=entry), "funds_form": FundsForm(), "ack_form": AcknowledgeForm()}
    key = {PlanForm: "plan_form", FundsForm: "funds_form", AcknowledgeForm: "ack_form"}[form_class]
    forms[key] = form
    return post_form(form, lambda f: act(user, entry, f), maturity.MaturityError, FIRST_FIELD[key], done,
                     url_for("finrisk.maturity_entry", entry_id=entry.id),
                     lambda: _entry_page(entry, forms["plan_form"], forms["funds_form"], forms["ack_form"], status=422))


@bp.route("/maturity/<int:entry_id>/plan", methods=["POST"])
@role_required(R.BANK)
def record_plan(entry_id: int):
    return _entry_action(entry_id, PlanForm, lambda u, e, f: maturity.record_plan(u, e, f.repayment_plan.data,
                                                                                  f.funds_source.data),
                         "已录入还款计划和资金来源。")


@bp.route("/maturity/<int:entry_id>/funds", methods=["POST"])
@role_required(R.BANK)
def confirm_funds(entry_id: int):
    return _entry_action(entry_id, FundsForm, lambda u, e, f: maturity.confirm_funds(u, e, f.amount.data),
                         "已确认企业账上还款资金。")


@bp.route("/maturity/<int:entry_id>/acknowledge", methods=["POST"])
@role_required(R.DEPARTMENT)
def acknowledge(entry_id: int):
    return _entry_action(entry_id, AcknowledgeForm, lambda u, e, f: maturity.acknowledge(u, e, f.note.data),
                         "已签收预警并填写研判意见。")


@bp.route("/maturity/sweep", methods=["POST"])
@role_required(R.FINANCE_REGULATOR)
def sweep():
    from flask_wtf.csrf import validate_csrf

    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except Exception:
        abort(400)
    counts = maturity.sweep()
    flash(f"已更新到期台账：新纳入 {counts['entered']} 笔，新发现未按期落实 {counts['missed']} 项，"
          f"退出台账 {counts['closed']} 笔。", "success")
    return redirect(url_for("finrisk.maturity_list"))


nav.add("金融风险", "finrisk.index", READERS, order=60, when=access.may_read)

from govsvc.finrisk import views_network, views_rescue, panels  # noqa: E402,F401  (routes on bp)
