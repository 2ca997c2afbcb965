"""Grading pages for staff: rounds, the units' part, the combined grading, adjustment, approval.
Records, matters, the enterprise head's pages and the public list live in views_*.py on the
same blueprint."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from govsvc import confirm, nav
from govsvc.auth import roles as R
from govsvc.auth.access import refuse, role_required
from govsvc.charts import svg_response, to_png, to_svg
from govsvc.extensions import db
from govsvc.grading import charts as grading_charts
from govsvc.grading import inputs, matters, records, service, unitlists
from govsvc.grading.forms import (AdjustForm, NoteForm, ResultFilterForm, RoundFilterForm, RoundForm, RulesForm,
                                  SubmitRuleForm, UnitListForm)
from govsvc.grading.models import COMPUTED, DRAFT, RETURNED, SUBMITTED, GradingRound
from govsvc.lists import list_or_export
from govsvc.main import Panel, awaiting, panel
from govsvc.registry.models import Enterprise
from govsvc.tables import TableError
from govsvc.timeutil import local_today
from govsvc.web import id_arg
from scoring import grading as core

bp = Blueprint("grading", __name__, url_prefix="/grading")

ROUND_READERS = (R.JUSTICE, R.LEADER, R.DEPARTMENT)
RESULT_READERS = (R.JUSTICE, R.LEADER)


def load_round(round_id: int) -> GradingRound:
    return db.session.get(GradingRound, round_id) or abort(404)


def _is_staff(user) -> bool:
    return user.has_role(R.JUSTICE, R.LEADER)


# -- rounds ---------------------------------------------------------------------------------------
ROUND_COLUMNS = [("年度", lambda r: r.year), ("依据记录", lambda r: core.window_label(r.year)),
                 ("状态", lambda r: r.status_label), ("公布时间", lambda r: r.published_at)]


@bp.route("/")
@role_required(*ROUND_READERS)
def rounds():
    form = RoundFilterForm(request.args)
    stmt = select(GradingRound)
    if id_arg(form.q.data) is not None:
        stmt = stmt.where(GradingRound.year == id_arg(form.q.data))
    if form.status.data:
        stmt = stmt.where(GradingRound.status == form.status.data)
    return list_or_export(stmt.order_by(GradingRound.year.desc()), template="grading/rounds.html",
                          export_stem="免检免扰评级", columns=ROUND_COLUMNS, form=form)


@bp.route("/rounds/new", methods=["GET", "POST"])
@role_required(R.JUSTICE)
def new_round():
    form = RoundForm()
    if request.method == "GET":
        form.year.data = local_today().year
    if form.validate_on_submit():
        try:
            grading_round = service.create_round(form.year.data, service.DEFAULT_RULES_TOML, user=current_user,
                                                 note=form.note.data or "")
        except service.GradingError as exc:
            form.year.errors.append(str(exc))
        else:
            flash(f"{grading_round.year} 年度评级已创建，请各评级单位提交本单位评级。", "success")
            return redirect(url_for("grading.round_detail", round_id=grading_round.id))
    return render_template("grading/round_new.html", form=form, units=service.grading_units())


@bp.route("/rounds/<int:round_id>")
@role_required(*ROUND_READERS)
def round_detail(round_id: int):
    return _render_round(load_round(round_id), NoteForm())


def _render_round(grading_round: GradingRound, return_form: NoteForm):
    user = current_user
    own = service.round_unit(grading_round, user.unit_id) if user.has_role(R.DEPARTMENT) and user.unit_id else None
    staff = _is_staff(user)
    return render_template("grading/round.html", round=grading_round, rules=inputs.rules_of(grading_round),
                           own=own, staff=staff, counts=service.counts(grading_round) if staff else None,
                           records=records.window_record_count(grading_round) if staff else None,
                           window=core.window(grading_round.year), action_form=SubmitRuleForm(),
                           return_form=return_form, missing=service.missing_units(grading_round))


def _round_action(round_id: int, action):
    """A button on the round page: run `action(round)`, which returns the message of success."""
    grading_round = load_round(round_id)
    if not SubmitRuleForm().validate_on_submit():
        abort(400)
    try:
        flash(action(grading_round), "success")
    except service.GradingError as exc:
        flash(str(exc), "danger")
    return redirect(url_for("grading.round_detail", round_id=round_id))


@bp.route("/rounds/<int:round_id>/compute", methods=["POST"])
@role_required(R.JUSTICE)
def compute(round_id: int):
    def run(grading_round):
        counts = service.compute(grading_round, user=current_user)
        return (f"综合评定完成：A 类 {counts['A']} 家，B 类 {counts['B']} 家，C 类 {counts['C']} 家。"
                "请核对后报送审定。")

    return _round_action(round_id, run)


@bp.route("/rounds/<int:round_id>/submit", methods=["POST"])
@role_required(R.JUSTICE)
def submit(round_id: int):
    def run(grading_round):
        service.submit(grading_round, user=current_user)
        return "已报送市委、市政府审定。"

    return _round_action(round_id, run)


@bp.route("/rounds/<int:round_id>/approve", methods=["POST"])
@role_required(R.LEADER)
def approve(round_id: int):
    grading_round = load_round(round_id)
    if grading_round.status == SUBMITTED and SubmitRuleForm().validate_on_submit() and not confirm.confirmed():
        n = service.counts(grading_round)
        return confirm.ask(
            title="审定通过并公布评级名单", button="确认审定并公布",
            what=f"{grading_round.year} 年度企业免检免扰评级名单将审定通过，并立即在公示页向社会公布。",
            facts=[("A 类（免检）", f"{n.get('A', 0)} 家"), ("B 类（限检）", f"{n.get('B', 0)} 家"),
                   ("C 类（重点检查）", f"{n.get('C', 0)} 家")],
            notes=["公布后，各检查计划按此名单审核：A 类企业在双随机抽查中免检，B 类企业每类检查每年不超过两次。"],
            back=url_for("grading.round_detail", round_id=grading_round.id))

    def run(grading_round):
        service.approve(grading_round, user=current_user)
        return f"{grading_round.year} 年度企业免检免扰评级名单已审定，并已向社会公布。"

    return _round_action(round_id, run)


@bp.route("/rounds/<int:round_id>/return", methods=["POST"])
@role_required(R.LEADER)
def return_round(round_id: int):
    grading_round = load_round(round_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            service.return_round(grading_round, form.note.data or "", user=current_user)
        except service.GradingError as exc:
            form.note.errors.append(str(exc))
        else:
            flash("已退回司法局修改。", "success")
            return redirect(url_for("grading.round_detail", round_id=round_id))
    return _render_round(grading_round, form)


# -- rules ----------------------------------------------------------------------------------------
def _rules_toml(form: RulesForm) -> str:
    def table(name: str, values: dict) -> list[str]:
        lines = [f"{k} = {v}" for k, v in values.items() if v is not None]
        return [f"[{name}]", *lines, ""] if lines else []

    def fine(value: Decimal | None):
        return None if value is None else f"{value:.2f}"

    text = table("default", {"c_serious": form.c_serious.data, "c_minor": form.c_minor.data,
                             "b_minor": form.b_minor.data, "serious_fine": fine(form.serious_fine.data)})
    for entry in form.units.entries:
        sub = entry.form
        text += table(f"units.{sub.code.data}", {"c_serious": sub.c_serious.data, "c_minor": sub.c_minor.data,
                                                 "b_minor": sub.b_minor.data, "serious_fine": fine(sub.serious_fine.data)})
    no_history = form.no_history.data if form.no_history.data in ("A", "B") else "A"
    text += ["[combined]", 'rule = "worst"', f"c_when_b_units = {form.c_when_b_units.data or 0}",
             f'no_history = "{no_history}"', ""]
    scope = form.a_scope.data if form.a_scope.data in ("city", "all") else "city"
    text += ["[inspections]", f'a_scope = "{scope}"', f"c_weight = {form.c_weight.data or 3}"]
    return "\n".join(text) + "\n"


def _fill_rules_form(form: RulesForm, grading_round: GradingRound) -> None:
    rules = inputs.rules_of(grading_round)
    d = rules.default
    form.c_serious.data, form.c_minor.data, form.b_minor.data = d.c_serious, d.c_minor, d.b_minor
    form.serious_fine.data = Decimal(core.fen_to_yuan(d.serious_fine)) if d.serious_fine else None
    form.c_when_b_units.data = rules.c_when_b_units
    form.no_history.data = rules.no_history
    form.a_scope.data, form.c_weight.data = rules.a_scope, rules.c_weight
    for part in sorted(grading_round.units, key=lambda p: p.unit.code):
        own = rules.units.get(part.unit.code)
        values = {"code": part.unit.code}
        if own is not None:
            for key in ("c_serious", "c_minor", "b_minor"):
                if getattr(own, key) != getattr(d, key):
                    values[key] = getattr(own, key)
            if own.serious_fine != d.serious_fine and own.serious_fine:
                values["serious_fine"] = Decimal(core.fen_to_yuan(own.serious_fine))
        form.units.append_entry(values)


@bp.route("/rounds/<int:round_id>/rules", methods=["GET", "POST"])
@role_required(R.JUSTICE)
def rules(round_id: int):
    grading_round = load_round(round_id)
    form = RulesForm()
    if request.method == "GET":
        _fill_rules_form(form, grading_round)
    error = None
    if form.validate_on_submit():
        try:
            service.set_rules(grading_round, _rules_toml(form), user=current_user)
        except service.GradingError as exc:
            error = str(exc)
        else:
            flash("评级规则已保存。" + ("此前的综合评定结果已失效，请重新综合评定。" if grading_round.status == DRAFT else ""),
                  "success")
            return redirect(url_for("grading.round_detail", round_id=round_id))
    names = {p.unit.code: p.unit.name for p in grading_round.units}
    return render_template("grading/rules.html", round=grading_round, form=form, error=error, names=names,
                           editable=grading_round.status in service.EDITABLE)


# -- a unit's part --------------------------------------------------------------------------------
UNIT_LIST_COLUMNS = [("统一社会信用代码", lambda g: g.enterprise.credit_code), ("企业名称", lambda g: g.enterprise.name),
                     ("评级", lambda g: g.grade), ("理由", lambda g: g.reason)]


def _part_for(grading_round: GradingRound, unit_id: int):
    part = service.round_unit(grading_round, unit_id)
    if part is None:
        abort(404)
    user = current_user
    if not user.has_role(R.JUSTICE) and user.unit_id != unit_id:
        refuse("not own unit")
    return part


@bp.route("/rounds/<int:round_id>/units/<int:unit_id>", methods=["GET", "POST"])
@role_required(R.JUSTICE, R.DEPARTMENT)
def unit_part(round_id: int, unit_id: int):
    grading_round = load_round(round_id)
    part = _part_for(grading_round, unit_id)
    if request.args.get("format") and part.method == "list":
        return list_or_export(unitlists.list_query(grading_round, unit_id), template="grading/unit.html",
                              export_stem=f"{grading_round.year}年度{part.unit.name}评级名单", columns=UNIT_LIST_COLUMNS)
    upload = UnitListForm()
    report = None
    dropped = 0
    if upload.validate_on_submit():
        try:
            report, dropped = unitlists.upload_list(grading_round, part, upload.file.data.read(),
                                                    upload.file.data.filename or "list.csv", user=current_user,
                                                    dry_run=upload.mode.data == "check")
        except (TableError, service.GradingError) as exc:
            upload.file.errors.append(str(exc))
        else:
            if report.applied:
                flash(f"{part.unit.name}评级名单已提交：新增 {report.created}，更新 {report.updated}，"
                      f"未变化 {report.unchanged}" + (f"，移出 {dropped}" if dropped else "") + "。", "success")
                return redirect(url_for("grading.unit_part", round_id=round_id, unit_id=unit_id))
    preview = _unit_preview(grading_round, part)
    listed = (db.paginate(unitlists.list_query(grading_round, unit_id), per_page=50, error_out=False)
              if part.method == "list" else None)
    return render_template("grading/unit.html", round=grading_round, part=part, upload=upload, report=report,
                           preview=preview, listed=listed, rule_form=SubmitRuleForm(),
                           rule=inputs.rules_of(grading_round).for_unit(part.unit.code),
                           records=records.window_record_count(grading_round, unit_id),
                           editable=grading_round.status in service.EDITABLE)


def _unit_preview(grading_round: GradingRound, part) -> dict:
    """What the unit's rule gives now: counts, and the enterprises it grades B or C."""
    graded = inputs.grade_round(grading_round, use_lists=False)
    grading = graded.grading
    u = [x.id for x in graded.units].index(part.unit_id)
    rows = []
    counts = {g: 0 for g in core.GRADES}
    scoped = grading.scope
    for i in scoped.nonzero()[0].tolist():
        g = int(grading.unit_grade[i, u])
        counts[core.GRADES[g]] += 1
        if g > core.A:
            rows.append((graded.enterprise_ids[i], core.GRADES[g], grading.unit_reason[i].get(u, "")))
    names = {e.id: e for e in db.session.scalars(select(Enterprise).where(Enterprise.id.in_([r[0] for r in rows])))}
    rows.sort(key=lambda r: (-core.grade_value(r[1]), names[r[0]].credit_code))
    return {"counts": counts, "rows": [(names[eid], g, reason) for eid, g, reason in rows], "in_scope": int(scoped.sum())}


