"""Directory pages: the mechanism (conveners, office, member units with leader and liaison), the
duty matrix, settings, imports of members and duties, courts and administrators, the risk rule."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from govsvc.auth.access import role_required
from govsvc.bankruptcy import directory
from govsvc.bankruptcy.access import ALL, READERS, STAFF, ServiceError, require_office
from govsvc.bankruptcy.forms import (AddMemberForm, AdministratorForm, ConfirmForm, ConvenerForm, CourtForm, ImportForm,
                                     MemberForm, RulesForm, SettingsForm)
from govsvc.bankruptcy.models import Convener, Member
from govsvc.bankruptcy.views import bp, csv_template, refused, user
from govsvc.exports import download
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.registry.models import Unit
from govsvc.tables import TableError
from scoring import bankruptcy as core


@bp.route("/directory")
@role_required(*ALL)
def directory_page():
    settings = directory.mechanism()
    duties = directory.duties()
    members = directory.members()
    fmt = request.args.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = ["单位代码", "成员单位", "分管负责同志", "职务", "联络人", "联络人职务", "联络人电话", "牵头事项", "配合事项"]
        lead, support = _duty_index(duties)
        rows = [[m.unit.code, m.unit.name, m.leader_name, m.leader_post, m.liaison_name, m.liaison_post,
                 m.liaison_phone, "、".join(lead.get(m.unit_id, [])), "、".join(support.get(m.unit_id, []))]
                for m in members]
        return download("府院联动成员单位", header, rows, fmt)
    lead, support = _duty_index(duties)
    return render_template("bankruptcy/directory.html", settings=settings, office=directory.office_name(settings),
                           conveners=directory.conveners(), members=members, duties=duties, lead=lead, support=support,
                           schedule={6: "每半年一次", 12: "每年一次", 3: "每季度一次", 0: "不定期"})


def _duty_index(duties) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    lead: dict[int, list[str]] = {}
    support: dict[int, list[str]] = {}
    for duty in duties:
        for du in duty.units:
            (lead if du.lead else support).setdefault(du.unit_id, []).append(duty.type_label)
    return lead, support


@bp.route("/duties")
@role_required(*ALL)
def duties():
    rows = directory.duties()
    fmt = request.args.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = ["协调事项", "牵头单位", "配合单位", "职责分工"]
        data = [[d.type_label, "、".join(u.name for u in d.lead_units), "、".join(u.name for u in d.support_units), d.duty]
                for d in rows]
        return download("协调事项职责分工", header, data, fmt)
    return render_template("bankruptcy/duties.html", duties=rows)


@bp.route("/directory/settings", methods=["GET", "POST"])
@role_required(*STAFF)
def settings():
    current = directory.mechanism()
    form = SettingsForm(obj=current) if request.method == "GET" else SettingsForm()
    if request.method == "GET":
        form.office_unit.data = current.office_unit.code if current.office_unit else ""
    convener_form = ConvenerForm(prefix="cv")
    if form.validate_on_submit():
        unit = directory.unit_by_code(form.office_unit.data)
        if unit is None:
            form.office_unit.errors.append(f"找不到单位代码“{form.office_unit.data}”。")
        else:
            try:
                directory.save_settings(user(), name=form.name.data, established_on=form.established_on.data,
                                        office_unit=unit, joint_months=form.joint_months.data,
                                        topic_months=form.topic_months.data, reply_days=form.reply_days.data)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash("机制设置已保存。", "success")
                return redirect(url_for("bankruptcy.directory_page"))
    return render_template("bankruptcy/settings.html", form=form, convener_form=convener_form,
                           conveners=directory.conveners())


@bp.route("/directory/conveners", methods=["POST"])
@role_required(*STAFF)
def add_convener():
    form = ConvenerForm(prefix="cv")
    if form.validate_on_submit():
        unit = directory.unit_by_code(form.unit_code.data)
        if form.unit_code.data and unit is None:
            flash(f"找不到单位代码“{form.unit_code.data}”。", "danger")
        else:
            try:
                directory.add_convener(user(), title=form.title.data, name=form.name.data, post=form.post.data or "",
                                       unit=unit)
            except ServiceError as exc:
                refused(None, exc)
            else:
                flash("已添加。", "success")
    else:
        for errors in form.errors.values():
            flash("；".join(errors), "danger")
    return redirect(url_for("bankruptcy.settings"))


@bp.route("/directory/conveners/<int:convener_id>/retire", methods=["POST"])
@role_required(*STAFF)
def retire_convener(convener_id: int):
    convener = db.session.get(Convener, convener_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        directory.retire_convener(user(), convener)
        flash(f"{convener.name}已从召集人名单中移出（保留记录）。", "success")
    return redirect(url_for("bankruptcy.settings"))


@bp.route("/directory/members/<int:unit_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def member(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    row = db.session.scalar(db.select(Member).where(Member.unit_id == unit.id))
    form = MemberForm(obj=row) if request.method == "GET" and row else MemberForm()
    if form.validate_on_submit():
        require_office(user())
        directory.save_member(user(), unit, {k: form[k].data for k in directory.MEMBER_FIELDS}, active=form.active.data)
        flash(f"{unit.name}的成员信息已保存。", "success")
        return redirect(url_for("bankruptcy.directory_page") + f"#unit-{unit.code}")
    return render_template("bankruptcy/member.html", unit=unit, member=row, form=form,
                           duties=directory.duties_of_unit(unit.id))


@bp.route("/directory/members/add", methods=["POST"])
@role_required(*STAFF)
def add_member():
    form = AddMemberForm(prefix="add")
    if form.validate_on_submit():
        unit = directory.unit_by_code(form.unit_code.data)
        if unit is None:
            flash(f"找不到单位代码“{form.unit_code.data}”。", "danger")
            return redirect(url_for("bankruptcy.directory_page"))
        return redirect(url_for("bankruptcy.member", unit_id=unit.id))
    flash("请填写单位代码。", "danger")
    return redirect(url_for("bankruptcy.directory_page"))


@bp.route("/directory/import", methods=["GET", "POST"])
@role_required(*STAFF)
def directory_import():
    form, report = ImportForm(), None
    if request.method == "GET" and request.args.get("kind") in ("bankruptcy_members", "bankruptcy_duties"):
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        require_office(user())
        upload = form.file.data
        kind = KINDS[form.kind.data]
        try:
            result = run_import(kind(), upload.read(), upload.filename or "upload.csv", valid_only=form.mode.data == "valid",
                                dry_run=form.mode.data == "check", actor=(user().id, user().username))
        except TableError as exc:
            form.file.errors.append(str(exc))
        else:
            report = result.as_dict()
            if not result.applied:
                db.session.rollback()
    kind = KINDS[form.kind.data or "bankruptcy_members"]
    return render_template("bankruptcy/directory_import.html", form=form, report=report, columns=kind.columns,
                           kinds=[KINDS["bankruptcy_members"], KINDS["bankruptcy_duties"]])


TEMPLATES = {
    "bankruptcy_members": [["RSJ", "王某某", "副局长", "李某某", "失业保险科科长", "0533-0000000"]],
    "bankruptcy_duties": [["民生保障/职工安置", "RSJ", "ZF-ZD、MZJ", "指导职工劳动关系处理和就业安置……"]],
}


@bp.route("/directory/<kind>-template.csv")
@role_required(*STAFF)
def directory_template(kind: str):
    if kind not in TEMPLATES:
        abort(404)
    return csv_template(kind, [c.label for c in KINDS[kind].columns], TEMPLATES[kind])  # imports read either header


@bp.route("/parties", methods=["GET", "POST"])
@role_required(*READERS)
def parties():
    court_form, admin_form = CourtForm(prefix="court"), AdministratorForm(prefix="adm")
    if request.method == "POST":
        try:
            if "court-name" in request.form and court_form.validate_on_submit():
                directory.add_court(user(), name=court_form.name.data, district=court_form.district.data or "")
                flash("法院已登记。", "success")
                return redirect(url_for("bankruptcy.parties"))
            if "adm-name" in request.form and admin_form.validate_on_submit():
                directory.add_administrator(user(), name=admin_form.name.data, kind=admin_form.kind.data,
                                            contact=admin_form.contact.data or "", phone=admin_form.phone.data or "")
                flash("管理人已登记。", "success")
                return redirect(url_for("bankruptcy.parties"))
        except ServiceError as exc:
            refused(court_form if "court-name" in request.form else admin_form, exc)
    return render_template("bankruptcy/parties.html", courts=directory.courts(), administrators=directory.administrators(),
                           court_form=court_form, admin_form=admin_form)


@bp.route("/rules", methods=["GET", "POST"])
@role_required(*READERS)
def rules():
    settings = directory.mechanism()
    form = RulesForm()
    if request.method == "GET":
        form.rules.data = settings.risk_rules
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors.append("请勾选确认后保存。")
        else:
            try:
                directory.save_risk_rules(user(), form.rules.data)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash("受理预警评分规则已更新，此后的评估按新规则进行。", "success")
                return redirect(url_for("bankruptcy.rules"))
    current = core.parse_risk_rules(settings.risk_rules)
    return render_template("bankruptcy/rules.html", form=form, rules=current, text=settings.risk_rules,
                           levels=core.RISK_LEVELS, factors=core.FACTORS)
