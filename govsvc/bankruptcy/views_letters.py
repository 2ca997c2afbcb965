"""Letter pages: the list of 函告 with their reply state, issuing one (the office), a letter's
printable page with the unit's 函复, 督办 and 销号, and the quarter's reply circular."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for

from govsvc.auth.access import role_required
from govsvc.bankruptcy import letters as service
from govsvc.bankruptcy import matters as matter_service
from govsvc.bankruptcy.access import ALL, STAFF, NotAllowed, ServiceError, is_office
from govsvc.bankruptcy.directory import office_name, unit_by_code
from govsvc.bankruptcy.forms import CircularPeriodForm, CloseLetterForm, LetterFilterForm, LetterForm, ReplyForm, SuperviseForm
from govsvc.bankruptcy.models import Letter
from govsvc.bankruptcy.views import arg_id, bp, post_action, refused, user
from govsvc.exports import download
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.timeutil import local_today
from scoring import bankruptcy as core

COLUMNS = [
    ("文号", lambda x: x.number), ("标题", lambda x: x.subject), ("受函单位", lambda x: x.to_unit.name),
    ("发函日期", lambda x: x.issued_on), ("函复期限", lambda x: x.reply_due), ("函复日期", lambda x: x.replied_on),
    ("函复情况", lambda x: service.STATES[service.state(x)]), ("事项状态", lambda x: x.matter.status_label),
]


@bp.route("/letters")
@role_required(*ALL)
def letter_list():
    form = LetterFilterForm(request.args).cleaned()
    stmt = service.letter_query(user(), q=form.q.data or "", state_=form.state.data or "")
    return list_or_export(stmt, template="bankruptcy/letters.html", export_stem="府院联动函告", columns=COLUMNS, form=form,
                          state=service.state, states=service.STATES)


@bp.route("/letters/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_letter():
    coord = None
    matter_id = arg_id("matter")
    if matter_id:
        coord = matter_service.get_matter(user(), matter_id)
    form = LetterForm()
    if request.method == "GET":
        form.reply_due.data = service.default_due()
        if coord is not None:
            form.to_unit.data = coord.responsible_unit.code if coord.responsible_unit else ""
            form.subject.data = f"关于协调办理“{coord.title}”的函"[:200]
            form.body.data = (f"{coord.responsible_unit.name if coord.responsible_unit else ''}：\n"
                              f"    经{office_name()}审核，下列事项需贵单位协调办理：{coord.title}。\n"
                              f"    {coord.description}\n    请于函复期限前将协办结果函复我办。")
    if form.validate_on_submit():
        unit = unit_by_code(form.to_unit.data)
        if unit is None:
            form.to_unit.errors.append(f"找不到单位代码“{form.to_unit.data}”。")
        else:
            try:
                letter = service.issue(user(), to_unit=unit, subject=form.subject.data, body=form.body.data,
                                       reply_due=form.reply_due.data, coord_matter=coord, confirm=form.confirm.data)
            except ServiceError as exc:
                refused(form, exc)
            else:
                flash(f"已发出{letter.number}，请{unit.name}于 {letter.reply_due.isoformat()} 前函复。", "success")
                return redirect(url_for("bankruptcy.letter", letter_id=letter.id))
    return render_template("bankruptcy/letter_new.html", form=form, coord=coord, office=is_office(user()))


def _letter(letter_id: int) -> Letter:
    letter = db.session.get(Letter, letter_id) or abort(404)
    if not service.can_see(user(), letter):
        raise NotAllowed("letter of another unit")
    return letter


def _render(letter: Letter, **forms):
    u = user()
    office = is_office(u)
    return render_template(
        "bankruptcy/letter.html", letter=letter, state=service.state(letter), states=service.STATES,
        reply_form=forms.get("reply") or (ReplyForm(prefix="rp", formdata=None) if service.may_reply(u, letter) else None),
        urge_form=forms.get("urge") or (SuperviseForm(prefix="ur", formdata=None)
                                        if office and letter.replied_on is None else None),
        close_form=forms.get("close") or (CloseLetterForm(prefix="cl", formdata=None)
                                          if office and letter.matter.status == "concluded" else None))


@bp.route("/letters/<int:letter_id>")
@role_required(*ALL)
def letter(letter_id: int):
    return _render(_letter(letter_id))


@bp.route("/letters/<int:letter_id>/reply", methods=["POST"])
@role_required(*ALL)
def reply_letter(letter_id: int):
    item = _letter(letter_id)
    form = ReplyForm(prefix="rp")
    if form.validate_on_submit():
        try:
            service.reply(user(), item, form.reply.data, confirm=form.confirm.data)
        except ServiceError as exc:
            refused(form, exc)
        else:
            late = service.state(item) == "late"
            flash("函复已提交。" + ("已超过函复期限，记为逾期函复。" if late else ""), "warning" if late else "success")
            return redirect(url_for("bankruptcy.letter", letter_id=item.id))
    return _render(item, reply=form)


@bp.route("/letters/<int:letter_id>/urge", methods=["POST"])
@role_required(*STAFF)
def urge_letter(letter_id: int):
    item = _letter(letter_id)
    return post_action(SuperviseForm(prefix="ur"), lambda f: service.urge(user(), item, f.note.data, f.deadline.data),
                       success=f"{item.number}已督办。", target=url_for("bankruptcy.letter", letter_id=item.id),
                       render=lambda f: _render(item, urge=f))


@bp.route("/letters/<int:letter_id>/close", methods=["POST"])
@role_required(*STAFF)
def close_letter(letter_id: int):
    item = _letter(letter_id)
    return post_action(CloseLetterForm(prefix="cl"),
                       lambda f: service.close(user(), item, note=f.note.data or "", confirm=f.confirm.data),
                       success=f"{item.number}已销号。", target=url_for("bankruptcy.letter", letter_id=item.id),
                       render=lambda f: _render(item, close=f))


def _quarter(today: date) -> core.Period:
    """The last completed quarter (the circular's default)."""
    previous = core.period_of(today, 3)[0] - timedelta(days=1)
    return core.parse_period(f"{previous.year}-Q{(previous.month - 1) // 3 + 1}")


@bp.route("/letters/circular")
@role_required(*ALL)
def letter_circular():
    """函复情况通报: the letters due in a period answered late or still unanswered, by unit."""
    form = CircularPeriodForm(request.args)
    today = local_today()
    period = None
    if form.period.data:
        try:
            period = core.parse_period(form.period.data)
        except ValueError as exc:
            form.period.errors = [str(exc)]
    period = period or _quarter(today)
    rows, counts = service.letter_circular(period.start, period.end, today)
    fmt = request.args.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = ["受函单位", "文号", "标题", "函复期限", "函复日期", "情况", "逾期天数"]
        data = [[r.letter.to_unit.name, r.letter.number, r.letter.subject, r.letter.reply_due, r.letter.replied_on,
                 service.STATES[r.state], r.days_late] for r in rows]
        return download(f"函复情况通报_{period.code}", header, data, fmt)
    return render_template("bankruptcy/letter_circular.html", form=form, period=period, rows=rows, counts=counts,
                           states=service.STATES, office=office_name(), today=today)
