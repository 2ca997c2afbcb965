"""Rescue of enterprises caught in guarantee circles, the bridge fund, listed companies' checks and
the evasion blacklist."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.extensions import db
from govsvc.finrisk import access, blacklist, bridge, listed, rescue
from govsvc.finrisk.forms import (AssessRescueForm, BlacklistFilterForm, BridgeApplyForm, BridgeDecideForm,
                                  BridgeFilterForm, CheckForm, DisburseForm, EvasionForm, HandoverForm, LiftForm,
                                  ListedForm, NominateForm, PoolForm, RepayForm, RescueFilterForm, ResultForm,
                                  ReviewForm, RouteForm)
from govsvc.finrisk.models import PROCEDURES, ROUTES, EvasionEntry, ListedCompany
from govsvc.finrisk.views import bp, post_form, reader
from govsvc.ledger.models import Matter
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today
from govsvc.web import id_arg

RESCUE_READERS = (R.FINANCE_REGULATOR, R.DEPARTMENT, R.COURT)
COUNTY_STAFF = (R.FINANCE_REGULATOR, R.DEPARTMENT)


def _enterprise_by_code(code: str) -> Enterprise | None:
    return db.session.scalar(select(Enterprise).where(Enterprise.credit_code == (code or "").strip().upper()))


# -- rescue ---------------------------------------------------------------------------------------
RESCUE_COLUMNS = [("年度", lambda r: r.year), ("企业", lambda r: r.enterprise.name),
                  ("统一社会信用代码", lambda r: r.enterprise.credit_code), ("县（市、区）", lambda r: r.enterprise.district),
                  ("阶段", lambda r: r.stage_label), ("责任主体", lambda r: r.owner_unit.name if r.owner_unit else ""),
                  ("任务目标", lambda r: r.target), ("时间节点", lambda r: r.due_date), ("结果", lambda r: r.outcome)]


@bp.route("/rescues")
@role_required(*RESCUE_READERS)
def rescues():
    user = reader()
    form = RescueFilterForm(request.args)
    year = form.year.data if form.validate() else None
    stmt = rescue.rescue_query(user, q=form.q.data or "", stage=form.stage.data or "", year=year)
    return list_or_export(stmt, template="finrisk/rescues.html", export_stem="担保圈企业挽救台账", columns=RESCUE_COLUMNS,
                          form=form, can_nominate=access.is_regulator(user) or access.county_of(user) is not None)


@bp.route("/rescues/new", methods=["GET", "POST"])
@role_required(*COUNTY_STAFF)
def nominate():
    user = current_user._get_current_object()
    access.require_county_or_regulator(user)
    form = NominateForm()
    if request.method == "GET":
        form.year.data = local_today().year
        form.credit_code.data = request.args.get("code", "")
    if form.validate_on_submit():
        enterprise = _enterprise_by_code(form.credit_code.data)
        if enterprise is None:
            form.credit_code.errors.append("登记库中没有这家企业。")
        else:
            try:
                item = rescue.nominate(user, enterprise, form.year.data, form.nomination.data)
            except rescue.RescueError as exc:
                form.nomination.errors.append(str(exc))
            else:
                flash(f"已将 {enterprise.name} 列入 {item.year} 年待挽救企业名单。", "success")
                return redirect(url_for("finrisk.rescue_detail", rescue_id=item.id))
    return render_template("finrisk/rescue_new.html", form=form)


def _rescue_page(item, status=200, **forms):
    user = current_user._get_current_object()
    assess = forms.get("assess_form") or AssessRescueForm()
    assess.owner.choices = [("", "—")] + [(str(u.id), u.name) for u in db.session.scalars(
        select(Unit).where(Unit.code.in_(("JRJ", "YBJG", "RMYH", "ZYFY")) | Unit.code.startswith(access.COUNTY_PREFIX))
        .order_by(Unit.level, Unit.code))]
    if request.method == "GET" and item.county_id:
        assess.owner.data = str(item.county_id)
    county = access.county_of(user)
    handover = db.session.get(Matter, item.handover_matter_id) if item.handover_matter_id else None
    return render_template(
        "finrisk/rescue.html", item=item, assess_form=assess, route_form=forms.get("route_form") or RouteForm(),
        result_form=forms.get("result_form") or ResultForm(), handover_form=forms.get("handover_form") or HandoverForm(),
        next_route=rescue.next_route(item), routes=ROUTES, procedures=PROCEDURES, handover=handover,
        late=rescue.late_nomination(item), regulator=access.is_regulator(user),
        can_act=access.is_regulator(user) or (county is not None and county.id == item.county_id)), status


@bp.route("/rescues/<int:rescue_id>")
@role_required(*RESCUE_READERS)
def rescue_detail(rescue_id: int):
    return _rescue_page(rescue.get_rescue(reader(), rescue_id))


def _rescue_post(rescue_id: int, key: str, form, act, done: str, field: str):
    user = reader()
    item = rescue.get_rescue(user, rescue_id)
    return post_form(form, lambda f: act(user, item, f), rescue.RescueError, field, done,
                     url_for("finrisk.rescue_detail", rescue_id=item.id),
                     lambda: _rescue_page(item, status=422, **{key: form}))


@bp.route("/rescues/<int:rescue_id>/assess", methods=["POST"])
@role_required(R.FINANCE_REGULATOR)
def assess_rescue(rescue_id: int):
    form = AssessRescueForm()
    form.owner.choices = [("", "")] + [(str(u.id), u.name) for u in db.session.scalars(select(Unit))]

    def act(user, item, f):
        rescue.assess(user, item, auditor=f.auditor.data, capital_flight=f.capital_flight.data == "yes",
                      malicious_evasion=f.malicious_evasion.data == "yes", rescue_value=f.rescue_value.data == "yes",
                      note=f.note.data, owner_unit_id=id_arg(f.owner.data), target=f.target.data or "",
                      due_date=f.due_date.data)
        return "已列入挽救台账。" if item.stage == "ledger" else f"不予挽救：{item.outcome}。"
    return _rescue_post(rescue_id, "assess_form", form, act, "", "note")


@bp.route("/rescues/<int:rescue_id>/route", methods=["POST"])
@role_required(*COUNTY_STAFF)
def start_route(rescue_id: int):
    def act(user, item, f):
        route = rescue.next_route(item) or ""
        rescue.start_route(user, item, route, f.note.data)
        return f"已启动{ROUTES[route]}。"
    return _rescue_post(rescue_id, "route_form", RouteForm(), act, "", "note")


@bp.route("/rescues/<int:rescue_id>/result", methods=["POST"])
@role_required(*COUNTY_STAFF)
def route_result(rescue_id: int):
    return _rescue_post(rescue_id, "result_form", ResultForm(),
                        lambda u, i, f: rescue.record_result(u, i, f.result.data == "agreed", f.note.data),
                        "已登记结果。", "note")


@bp.route("/rescues/<int:rescue_id>/handover", methods=["POST"])
@role_required(*COUNTY_STAFF)
def handover(rescue_id: int):
    def act(user, item, f):
        matter = rescue.handover(user, item, f.procedure.data, f.note.data)
        return f"已移交市中级人民法院（破产处置台账事项 #{matter.id}）。"
    return _rescue_post(rescue_id, "handover_form", HandoverForm(), act, "", "note")


# -- bridge fund ----------------------------------------------------------------------------------
BRIDGE_COLUMNS = [("申请时间", lambda b: b.applied_at), ("企业", lambda b: b.enterprise.name),
                  ("统一社会信用代码", lambda b: b.enterprise.credit_code), ("县（市、区）", lambda b: b.county.name),
                  ("金额（元）", lambda b: b.amount), ("期限（天）", lambda b: b.days), ("状态", lambda b: b.status_label),
                  ("放款日", lambda b: b.disbursed_on), ("到期日", lambda b: b.due_on), ("已还（元）", lambda b: b.repaid),
                  ("用途", lambda b: b.purpose)]


@bp.route("/bridge")
@role_required(*COUNTY_STAFF)
def bridge_list():
    user = reader()
    form = BridgeFilterForm(request.args)
    stmt = bridge.bridge_query(user, q=form.q.data or "", status=form.status.data or "")
    pool_form = PoolForm()
    pool_form.county.choices = [(str(c.id), c.name) for c, _, _ in bridge.pools(user)]
    return list_or_export(stmt, template="finrisk/bridge.html", export_stem="应急周转资金", columns=BRIDGE_COLUMNS,
                          form=form, pools=bridge.pools(user), pool_form=pool_form)


@bp.route("/bridge/pool", methods=["POST"])
@role_required(*COUNTY_STAFF)
def set_pool():
    user = reader()
    form = PoolForm()
    form.county.choices = [(str(c.id), c.name) for c, _, _ in bridge.pools(user)]
    if form.validate_on_submit():
        county = db.session.get(Unit, int(form.county.data))
        try:
            bridge.set_pool(user, county, form.capacity.data)
        except bridge.BridgeError as exc:
            flash(str(exc), "danger")
        else:
            flash(f"{county.name}应急周转资金池规模已设为 {form.capacity.data:,.2f} 元。", "success")
    else:
        flash("；".join(e for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for("finrisk.bridge_list"))


def _bank_field(field):
    field.choices = [("", "—")] + [(str(b.id), b.name) for b in access.banks()]


@bp.route("/bridge/new", methods=["GET", "POST"])
@role_required(*COUNTY_STAFF)
def bridge_apply():
    user = current_user._get_current_object()
    access.require_county_or_regulator(user)
    form = BridgeApplyForm()
    _bank_field(form.bank)
    if request.method == "GET":
        form.credit_code.data = request.args.get("code", "")
    if form.validate_on_submit():
        enterprise = _enterprise_by_code(form.credit_code.data)
        if enterprise is None:
            form.credit_code.errors.append("登记库中没有这家企业。")
        else:
            try:
                item = bridge.apply(user, enterprise, form.amount.data, form.days.data, form.purpose.data,
                                    id_arg(form.bank.data))
            except bridge.BridgeError as exc:
                form.credit_code.errors.append(str(exc))
            else:
                flash("已登记应急周转资金申请。", "success")
                return redirect(url_for("finrisk.bridge_detail", item_id=item.id))
    return render_template("finrisk/bridge_new.html", form=form)


def _bridge_page(item, status=200, **forms):
    return render_template("finrisk/bridge_item.html", item=item,
                           decide_form=forms.get("decide_form") or BridgeDecideForm(),
                           disburse_form=forms.get("disburse_form") or DisburseForm(on=local_today()),
                           repay_form=forms.get("repay_form") or RepayForm(on=local_today()),
                           available=bridge.available(item.county_id)), status


@bp.route("/bridge/<int:item_id>")
@role_required(*COUNTY_STAFF)
def bridge_detail(item_id: int):
    return _bridge_page(bridge.get_item(reader(), item_id))


def _bridge_post(item_id: int, key: str, form, act, done: str, field: str):
    user = reader()
    item = bridge.get_item(user, item_id)
    return post_form(form, lambda f: act(user, item, f), bridge.BridgeError, field, done,
                     url_for("finrisk.bridge_detail", item_id=item.id),
                     lambda: _bridge_page(item, status=422, **{key: form}))


@bp.route("/bridge/<int:item_id>/decide", methods=["POST"])
@role_required(*COUNTY_STAFF)
def bridge_decide(item_id: int):
    return _bridge_post(item_id, "decide_form", BridgeDecideForm(),
                        lambda u, i, f: bridge.decide(u, i, f.decision.data == "approve", f.note.data), "已审批。", "note")


@bp.route("/bridge/<int:item_id>/disburse", methods=["POST"])
@role_required(*COUNTY_STAFF)
def bridge_disburse(item_id: int):
    return _bridge_post(item_id, "disburse_form", DisburseForm(), lambda u, i, f: bridge.disburse(u, i, f.on.data),
                        "已登记放款。", "on")


@bp.route("/bridge/<int:item_id>/repay", methods=["POST"])
@role_required(*COUNTY_STAFF)
def bridge_repay(item_id: int):
    return _bridge_post(item_id, "repay_form", RepayForm(), lambda u, i, f: bridge.repay(u, i, f.amount.data, f.on.data),
                        "已登记归还。", "amount")


# -- listed companies -----------------------------------------------------------------------------
@bp.route("/listed", methods=["GET", "POST"])
@role_required(R.FINANCE_REGULATOR)
def listed_companies():
    year, quarter = listed.quarter_of(local_today())
    year = id_arg(request.args.get("year")) or year
    quarter = id_arg(request.args.get("quarter")) or quarter
    quarter = quarter if 1 <= quarter <= 4 else 1
    company_form, check_form, review_form = ListedForm(prefix="c"), CheckForm(prefix="k"), ReviewForm(prefix="r")
    check_form.company.choices = [(str(c.id), f"{c.stock_code} {c.enterprise.name}")
                                  for c in db.session.scalars(select(ListedCompany).order_by(ListedCompany.stock_code))]
    if request.method == "GET":
        check_form.year.data, check_form.quarter.data = year, str(quarter)
        review_form.year.data = year
    status = 200
    try:
        if "c-stock_code" in request.form and company_form.validate_on_submit():
            enterprise = _enterprise_by_code(company_form.credit_code.data)
            if enterprise is None:
                raise listed.ListedError("登记库中没有这家企业。")
            listed.add_company(current_user, enterprise, company_form.stock_code.data)
            flash("已加入上市公司名单。", "success")
            return redirect(url_for("finrisk.listed_companies"))
        if "k-pledge_ratio" in request.form and check_form.validate_on_submit():
            company = db.session.get(ListedCompany, int(check_form.company.data)) or abort(404)
            listed.record_check(current_user, company, check_form.year.data, int(check_form.quarter.data),
                                check_form.pledge_ratio.data, check_form.bonds_outstanding.data,
                                check_form.bonds_due_year.data, check_form.note.data or "")
            flash("已登记季度摸排。", "success")
            return redirect(url_for("finrisk.listed_companies", year=check_form.year.data, quarter=check_form.quarter.data))
        if "r-findings" in request.form and review_form.validate_on_submit():
            prompts = _prompts(review_form.prompts.data or "")
            listed.record_review(current_user, review_form.year.data, int(review_form.half.data),
                                 review_form.held_on.data, review_form.participants.data, review_form.findings.data,
                                 prompts, review_form.deadline.data)
            flash(f"已登记半年研判，{len(prompts)} 条风险提示已交属地县（市、区）。", "success")
            return redirect(url_for("finrisk.listed_companies"))
    except listed.ListedError as exc:
        flash(str(exc), "danger")
        status = 422
    if request.method == "POST" and status == 200:
        status = 422
    return render_template("finrisk/listed.html", rows=listed.checklist(year, quarter), year=year, quarter=quarter,
                           company_form=company_form, check_form=check_form, review_form=review_form,
                           reviews=listed.reviews()), status


def _prompts(text: str) -> list:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, _, note = line.strip().partition(" ")
        enterprise = _enterprise_by_code(code)
        if enterprise is None or not note.strip():
            raise listed.ListedError(f"风险提示第 {number} 行：应为“统一社会信用代码 提示内容”，且企业在登记库中。")
        out.append((enterprise, note.strip()))
    return out


# -- evasion blacklist ----------------------------------------------------------------------------
BLACKLIST_COLUMNS = [("认定日期", lambda e: e.found_on), ("企业", lambda e: e.enterprise.name if e.enterprise else ""),
                     ("统一社会信用代码", lambda e: e.enterprise.credit_code if e.enterprise else ""),
                     ("个人", lambda e: e.person_name), ("身份证号（掩码）", lambda e: e.person_id_masked),
                     ("债权银行", lambda e: e.bank.name if e.bank else ""), ("认定依据", lambda e: e.basis),
                     ("移出日期", lambda e: e.lifted_on), ("移出理由", lambda e: e.lift_reason)]


@bp.route("/blacklist")
@role_required(R.FINANCE_REGULATOR, R.ORGANIZATION)
def blacklist_list():
    form = BlacklistFilterForm(request.args)
    stmt = blacklist.blacklist_query(q=form.q.data or "", state=form.state.data or "", today=local_today())
    return list_or_export(stmt, template="finrisk/blacklist.html", export_stem="恶意逃废银行债务黑名单",
                          columns=BLACKLIST_COLUMNS, form=form, effects=blacklist.EFFECTS)


@bp.route("/blacklist/new", methods=["GET", "POST"])
@role_required(R.FINANCE_REGULATOR)
def blacklist_new():
    form = EvasionForm()
    _bank_field(form.bank)
    if request.method == "GET":
        form.credit_code.data = request.args.get("code", "")
    if form.validate_on_submit():
        enterprise = _enterprise_by_code(form.credit_code.data) if form.credit_code.data else None
        if form.credit_code.data and enterprise is None:
            form.credit_code.errors.append("登记库中没有这家企业。")
        else:
            try:
                blacklist.add(current_user, enterprise=enterprise, person_name=form.person_name.data or "",
                              id_no=form.id_number.data or "", found_on=form.found_on.data, basis=form.basis.data,
                              bank_id=id_arg(form.bank.data))
            except blacklist.BlacklistError as exc:
                form.basis.errors.append(str(exc))
            else:
                flash("已列入恶意逃废银行债务黑名单，联合惩戒即时生效。", "success")
                return redirect(url_for("finrisk.blacklist_list"))
    return render_template("finrisk/blacklist_new.html", form=form, effects=blacklist.EFFECTS)


@bp.route("/blacklist/<int:entry_id>/lift", methods=["GET", "POST"])
@role_required(R.FINANCE_REGULATOR)
def blacklist_lift(entry_id: int):
    entry = db.session.get(EvasionEntry, entry_id) or abort(404)
    form = LiftForm()
    if request.method == "GET":
        form.on.data = local_today()
    if form.validate_on_submit():
        try:
            blacklist.lift(current_user, entry, form.on.data, form.reason.data)
        except blacklist.BlacklistError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash("已移出黑名单。", "success")
            return redirect(url_for("finrisk.blacklist_list"))
    return render_template("finrisk/blacklist_lift.html", form=form, entry=entry)