@bp.route("/rounds/<int:round_id>/units/<int:unit_id>/rule", methods=["POST"])
@role_required(R.JUSTICE, R.DEPARTMENT)
def unit_rule(round_id: int, unit_id: int):
    grading_round = load_round(round_id)
    part = _part_for(grading_round, unit_id)
    if not SubmitRuleForm().validate_on_submit():
        abort(400)
    try:
        service.submit_rule(grading_round, part, user=current_user)
    except service.GradingError as exc:
        flash(str(exc), "danger")
    else:
        flash(f"{part.unit.name}已确认按评级规则评定。", "success")
    return redirect(url_for("grading.unit_part", round_id=round_id, unit_id=unit_id))


# -- results --------------------------------------------------------------------------------------
RESULT_COLUMNS = [
    ("统一社会信用代码", lambda r: r.enterprise.credit_code), ("企业名称", lambda r: r.enterprise.name),
    ("区县", lambda r: r.enterprise.district), ("行业", lambda r: r.enterprise.industry),
    ("评级", lambda r: r.grade), ("规则评定", lambda r: r.computed_grade), ("各单位评级", lambda r: r.unit_grades),
    ("评定理由", lambda r: r.reason),
]


@bp.route("/rounds/<int:round_id>/results")
@role_required(*RESULT_READERS)
def results(round_id: int):
    grading_round = load_round(round_id)
    form = ResultFilterForm(request.args)
    form.district.choices = [("", "全部")] + [(d, d) for d in service.result_districts(grading_round)]
    stmt = service.results_query(grading_round, q=form.q.data or "", grade=form.grade.data or "",
                                 district=form.district.data or "", industry=form.industry.data or "",
                                 changed=form.changed.data == "1")
    return list_or_export(stmt, template="grading/results.html", export_stem=f"{grading_round.year}年度免检免扰评级",
                          columns=RESULT_COLUMNS, form=form, round=grading_round)


