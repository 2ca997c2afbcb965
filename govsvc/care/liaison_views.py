"""Leader liaison pages: the served list and the 分工名单, leaders, the offices' contacts, county
coverage and county assignments, contact records, and the counties' plans (备案)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.care import county_plans, liaison
from govsvc.care.liaison_access import (OFFICE_DESK, OFFICE_HOTLINE, CareError, NotAllowed, county_unit, is_office,
                                        require_county, require_office)
from govsvc.care.liaison_contacts import first_meetings, meeting_state, may_read_all, record_contact, contacts_query
from govsvc.care.liaison_forms import (AssignForm, CityLeaderForm, ComposeForm, ConfirmForm, ContactFilterForm,
                                       ContactForm, CountyLeaderForm, CountyPlanForm, CoverageFilterForm, ImportForm,
                                       LeaderFilterForm, ListFilterForm, OfficeContactForm, PlanReviewForm, confirm_with)
from govsvc.care.liaison_imports import import_assignments
from govsvc.care.liaison_leaders import (city_leaders, county_leaders, leaders_query, may_edit, office_contacts,
                                         office_units, profile_of, save_city_leader, save_county_leader,
                                         save_office_contact)
from govsvc.care.models import CountyPlan, LeaderProfile, LiaisonAssignment
from govsvc.care.views import LIAISON_READERS, bp, form_error, user
from govsvc.exports import FORMATS, download
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise, Unit
from govsvc.registry.service import districts
from govsvc.tables import TableError
from govsvc.timeutil import local_today
from govsvc.web import id_arg
from scoring import liaison as core


def find_enterprise(text: str) -> Enterprise | None:
    text = (text or "").strip()
    if not text:
        return None
    return db.session.scalar(select(Enterprise).where(or_(Enterprise.credit_code == text.upper(), Enterprise.name == text))
                             .order_by(Enterprise.id).limit(1))


def leader_or_none(raw) -> LeaderProfile | None:
    leader_id = id_arg(raw)
    return db.session.get(LeaderProfile, leader_id) if leader_id else None


def leader_choices(leaders, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(str(p.id), p.label) for p in leaders]
    return ([("", blank)] if blank is not None else []) + choices


# -- the served list -------------------------------------------------------------------------------
LIST_COLUMNS = [
    ("来源", lambda r: r[0].source_label), ("排名", lambda r: r[0].rank), ("企业名称", lambda r: r[1].name),
    ("统一社会信用代码", lambda r: r[1].credit_code), ("区县", lambda r: r[1].district), ("行业", lambda r: r[1].industry),
    ("集团", lambda r: r[0].group_name), ("地方留成（元）", lambda r: r[0].amount),
    ("随集团联系（母公司）", lambda r: r[0].via.name if r[0].via else ""),
    ("联系领导", lambda r: r[2].leader.name if r[2] else ""), ("职务", lambda r: r[2].leader.post if r[2] else ""),
    ("分管领域", lambda r: r[2].leader.field if r[2] else ""), ("分工依据", lambda r: r[2].note if r[2] else ""),
]


@bp.route("/list")
@role_required(*LIAISON_READERS)
def served_list_current():
    return redirect(url_for(".served_list", year=liaison.current_year()))


@bp.route("/list/<int(min=1990, max=2100):year>")
@role_required(*LIAISON_READERS)
def served_list(year: int):
    lst = liaison.get_list(year)
    u = user()
    if lst is None:
        return render_template("care/list_empty.html", year=year, office=is_office(u),
                               form=ComposeForm(formdata=None, data={"year": year}))
    form = ListFilterForm(request.args)
    form.district.choices = [("", "全部")] + [(d, d) for d in districts()]
    form.leader.choices = [("", "全部")] + leader_choices(city_leaders(active_only=False))
    stmt = liaison.entries_query(lst, q=form.q.data or "", source=form.source.data or "",
                                 district=form.district.data or "", assigned=form.assigned.data or "",
                                 leader_id=id_arg(form.leader.data))
    today = local_today()
    return list_or_export(stmt, template="care/list.html", export_stem=f"{year}年市级领导联系服务重点企业名单",
                          columns=LIST_COLUMNS, scalars=False, form=form, lst=lst, office=is_office(u),
                          counts=liaison.source_counts(lst), unassigned=liaison.unassigned_count(lst),
                          meetings=first_meetings(year), meeting_state=meeting_state, today=today,
                          confirm_form=confirm_with("我已核对纳税200强和30家新业态企业名单，确认确定名单。"),
                          publish_form=confirm_with("我已核对分工名单，确认印发。"),
                          compose_form=ComposeForm(formdata=None, data={"year": year}),
                          due={k: core.due_date(k, year) for k in (core.LIST_DUE, core.ASSIGNMENT_DUE, core.CONTACT_DUE)})


def _list_or_404(year: int):
    return liaison.get_list(year) or abort(404)


@bp.route("/list/compose", methods=["POST"])
@role_required(R.DEPARTMENT)
def compose_list():
    require_office(user())
    form = ComposeForm()
    if form.validate_on_submit():
        try:
            lst = liaison.compose_list(user(), form.year.data)
        except CareError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(f"已生成{lst.year}年名单草案：纳税200强与新业态企业，请核对后确定。", "success")
            return redirect(url_for(".served_list", year=lst.year))
    else:
        flash("；".join(e for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for(".served_list", year=form.year.data or liaison.current_year()))


def _list_step(year: int, step, done: str):
    """A confirmed step on the year's list (确定名单, 印发分工名单); the outcome as a message."""
    lst = _list_or_404(year)
    if not ConfirmForm().validate_on_submit():
        flash("请勾选确认后再提交。", "danger")
    else:
        try:
            step(user(), lst)
        except CareError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(done, "success")
    return redirect(url_for(".served_list", year=year))


