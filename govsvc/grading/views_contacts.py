"""The joint-meeting roster pages (grading.contacts): justice and the leader read it, justice
keeps it; each member unit's staff report their own unit's leader and liaison officer."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc.auth import roles as R
from govsvc.auth.access import refuse, role_required
from govsvc.exports import FORMATS, download
from govsvc.extensions import db
from govsvc.grading import contacts
from govsvc.grading.forms import ContactForm
from govsvc.grading.service import GradingError
from govsvc.grading.views import bp
from govsvc.registry.models import Unit
from govsvc.timeutil import local_datetime

ROSTER_READERS = (R.JUSTICE, R.LEADER)
HEADER = ["单位代码", "单位", "分管领导", "职务", "电话", "工作联络员", "职务（科室）", "电话", "报送时间", "报送人"]


@bp.route("/contacts")
@role_required(R.JUSTICE, R.LEADER, R.DEPARTMENT)
def contacts_list():
    user = current_user._get_current_object()
    if not user.has_role(*ROSTER_READERS):
        # a unit's staff see (and report) their own unit only
        return redirect(url_for("grading.contact_edit", unit_id=user.unit_id)) if user.unit_id else refuse("no unit")
    rows = contacts.members()
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        return download("评级联席会议成员单位联系人", HEADER, (
            [u.code, u.name, *([c.leader_name, c.leader_post, c.leader_phone, c.liaison_name, c.liaison_post,
                                c.liaison_phone, local_datetime(c.reported_at).strftime("%Y-%m-%d %H:%M"), c.reported_by]
                               if c else ["未报送"] + [""] * 7)] for u, c in rows), fmt)
    missing = [u for u, c in rows if c is None]
    return render_template("grading/contacts.html", rows=rows, missing=missing)


@bp.route("/contacts/<int:unit_id>", methods=["GET", "POST"])
@role_required(R.JUSTICE, R.DEPARTMENT)
def contact_edit(unit_id: int):
    user = current_user._get_current_object()
    unit = db.session.get(Unit, unit_id) or abort(404)
    if not user.has_role(R.JUSTICE) and user.unit_id != unit.id:
        return refuse("another unit")
    contact = contacts.contact_of(unit.id)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            contacts.report(unit, {name: getattr(form, name).data for name in contacts.FIELDS}, user=user)
        except GradingError as exc:
            target = getattr(form, exc.field, None) if exc.field else None
            (target.errors if target is not None else form.form_errors).append(str(exc))
        else:
            db.session.commit()
            flash(f"已报送{unit.name}的分管领导和工作联络员。", "success")
            if user.has_role(R.JUSTICE):
                return redirect(url_for("grading.contacts_list"))
            return redirect(url_for("grading.contact_edit", unit_id=unit.id))
    return render_template("grading/contact_edit.html", form=form, unit=unit, contact=contact)
