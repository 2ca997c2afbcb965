"""Persons' integrity files: search, purpose, the file, restrictions on a date, records (file,
correct, revoke, history), certificates. Every page that shows file content needs a declared
purpose (files.current_grant) and leaves an audit entry with it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govsvc import confirm
from govsvc.auth.access import role_required, safe_next
from govsvc.extensions import db
from govsvc.integrity import certificates, files, records, scope, transfers
from govsvc.integrity.forms import (CertificateFilterForm, CertificateForm, ConfirmForm, IdLookupForm, PersonSearchForm, PurposeForm,
                                    RecordCorrectionForm, RecordFilterForm, RecordForm, RestrictionQueryForm, RevokeForm,
                                    attach_errors, for_admonishment, for_stain)
from govsvc.integrity.models import Certificate, IntegrityRecord
from govsvc.integrity.views import DISCIPLINE, bp, unit_by_code
from govsvc.lists import list_or_export
from govsvc.registry.models import Person
from govsvc.timeutil import local_today
from govsvc.web import id_arg


def _person(person_id: int) -> Person:
    person = db.session.get(Person, person_id) or abort(404)
    scope.check_person(current_user, person)
    return person


def _grant(person: Person | None):
    """The live purpose for reading this file, or None (the caller redirects to ask for one)."""
    return files.current_grant(current_user, person)


def _ask_purpose(person: Person | None):
    here = request.full_path if request.query_string else request.path
    return redirect(url_for(".purpose", person=person.id if person else None, next=here))


# -- finding a person ----------------------------------------------------------------------------
PERSON_COLUMNS = [("姓名", lambda p: p.name), ("身份证号（脱敏）", lambda p: p.id_masked), ("单位代码", lambda p: p.unit.code),
                  ("单位", lambda p: p.unit.name), ("职务", lambda p: p.post)]


@bp.route("/persons")
@role_required(DISCIPLINE)
def persons():
    form = PersonSearchForm(request.args)
    form.unit.choices = [("", "全部")] + [(str(u.id), f"{u.name}（{u.code}）") for u in scope.units_in_scope(current_user)]
    unit_id = id_arg(form.unit.data)
    stmt = files.person_query(current_user, q=form.q.data or "", unit_id=unit_id)
    return list_or_export(stmt, template="integrity/persons.html", export_stem="公职人员", columns=PERSON_COLUMNS,
                          form=form, lookup=IdLookupForm())


@bp.route("/persons/lookup", methods=["POST"])
@role_required(DISCIPLINE)
def lookup():
    form = IdLookupForm()
    if form.validate_on_submit():
        try:
            person = files.find_by_id_number(current_user, form.id_number.data)
        except files.IdLookupError as exc:
            flash(f"身份证号有误：{exc}", "danger")
        else:
            if person is not None:
                return redirect(url_for(".person", person_id=person.id))
            flash("在您的联系单位中没有找到该身份证号对应的人员。", "warning")
    else:
        flash("请输入身份证号。", "danger")
    return redirect(url_for(".persons"))


@bp.route("/purpose", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def purpose():
    raw = request.args.get("person", "")
    person = _person(id_arg(raw)) if id_arg(raw) is not None else None
    target = safe_next(request.args.get("next")) or (url_for(".person", person_id=person.id) if person
                                                     else url_for(".record_list"))
    form = PurposeForm()
    if form.validate_on_submit():
        files.grant_access(current_user, person, form.text)
        return redirect(target)
    return render_template("integrity/purpose.html", form=form, person=person, minutes=files.GRANT_MINUTES)


# -- the file --------------------------------------------------------------------------------------
@bp.route("/persons/<int:person_id>")
@role_required(DISCIPLINE)
def person(person_id: int):
    item = _person(person_id)
    grant = _grant(item)
    if grant is None:
        return _ask_purpose(item)
    today = local_today()
    files.log_read(grant, item, "file")
    return render_template("integrity/file.html", file=files.person_file(item, today), grant=grant,
                           transfer_state=lambda t: transfers.state_of(t, today),
                           state=lambda r: records.record_state(r, today), states=records.RECORD_STATES,
                           city_wide=scope.is_city_wide(current_user), certificate_form=CertificateForm(),
                           query_form=RestrictionQueryForm(formdata=None, on=today))


@bp.route("/persons/<int:person_id>/restrictions")
@role_required(DISCIPLINE)
def restrictions(person_id: int):
    item = _person(person_id)
    grant = _grant(item)
    if grant is None:
        return _ask_purpose(item)
    form = RestrictionQueryForm(request.args)
    on = form.on.data if form.validate() and form.on.data else local_today()
    form.on.data = on
    found = files.restrictions_for(files.records_of(item), on)
    files.log_read(grant, item, "restrictions", on=on)
    return render_template("integrity/restrictions.html", person=item, form=form, on=on, restrictions=found)


# -- records ---------------------------------------------------------------------------------------
def _record_values(form: RecordForm) -> tuple[dict, bool]:
    unit = unit_by_code(form.unit_code.data)
    if unit is None:
        form.unit_code.errors.append(f"找不到单位代码“{form.unit_code.data}”。")
        return {}, False
    values = {"decision": form.decision.data, "decision_date": form.decision_date.data, "facts": form.facts.data,
              "decision_number": (form.decision_number.data or "").strip(),
              "decision_body": (form.decision_body.data or "").strip(), "unit_id": unit.id,
              "post": (form.post.data or "").strip(), "filed_by": form.filed_by.data,
              "clue_matter_id": form.clue_number.data,
              "rectification_deadline": form.rectification_deadline.data if "rectification_deadline" in form else None}
    return values, True


RECORD_FIELD_NAMES = {"unit_id": "unit_code", "clue_matter_id": "clue_number"}


@bp.route("/persons/<int:person_id>/records/new", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def new_record(person_id: int):
    item = _person(person_id)
    admonishment = request.args.get("kind") == "admonishment"
    form = RecordForm()
    form = for_admonishment(form) if admonishment else for_stain(form)
    if request.method == "GET":
        form.unit_code.data, form.post.data = item.unit.code, item.post
        form.filed_by.data = "city_commission" if scope.is_city_wide(current_user) else "unit_committee"
    if form.validate_on_submit():
        values, ok = _record_values(form)
        if ok:
            try:
                record = records.file_record(current_user, item, values)
            except records.RecordError as exc:
                attach_errors(form, exc.errors, RECORD_FIELD_NAMES)
            else:
                flash(f"已登记{record.decision_label}记录。", "success")
                return redirect(url_for(".person", person_id=item.id))
    return render_template("integrity/record_form.html", form=form, person=item, admonishment=admonishment)


def _record(record_id: int) -> IntegrityRecord:
    record = db.session.get(IntegrityRecord, record_id) or abort(404)
    scope.check_person(current_user, record.person)
    return record


@bp.route("/records/<int:record_id>")
@role_required(DISCIPLINE)
def record(record_id: int):
    item = _record(record_id)
    grant = _grant(item.person)
    if grant is None:
        return _ask_purpose(item.person)
    files.log_read(grant, item.person, "record", record=item.id)
    today = local_today()
    return render_template("integrity/record.html", record=item, history=records.history(item),
                           state=records.record_state(item, today), states=records.RECORD_STATES,
                           city_wide=scope.is_city_wide(current_user),
                           transfer_state=lambda t: transfers.state_of(t, today),
                           can_recommend=item.transfer is None and item.facts_for_rules().in_force_on(today))


@bp.route("/records/<int:record_id>/transfer", methods=["POST"])
@role_required(DISCIPLINE)
def recommend_transfer(record_id: int):
    """A 污点 filed before recommendations were made automatically (or whose restrictions came into
    force by a correction): make the recommendation to the organisation department now."""
    item = _record(record_id)
    if ConfirmForm().validate_on_submit():
        if transfers.recommend_if_needed(current_user, item) is not None:
            flash(f"已向组织部门提出调离建议（{transfers.TRANSFER_DAYS} 日内调离）。", "success")
        else:
            flash("该记录无需或已经提出调离建议。", "warning")
    return redirect(url_for(".record", record_id=item.id))


@bp.route("/records/<int:record_id>/correct", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def correct_record(record_id: int):
    item = _record(record_id)
    form = RecordCorrectionForm(obj=item) if request.method == "GET" else RecordCorrectionForm()
    form = for_admonishment(form) if item.is_admonishment else for_stain(form)
    if request.method == "GET":
        grant = _grant(item.person)
        if grant is None:
            return _ask_purpose(item.person)
        files.log_read(grant, item.person, "correct", record=item.id)
        form.unit_code.data, form.clue_number.data = item.unit.code, item.clue_matter_id
    if form.validate_on_submit():
        values, ok = _record_values(form)
        if ok:
            try:
                records.correct_record(current_user, item, values, form.reason.data)
            except records.RecordError as exc:
                attach_errors(form, exc.errors, RECORD_FIELD_NAMES)
            else:
                flash("记录已更正，原内容保留在修改记录中。", "success")
                return redirect(url_for(".record", record_id=item.id))
    return render_template("integrity/record_form.html", form=form, person=item.person, record=item,
                           admonishment=item.is_admonishment)


@bp.route("/records/<int:record_id>/revoke", methods=["GET", "POST"])
@role_required(DISCIPLINE)
def revoke_record(record_id: int):
    item = _record(record_id)
    scope.check_city_wide(current_user)
    form = RevokeForm()
    if request.method == "GET":
        grant = _grant(item.person)
        if grant is None:
            return _ask_purpose(item.person)
        files.log_read(grant, item.person, "revoke", record=item.id)
    if form.validate_on_submit():
        errors = records.revocation_errors(item, form.revoked_on.data, form.reason.data)
        if errors:
            attach_errors(form, errors)
            return render_template("integrity/revoke.html", form=form, record=item)
        if not confirm.confirmed():
            return confirm.ask(
                title="撤销记录", button="确认撤销",
                what=f"{item.person.name}的{item.decision_label}记录（{item.decision_date.isoformat()}）将被撤销。",
                facts=[("撤销日期", form.revoked_on.data.isoformat()), ("撤销理由", form.reason.data.strip())],
                notes=["撤销后记录仍保留在档案和修改记录中，但不再产生任何限制措施，也不再列入廉政鉴定；"
                       "该人员已出具的有效鉴定将失效。撤销不能再恢复。"],
                back=url_for(".record", record_id=item.id))
        try:
            records.revoke_record(current_user, item, form.revoked_on.data, form.reason.data)
        except records.RecordError as exc:
            attach_errors(form, exc.errors)
        else:
            flash("记录已撤销；撤销后不再产生限制措施，记录保留在档案中。", "success")
            return redirect(url_for(".record", record_id=item.id))
    return render_template("integrity/revoke.html", form=form, record=item)


RECORD_COLUMNS = [
    ("记录编号", lambda r: r.id), ("姓名", lambda r: r.person.name), ("身份证号（脱敏）", lambda r: r.person.id_masked),
    ("时任单位", lambda r: r.unit.name), ("时任职务", lambda r: r.post), ("处理决定", lambda r: r.decision_label),
    ("决定日期", lambda r: r.decision_date), ("决定文号", lambda r: r.decision_number),
    ("限制截止", lambda r: "" if r.is_admonishment else r.facts_for_rules().last_day),
    ("整改期限", lambda r: r.rectification_deadline), ("状态", lambda r: records.RECORD_STATES.get(
        records.record_state(r, local_today()), "诫勉谈话")),
    ("填报单位", lambda r: r.filed_by_label),
]


@bp.route("/records")
@role_required(DISCIPLINE)
def record_list():
    grant = _grant(None)
    if grant is None:
        return _ask_purpose(None)
    form = RecordFilterForm(request.args)
    filters = {k: form[k].data or "" for k in ("q", "decision", "state")}
    files.log_read(grant, None, "register", **{k: v for k, v in filters.items() if v},
                   export=request.args.get("format", ""))
    today = local_today()
    return list_or_export(records.record_query(current_user, **filters, today=today), template="integrity/records.html",
                          export_stem="污点记录", columns=RECORD_COLUMNS, form=form,
                          state=lambda r: records.record_state(r, today), states=records.RECORD_STATES)


# -- certificates ----------------------------------------------------------------------------------
@bp.route("/persons/<int:person_id>/certificates", methods=["POST"])
@role_required(DISCIPLINE)
def issue_certificate(person_id: int):
    item = _person(person_id)
    form = CertificateForm()
    if form.validate_on_submit():
        cert = certificates.issue(current_user, item, requested_by=form.requested_by.data, purpose=form.purpose.data)
        flash(f"已出具廉政鉴定 {certificates.display_number(cert.number)}。", "success")
        return redirect(url_for(".certificate", certificate_id=cert.id))
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}：{message}", "danger")
    return redirect(url_for(".person", person_id=item.id))


CERTIFICATE_COLUMNS = [
    ("证书编号", lambda c: certificates.display_number(c.number)), ("出具日期", lambda c: c.issued_on),
    ("姓名", lambda c: c.person.name), ("单位", lambda c: c.person.unit.name), ("申请单位", lambda c: c.requested_by),
    ("用途", lambda c: c.purpose), ("状态", lambda c: c.status_label),
]


@bp.route("/certificates")
@role_required(DISCIPLINE)
def certificate_list():
    form = CertificateFilterForm(request.args)
    stmt = certificates.certificate_query(current_user, q=form.q.data or "", status=form.status.data or "")
    return list_or_export(stmt, template="integrity/certificates.html", export_stem="廉政鉴定",
                          columns=CERTIFICATE_COLUMNS, form=form, display_number=certificates.display_number)


@bp.route("/certificates/<int:certificate_id>")
@role_required(DISCIPLINE)
def certificate(certificate_id: int):
    cert = db.session.get(Certificate, certificate_id) or abort(404)
    scope.check_person(current_user, cert.person)
    grant = _grant(cert.person)
    if grant is None:
        return _ask_purpose(cert.person)
    files.log_read(grant, cert.person, "certificate", number=cert.number)
    return render_template("integrity/certificate.html", cert=cert, content=certificates.content_of(cert),
                           code=certificates.verification_code(cert.content),
                           number=certificates.display_number(cert.number))
