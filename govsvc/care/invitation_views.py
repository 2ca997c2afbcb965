"""站台 invitation pages: the register (by role; discipline reads all), the enterprise's request,
one invitation with the step that waits for the user, and the printable 邀请单."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.care import invitations as invites
from govsvc.care import liaison
from govsvc.care.liaison_access import (ENTERPRISE_SIDE, OFFICE_DESK, OFFICE_HOTLINE, CareError, NotAllowed,
                                        enterprise_of, require_enterprise)
from govsvc.care.liaison_forms import (AttendanceForm, CancelForm, InvitationFilterForm, InvitationForm, ReplyForm,
                                       ScreenForm)
from govsvc.care.liaison_leaders import city_leaders, contact_for
from govsvc.care.liaison_views import leader_choices, leader_or_none
from govsvc.care.models import Invitation
from govsvc.care.views import INVITATION_READERS, bp, form_error, submit, user
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.timeutil import local_today
from scoring import liaison as core

INVITATION_COLUMNS = [
    ("邀请单编号", lambda i: i.number), ("企业", lambda i: i.enterprise.name), ("活动名称", lambda i: i.title),
    ("活动类别", lambda i: i.kind_label), ("活动日期", lambda i: i.activity_on), ("地点", lambda i: i.place),
    ("途径", lambda i: i.route_label), ("邀请领导", lambda i: i.leader.label if i.leader else ""),
    ("出席领导", lambda i: i.attending_leader.label if i.attending_leader else ""), ("状态", lambda i: i.state_label),
    ("不搞利益输送承诺", lambda i: i.pledge), ("结果说明", lambda i: i.outcome_note or i.screening_note),
    ("提出时间", lambda i: i.created_at),
]


@bp.route("/invitations")
@role_required(*INVITATION_READERS)
def invitations():
    form = InvitationFilterForm(request.args)
    u = user()
    stmt = invites.invitations_query(u, q=form.q.data or "", state=form.state.data or "", kind=form.kind.data or "",
                                         route=form.route.data or "")
    return list_or_export(stmt, template="care/invitations.html", export_stem="市级领导参加服务企业活动登记",
                          columns=INVITATION_COLUMNS, form=form, enterprise_side=enterprise_of(u) is not None,
                          hotline=OFFICE_HOTLINE, desk=OFFICE_DESK)


@bp.route("/invitations/new", methods=["GET", "POST"])
@role_required(*ENTERPRISE_SIDE)
def new_invitation():
    u = user()
    enterprise = require_enterprise(u)
    form = InvitationForm()
    found = liaison.liaison_of(enterprise.id)
    form.wished_leader.choices = [("", "由市工信局协调")] + leader_choices(city_leaders())
    if request.method == "GET" and found is not None and found.level == core.CITY:
        form.wished_leader.data = str(found.leader.id)
    if form.validate_on_submit():
        try:
            inv = invites.request(
                u, kind=form.kind.data, title=form.title.data, activity_on=form.activity_on.data,
                activity_time=form.activity_time.data or "", place=form.place.data, description=form.description.data,
                contact_name=form.contact_name.data, contact_phone=form.contact_phone.data,
                wished_leader=leader_or_none(form.wished_leader.data), pledge=form.pledge.data)
        except CareError as exc:
            form_error(form, exc)
        else:
            flash("邀请已直接报送联系领导。" if inv.route == core.DIRECT else "邀请已提交，市工信局筛选后联系领导办公室。", "success")
            return redirect(url_for(".invitation", invitation_id=inv.id))
    own = f"本企业的联系领导为{found.leader.label}，邀请其参加可直接报送，不再走邀请流程。" if found and found.level == core.CITY else ""
    lead = ("本着“企业提出、确有必要”的原则，企业可邀请市级领导参加招才引智、招商引资、重大项目洽谈论证签约、重要客商接待、"
            f"企业融资、对外合作、品牌打造、产品推介等服务企业活动。{own}联系电话：{OFFICE_DESK} {OFFICE_HOTLINE}。")
    return render_template("care/form_page.html", form=form, title="邀请市级领导参加企业活动", submit="提交邀请", lead=lead,
                           back=(url_for(".invitations"), "我的邀请"))


def _invitation_or_404(invitation_id: int) -> Invitation:
    inv = db.session.get(Invitation, invitation_id) or abort(404)
    if not invites.may_read(user(), inv):
        raise NotAllowed("invitation of another enterprise")
    return inv


def _screen_form(bind: bool = False) -> ScreenForm:
    form = ScreenForm(prefix="sc") if bind else ScreenForm(prefix="sc", formdata=None)
    form.leader.choices = [("", "请选择")] + leader_choices(city_leaders())
    return form


def _reply_form(bind: bool = False) -> ReplyForm:
    form = ReplyForm(prefix="rp") if bind else ReplyForm(prefix="rp", formdata=None)
    form.attending_leader.choices = [("", "邀请的领导")] + leader_choices(city_leaders())
    return form


def _render(inv: Invitation, **forms):
    u = user()
    if "screen_form" not in forms and invites.may_screen(u, inv):
        forms["screen_form"] = _screen_form()
        if inv.wished_leader_id:
            forms["screen_form"].leader.data = str(inv.wished_leader_id)
    if "reply_form" not in forms and invites.may_reply(u, inv):
        forms["reply_form"] = _reply_form()
    if "attendance_form" not in forms and invites.may_record_attendance(u, inv):
        forms["attendance_form"] = AttendanceForm(prefix="at", formdata=None)
    if "cancel_form" not in forms and invites.may_cancel(u, inv):
        forms["cancel_form"] = CancelForm(prefix="cn", formdata=None)
    return render_template("care/invitation.html", inv=inv, enterprise_side=enterprise_of(u) is not None,
                           contact=contact_for(inv.office_id), today=local_today(), **forms)


@bp.route("/invitations/<int(max=2147483647):invitation_id>")
@role_required(*INVITATION_READERS)
def invitation(invitation_id: int):
    return _render(_invitation_or_404(invitation_id))


@bp.route("/invitations/<int(max=2147483647):invitation_id>/screen", methods=["POST"])
@role_required(R.DEPARTMENT)
def screen_invitation(invitation_id: int):
    inv = _invitation_or_404(invitation_id)
    if not invites.may_screen(user(), inv):
        raise NotAllowed("screen this invitation")
    form = _screen_form(bind=True)
    return submit(form, lambda: invites.screen(user(), inv, passed=form.decision.data == "pass",
                                               leader=leader_or_none(form.leader.data), note=form.note.data or ""),
                  done=lambda: (f"已填报邀请单 {inv.number}，送{inv.office.name}。" if inv.state == core.AWAITING
                                else "已告知企业不予安排。"),
                  target=url_for(".invitation", invitation_id=inv.id)) or _render(inv, screen_form=form)


@bp.route("/invitations/<int(max=2147483647):invitation_id>/reply", methods=["POST"])
@role_required(R.DEPARTMENT, R.LEADER)
def reply_invitation(invitation_id: int):
    inv = _invitation_or_404(invitation_id)
    if not invites.may_reply(user(), inv):
        raise NotAllowed("answer this invitation")
    form = _reply_form(bind=True)
    return submit(form, lambda: invites.reply(user(), inv, attending=form.decision.data == "attend",
                                              attending_leader=leader_or_none(form.attending_leader.data),
                                              note=form.note.data or ""),
                  done="答复已告知企业。", target=url_for(".invitation", invitation_id=inv.id)) \
        or _render(inv, reply_form=form)


@bp.route("/invitations/<int(max=2147483647):invitation_id>/attended", methods=["POST"])
@role_required(R.DEPARTMENT, R.LEADER)
def invitation_attended(invitation_id: int):
    inv = _invitation_or_404(invitation_id)
    if not invites.may_record_attendance(user(), inv):
        raise NotAllowed("record attendance")
    form = AttendanceForm(prefix="at")
    return submit(form, lambda: invites.record_attendance(user(), inv, note=form.note.data or ""),
                  done="已登记领导出席。", target=url_for(".invitation", invitation_id=inv.id)) \
        or _render(inv, attendance_form=form)


@bp.route("/invitations/<int(max=2147483647):invitation_id>/cancel", methods=["POST"])
@role_required(R.DEPARTMENT, *ENTERPRISE_SIDE)
def cancel_invitation(invitation_id: int):
    inv = _invitation_or_404(invitation_id)
    if not invites.may_cancel(user(), inv):
        raise NotAllowed("cancel this invitation")
    form = CancelForm(prefix="cn")
    return submit(form, lambda: invites.cancel(user(), inv, reason=form.reason.data), done="邀请已撤销。",
                  target=url_for(".invitation", invitation_id=inv.id)) or _render(inv, cancel_form=form)


@bp.route("/invitations/<int(max=2147483647):invitation_id>/form")
@role_required(*INVITATION_READERS)
def invitation_form(invitation_id: int):
    """The printable 《市级领导参加服务企业活动邀请单》 (HTML with print CSS)."""
    inv = _invitation_or_404(invitation_id)
    if not inv.seq:
        abort(404)
    return render_template("care/invitation_form.html", inv=inv, contact=contact_for(inv.office_id),
                           desk=OFFICE_DESK, hotline=OFFICE_HOTLINE)
