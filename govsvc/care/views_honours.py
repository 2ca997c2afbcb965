"""Honours pages: the yearly excellent-entrepreneur list (rounds, candidates with their check and its
reasons, submission, the leader's approval), the public list, recommendations with the comprehensive
evaluation, meeting invitations, the enterprise's own page, and the 失信 list import."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from govsvc.auth import roles as R
from govsvc.auth.access import public, role_required
from govsvc.care import dishonest, honours
from govsvc.care.forms_support import (ApproveRoundForm, CandidateFilterForm, ConfirmForm, DishonestFilterForm,
                                       DishonestImportForm, InvitationReplyForm, InviteForm, MeetingForm, ProposeForm,
                                       RecommendationFilterForm, RecommendForm, RespondForm, RoundForm, SearchForm,
                                       SubmitRoundForm, attach)
from govsvc.care.models_support import (EVALUATION_ASPECTS, EVALUATION_VERDICTS, RECOMMENDATION_KINDS,
                                        RECOMMENDATION_TARGETS, HonourCandidate, HonourRound, MeetingInvitation,
                                        MeetingInvitee, Recommendation)
from govsvc.care.support import NotYours, unit_by_code
from govsvc.care.views import bp
from govsvc.extensions import db
from govsvc.imports import run_import
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise
from govsvc.tables import TableError
from govsvc.timeutil import local_today
from scoring import credit_code as credit_codes

STAFF = (R.DEPARTMENT, R.LEADER, R.ORGANIZATION)
ENTERPRISE_SIDE = (R.ENTERPRISE, R.EVALUATOR)


def _round(round_id: int) -> HonourRound:
    honour_round = db.session.get(HonourRound, round_id) or abort(404)
    honours.require(honours.is_staff(current_user))
    return honour_round


# -- rounds -----------------------------------------------------------------------------------------
@bp.route("/honours/", methods=["GET", "POST"])
@role_required(*STAFF)
def hon_rounds():
    user = current_user._get_current_object()
    honours.require(honours.is_staff(user))
    form = RoundForm() if honours.is_proposer(user) else None
    if form is not None and request.method == "GET":
        form.year.data = local_today().year
    if form is not None and form.validate_on_submit():
        try:
            honour_round = honours.open_round(user, form.year.data)
        except honours.HonourError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(f"已建立{honour_round.title}，请推荐人选。", "success")
            return redirect(url_for("care.hon_round", round_id=honour_round.id))
    elif request.method == "POST" and form is None:
        raise NotYours("honours")
    rounds = db.session.scalars(select(HonourRound).order_by(HonourRound.year.desc())).all()
    return render_template("care/honours_rounds.html", rounds=rounds, form=form)


CANDIDATE_COLUMNS = [
    ("企业", lambda c: c.enterprise.name), ("统一社会信用代码", lambda c: c.enterprise.credit_code),
    ("企业家", lambda c: c.entrepreneur_name), ("职务", lambda c: c.post), ("推荐单位", lambda c: c.proposed_unit.name),
    ("状态", lambda c: c.status_label), ("核查日期", lambda c: c.checked_on), ("不符合条件的原因", lambda c: "；".join(c.reason_list)),
]


@bp.route("/honours/rounds/<int:round_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def hon_round(round_id: int):
    honour_round = _round(round_id)
    user = current_user._get_current_object()
    proposer = honours.is_proposer(user)
    forms = {"propose": ProposeForm(prefix="c") if proposer and honour_round.status == "open" else None,
             "submit": SubmitRoundForm(prefix="s") if proposer and honour_round.status == "open" else None,
             "approve": ApproveRoundForm(prefix="a") if R.LEADER in user.roles and honour_round.status == "submitted"
             else None}
    action = request.form.get("action", "")
    if request.method == "POST":
        form = forms.get(action)
        if form is None:
            raise NotYours("honours")
        if form.validate_on_submit():
            try:
                message = _round_action(action, honour_round, form)
            except honours.HonourError as exc:
                attach(form, exc.field, str(exc))
            else:
                flash(message, "success")
                return redirect(url_for("care.hon_round", round_id=honour_round.id))
    filters = CandidateFilterForm(request.args)
    stmt = honours.candidates_query(honour_round, q=filters.q.data or "", status=filters.status.data or "")
    return list_or_export(stmt, template="care/honours_round.html", export_stem=honour_round.title,
                          columns=CANDIDATE_COLUMNS, honour_round=honour_round, forms=forms, filters=filters,
                          proposer=proposer, can_recommend=honours.can_recommend(user),
                          withdraw_form=ConfirmForm(), user_unit=user.unit_id)


def _round_action(action: str, honour_round: HonourRound, form) -> str:
    user = current_user._get_current_object()
    if action == "propose":
        enterprise = None
        try:
            code = credit_codes.validate(form.credit_code.data)
        except credit_codes.CreditCodeError as exc:
            raise honours.HonourError(str(exc), "credit_code") from None
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
        candidate = honours.propose(user, honour_round, enterprise, name=form.name.data or "",
                                    post=form.post.data or "", deeds=form.deeds.data)
        if candidate.eligible:
            return f"已推荐{candidate.entrepreneur_name}（{candidate.enterprise.name}），核查符合条件。"
        return f"已推荐{candidate.entrepreneur_name}，但核查不符合条件：" + "；".join(candidate.reason_list)
    if action == "submit":
        honours.submit(user, honour_round)
        return "名单已报市委、市政府审定。"
    honours.approve(user, honour_round, approve_list=form.approve.data == "1", note=form.note.data or "")
    if honour_round.status == "published":
        return f"{honour_round.title}已审定并公布。"
    return "名单已退回。"


@bp.route("/honours/candidates/<int:candidate_id>/withdraw", methods=["POST"])
@role_required(R.DEPARTMENT)
def hon_withdraw(candidate_id: int):
    candidate = db.session.get(HonourCandidate, candidate_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            honours.withdraw(current_user, candidate)
        except honours.HonourError as exc:
            flash(str(exc), "danger")
        else:
            flash(f"已撤回{candidate.entrepreneur_name}。", "success")
    return redirect(url_for("care.hon_round", round_id=candidate.round_id))


@bp.route("/honours/rounds/<int:round_id>/recheck", methods=["POST"])
@role_required(R.DEPARTMENT)
def hon_recheck(round_id: int):
    honour_round = _round(round_id)
    if ConfirmForm().validate_on_submit():
        try:
            honours.recheck(current_user, honour_round)
        except honours.HonourError as exc:
            flash(str(exc), "danger")
        else:
            flash("已按今日数据重新核查全部人选。", "success")
    return redirect(url_for("care.hon_round", round_id=honour_round.id))


# -- the public list --------------------------------------------------------------------------------
PUBLIC_COLUMNS = [("企业家", lambda c: c.entrepreneur_name), ("职务", lambda c: c.post), ("企业", lambda c: c.enterprise.name),
                  ("区县", lambda c: c.enterprise.district)]


@bp.route("/honours/list")
@public
def hon_public_latest():
    years = honours.published_years()
    if not years:
        return render_template("care/honours_public.html", honour_round=None, years=[], page=None, form=None)
    return redirect(url_for("care.hon_public", year=years[0]))


@bp.route("/honours/list/<int:year>")
@public
def hon_public(year: int):
    honour_round = db.session.scalar(select(HonourRound).where(HonourRound.year == year,
                                                               HonourRound.status == "published")) or abort(404)
    form = SearchForm(request.args)
    return list_or_export(honours.public_query(year, (form.q.data or "")[:100]), template="care/honours_public.html",
                          export_stem=honour_round.title, columns=PUBLIC_COLUMNS, honour_round=honour_round,
                          years=honours.published_years(), form=form)


# -- recommendations ----------------------------------------------------------------------------------
@bp.route("/honours/candidates/<int:candidate_id>/recommend", methods=["GET", "POST"])
@role_required(R.DEPARTMENT, R.ORGANIZATION)
def hon_recommend(candidate_id: int):
    candidate = db.session.get(HonourCandidate, candidate_id) or abort(404)
    honours.require(honours.can_recommend(current_user))
    form = RecommendForm()
    form.target.choices = [("", "（请选择）")] + [
        (u.code, f"{u.name}（{'、'.join(RECOMMENDATION_KINDS[k] for k in RECOMMENDATION_TARGETS[u.code])}）")
        for u in honours.target_units()]
    if form.validate_on_submit():
        try:
            rec = honours.recommend(current_user, candidate, unit_by_code(form.target.data), form.kind.data,
                                    form.aspects(), form.verdict.data, form.note.data or "")
        except honours.HonourError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash(f"已向{rec.target_unit.name}推荐{candidate.entrepreneur_name}（{rec.kind_label}）。", "success")
            return redirect(url_for("care.hon_recommendation", recommendation_id=rec.id))
    existing = db.session.scalars(select(Recommendation).where(Recommendation.candidate_id == candidate.id)).all()
    return render_template("care/honours_recommend.html", candidate=candidate, form=form, existing=existing)


RECOMMENDATION_COLUMNS = [
    ("企业家", lambda r: r.candidate.entrepreneur_name), ("企业", lambda r: r.candidate.enterprise.name),
    ("推荐对象", lambda r: r.target_unit.name), ("类别", lambda r: r.kind_label), ("推荐日期", lambda r: r.recommended_on),
    ("状态", lambda r: r.status_label), ("答复日期", lambda r: r.responded_on),
]


@bp.route("/honours/recommendations")
@role_required(*STAFF)
def hon_recommendations():
    form = RecommendationFilterForm(request.args)
    stmt = honours.recommendation_query(current_user, q=(form.q.data or "")[:100], status=form.status.data or "")
    return list_or_export(stmt, template="care/honours_recommendations.html", export_stem="优秀企业家推荐",
                          columns=RECOMMENDATION_COLUMNS, form=form)


@bp.route("/honours/recommendations/<int:recommendation_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def hon_recommendation(recommendation_id: int):
    rec = db.session.get(Recommendation, recommendation_id) or abort(404)
    user = current_user._get_current_object()
    honours.require(honours.can_read_recommendation(user, rec))
    can_respond = rec.status == "sent" and user.unit_id == rec.target_unit_id \
        and bool(user.roles & {R.DEPARTMENT, R.ORGANIZATION})
    form = RespondForm() if can_respond else None
    if request.method == "POST":
        if form is None:
            raise NotYours("recommendation")
        if form.validate_on_submit():
            try:
                honours.respond(user, rec, adopted=form.adopted.data == "1", note=form.note.data or "")
            except honours.HonourError as exc:
                attach(form, exc.field, str(exc))
            else:
                flash("已答复。", "success")
                return redirect(url_for("care.hon_recommendation", recommendation_id=rec.id))
    return render_template("care/honours_recommendation.html", rec=rec, evaluation=honours.evaluation_of(rec),
                           aspects=EVALUATION_ASPECTS, verdicts=EVALUATION_VERDICTS, form=form)


# -- meetings --------------------------------------------------------------------------------------
@bp.route("/honours/meetings", methods=["GET", "POST"])
@role_required(*STAFF)
def hon_meetings():
    user = current_user._get_current_object()
    form = MeetingForm() if honours.is_host(user) else None
    if form is not None and form.validate_on_submit():
        try:
            meeting = honours.create_meeting(user, kind=form.kind.data, title=form.title.data,
                                             meeting_on=form.meeting_on.data, place=form.place.data or "",
                                             seat_note=form.seat_note.data or "")
        except honours.HonourError as exc:
            attach(form, exc.field, str(exc))
        else:
            flash("会议已登记，请邀请优秀企业家。", "success")
            return redirect(url_for("care.hon_meeting", meeting_id=meeting.id))
    elif request.method == "POST" and form is None:
        raise NotYours("meetings")
    search = SearchForm(request.args)
    columns = [("会议", lambda m: m.title), ("类别", lambda m: m.kind_label), ("日期", lambda m: m.meeting_on),
               ("主办单位", lambda m: m.host_unit.name), ("邀请人数", lambda m: len(m.invitees))]
    return list_or_export(honours.meeting_query(user, (search.q.data or "")[:100]), template="care/honours_meetings.html",
                          export_stem="企业家会议邀请", columns=columns, form=form, search=search)


@bp.route("/honours/meetings/<int:meeting_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def hon_meeting(meeting_id: int):
    meeting = db.session.get(MeetingInvitation, meeting_id) or abort(404)
    user = current_user._get_current_object()
    manage = honours.can_manage_meeting(user, meeting)
    honours.require(manage or R.LEADER in user.roles or R.ORGANIZATION in user.roles or honours.is_proposer(user))
    form = InviteForm() if manage and meeting.meeting_on >= local_today() else None
    if form is not None:
        invited = {i.enterprise_id for i in meeting.invitees}
        form.candidates.choices = [(c.id, f"{c.entrepreneur_name}（{c.enterprise.name}，{c.round.year}年度）")
                                   for c in honours.listed_candidates() if c.enterprise_id not in invited]
    if request.method == "POST":
        if form is None:
            raise NotYours("meeting")
        if form.validate_on_submit():
            chosen = db.session.scalars(select(HonourCandidate).where(HonourCandidate.id.in_(form.candidates.data))).all()
            try:
                added = honours.invite(user, meeting, list(chosen))
            except honours.HonourError as exc:
                attach(form, "candidates", str(exc))
            else:
                flash(f"已邀请 {added} 位优秀企业家。", "success")
                return redirect(url_for("care.hon_meeting", meeting_id=meeting.id))
    return render_template("care/honours_meeting.html", meeting=meeting, form=form)


# -- the enterprise's own page -------------------------------------------------------------------------
@bp.route("/honours/mine")
@role_required(*ENTERPRISE_SIDE)
def hon_mine():
    enterprise_id = current_user.enterprise_id
    listings = honours.listings_of(enterprise_id) if enterprise_id else []
    invitations = honours.invitations_of(enterprise_id) if enterprise_id else []
    return render_template("care/honours_mine.html", listings=listings, invitations=invitations,
                           reply_form=InvitationReplyForm(), today=local_today(),
                           entitlement=honours.latest_listing(enterprise_id) if enterprise_id else None)


@bp.route("/honours/invitations/<int:invitee_id>/reply", methods=["POST"])
@role_required(*ENTERPRISE_SIDE)
def hon_invitation_reply(invitee_id: int):
    invitee = db.session.get(MeetingInvitee, invitee_id) or abort(404)
    if invitee.enterprise_id != current_user.enterprise_id:
        raise NotYours("invitation")
    form = InvitationReplyForm()
    if form.validate_on_submit():
        try:
            honours.respond_invitation(current_user, invitee, accept=form.accept.data == "1", note=form.note.data or "")
        except honours.HonourError as exc:
            flash(str(exc), "danger")
        else:
            flash(f"已答复：{invitee.response_label}。", "success")
    else:
        flash("请选择接受邀请或婉拒。", "danger")
    return redirect(url_for("care.hon_mine"))


# -- the 失信 list ------------------------------------------------------------------------------------
DISHONEST_COLUMNS = [
    ("企业", lambda e: e.enterprise.name), ("统一社会信用代码", lambda e: e.enterprise.credit_code),
    ("执行案号", lambda e: e.case_number), ("执行法院", lambda e: e.court), ("列入日期", lambda e: e.listed_on),
    ("移出日期", lambda e: e.removed_on),
]


@bp.route("/honours/dishonest", methods=["GET", "POST"])
@role_required(R.COURT, R.ADMIN, *STAFF)
def hon_dishonest():
    user = current_user._get_current_object()
    may_import = bool(user.roles & {R.COURT, R.ADMIN})
    honours.require(may_import or honours.is_staff(user))
    form = DishonestImportForm() if may_import else None
    report = None
    if request.method == "POST":
        if form is None:
            raise NotYours("dishonest")
        if form.validate_on_submit():
            upload = form.file.data
            data = upload.read()
            try:
                report = run_import(dishonest.DishonestImport(), data, upload.filename or "upload.csv",
                                    valid_only=form.mode.data == "valid", dry_run=form.mode.data == "check",
                                    actor=(user.id, user.username)).as_dict()
            except TableError as exc:
                form.file.errors.append(str(exc))
    filters = DishonestFilterForm(request.args)
    stmt = dishonest.dishonest_query(filters.q.data or "", current_only=filters.current.data == "1")
    return list_or_export(stmt, template="care/honours_dishonest.html", export_stem="失信被执行人名单",
                          columns=DISHONEST_COLUMNS, form=form, filters=filters, report=report,
                          import_columns=dishonest.DishonestImport.columns)