@bp.route("/list/<int(min=1990, max=2100):year>/confirm", methods=["POST"])
@role_required(R.DEPARTMENT)
def confirm_list(year: int):
    return _list_step(year, liaison.confirm_list, f"{year}年联系服务对象名单已确定，可以分工。")


@bp.route("/list/<int(min=1990, max=2100):year>/publish", methods=["POST"])
@role_required(R.DEPARTMENT)
def publish_list(year: int):
    return _list_step(year, liaison.publish_assignments, f"{year}年市级领导联系服务重点企业分工名单已印发。")


@bp.route("/list/<int(min=1990, max=2100):year>/assign", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def assign(year: int):
    require_office(user())
    lst = _list_or_404(year)
    form = AssignForm()
    form.leader.choices = leader_choices(city_leaders(), blank="请选择")
    if request.method == "GET" and request.args.get("enterprise"):
        form.enterprise.data = request.args["enterprise"]
    if form.validate_on_submit():
        enterprise = find_enterprise(form.enterprise.data)
        leader = leader_or_none(form.leader.data)
        if enterprise is None:
            form.enterprise.errors.append("登记库中找不到该企业（请填写全称或统一社会信用代码）。")
        elif leader is None:
            form.leader.errors.append("请选择联系领导。")
        else:
            try:
                liaison.assign_city(user(), lst, enterprise, leader, form.note.data or "")
            except CareError as exc:
                form_error(form, exc)
            else:
                flash(f"{enterprise.name}：联系领导为{leader.label}。", "success")
                return redirect(url_for(".served_list", year=year, assigned="0"))
    return render_template("care/form_page.html", form=form, title=f"{year}年分工：明确联系领导", submit="保存分工",
                           back=(url_for(".served_list", year=year), f"{year}年名单"),
                           lead="根据市级领导工作分工、熟悉专业领域明确联系企业。集团成员随集团母公司联系，不单独分工。")


@bp.route("/list/<int(min=1990, max=2100):year>/import", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def import_list(year: int):
    require_office(user())
    lst = _list_or_404(year)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = import_assignments(user(), lst, upload.read(), upload.filename or "upload.csv",
                                        valid_only=form.valid_only.data).as_dict()
        except (TableError, CareError) as exc:
            db.session.rollback()
            form.file.errors.append(str(exc))
        else:
            if not report["applied"]:
                db.session.rollback()
    return render_template("care/import.html", form=form, report=report, lst=lst)


# -- leaders -----------------------------------------------------------------------------------------
LEADER_COLUMNS = [
    ("姓名", lambda p: p.name), ("职务", lambda p: p.post), ("层级", lambda p: p.level_label),
    ("区县", lambda p: p.district), ("办公室（单位）", lambda p: p.office.name), ("分管领域", lambda p: p.field),
    ("工作分工", lambda p: p.duties), ("在职", lambda p: p.active), ("账号", lambda p: p.user.username if p.user else ""),
]


@bp.route("/leaders")
@role_required(*LIAISON_READERS)
def leaders():
    form = LeaderFilterForm(request.args)
    form.district.choices = [("", "全部")] + [(d, d) for d in liaison.county_districts()]
    stmt = leaders_query(q=form.q.data or "", level=form.level.data or "", district=form.district.data or "",
                         active=form.active.data or "")
    u = user()
    return list_or_export(stmt, template="care/leaders.html", export_stem="联系服务企业领导", columns=LEADER_COLUMNS,
                          form=form, can_add=is_office(u) or county_unit(u) is not None)


def _leader_form(profile: LeaderProfile | None):
    u = user()
    city = (profile.level == core.CITY) if profile is not None else is_office(u)
    if profile is None and not (is_office(u) or county_unit(u) is not None):
        raise NotAllowed("adds leaders: the office, county governments")
    if profile is not None and not may_edit(u, profile):
        raise NotAllowed("edits another body's leader")
    if city:
        form = CityLeaderForm(obj=profile)
        form.office_code.choices = [("", "请选择")] + [(o.code, o.name) for o in office_units()]
        if request.method == "GET" and profile is not None:
            form.username.data = profile.user.username if profile.user else ""
            form.office_code.data = profile.office.code
    else:
        form = CountyLeaderForm(obj=profile)
    if form.validate_on_submit():
        data = {name: form[name].data for name in ("name", "post", "field", "duties", "sort_order", "active")}
        data["sort_order"] = data["sort_order"] if data["sort_order"] is not None else 100
        try:
            if city:
                data.update(username=form.username.data, office_code=form.office_code.data)
                saved = save_city_leader(u, profile, data)
            else:
                saved = save_county_leader(u, profile, data)
        except CareError as exc:
            form_error(form, exc)
        else:
            flash(f"已保存：{saved.label}。", "success")
            return redirect(url_for(".leader", leader_id=saved.id))
    title = ("修改" if profile else "新增") + ("市级领导" if city else "县级领导")
    return render_template("care/form_page.html", form=form, title=title, submit="保存",
                           back=(url_for(".leaders"), "联系服务企业领导"))


@bp.route("/leaders/new", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def new_leader():
    return _leader_form(None)


@bp.route("/leaders/<int(max=2147483647):leader_id>/edit", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def edit_leader(leader_id: int):
    return _leader_form(db.session.get(LeaderProfile, leader_id) or abort(404))


@bp.route("/leaders/<int(max=2147483647):leader_id>")
@role_required(*LIAISON_READERS)
def leader(leader_id: int):
    profile = db.session.get(LeaderProfile, leader_id) or abort(404)
    year = liaison.current_year()
    assignments = db.session.scalars(liaison.leader_enterprises_query(profile, year)).all()
    u = user()
    own = profile_of(u)
    contacts = None
    if (own is not None and own.id == profile.id) or may_read_all(u):
        contacts = db.session.scalars(contacts_query(u, leader_id=profile.id).limit(10)).all()
    meetings = first_meetings(year, [a.enterprise_id for a in assignments]) if profile.level == core.CITY else {}
    return render_template("care/leader.html", profile=profile, year=year, assignments=assignments, contacts=contacts,
                           can_edit=may_edit(u, profile), meetings=meetings, meeting_state=meeting_state,
                           today=local_today())


# -- the leaders' offices' contacts --------------------------------------------------------------------
@bp.route("/offices")
@role_required(*LIAISON_READERS)
def offices():
    return render_template("care/offices.html", rows=office_contacts(), office=is_office(user()),
                           hotline=OFFICE_HOTLINE, desk=OFFICE_DESK)


@bp.route("/offices/<code>", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def edit_office(code: str):
    require_office(user())
    unit = next((u for u in office_units() if u.code == code), None) or abort(404)
    contact = next(c for u, c in office_contacts() if u.id == unit.id)
    form = OfficeContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            save_office_contact(user(), unit, name=form.name.data, phone=form.phone.data, note=form.note.data or "")
        except CareError as exc:
            form_error(form, exc)
        else:
            flash(f"{unit.name}的指定联系人已保存。", "success")
            return redirect(url_for(".offices"))
    return render_template("care/form_page.html", form=form, title=f"{unit.name}：参加服务企业活动指定联系人",
                           submit="保存", back=(url_for(".offices"), "领导办公室联系人"))


# -- county coverage -----------------------------------------------------------------------------------
COVERAGE_HEADER = ["区县", "规上企业", "市级领导联系", "县级领导联系", "市县重复", "缺口"]
PLAN_HEADER = ["区县", "方案", "状态", "首次报送", "是否按时", "服务企业活动联系电话", "负责人"]
@bp.route("/coverage/<int(min=1990, max=2100):year>")
@role_required(*LIAISON_READERS)
def coverage(year: int):
    units = {u.district: u for u in county_plans.county_units()}
    rows = liaison.coverage(year)
    if request.args.get("format") in FORMATS:
        return download(f"{year}年区县规上企业联系覆盖情况", COVERAGE_HEADER,
                        ([r.district, r.total, r.by_city, r.by_county, r.overlaps, len(r.gaps)] for r in rows),
                        request.args["format"])
    return render_template("care/coverage.html", year=year, rows=rows, units=units,
                           lst=liaison.get_list(year))


def _county_or_404(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code, Unit.level == "county"))
    if unit is None or not code.startswith("ZF-"):
        abort(404)
    return unit


COUNTY_COLUMNS = [
    ("企业名称", lambda r: r[0].name), ("统一社会信用代码", lambda r: r[0].credit_code), ("行业", lambda r: r[0].industry),
    ("联系情况", lambda r: liaison.COVERAGE_STATES[liaison.coverage_state(r[1], r[2])]),
    ("县级联系领导", lambda r: r[2].leader.label if r[2] else ""),
    ("市级联系领导", lambda r: r[3].leader.label if r[3] else ""),
    ("市级名单", lambda r: r[1].source_label if r[1] else ""),
]


@bp.route("/county/<code>/<int(min=1990, max=2100):year>")
@role_required(*LIAISON_READERS)
def county(code: str, year: int):
    unit = _county_or_404(code)
    form = CoverageFilterForm(request.args)
    stmt = liaison.county_enterprises_query(year, unit.district, q=form.q.data or "", state=form.state.data or "")
    own = county_unit(user())
    editable = own is not None and own.id == unit.id
    assign_form = None
    if editable:
        assign_form = AssignForm(formdata=None, data={"enterprise": request.args.get("enterprise", "")})
        assign_form.leader.choices = leader_choices(county_leaders(unit), blank="请选择")
    return list_or_export(stmt, template="care/county.html", export_stem=f"{year}年{unit.district}规上企业联系服务",
                          columns=COUNTY_COLUMNS, scalars=False, form=form, unit=unit, year=year,
                          summary=next(iter(liaison.coverage(year, unit.district)), None), editable=editable,
                          assign_form=assign_form, state_of=liaison.coverage_state, states=liaison.COVERAGE_STATES,
                          plan=county_plans.plan_of(unit.id, year))


@bp.route("/county/<code>/<int(min=1990, max=2100):year>/assign", methods=["POST"])
@role_required(R.DEPARTMENT)
def county_assign(code: str, year: int):
    unit = _county_or_404(code)
    if require_county(user()).id != unit.id:
        raise NotAllowed("another county")
    form = AssignForm()
    form.leader.choices = leader_choices(county_leaders(unit), blank="请选择")
    if form.validate_on_submit():
        enterprise = find_enterprise(form.enterprise.data)
        leader_ = leader_or_none(form.leader.data)
        try:
            if enterprise is None:
                raise CareError("登记库中找不到该企业。", "enterprise")
            if leader_ is None:
                raise CareError("请选择县级领导。", "leader")
            liaison.assign_county(user(), year, enterprise, leader_, form.note.data or "")
        except CareError as exc:
            db.session.rollback()
            flash(f"未保存：{exc}", "danger")
        else:
            flash(f"{enterprise.name}：县级联系领导为{leader_.label}。", "success")
    else:
        flash("；".join(e for errors in form.errors.values() for e in errors), "danger")
    return redirect(url_for(".county", code=code, year=year, state="gap"))


@bp.route("/county/assignments/<int(max=2147483647):assignment_id>/remove", methods=["POST"])
@role_required(R.DEPARTMENT)
def county_unassign(assignment_id: int):
    assignment = db.session.get(LiaisonAssignment, assignment_id) or abort(404)
    unit, year = assignment.leader.office, assignment.year
    if ConfirmForm().validate_on_submit():
        liaison.remove_county_assignment(user(), assignment)
        flash("已取消该企业的县级联系分工。", "success")
    else:
        flash("请勾选确认后再提交。", "danger")
    return redirect(url_for(".county", code=unit.code, year=year))


# -- contact records -----------------------------------------------------------------------------------
CONTACT_COLUMNS = [
    ("日期", lambda c: c.contact_on), ("联系领导", lambda c: c.leader.label), ("企业", lambda c: c.enterprise.name),
    ("方式", lambda c: c.kind_label), ("联系情况", lambda c: c.summary), ("反映的问题", lambda c: c.problems),
]


@bp.route("/contacts")
@role_required(R.LEADER, R.DEPARTMENT, R.ADMIN)
def contacts():
    form = ContactFilterForm(request.args)
    u = user()
    stmt = contacts_query(u, q=form.q.data or "", kind=form.kind.data or "", leader_id=id_arg(request.args.get("leader")))
    return list_or_export(stmt, template="care/contacts.html", export_stem="联系服务记录", columns=CONTACT_COLUMNS,
                          form=form, can_add=profile_of(u) is not None or is_office(u))


@bp.route("/contacts/new", methods=["GET", "POST"])
@role_required(R.LEADER, R.DEPARTMENT)
def new_contact():
    u = user()
    own = profile_of(u)
    if own is None and not is_office(u):
        raise NotAllowed("records contacts: leaders, the office")
    year = liaison.current_year()
    form = ContactForm()
    if own is not None:
        del form.leader
        pairs = db.session.scalars(liaison.leader_enterprises_query(own, year)).all()
    else:
        form.leader.choices = leader_choices(city_leaders(), blank="请选择")
        pairs = db.session.scalars(select(LiaisonAssignment).join(Enterprise).where(
            LiaisonAssignment.year == year, LiaisonAssignment.level == core.CITY).order_by(Enterprise.name)).all()
    form.enterprise.choices = [("", "请选择")] + [(str(a.enterprise_id), a.enterprise.name) for a in pairs]
    if request.method == "GET":
        form.contact_on.data = local_today()
        form.enterprise.data = request.args.get("enterprise", "")
    if form.validate_on_submit():
        enterprise = db.session.get(Enterprise, id_arg(form.enterprise.data) or 0)
        try:
            if enterprise is None:
                raise CareError("请选择企业。", "enterprise")
            contact = record_contact(u, enterprise=enterprise, leader=leader_or_none(form.leader.data) if own is None else own,
                                     kind=form.kind.data, contact_on=form.contact_on.data, summary=form.summary.data,
                                     problems=form.problems.data or "")
        except CareError as exc:
            form_error(form, exc)
        else:
            flash("联系记录已保存。", "success")
            if contact.problems:
                flash("企业反映了困难和问题，可登记为诉求逐级协调解决。", "info")
                return redirect(url_for(".new_appeal", contact=contact.id))
            return redirect(url_for(".contacts"))
    return render_template("care/form_page.html", form=form, title="登记联系服务记录", submit="保存",
                           back=(url_for(".contacts"), "联系服务记录"),
                           lead="见面建联（交换联系方式、建立微信群）须在10月31日前完成；蹲点调研、走访、电话微信联系随时登记。")


# -- county plans (备案) ---------------------------------------------------------------------------------
@bp.route("/plans")
@role_required(*LIAISON_READERS)
def plans():
    year = id_arg(request.args.get("year"))
    year = year if year and 1990 <= year <= 2100 else liaison.current_year()
    own = county_unit(user())
    rows = county_plans.overview(year)
    if own is not None:
        rows = [r for r in rows if r[0].id == own.id]
    if request.args.get("format") in FORMATS:
        return download(f"{year}年区县联系服务企业方案备案", PLAN_HEADER, (
            [unit.name, plan.title if plan else "", plan.status_label if plan else "未制定",
             plan.first_submitted_on if plan else None, core.TIMELINESS_LABELS[state], plan.hotline if plan else "",
             plan.hotline_person if plan else ""] for unit, plan, state in rows), request.args["format"])
    return render_template("care/plans.html", rows=rows, year=year, own=own, due=core.due_date(core.COUNTY_PLAN_DUE, year),
)


def _plan_or_404(plan_id: int) -> CountyPlan:
    plan = db.session.get(CountyPlan, plan_id) or abort(404)
    if not county_plans.may_read(user(), plan):
        raise NotAllowed("another county's plan")
    return plan


def _plan_form(plan: CountyPlan | None):
    u = user()
    require_county(u)
    form = CountyPlanForm(obj=plan)
    if request.method == "GET" and plan is None:
        form.year.data = liaison.current_year()
    if form.validate_on_submit():
        try:
            saved = county_plans.save_plan(u, plan, year=plan.year if plan else form.year.data, title=form.title.data,
                                           content=form.content.data, hotline=form.hotline.data or "",
                                           hotline_person=form.hotline_person.data or "")
        except CareError as exc:
            form_error(form, exc)
        else:
            flash("方案已保存（尚未报送）。", "success")
            return redirect(url_for(".plan", plan_id=saved.id))
    return render_template("care/form_page.html", form=form, title="区县联系服务企业落实方案", submit="保存草稿",
                           back=(url_for(".plans"), "区县方案备案"),
                           lead="各区县参照市级做法建立工作机制、制定工作方案、落实工作责任，10月20日前报市重点企业联络员工作办公室备案。")


@bp.route("/plans/new", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def new_plan():
    return _plan_form(None)


@bp.route("/plans/<int(max=2147483647):plan_id>/edit", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def edit_plan(plan_id: int):
    return _plan_form(_plan_or_404(plan_id))


@bp.route("/plans/<int(max=2147483647):plan_id>")
@role_required(*LIAISON_READERS)
def plan(plan_id: int):
    item = _plan_or_404(plan_id)
    u = user()
    own = county_unit(u)
    return render_template("care/plan.html", plan=item, state=county_plans.timeliness(item, item.year),
                           due=core.due_date(core.COUNTY_PLAN_DUE, item.year),
                           can_edit=own is not None and own.id == item.unit_id and item.status in county_plans.EDITABLE,
                           can_review=is_office(u) and item.status == "submitted",
                           submit_form=confirm_with("我已核对方案，确认报送市重点企业联络员工作办公室备案。"),
                           review_form=PlanReviewForm(formdata=None))


@bp.route("/plans/<int(max=2147483647):plan_id>/submit", methods=["POST"])
@role_required(R.DEPARTMENT)
def submit_plan(plan_id: int):
    item = _plan_or_404(plan_id)
    if not ConfirmForm().validate_on_submit():
        flash("请勾选确认后再报送。", "danger")
    else:
        try:
            county_plans.submit_plan(user(), item)
        except CareError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash("方案已报送市重点企业联络员工作办公室备案。", "success")
    return redirect(url_for(".plan", plan_id=plan_id))


@bp.route("/plans/<int(max=2147483647):plan_id>/review", methods=["POST"])
@role_required(R.DEPARTMENT)
def review_plan(plan_id: int):
    item = _plan_or_404(plan_id)
    form = PlanReviewForm()
    if form.validate_on_submit():
        try:
            county_plans.review_plan(user(), item, accept=form.decision.data == "accept", reason=form.reason.data or "")
        except CareError as exc:
            form_error(form, exc)
        else:
            flash("已予以备案。" if item.status == "accepted" else "已退回区县修改。", "success")
            return redirect(url_for(".plan", plan_id=plan_id))
    u = user()
    return render_template("care/plan.html", plan=item, state=county_plans.timeliness(item, item.year),
                           due=core.due_date(core.COUNTY_PLAN_DUE, item.year),
                           can_edit=False, can_review=is_office(u), submit_form=None, review_form=form)
