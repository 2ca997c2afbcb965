"""结果运用 pages: the interviews and their records, the referrals, the commended list sent to the
assessment office (rules in survey.outcomes)."""
from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_login import current_user

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.exports import FORMATS, download
from govsvc.extensions import db
from govsvc.survey import outcomes, results
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.forms import CommendationForm, InterviewForm
from govsvc.survey.models import Campaign, CampaignDepartment
from govsvc.survey.views import STAFF, bp, done, get_campaign

READERS = (*STAFF, R.ORGANIZATION)


def _published(campaign_id: int) -> Campaign:
    campaign = get_campaign(campaign_id)
    if not campaign.is_published:
        abort(404)
    return campaign


@bp.route("/<int:campaign_id>/outcomes", endpoint="outcomes")
@role_required(*READERS)
def outcomes_page(campaign_id: int):
    campaign = _published(campaign_id)
    rows = results.stored_results(campaign)
    commended = outcomes.commended_rows(rows)
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        return download(f"表扬名单_{campaign.year}", outcomes.COMMENDATION_HEADER,
                        (outcomes.commendation_cells(campaign, r) for r in commended), fmt)
    return _page(campaign, rows, CommendationForm())


def _page(campaign: Campaign, rows, form: CommendationForm, status: int = 200):
    return render_template("survey/outcomes.html", campaign=campaign, interviews=outcomes.interview_rows(campaign, rows),
                           referrals=outcomes.referral_rows(campaign, rows), commended=outcomes.commended_rows(rows),
                           points=outcomes.points_text(campaign.commend_points_centi), form=form), status


@bp.route("/<int:campaign_id>/outcomes/commendations", methods=["POST"], endpoint="send_commendations")
@role_required(R.ORGANIZER)
def send_commendations(campaign_id: int):
    campaign = _published(campaign_id)
    rows = results.stored_results(campaign)
    form = CommendationForm()
    if form.validate_on_submit():
        try:
            count = outcomes.send_commendations(campaign, rows, points=form.points.data, user=current_user)
        except SurveyError as exc:
            flash(str(exc), "danger")
        else:
            return done(f"已向市考核办报送表扬名单（{count} 个部门（单位））。", "survey.outcomes", campaign_id=campaign.id)
    return _page(campaign, rows, form, 400)   # an error status: the request rolls back (web._commit_or_rollback)


def _department(campaign: Campaign, department_id: int) -> CampaignDepartment:
    dept = db.session.get(CampaignDepartment, department_id)
    if dept is None or dept.campaign_id != campaign.id:
        abort(404)
    return dept


@bp.route("/<int:campaign_id>/outcomes/interviews/<int:department_id>", methods=["GET", "POST"],
          endpoint="interview")
@role_required(*READERS)
def interview(campaign_id: int, department_id: int):
    campaign = _published(campaign_id)
    dept = _department(campaign, department_id)
    matter = outcomes.interview_matter(campaign, dept)
    if matter is None:
        abort(404)
    held = outcomes.held_interview(campaign, dept)
    can_record = held is None and R.LEADER in current_user.roles
    form = InterviewForm()
    if request.method == "POST":
        if not can_record:
            abort(403)
        if form.validate_on_submit():
            try:
                outcomes.record_interview(campaign, dept, held_on=form.held_on.data, leaders=form.leaders.data,
                                          attendees=form.attendees.data, minutes=form.minutes.data,
                                          commitments=form.commitments.data, follow_up_due=form.follow_up_due.data,
                                          user=current_user)
            except SurveyError as exc:
                flash(str(exc), "danger")
            else:
                return done(f"已录入对{dept.name}的约谈情况，整改承诺已交办。", "survey.outcomes", campaign_id=campaign.id)
    return render_template("survey/interview.html", campaign=campaign, dept=dept, matter=matter, held=held,
                           form=form if can_record else None), 400 if request.method == "POST" else 200
