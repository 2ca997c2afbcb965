"""The online ballot for enterprise heads: both categories on one page, one labelled radio group
per department, live counters, server-side refusal over the cap (everything chosen kept), the
opinion form, and the confirmation page with the receipt."""
from __future__ import annotations

from functools import lru_cache

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user
from markupsafe import Markup

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.database import end_write, read_first
from govsvc.survey import ballots, campaigns
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.forms import CODE_OF_WORD, RATING_CHOICES, ActionForm, ballot_form_class
from govsvc.survey.models import OPEN
from govsvc.survey.views import bp, get_campaign, get_campaign_light
from scoring import survey as core

RECEIPTS = "survey_receipts"  # campaign id → receipt, in the voter's own session only
CATEGORY_HINTS = {
    "enforcement": "主要围绕能否依法行政、公正执法、严格管理、真诚服务等情况作出评价。",
    "service": "主要围绕是否能够转变观念、主动作为、优质服务、高效服务等情况作出评价。",
}


@bp.route("/vote")
@role_required(R.EVALUATOR)
def vote():
    campaign = campaigns.open_campaign_for(current_user)
    if campaign is None:
        return render_template("survey/vote_closed.html", campaign=None)
    return redirect(url_for("survey.ballot", campaign_id=campaign.id))


def _ballot_input(form, by_category) -> ballots.BallotInput:
    parts = {c: [CODE_OF_WORD.get(form[f"d-{d.code}"].data or "", core.BLANK) for d in depts]
             for c, depts in by_category.items()}
    opinions = {d.id: form[f"o-{d.code}"].data for depts in by_category.values() for d in depts
                if (form[f"o-{d.code}"].data or "").strip()}
    return ballots.BallotInput(parts=parts, opinions=opinions)


@bp.route("/<int:campaign_id>/ballot", methods=["GET", "POST"])
@role_required(R.EVALUATOR)
@read_first  # the write is cast_online's alone (a meeting's heads submit at once)
def ballot(campaign_id: int):
    campaign = get_campaign_light(campaign_id)
    credential = ballots.online_credential(campaign, current_user)
    if credential is None:
        return render_template("survey/vote_closed.html", campaign=campaign, reason="not_listed"), 403
    if ballots.has_voted(credential):
        return redirect(url_for("survey.receipt", campaign_id=campaign.id))
    if credential.void:
        return render_template("survey/vote_closed.html", campaign=campaign, reason="paper")
    if campaign.status != OPEN:
        return render_template("survey/vote_closed.html", campaign=campaign, reason="closed")
    by_category, columns = campaigns.ballot_sheet(campaign)
    if request.method != "POST":  # the empty ballot: its 118 fields are rendered once (_fresh_sections)
        counts = {c: {"satisfied": 0, "dissatisfied": 0} for c in by_category}
        return render_template("survey/ballot.html", campaign=campaign, form=ActionForm(), by_category=by_category,
                               problems={}, message="", counts=counts,
                               sections=_fresh_sections(tuple(by_category.items())), **_sheet_context(by_category))
    form = ballot_form_class(tuple((d.code, d.name) for depts in by_category.values() for d in depts))()
    problems: dict[str, str] = {}
    message = ""
    if form.validate_on_submit():
        entered = _ballot_input(form, by_category)
        problems = ballots.check_parts(campaign, entered, columns)
        if not problems:
            try:
                receipt = ballots.cast_online(campaign, current_user, entered, columns, credential)
            except ballots.AlreadyVoted:
                return redirect(url_for("survey.receipt", campaign_id=campaign.id))
            except SurveyError as exc:
                end_write()
                message = str(exc)
            else:
                session[RECEIPTS] = {**session.get(RECEIPTS, {}), str(campaign.id): receipt}
                return redirect(url_for("survey.receipt", campaign_id=campaign.id))
    elif form.errors:
        message = "有填写错误，请查看标红的部分。"
    counts = {c: {word: sum(1 for d in depts if form[f"d-{d.code}"].data == word)
                  for word in ("satisfied", "dissatisfied")} for c, depts in by_category.items()}
    refused = bool(problems or message or form.errors)
    return render_template("survey/ballot.html", campaign=campaign, form=form, by_category=by_category,
                           problems=problems, message=message, counts=counts, sections=None,
                           **_sheet_context(by_category)), 422 if refused else 200


def _sheet_context(by_category) -> dict:
    return {"choices": RATING_CHOICES, "caps": {c: core.cap(len(d)) for c, d in by_category.items()},
            "hints": CATEGORY_HINTS, "labels": core.CATEGORY_LABELS}


@lru_cache(maxsize=16)
def _fresh_sections(sheet: tuple) -> Markup:
    """The 59 radio groups of an empty ballot, rendered once per department list: the page every
    head opens at the meeting is the same apart from its header and CSRF token (a refused ballot
    coming back with its choices is rendered live)."""
    by_category = dict(sheet)
    form = ballot_form_class(tuple((d.code, d.name) for depts in by_category.values() for d in depts))(formdata=None)
    counts = {c: {"satisfied": 0, "dissatisfied": 0} for c in by_category}
    return Markup(render_template("survey/_ballot_sections.html", by_category=by_category, form=form, problems={},
                                  counts=counts, **_sheet_context(by_category)))


@bp.route("/<int:campaign_id>/receipt")
@role_required(R.EVALUATOR)
def receipt(campaign_id: int):
    campaign = get_campaign(campaign_id)
    credential = ballots.online_credential(campaign, current_user)
    if not ballots.has_voted(credential):
        return redirect(url_for("survey.vote"))
    # Shown once: taken out of the voter's session now, so the cookie does not keep linking the
    # account to the receipt (and through it, for anyone holding the database, to the ballot).
    receipts_ = dict(session.get(RECEIPTS, {}))
    code = receipts_.pop(str(campaign.id), None)
    session[RECEIPTS] = receipts_
    board = ballots.board_code(ballots.receipt_hash(code)) if code else None
    return render_template("survey/receipt.html", campaign=campaign, receipt=ballots.format_code(code) if code else None,
                           board=board)


nav.add("企业评议", "survey.vote", (R.EVALUATOR,), order=20)
