"""Appeal pages (诉求): the list by role, filing, one appeal with its whole escalation path and the
actions of its current level, 督办, the enterprise's confirmation; and the enterprise's own page."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.care import appeals, invitations, liaison
from govsvc.care.liaison_access import ENTERPRISE_SIDE, CareError, NotAllowed, enterprise_of, is_office, require_enterprise
from govsvc.care.liaison_forms import (AppealActionForm, AppealCloseForm, AppealConfirmForm, AppealFilterForm,
                                       AppealForm, SuperviseForm)
from govsvc.care.liaison_leaders import profile_of
from govsvc.care.models import Appeal, LiaisonAssignment, LiaisonContact
from govsvc.care.views import bp, form_error, submit, user
from govsvc.extensions import db
from govsvc.ledger import workflow as W
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise
from govsvc.web import id_arg
from scoring import liaison as core

APPEAL_ROLES = (R.LEADER, R.DEPARTMENT, R.ADMIN, *ENTERPRISE_SIDE)

APPEAL_COLUMNS = [
    ("编号", lambda a: a.id), ("企业", lambda a: a.enterprise.name), ("诉求", lambda a: a.title),
    ("类别", lambda a: a.category_label), ("联系领导", lambda a: a.leader.label), ("来源", lambda a: a.channel_label),
    ("办理层级", lambda a: a.level_label), ("承办单位", lambda a: a.matter.responsible_unit.name),
    ("期限", lambda a: a.matter.deadline), ("状态", lambda a: appeals.STATE_LABELS[appeals.state_of(a)]),
    ("逾期", lambda a: "是" if a.matter.overdue else ""), ("提出时间", lambda a: a.created_at),
    ("评价", lambda a: a.satisfaction_label),
]


@bp.route("/appeals")
@role_required(*APPEAL_ROLES)
def appeals_list():
    form = AppealFilterForm(request.args)
    stmt = appeals.appeals_query(user(), q=form.q.data or "", level=form.level.data or "", state=form.state.data or "",
                                 overdue=form.overdue.data == "1")
    u = user()
    can_file = enterprise_of(u) is not None or profile_of(u) is not None or is_office(u)
    return list_or_export(stmt, template="care/appeals.html", export_stem="企业诉求台账", columns=APPEAL_COLUMNS, form=form,
                          state_of=appeals.state_of, state_labels=appeals.STATE_LABELS, can_file=can_file,
                          enterprise_side=enterprise_of(u) is not None)


def _enterprise_choices(u, year: int) -> list[tuple[str, str]]:
    profile = profile_of(u)
    stmt = select(LiaisonAssignment).join(Enterprise).where(LiaisonAssignment.year == year,
                                                            LiaisonAssignment.level == core.CITY)
    if profile is not None:
        stmt = stmt.where(LiaisonAssignment.leader_id == profile.id)
    return [("", "请选择")] + [(str(a.enterprise_id), a.enterprise.name)
                               for a in db.session.scalars(stmt.order_by(Enterprise.name))]


@bp.route("/appeals/new", methods=["GET", "POST"])
@role_required(R.LEADER, R.DEPARTMENT, *ENTERPRISE_SIDE)
def new_appeal():
    u = user()
    own = enterprise_of(u)
    if own is None and profile_of(u) is None and not is_office(u):
        raise NotAllowed("files appeals: the enterprise, its leader, the office")
    form = AppealForm()
    contact = db.session.get(LiaisonContact, id_arg(request.args.get("contact")) or 0) if own is None else None
    if own is not None:
        del form.enterprise
    else:
        form.enterprise.choices = _enterprise_choices(u, liaison.current_year())
    if request.method == "GET" and contact is not None:
        form.enterprise.data = str(contact.enterprise_id)
        form.description.data = contact.problems
        form.title.data = contact.problems.splitlines()[0][:100] if contact.problems else ""
    found = liaison.liaison_of(own.id) if own is not None else None
    if form.validate_on_submit():
        enterprise = own or db.session.get(Enterprise, id_arg(form.enterprise.data) or 0)
        try:
            appeal = appeals.file_appeal(u, enterprise=enterprise, category=form.category.data, title=form.title.data,
                                         description=form.description.data, contact=contact)
        except CareError as exc:
            form_error(form, exc)
        else:
            flash(f"诉求已提交，由{appeal.leader.label}协调办理，办理期限 {appeal.matter.deadline.isoformat()}。", "success")
            return redirect(url_for(".appeal", appeal_id=appeal.id))
    lead = ("诉求先由本企业的联系领导协调解决；协调难度大的，提交市重点企业联络员工作办公室统筹，必要时提交市委、市政府协调。"
            + (f"本企业的联系领导：{found.text}。" if found else ""))
    return render_template("care/form_page.html", form=form, title="提出诉求", submit="提交诉求", lead=lead,
                           back=(url_for(".appeals_list"), "诉求"))


def _appeal_or_404(appeal_id: int) -> Appeal:
    appeal = db.session.get(Appeal, appeal_id) or abort(404)
    if not appeals.may_read(user(), appeal):
        raise NotAllowed("appeal of another enterprise or leader")
    return appeal


def _action_form(u, appeal: Appeal, bind: bool = True) -> AppealActionForm:
    form = AppealActionForm() if bind else AppealActionForm(formdata=None)
    actions = appeals.actions_for(u, appeal)
    labels = dict(appeals.ACTION_LABELS)
    if core.next_level(appeal.level):
        labels[appeals.ESCALATE] = "提级：" + core.APPEAL_LEVEL_LABELS[core.next_level(appeal.level)]
    form.action.choices = [(a, labels[a]) for a in actions]
    if appeal.level != core.OFFICE_LEVEL:
        del form.city_code
    return form


def _render(appeal: Appeal, action_form=None, supervise_form=None, confirm_form=None, close_form=None):
    u = user()
    enterprise_side = enterprise_of(u) is not None
    return render_template(
        "care/appeal.html", appeal=appeal, path=appeals.path(appeal), state=appeals.state_of(appeal),
        state_labels=appeals.STATE_LABELS, enterprise_side=enterprise_side,
        action_form=action_form if action_form is not None else (
            _action_form(u, appeal, bind=False) if appeals.actions_for(u, appeal) else None),
        supervise_form=supervise_form or (SuperviseForm(prefix="sv", formdata=None)
                                          if appeals.may_supervise(u, appeal) else None),
        confirm_form=confirm_form or (AppealConfirmForm(prefix="cf", formdata=None) if appeals.may_confirm(u, appeal) else None),
        close_form=close_form or (AppealCloseForm(prefix="cl", formdata=None) if appeals.may_close(u, appeal) else None),
        public_statuses=(W.RECEIVED, W.CONCLUDED, W.CLOSED, W.ESCALATED))


@bp.route("/appeals/<int(max=2147483647):appeal_id>", methods=["GET", "POST"])
@role_required(*APPEAL_ROLES)
def appeal(appeal_id: int):
    item = _appeal_or_404(appeal_id)
    u = user()
    if request.method == "POST":
        if not appeals.actions_for(u, item):
            raise NotAllowed("act on this appeal")
        form = _action_form(u, item)
        if form.validate_on_submit():
            if form.action.data not in appeals.actions_for(u, item):
                form.action.errors.append("请选择办理操作。")
            else:
                level = item.level_label
                try:
                    appeals.act(u, item, form.action.data, note=form.note.data or "",
                                city_code=form.city_code.data if "city_code" in form else "")
                except CareError as exc:
                    form_error(form, exc)
                else:
                    done = {"accept": "已受理", "resolve": "已办结并答复企业",
                            "escalate": f"已由“{level}”提级至“{item.level_label}”"}[form.action.data]
                    flash(f"诉求 #{item.id}：{done}。", "success")
                    return redirect(url_for(".appeal", appeal_id=item.id))
        return _render(item, action_form=form)
    return _render(item)


@bp.route("/appeals/<int(max=2147483647):appeal_id>/supervise", methods=["POST"])
@role_required(R.DEPARTMENT)
def supervise_appeal(appeal_id: int):
    item = _appeal_or_404(appeal_id)
    if not appeals.may_supervise(user(), item):
        raise NotAllowed("督办 of this appeal")
    form = SuperviseForm(prefix="sv")
    return submit(form, lambda: appeals.supervise(user(), item, note=form.note.data, deadline=form.deadline.data),
                  done="督办意见已送达承办方。", target=url_for(".appeal", appeal_id=item.id)) \
        or _render(item, supervise_form=form)


@bp.route("/appeals/<int(max=2147483647):appeal_id>/confirm", methods=["POST"])
@role_required(*ENTERPRISE_SIDE)
def confirm_appeal(appeal_id: int):
    item = _appeal_or_404(appeal_id)
    if not appeals.may_confirm(user(), item):
        raise NotAllowed("confirm this appeal")
    form = AppealConfirmForm(prefix="cf")
    return submit(form, lambda: appeals.confirm(user(), item, satisfaction=form.satisfaction.data,
                                                feedback=form.feedback.data or ""),
                  done="感谢您的评价，诉求已办结销号。", target=url_for(".appeal", appeal_id=item.id)) \
        or _render(item, confirm_form=form)


@bp.route("/appeals/<int(max=2147483647):appeal_id>/close", methods=["POST"])
@role_required(R.DEPARTMENT)
def close_appeal(appeal_id: int):
    item = _appeal_or_404(appeal_id)
    if not appeals.may_close(user(), item):
        raise NotAllowed("close this appeal")
    form = AppealCloseForm(prefix="cl")
    return submit(form, lambda: appeals.close(user(), item, note=form.note.data), done="诉求已销号。",
                  target=url_for(".appeal", appeal_id=item.id)) or _render(item, close_form=form)


@bp.route("/appeals/matter/<int(max=2147483647):matter_id>")
@role_required(*APPEAL_ROLES)
def appeal_of_matter(matter_id: int):
    item = appeals.appeal_of_matter(matter_id) or abort(404)
    if not appeals.may_read(user(), item):
        raise NotAllowed("appeal of another enterprise or leader")
    return redirect(url_for(".appeal", appeal_id=item.id))


# -- the enterprise's own page --------------------------------------------------------------------------
@bp.route("/my")
@role_required(*ENTERPRISE_SIDE)
def my():
    u = user()
    enterprise = require_enterprise(u)
    recent_appeals = db.session.scalars(appeals.appeals_query(u).limit(10)).all()
    recent_invitations = db.session.scalars(invitations.invitations_query(u).limit(10)).all()
    total = db.session.scalar(select(func.count()).select_from(appeals.appeals_query(u).subquery()))
    return render_template("care/my.html", enterprise=enterprise, found=liaison.liaison_of(enterprise.id),
                           appeals=recent_appeals, invitations=recent_invitations, total_appeals=total,
                           state_of=appeals.state_of, state_labels=appeals.STATE_LABELS)
