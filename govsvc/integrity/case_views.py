"""Typical cases (典型问题公开曝光) under /integrity/: drafting from a record, the list, approval and
withdrawal (both asked first). The public page is in public_views."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc import confirm
from govsvc.auth.access import role_required
from govsvc.extensions import db
from govsvc.integrity import cases, files, scope
from govsvc.integrity.forms import CaseFilterForm, CaseForm, CaseWithdrawForm, ConfirmForm, attach_errors
from govsvc.integrity.models import IntegrityRecord, IntegrityCase
from govsvc.integrity.views import DISCIPLINE, bp
from govsvc.lists import list_or_export


def _record(record_id: int) -> IntegrityRecord:
    record = db.session.get(IntegrityRecord, record_id) or abort(404)
    scope.check_person(current_user, record.person)
    return record


def _case(case_id: int) -> IntegrityCase:
    case = db.session.get(IntegrityCase, case_id) or abort(404)
    scope.check_person(current_user, case.record.person)
    return case


@bp.route("/records/<int:record_id>/case", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def draft_case(record_id: int):
    item = _record(record_id)
    form = CaseForm()
    if request.method == "GET":
        grant = files.current_grant(current_user, item.person)
        if grant is None:
            here = request.full_path if request.query_string else request.path
            return redirect(url_for(".purpose", person=item.person.id, next=here))
        files.log_read(grant, item.person, "case", record=item.id)
        form.title.data, form.text.data = cases.suggested(item)
    if form.validate_on_submit():
        try:
            case = cases.draft(current_user, item, form.title.data, form.text.data)
        except cases.CaseError as exc:
            attach_errors(form, exc.errors)
        else:
            flash("典型问题草稿已保存，待市纪委市监委审核后公开。", "success")
            return redirect(url_for(".case", case_id=case.id))
    return render_template("integrity/case_form.html", form=form, record=item)


CASE_COLUMNS = [("编号", lambda c: c.id), ("标题", lambda c: c.title), ("状态", lambda c: c.status_label),
                ("起草人", lambda c: c.drafted_by), ("起草时间", lambda c: c.drafted_at),
                ("审核人", lambda c: c.approved_by), ("公开时间", lambda c: c.published_at),
                ("撤回时间", lambda c: c.withdrawn_at), ("撤回理由", lambda c: c.withdrawal_reason)]


@bp.route("/cases")
@role_required(DISCIPLINE)
def case_list():
    form = CaseFilterForm(request.args)
    return list_or_export(cases.case_query(current_user, status=form.status.data or ""),
                          template="integrity/cases.html", export_stem="典型问题", columns=CASE_COLUMNS, form=form)


@bp.route("/cases/<int:case_id>")
@role_required(DISCIPLINE)
def case(case_id: int):
    item = _case(case_id)
    return render_template("integrity/case.html", case=item, approve_form=ConfirmForm(),
                           withdraw_form=CaseWithdrawForm(),
                           can_approve=not cases.approval_errors(current_user, item),
                           approval_blocked=cases.approval_errors(current_user, item).get("case", ""),
                           can_withdraw=not cases.withdrawal_errors(current_user, item, "理由"))


@bp.route("/cases/<int:case_id>/approve", methods=["POST"])
@role_required(DISCIPLINE)
def approve_case(case_id: int):
    item = _case(case_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    errors = cases.approval_errors(current_user, item)
    if errors:
        flash(next(iter(errors.values())), "danger")
        return redirect(url_for(".case", case_id=item.id))
    if not confirm.confirmed():
        return confirm.ask(title="审核公开典型问题", button="确认公开",
                           what=f"典型问题“{item.title}”将在门户网站“典型问题曝光”栏目公开，任何人无需登录即可查看。",
                           facts=[("标题", item.title), ("起草人", item.drafted_by)],
                           notes=["公开后可以撤回，但已被他人看到或转载的内容无法收回。"],
                           back=url_for(".case", case_id=item.id))
    cases.approve(current_user, item)
    flash("典型问题已公开。", "success")
    return redirect(url_for(".case", case_id=item.id))


@bp.route("/cases/<int:case_id>/withdraw", methods=["POST"])
@role_required(DISCIPLINE)
def withdraw_case(case_id: int):
    item = _case(case_id)
    form = CaseWithdrawForm()
    if form.validate_on_submit():
        errors = cases.withdrawal_errors(current_user, item, form.reason.data)
        if not errors and not confirm.confirmed():
            return confirm.ask(title="撤回典型问题", button="确认撤回",
                               what=f"典型问题“{item.title}”将被撤回" + ("，不再在门户网站公开。" if item.status == "published" else "。"),
                               facts=[("撤回理由", form.reason.data.strip())],
                               notes=["撤回后不能恢复；如需再次曝光，请重新起草并审核。"],
                               back=url_for(".case", case_id=item.id))
        if not errors:
            cases.withdraw(current_user, item, form.reason.data)
            flash("典型问题已撤回。", "success")
            return redirect(url_for(".case", case_id=item.id))
        attach_errors(form, errors)
    return render_template("integrity/case.html", case=item, approve_form=ConfirmForm(), withdraw_form=form,
                           can_approve=False, approval_blocked="", can_withdraw=True)