@bp.route("/rounds/<int:round_id>/results/<int:enterprise_id>", methods=["GET", "POST"])
@role_required(*RESULT_READERS)
def result(round_id: int, enterprise_id: int):
    grading_round = load_round(round_id)
    item = service.result_of(grading_round, enterprise_id) or abort(404)
    form = AdjustForm()
    can_adjust = current_user.has_role(R.JUSTICE) and grading_round.status in (COMPUTED, RETURNED)
    if request.method == "POST":
        if not can_adjust:
            refuse("adjust not allowed")
        if form.validate_on_submit():
            try:
                service.adjust(grading_round, enterprise_id, form.grade.data, form.reason.data or "", user=current_user)
            except service.GradingError as exc:
                form.reason.errors.append(str(exc))
            else:
                flash(f"已调整为 {item.grade} 类，理由已记入审计日志。", "success")
                return redirect(url_for("grading.result", round_id=round_id, enterprise_id=enterprise_id))
    else:
        form.grade.data = item.grade
    return render_template("grading/result.html", round=grading_round, item=item, form=form, can_adjust=can_adjust,
                           units=unit_names(grading_round), changes=service.changes_of(round_id, enterprise_id))


def unit_names(grading_round: GradingRound) -> dict[str, str]:
    return {p.unit.code: p.unit.name for p in grading_round.units}


