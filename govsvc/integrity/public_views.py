"""Public pages, no login, deliberately outside /integrity/: the online complaint column
(涉企投诉专栏) with its tracking page, and the verification of integrity certificates. They
show nothing about anyone beyond what the visitor already holds (a tracking code, a certificate)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from govsvc.audit import without_address
from govsvc.auth.access import public
from govsvc.extensions import db
from govsvc.integrity import certificates, clues
from govsvc.integrity.forms import ComplaintForm, TrackForm, VerifyForm, attach_errors
from govsvc.registry.models import Unit
from govsvc.web import id_arg

public_bp = Blueprint("integrity_public", __name__)


@public_bp.route("/complaints/", methods=["GET", "POST"])
@public
@without_address  # an anonymous complaint keeps no address (the throttle alone sees it, briefly)
def complaint():
    form = ComplaintForm()
    units = list(db.session.scalars(select(Unit).order_by(Unit.level, Unit.code)))
    form.unit.choices = [("", "不清楚 / 不填写")] + [(str(u.id), u.name) for u in units]
    if form.validate_on_submit():
        unit_id = id_arg(form.unit.data)
        if unit_id is not None and unit_id not in {u.id for u in units}:
            form.unit.errors.append("请从列表中选择单位。")
        else:
            try:
                clue, code = clues.submit_online(
                    title=form.title.data, description=form.description.data, unit_id=unit_id,
                    enterprise_related=form.enterprise_related.data, address=request.remote_addr or "",
                    **{k: form[k].data for k in clues.DETAIL_FIELDS})
            except clues.ClueError as exc:
                attach_errors(form, exc.errors)
            else:
                return render_template("integrity/tracking_code.html", code=code, matter_id=clue.matter_id,
                                       staff=False)
    return render_template("integrity/complaint.html", form=form)


@public_bp.route("/complaints/track", methods=["GET", "POST"])
@public
def track():
    form = TrackForm()
    result, searched = None, False
    if form.validate_on_submit():
        try:
            result = clues.track(form.code.data)
            searched = True
        except clues.ClueError as exc:
            attach_errors(form, exc.errors)
    return render_template("integrity/track.html", form=form, result=result, searched=searched)


@public_bp.route("/verify/", methods=["GET", "POST"])
@public
def verify():
    form = VerifyForm()
    result, searched = None, False
    if form.validate_on_submit():
        try:
            result = certificates.verify(form.number.data, form.code.data, name=form.name.data or "",
                                         stain_count=form.stain_count.data)
            searched = True
        except certificates.VerifyError as exc:
            attach_errors(form, exc.errors)
    return render_template("integrity/verify.html", form=form, result=result, searched=searched)


@public_bp.route("/cases/")
@public
def cases():
    """典型问题公开曝光: the approved, anonymised typical cases (newest first)."""
    from govsvc.integrity.cases import published_query
    from govsvc.lists import page_number

    page = db.paginate(published_query(), page=page_number(), per_page=20, error_out=False)
    return render_template("integrity/public_cases.html", page=page)
