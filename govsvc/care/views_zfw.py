"""The 政法委 ledgers' pages: 涉企案件评查, 政治督察 problems, quarterly circulars. The 政法委 (ZFW) runs
them; an organ's department accounts see their own entries (and answer them on the ledger)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.care import zfw
from govsvc.care.forms_support import (CircularForm, ProblemFilterForm, ProblemForm, ReviewFilterForm, ReviewForm,
                                       attach)
from govsvc.care.models_support import CaseReview, InspectionProblem, ZfwCircular
from govsvc.care.support import NotYours, unit_by_code
from govsvc.care.views import bp
from govsvc.exports import FORMATS, download
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today
from scoring import care as rules
from scoring import credit_code as credit_codes

DEPARTMENT = R.DEPARTMENT


def _organ_choices() -> list[tuple[str, str]]:
    return [("", "（请选择）")] + [(u.code, u.name) for u in zfw.organ_units()]


def _enterprise(form_field) -> tuple[bool, Enterprise | None]:
    if not form_field.data:
        return True, None
    try:
        code = credit_codes.validate(form_field.data)
    except credit_codes.CreditCodeError as exc:
        form_field.errors.append(str(exc))
        return False, None
    enterprise = db.session.scalar(db.select(Enterprise).where(Enterprise.credit_code == code))
    if enterprise is None:
        form_field.errors.append("登记库中没有这家企业。")
        return False, None
    return True, enterprise


# -- 涉企案件评查 ---------------------------------------------------------------------------------------
REVIEW_COLUMNS = [
    ("案号", lambda r: r.case_number), ("案件类别", lambda r: r.case_type_label), ("办案机关", lambda r: r.handling_unit.name),
    ("涉案企业", lambda r: r.enterprise.name if r.enterprise else ""), ("评查日期", lambda r: r.reviewed_on),
    ("评查结论", lambda r: r.finding_label), ("督促期限", lambda r: r.matter.deadline if r.matter else ""),
    ("办理状态", lambda r: r.matter.status_label if r.matter else ""),
]


@bp.route("/zfw/reviews")
@role_required(DEPARTMENT)
def zfw_reviews():
    form = ReviewFilterForm(request.args)
    stmt = zfw.review_query(current_user, q=form.q.data or "", finding=form.finding.data or "")
    return list_or_export(stmt, template="care/zfw_reviews.html", export_stem="涉企案件评查台账", columns=REVIEW_COLUMNS,
                          form=form, is_zfw=zfw.is_zfw(current_user))


@bp.route("/zfw/reviews/new", methods=["GET", "POST"])
@role_required(DEPARTMENT)
def zfw_review_new():
    zfw.require_zfw(current_user)
    form = ReviewForm()
    form.unit_code.choices = _organ_choices()
    if request.method == "GET":
        form.reviewed_on.data = local_today()
    if form.validate_on_submit():
        ok, enterprise = _enterprise(form.credit_code)
        if ok:
            data = zfw.ReviewInput(
                case_number=form.case_number.data, case_type=form.case_type.data,
                unit=unit_by_code(form.unit_code.data), enterprise=enterprise, summary=form.summary.data,
                reviewed_on=form.reviewed_on.data, minor=form.minor.data, major_loss=form.major_loss.data,
                causes=form.causes.data or [], finding=form.finding.data, opinion=form.opinion.data or "",
                deadline=form.deadline.data)
            try:
                review = zfw.create_review(current_user, data)
            except zfw.ZfwError as exc:
                attach(form, exc.field, str(exc))
            else:
                flash("评查结果已登记" + ("，督促事项已交办。" if review.matter else "。"), "success")
                return redirect(url_for("care.zfw_review", review_id=review.id))
    return render_template("care/zfw_review_new.html", form=form, causes=rules.LENIENCY_CAUSES)


@bp.route("/zfw/reviews/<int:review_id>")
@role_required(DEPARTMENT)
def zfw_review(review_id: int):
    review = db.session.get(CaseReview, review_id) or abort(404)
    if not zfw.can_read(current_user, review.handling_unit_id):
        raise NotYours("review")
    return render_template("care/zfw_review.html", review=review, is_zfw=zfw.is_zfw(current_user))


# -- 政治督察 problems --------------------------------------------------------------------------------
PROBLEM_COLUMNS = [
    ("督察批次", lambda p: p.batch), ("发现日期", lambda p: p.found_on), ("被督察单位", lambda p: p.unit.name),
    ("问题类别", lambda p: p.category_label), ("问题描述", lambda p: p.description), ("整改期限", lambda p: p.rectify_by),
    ("整改状态", lambda p: p.matter.status_label if p.matter else ""),
    ("逾期", lambda p: "是" if p.matter and p.matter.overdue else ""),
]


@bp.route("/zfw/problems")
@role_required(DEPARTMENT)
def zfw_problems():
    form = ProblemFilterForm(request.args)
    stmt = zfw.problem_query(current_user, q=form.q.data or "", category=form.category.data or "",
                             batch=(form.batch.data or "").strip())
    return list_or_export(stmt, template="care/zfw_problems.html", export_stem="政治督察问题台账",
                          columns=PROBLEM_COLUMNS, form=form, is_zfw=zfw.is_zfw(current_user),
                          stats=zfw.statistics(current_user))


@bp.route("/zfw/problems/new", methods=["GET", "POST"])
@role_required(DEPARTMENT)
def zfw_problem_new():
    zfw.require_zfw(current_user)
    form = ProblemForm()
    form.unit_code.choices = _organ_choices()
    if request.method == "GET":
        form.found_on.data = local_today()
    if form.validate_on_submit():
        data = zfw.ProblemInput(batch=form.batch.data, found_on=form.found_on.data,
                                unit=unit_by_code(form.unit_code.data), category=form.category.data,
                                description=form.description.data, rectify_by=form.rectify_by.data)
        try:
            problem = zfw.create_problem(current_user, data)
        except zfw.ZfwError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(f"问题已登记并交办{problem.unit.name}，整改期限 {problem.rectify_by.isoformat()}。", "success")
            return redirect(url_for("care.zfw_problem", problem_id=problem.id))
    return render_template("care/zfw_problem_new.html", form=form)


@bp.route("/zfw/problems/<int:problem_id>")
@role_required(DEPARTMENT)
def zfw_problem(problem_id: int):
    problem = db.session.get(InspectionProblem, problem_id) or abort(404)
    if not zfw.can_read(current_user, problem.unit_id):
        raise NotYours("problem")
    done = zfw.rectified_on([problem]).get(problem.id)
    return render_template("care/zfw_problem.html", problem=problem, rectified_on=done, is_zfw=zfw.is_zfw(current_user))


# -- circulars -----------------------------------------------------------------------------------------
def _last_quarter(today) -> tuple[int, int]:
    quarter = (today.month - 1) // 3  # the quarter before the current one (0 → the previous year's Q4)
    return (today.year, quarter) if quarter else (today.year - 1, 4)


@bp.route("/zfw/circulars", methods=["GET", "POST"])
@role_required(DEPARTMENT, R.LEADER)
def zfw_circulars():
    user = current_user._get_current_object()
    if not (zfw.is_zfw(user) or R.LEADER in user.roles or (R.DEPARTMENT in user.roles and zfw.is_organ(user.unit))):
        raise NotYours("circulars")
    form = CircularForm() if zfw.is_zfw(user) else None
    year, quarter = _last_quarter(local_today())
    if form is not None and request.method == "GET":
        form.year.data, form.quarter.data = year, str(quarter)
    if form is not None and form.validate_on_submit():
        try:
            circular = zfw.issue_circular(user, form.year.data, int(form.quarter.data), form.note.data or "")
        except zfw.ZfwError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(f"已印发{circular.title}。", "success")
            return redirect(url_for("care.zfw_circular", circular_id=circular.id))
    circulars = [c for c in db.session.scalars(db.select(ZfwCircular).order_by(ZfwCircular.year.desc(),
                                                                              ZfwCircular.quarter.desc()))
                 if zfw.can_read_circular(user, c)]
    preview = zfw.circular_rows(year, quarter) if form is not None else None
    return render_template("care/zfw_circulars.html", form=form, circulars=circulars, preview=preview,
                           preview_title=f"{year}年第{quarter}季度（预览）", columns=zfw.CIRCULAR_COLUMNS)


@bp.route("/zfw/circulars/<int:circular_id>")
@role_required(DEPARTMENT, R.LEADER)
def zfw_circular(circular_id: int):
    circular = db.session.get(ZfwCircular, circular_id) or abort(404)
    if not zfw.can_read_circular(current_user, circular):
        raise NotYours("circular")
    content = zfw.circular_content(circular)
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        return download(circular.title, [label for _, label in zfw.CIRCULAR_COLUMNS],
                        ([row[key] for key, _ in zfw.CIRCULAR_COLUMNS] for row in content["rows"]), fmt)
    return render_template("care/zfw_circular.html", circular=circular, content=content, columns=zfw.CIRCULAR_COLUMNS)
