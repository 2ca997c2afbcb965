"""Guarantee networks (circles, mutual pairs, the widest-reaching defaults, a circle's picture) and
the 保/帮/关 classification with 一企一策 measures and city leaders' one-to-one links."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.auth.models import User, UserRole
from govsvc.charts import svg_response
from govsvc.extensions import db
from govsvc.finrisk import access, classify, network
from govsvc.finrisk.forms import (AssessmentFilterForm, ConfirmClassForm, IndicatorForm, ImportForm, LeaderForm,
                                  MeasureForm, ProposeForm)
from govsvc.finrisk.models import LeaderLink
from govsvc.finrisk.views import READERS, bp, post_form, reader
from govsvc.imports import run_import
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise, Unit
from govsvc.tables import TableError
from govsvc.timeutil import local_today
from govsvc.web import id_arg
from scoring import finrisk as core

CLASS_READERS = (R.FINANCE_REGULATOR, R.DEPARTMENT, R.LEADER)


@bp.route("/network")
@role_required(*READERS)
def network_index():
    user = reader()
    return render_template("finrisk/network.html", data=network.overview(user), bank=access.bank_of(user))


def _circle(enterprise_id: int):
    user = reader()
    found = network.circle_of(user, enterprise_id)
    if found is None:
        abort(404)
    return found


@bp.route("/network/circle/<int:enterprise_id>")
@role_required(*READERS)
def circle(enterprise_id: int):
    circle, rows, stats = _circle(enterprise_id)
    return render_template("finrisk/circle.html", circle=circle, rows=rows, stats=stats, enterprise_id=enterprise_id)


@bp.route("/network/circle/<int:enterprise_id>.svg")
@role_required(*READERS)
def circle_svg(enterprise_id: int):
    circle, rows, _ = _circle(enterprise_id)
    return svg_response(network.circle_svg(circle, rows))


# -- 保/帮/关 -------------------------------------------------------------------------------------
ASSESSMENT_COLUMNS = [("年度", lambda a: a.year), ("统一社会信用代码", lambda a: a.enterprise.credit_code),
                      ("企业", lambda a: a.enterprise.name), ("县（市、区）", lambda a: a.enterprise.district),
                      *[(label, (lambda k: lambda a: a.score_map.get(k))(key)) for key, label in core.DIMENSIONS.items()],
                      ("基本面得分", lambda a: a.fundamentals), ("风险信号", lambda a: a.signal_notes),
                      ("建议分类", lambda a: a.proposed_label), ("确认分类", lambda a: a.confirmed_label),
                      ("确认理由", lambda a: a.confirm_reason)]


@bp.route("/classes")
@role_required(*CLASS_READERS)
def classes():
    user = reader()
    form = AssessmentFilterForm(request.args)
    year = form.year.data if form.validate() else None
    stmt = classify.assessment_query(user, year=year, q=form.q.data or "", proposed=form.proposed.data or "",
                                     confirmed=form.confirmed.data or "")
    propose_form = ProposeForm(year=local_today().year)
    return list_or_export(stmt, template="finrisk/classes.html", export_stem="保帮关分类", columns=ASSESSMENT_COLUMNS,
                          form=form, propose_form=propose_form,
                          can_propose=access.is_regulator(user) or access.county_of(user) is not None)


@bp.route("/classes/propose", methods=["POST"])
@role_required(R.FINANCE_REGULATOR, R.DEPARTMENT)
def propose():
    user = current_user._get_current_object()
    access.require_county_or_regulator(user)
    form = ProposeForm()
    if not form.validate_on_submit():
        flash("年度无效。", "danger")
        return redirect(url_for("finrisk.classes"))
    count = classify.propose_all(user, form.year.data)
    flash(f"已按指标评价规则对 {count} 家风险企业提出 {form.year.data} 年度分类建议，请县（市、区）确认。", "success")
    return redirect(url_for("finrisk.classes", year=form.year.data))


@bp.route("/classes/import", methods=["GET", "POST"])
@role_required(R.FINANCE_REGULATOR, R.DEPARTMENT)
def import_indicators():
    user = current_user._get_current_object()
    county = access.require_county_or_regulator(user)
    form = ImportForm()
    kind = classify.IndicatorImport(only_district=county.district if county else None)
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = run_import(kind, upload.read(), upload.filename or "indicators.csv",
                                valid_only=form.mode.data == "valid", dry_run=form.mode.data == "check",
                                actor=(user.id, user.username))
        except TableError as exc:
            form.file.errors.append(str(exc))
        if report is not None and report.applied:
            flash("已导入企业评价指标；请重新生成分类建议。", "success")
    return render_template("finrisk/import.html", form=form, kind="indicators", label="企业评价指标", own=False,
                           columns=kind.columns, report=report.as_dict() if report else None)


def _assessment_page(item, status=200, **forms):
    user = current_user._get_current_object()
    ind = forms.get("indicator_form") or IndicatorForm(obj=item)
    measure = forms.get("measure_form") or MeasureForm()
    measure.unit.choices = [("", "企业所在县（市、区）政府")] + [
        (str(u.id), u.name) for u in db.session.scalars(select(Unit).order_by(Unit.level, Unit.code))]
    county = access.county_of(user)
    link = db.session.scalar(select(LeaderLink).where(LeaderLink.enterprise_id == item.enterprise_id))
    return render_template(
        "finrisk/assessment.html", item=item, indicator_form=ind, measure_form=measure,
        confirm_form=forms.get("confirm_form") or ConfirmClassForm(klass=item.confirmed or item.proposed),
        measures=classify.measures(item.enterprise_id), link=link,
        can_edit=access.is_regulator(user) or (county is not None and county.district == item.enterprise.district),
        can_confirm=county is not None and county.district == item.enterprise.district,
        dimensions=core.DIMENSIONS, tax_wan=classify.tax_wan(item.enterprise_id, item.year)), status


@bp.route("/classes/<int:assessment_id>")
@role_required(*CLASS_READERS)
def assessment(assessment_id: int):
    user = reader()
    return _assessment_page(classify.get_assessment(user, assessment_id))


def _assessment_post(assessment_id: int, key: str, form, act, done: str, field: str):
    user = reader()
    item = classify.get_assessment(user, assessment_id)
    return post_form(form, lambda f: act(user, item, f), classify.ClassifyError, field, done,
                     url_for("finrisk.assessment", assessment_id=item.id),
                     lambda: _assessment_page(item, status=422, **{key: form}))


@bp.route("/classes/<int:assessment_id>/indicators", methods=["POST"])
@role_required(R.FINANCE_REGULATOR, R.DEPARTMENT)
def edit_indicators(assessment_id: int):
    def act(user, item, f):
        classify.update_indicators(user, item, {
            "revenue_growth": float(f.revenue_growth.data), "rd_ratio": float(f.rd_ratio.data),
            "high_tech": f.high_tech.data, "structure": f.structure.data, "employees": f.employees.data})
    return _assessment_post(assessment_id, "indicator_form", IndicatorForm(), act, "指标已保存，分类建议已重新计算。",
                            "revenue_growth")


@bp.route("/classes/<int:assessment_id>/confirm", methods=["POST"])
@role_required(R.DEPARTMENT)
def confirm_class(assessment_id: int):
    return _assessment_post(assessment_id, "confirm_form", ConfirmClassForm(),
                            lambda u, i, f: classify.confirm(u, i, f.klass.data, f.reason.data), "分类已确认。", "klass")


@bp.route("/classes/<int:assessment_id>/measures", methods=["POST"])
@role_required(R.FINANCE_REGULATOR, R.DEPARTMENT)
def add_measure(assessment_id: int):
    form = MeasureForm()
    form.unit.choices = [("", "")] + [(str(u.id), u.name) for u in db.session.scalars(select(Unit))]
    return _assessment_post(assessment_id, "measure_form", form,
                            lambda u, i, f: classify.add_measure(u, i, f.title.data, f.description.data or "",
                                                                 id_arg(f.unit.data), f.deadline.data),
                            "已添加“一企一策”措施（台账事项）。", "title")


# -- 市领导"一对一" --------------------------------------------------------------------------------
@bp.route("/leaders")
@role_required(R.FINANCE_REGULATOR, R.LEADER)
def leaders():
    user = current_user._get_current_object()
    links = db.session.scalars(select(LeaderLink).order_by(LeaderLink.assigned_at.desc())).all()
    if not access.is_regulator(user):
        links = [link for link in links if link.leader_user_id in (None, user.id)]
    largest = classify.largest_risk_enterprises()
    linked = {link.enterprise_id: link for link in links}
    return render_template("finrisk/leaders.html", links=links, largest=largest, linked=linked,
                           regulator=access.is_regulator(user))


@bp.route("/leaders/<int:enterprise_id>", methods=["GET", "POST"])
@role_required(R.FINANCE_REGULATOR)
def assign_leader(enterprise_id: int):
    enterprise = db.session.get(Enterprise, enterprise_id) or abort(404)
    link = db.session.scalar(select(LeaderLink).where(LeaderLink.enterprise_id == enterprise_id))
    form = LeaderForm(obj=None)
    leaders = db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id)
                                 .where(UserRole.role == R.LEADER, User.active.is_(True)).order_by(User.username)).all()
    form.leader.choices = [("", "（不关联账号）")] + [(str(u.id), f"{u.display_name}（{u.username}）") for u in leaders]
    if request.method == "GET" and link is not None:
        form.leader.data = str(link.leader_user_id or "")
        form.name.data, form.post.data, form.note.data = link.leader_name, link.leader_post, link.note
    if form.validate_on_submit():
        try:
            classify.assign_leader(current_user, enterprise, id_arg(form.leader.data), form.name.data,
                                   form.post.data or "", form.note.data or "")
        except classify.ClassifyError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"已安排市领导 {form.name.data} “一对一”联系帮扶 {enterprise.name}。", "success")
            return redirect(url_for("finrisk.leaders"))
    return render_template("finrisk/leader_form.html", form=form, enterprise=enterprise, link=link)
