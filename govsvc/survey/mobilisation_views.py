"""动员部署 pages: the notice and the departments' self-check reports (rules in survey.mobilisation)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc import confirm, nav
from govsvc.auth import roles as R
from govsvc.auth.access import refuse, role_required
from govsvc.exports import FORMATS, download
from govsvc.extensions import db
from govsvc.survey import mobilisation
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.forms import NoticeForm, SelfCheckForm
from govsvc.survey.models import Campaign, CampaignDepartment
from govsvc.survey.views import STAFF, bp, done, get_campaign
from govsvc.timeutil import local_today
from scoring import survey as core


@bp.route("/<int:campaign_id>/mobilisation", endpoint="mobilisation")
@role_required(*STAFF)
def mobilisation_page(campaign_id: int):
    campaign = get_campaign(campaign_id)
    fmt = request.args.get("format", "")
    if fmt in FORMATS and mobilisation.issued(campaign):
        rows = mobilisation.department_rows(campaign)
        return download(f"自查报告报送情况_{campaign.year}", mobilisation.HEADER,
                        (mobilisation.cells(campaign, r) for r in rows), fmt)
    form = NoticeForm(formdata=None)
    form.issued_on.data = local_today()
    return _page(campaign, form)


def _page(campaign: Campaign, form: NoticeForm, status: int = 200):
    rows = mobilisation.department_rows(campaign) if mobilisation.issued(campaign) else []
    return render_template("survey/mobilisation.html", campaign=campaign, rows=rows,
                           summary=mobilisation.summary(campaign, rows) if rows else None,
                           form=form if R.ORGANIZER in current_user.roles else None), status


@bp.route("/<int:campaign_id>/mobilisation/notice", methods=["POST"], endpoint="issue_notice")
@role_required(R.ORGANIZER)
def issue_notice(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = NoticeForm()
    if form.validate_on_submit():
        if not confirm.confirmed():
            return confirm.ask(
                title="下发动员通知", button="确认下发",
                what=f"{campaign.title}的动员通知将记为已下发：每个被评议部门（单位）生成一项自查事项，按截止日期报送自查报告。",
                facts=[("下发日期", form.issued_on.data.isoformat()), ("自查报告截止日期", form.due.data.isoformat()),
                       ("组织评议日", campaign.evaluation_date.isoformat())],
                notes=["下发后通知不能修改或撤回，“两个名单”也不能再退回修改。"],
                back=url_for("survey.mobilisation", campaign_id=campaign.id))
        try:
            count = mobilisation.issue_notice(campaign, text=form.text.data, issued_on=form.issued_on.data,
                                              due=form.due.data, user=current_user)
        except SurveyError as exc:
            flash(str(exc), "danger")
        else:
            return done(f"动员通知已下发，{count} 个部门（单位）的自查事项已交办。", "survey.mobilisation",
                        campaign_id=campaign.id)
    return _page(campaign, form, 400)   # an error status: the request rolls back (web._commit_or_rollback)


def _department(campaign: Campaign, department_id: int) -> CampaignDepartment:
    dept = db.session.get(CampaignDepartment, department_id)
    if dept is None or dept.campaign_id != campaign.id:
        abort(404)
    return dept


@bp.route("/<int:campaign_id>/self-checks/<int:department_id>", methods=["GET", "POST"], endpoint="self_check")
@role_required(*STAFF, R.DEPARTMENT)
def self_check(campaign_id: int, department_id: int):
    campaign = get_campaign(campaign_id)
    dept = _department(campaign, department_id)
    own = R.DEPARTMENT in current_user.roles and dept.unit_id is not None and current_user.unit_id == dept.unit_id
    if not own and not current_user.roles & set(STAFF):
        refuse("not own department")
    if not mobilisation.issued(campaign):
        abort(404)
    # The department's own users submit online; the organizer types in a report received on paper.
    can_submit = own or R.ORGANIZER in current_user.roles
    versions = mobilisation.versions(campaign, dept)
    form = SelfCheckForm()
    status = 200
    if request.method == "POST":
        if not can_submit:
            refuse("cannot submit")
        status = 400
        if versions and not (form.correction_note.data or "").strip():
            form.validate_on_submit()
            form.correction_note.errors = [*form.correction_note.errors, "请填写更正说明：更正了什么、为什么。"]
        elif form.validate_on_submit():
            if not confirm.confirmed():
                return _ask_submit(campaign, dept, form, len(versions) + 1, own)
            try:
                report = mobilisation.submit(campaign, dept, findings=form.findings.data, measures=form.measures.data,
                                             signed_by=form.signed_by.data, correction_note=form.correction_note.data,
                                             on_paper=not own, user=current_user)
            except SurveyError as exc:
                flash(str(exc), "danger")
            else:
                what = "自查报告已报送" if report.version == 1 else f"更正已报送（第 {report.version} 版）"
                return done(f"{dept.name}：{what}。", "survey.self_check", campaign_id=campaign.id,
                            department_id=dept.id)
    elif versions:
        form = SelfCheckForm(formdata=None, obj=versions[-1])
        form.correction_note.data = ""
    return render_template("survey/self_check.html", campaign=campaign, dept=dept, versions=versions,
                           matter=mobilisation.self_check_matter(campaign, dept),
                           state=_state(campaign, versions),
                           form=form if can_submit else None, on_paper=not own), status


def _state(campaign: Campaign, versions) -> str:
    first = versions[0].submitted_on if versions else None
    return core.SELF_CHECK_LABELS[core.self_check_status(campaign.self_check_due, first, local_today())]


def _ask_submit(campaign: Campaign, dept: CampaignDepartment, form: SelfCheckForm, version: int, own: bool):
    return confirm.ask(
        title="报送自查报告" if version == 1 else "报送自查报告更正", button="确认报送",
        what=(f"{dept.name}的{campaign.year}年度自查报告" + ("" if version == 1 else f"更正（第 {version} 版）")
              + ("将报送评价机构。" if own else "将按收到的纸质报告录入（纸质报送）。")),
        facts=[("部门（单位）", dept.name), ("签发人", form.signed_by.data), ("版本", f"第 {version} 版")],
        notes=["报送后不能修改；如需更正，只能再报送新的版本，原报告保留，各版本都可查看。"],
        back=url_for("survey.self_check", campaign_id=campaign.id, department_id=dept.id))


@bp.route("/self-check-matters/<int:matter_id>", endpoint="self_check_matter")
@role_required(*STAFF, R.DEPARTMENT)
def self_check_matter(matter_id: int):
    """The ledger's page for a 评议自查 matter: the department's self-check page, which checks who may
    see it (the matter closes when the report is submitted there, not by a move in the ledger)."""
    from govsvc.ledger.models import Matter

    matter = db.session.get(Matter, matter_id)
    ids = mobilisation.parse_self_check_ref(matter.ref) if matter is not None and \
        matter.module == mobilisation.SELF_CHECKS else None
    if ids is None:
        abort(404)
    dept = _department(get_campaign(ids[0]), ids[1])
    own = R.DEPARTMENT in current_user.roles and dept.unit_id is not None and current_user.unit_id == dept.unit_id
    if not own and not current_user.roles & set(STAFF):
        refuse("not own department")
    return redirect(url_for("survey.self_check", campaign_id=ids[0], department_id=ids[1]))


@bp.route("/self-checks", endpoint="my_self_checks")
@role_required(R.DEPARTMENT)
def my_self_checks():
    rows = []
    for campaign, dept in mobilisation.own_campaigns(current_user):
        rows.append((campaign, dept, _state(campaign, mobilisation.versions(campaign, dept))))
    return render_template("survey/my_self_checks.html", rows=rows)


nav.add("评议自查", "survey.my_self_checks", (R.DEPARTMENT,), order=21)