# -- charts ---------------------------------------------------------------------------------------
def chart_response(grading_round: GradingRound, kind: str):
    if kind not in grading_charts.KINDS:
        abort(404)
    fig = grading_charts.figure(grading_round, kind)
    if request.args.get("format") == "png":
        response = Response(to_png(fig), mimetype="image/png")
        response.headers["Content-Disposition"] = f"attachment; filename=\"grading-{grading_round.year}-{kind}.png\""
        return response
    return svg_response(to_svg(fig))


@bp.route("/rounds/<int:round_id>/chart/<kind>.svg")
@role_required(*RESULT_READERS)
def chart(round_id: int, kind: str):
    return chart_response(load_round(round_id), kind)


# -- dashboard ------------------------------------------------------------------------------------
@awaiting
def _grading_awaiting(user):
    if not user.has_role(R.LEADER):
        return []
    waiting = db.session.scalars(select(GradingRound).where(GradingRound.status == SUBMITTED)
                                 .order_by(GradingRound.year)).all()
    return [(f"{r.year} 年度免检免扰评级名单（已报审定）", url_for("grading.round_detail", round_id=r.id)) for r in waiting]


@panel
def _grading_panel(user):
    if user.has_role(R.JUSTICE):
        def count(stmt):
            return db.session.scalar(select(func.count()).select_from(stmt.subquery()))

        lines = [("待处理降级建议", count(records.pending_proposals_query())),
                 ("待答复异议", count(matters.objection_query(state="open"))),
                 ("待核实投诉", count(matters.complaint_query(state="open")))]
        return Panel("免检免扰评级", lines, url_for("grading.rounds"))
    if user.has_role(R.LEADER):
        waiting = db.session.scalars(select(GradingRound).where(GradingRound.status == SUBMITTED)).all()
        return Panel("免检免扰评级", [("待审定名单", "、".join(f"{r.year}年度" for r in waiting) or "无")],
                     url_for("grading.rounds"))
    if user.has_role(R.DEPARTMENT) and user.unit is not None and user.unit.grading:
        open_rounds = db.session.scalars(select(GradingRound).where(GradingRound.status.in_(service.EDITABLE))
                                         .order_by(GradingRound.year.desc())).all()
        todo = [r for r in open_rounds if (p := service.round_unit(r, user.unit_id)) is not None and p.method is None]
        return Panel("免检免扰评级", [("待提交本单位评级", "、".join(f"{r.year}年度" for r in todo) or "无")],
                     url_for("grading.unit_part", round_id=todo[0].id, unit_id=user.unit_id) if todo
                     else url_for("grading.rounds"))
    if user.has_role(R.EVALUATOR, R.ENTERPRISE) and user.enterprise_id:
        grade = service.published_grade(user.enterprise_id)
        return Panel("免检免扰评级", [("本企业评级", f"{grade} 类" if grade else "未列入")], url_for("grading.my_grade"))
    return None


nav.add("免检免扰评级", "grading.rounds", ROUND_READERS, order=30)
nav.add("评级名单公示", "grading.public_list", None, order=34)

from govsvc.grading import views_contacts, views_matters, views_public, views_records  # noqa: E402,F401  (routes on bp)
nav.add_public("评级名单公示", "grading.public_list", order=34)
