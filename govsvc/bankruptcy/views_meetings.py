"""Meeting pages: the calendar and list of meetings, convening one, its page with the agenda,
minutes, outcomes and decisions, and issuing the minutes."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from govsvc.auth.access import role_required
from govsvc.bankruptcy import matters as matter_service
from govsvc.bankruptcy import meetings
from govsvc.bankruptcy.access import ALL, NotAllowed, ServiceError
from govsvc.bankruptcy.directory import resolve_units
from govsvc.bankruptcy.forms import (AgendaForm, DecisionForm, HeldForm, IssueMinutesForm, MeetingFilterForm,
                                     MeetingForm, OutcomeForm)
from govsvc.bankruptcy.models import AgendaItem, Meeting
from govsvc.bankruptcy.views import bp, post_action, refused, user
from govsvc.extensions import db
from govsvc.ledger.models import Matter
from govsvc.lists import list_or_export
from govsvc.timeutil import local_today

COLUMNS = [
    ("编号", lambda m: m.id), ("层级", lambda m: m.tier_label), ("会议名称", lambda m: m.title),
    ("召开日期", lambda m: m.held_on or m.planned_on), ("状态", lambda m: m.status_label),
    ("主持人", lambda m: m.chair), ("纪要编号", lambda m: m.minutes_number),
    ("参会单位", lambda m: "、".join(u.name for u in m.units)), ("议定事项数", lambda m: len(m.decisions)),
]


@bp.route("/meetings")
@role_required(*ALL)
def meeting_list():
    form = MeetingFilterForm(request.args).cleaned()
    stmt = meetings.meeting_query(user(), q=form.q.data or "", tier=form.tier.data or "", status=form.status.data or "")
    return list_or_export(stmt, template="bankruptcy/meetings.html", export_stem="府院联动会议", columns=COLUMNS, form=form,
                          calendars=meetings.calendars(), schedule_label=meetings.schedule_label)


def _units(text: str, field) -> list | None:
    units, missing = resolve_units(t for t in (text or "").replace(",", " ").replace("，", " ").replace("、", " ").split())
    if missing:
        field.errors.append(f"找不到单位：{'、'.join(missing)}。")
        return None
    return units


@bp.route("/meetings/new", methods=["GET", "POST"])
@role_required(*ALL)
def new_meeting():
    form = MeetingForm()
    if request.method == "GET":
        tier = request.args.get("tier", "")
        if tier in ("joint", "topic", "business"):
            form.tier.data = tier
    if form.validate_on_submit():
        units = _units(form.unit_codes.data, form.unit_codes)
        if units is not None:
            try:
                meeting = meetings.create_meeting(user(), tier=form.tier.data, title=form.title.data,
                                                  planned_on=form.planned_on.data, chair=form.chair.data or "",
                                                  location=form.location.data or "", agenda=form.agenda.data or "",
                                                  units=units)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"{meeting.tier_label}“{meeting.title}”已创建，请把待研究的协调事项列入议程。", "success")
                return redirect(url_for("bankruptcy.meeting", meeting_id=meeting.id))
    return render_template("bankruptcy/meeting_new.html", form=form)


def _meeting(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id) or abort(404)
    if not meetings.can_see(user(), meeting):
        raise NotAllowed("meeting not visible")
    return meeting


def _agenda_form(meeting: Meeting) -> AgendaForm:
    form = AgendaForm(prefix="ag")
    listed = {i.matter_id for i in meeting.items}
    options = [m for m in matter_service.open_matters_of_tier(user(), meeting.tier) if m.id not in listed]
    form.matter_id.choices = [(m.id, f"#{m.id} {m.title}（{m.responsible_unit.name if m.responsible_unit else ''}）")
                              for m in options]
    return form


def _render(meeting: Meeting, **forms):
    editable = meetings.may_edit(user(), meeting)
    outcome_forms = {}
    for item in meeting.items:
        if not item.outcome:
            outcome_forms[item.id] = forms.get(f"outcome_{item.id}") or OutcomeForm(prefix=f"o{item.id}", formdata=None)
    held = forms.get("held") or HeldForm(prefix="held", formdata=None)
    if not held.held_on.data and not forms.get("held"):
        held.held_on.data = meeting.held_on or min(meeting.planned_on, local_today())
        held.minutes.data = meeting.minutes
        held.attendees.data = meeting.attendees
        held.unit_codes.data = " ".join(u.code for u in meeting.units)
    return render_template("bankruptcy/meeting.html", meeting=meeting, editable=editable,
                           agenda_form=forms.get("agenda") or _agenda_form(meeting), held_form=held,
                           outcome_forms=outcome_forms,
                           decision_form=forms.get("decision") or DecisionForm(prefix="dec", formdata=None),
                           issue_form=forms.get("issue") or IssueMinutesForm(prefix="iss", formdata=None),
                           decisions=meetings.decisions_with_tasks(meeting))


@bp.route("/meetings/<int:meeting_id>")
@role_required(*ALL)
def meeting(meeting_id: int):
    return _render(_meeting(meeting_id))


@bp.route("/meetings/<int:meeting_id>/agenda", methods=["POST"])
@role_required(*ALL)
def meeting_agenda(meeting_id: int):
    item = _meeting(meeting_id)
    form = _agenda_form(item)
    if form.validate_on_submit():
        matter = db.session.get(Matter, form.matter_id.data)
        if matter is None or matter.id not in {c for c, _ in form.matter_id.choices}:
            form.matter_id.errors.append("请选择本层级待研究的协调事项。")
        else:
            try:
                meetings.add_to_agenda(user(), item, matter)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"事项 #{matter.id} 已列入议程。", "success")
                return redirect(url_for("bankruptcy.meeting", meeting_id=item.id))
    return _render(item, agenda=form)


@bp.route("/meetings/<int:meeting_id>/held", methods=["POST"])
@role_required(*ALL)
def meeting_held(meeting_id: int):
    item = _meeting(meeting_id)
    form = HeldForm(prefix="held")
    if form.validate_on_submit():
        units = _units(form.unit_codes.data, form.unit_codes)
        if units is not None:
            try:
                meetings.record_held(user(), item, held_on=form.held_on.data, attendees=form.attendees.data or "",
                                     minutes=form.minutes.data, units=units)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash("会议召开情况和纪要已保存；请逐项记录议程事项的研究结果。", "success")
                return redirect(url_for("bankruptcy.meeting", meeting_id=item.id))
    return _render(item, held=form)


def _tasks(form) -> list[meetings.TaskInput] | None:
    """The filled task rows; errors beside the rows (None when any is wrong)."""
    from govsvc.bankruptcy.directory import unit_by_code

    tasks, ok = [], True
    for row in form.tasks:
        code, deadline, text = (row.unit_code.data or "").strip(), row.deadline.data, (row.text.data or "").strip()
        if not (code or deadline or text):
            continue
        unit = unit_by_code(code)
        if unit is None:
            row.unit_code.errors = list(row.unit_code.errors) + [f"找不到单位代码“{code}”。" if code else "请填写承办单位。"]
            ok = False
        if deadline is None:
            row.deadline.errors = list(row.deadline.errors) + ["请填写完成期限。"]
            ok = False
        elif deadline < local_today():
            row.deadline.errors = list(row.deadline.errors) + ["期限不能早于今天。"]
            ok = False
        if not text:
            row.text.errors = list(row.text.errors) + ["请填写任务内容。"]
            ok = False
        if ok:
            tasks.append(meetings.TaskInput(unit, deadline, text))
    return tasks if ok else None


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>", methods=["POST"])
@role_required(*ALL)
def meeting_outcome(meeting_id: int, item_id: int):
    item = _meeting(meeting_id)
    agenda_item = db.session.get(AgendaItem, item_id)
    if agenda_item is None or agenda_item.meeting_id != item.id:
        abort(404)
    form = OutcomeForm(prefix=f"o{agenda_item.id}")
    if form.validate_on_submit():
        tasks = _tasks(form) if form.outcome.data == "resolved" else []
        if not form.confirm.data:
            form.confirm.errors.append("研究结果记录后不能修改，请勾选确认。")
        elif tasks is not None:
            try:
                meetings.record_outcome(user(), item, agenda_item, form.outcome.data or "", note=form.note.data or "",
                                        decision=form.decision.data or "", tasks=tasks, deadline=form.deadline.data)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"事项 #{agenda_item.matter_id}：{agenda_item.outcome_label}。", "success")
                return redirect(url_for("bankruptcy.meeting", meeting_id=item.id) + f"#item-{agenda_item.id}")
    return _render(item, **{f"outcome_{agenda_item.id}": form})


@bp.route("/meetings/<int:meeting_id>/decisions", methods=["POST"])
@role_required(*ALL)
def meeting_decision(meeting_id: int):
    item = _meeting(meeting_id)
    form = DecisionForm(prefix="dec")
    if form.validate_on_submit():
        tasks = _tasks(form)
        if not form.confirm.data:
            form.confirm.errors.append("议定事项记录后不能撤回，请勾选确认。")
        elif tasks is not None:
            try:
                meetings.add_decision(user(), item, form.decision.data, tasks)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash("议定事项已记录，任务已交办。", "success")
                return redirect(url_for("bankruptcy.meeting", meeting_id=item.id) + "#decisions")
    return _render(item, decision=form)


@bp.route("/meetings/<int:meeting_id>/issue", methods=["POST"])
@role_required(*ALL)
def meeting_issue(meeting_id: int):
    item = _meeting(meeting_id)
    return post_action(IssueMinutesForm(prefix="iss"), lambda f: meetings.issue_minutes(user(), item, confirm=f.confirm.data),
                       success=lambda m: f"会议纪要已印发：{m.minutes_number}。",
                       target=url_for("bankruptcy.meeting", meeting_id=item.id), render=lambda f: _render(item, issue=f))
