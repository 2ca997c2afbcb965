"""Results and what follows them: the tally for staff, a leader's approval, the public page
(ranked tables, charts, history, receipt board), the notary's audit with the anonymous ballots,
opinions and rectification, and each department's own feedback."""
from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from govsvc import audit, confirm, nav
from govsvc.auth import roles as R
from govsvc.auth.access import public, refuse, role_required
from govsvc.charts import svg_response, to_png, to_svg
from govsvc.database import mark_write
from govsvc.exports import FORMATS, SafeWorkbook, csv_bytes, download, file_response
from govsvc.extensions import db
from govsvc.lists import list_or_export, page_number
from govsvc.survey import ballots, campaigns, files, results
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.charts import history_figure, ranking_figure
from govsvc.survey.forms import (ActionForm, BallotFilterForm, OpinionFilterForm, ReceiptForm,
                                 RectificationFilterForm, RedactForm, ReleaseForm)
from govsvc.survey.models import CLOSED, DRAFT, LISTS_CONFIRMED, OPEN, PUBLISHED, Ballot, Campaign, Opinion
from govsvc.survey.views import STAFF, bp, done, get_campaign
from govsvc.timeutil import local_today
from govsvc.web import id_arg
from scoring import survey as core

AUDITORS = (R.ORGANIZER, R.NOTARY)
RESULT_HEADER = ["类别", "名次", "单位代码", "单位名称", "得分", "满意", "基本满意", "不满意", "不了解", "结果运用"]


def _result_cells(r) -> list:
    return [core.CATEGORY_LABELS[r.category], r.rank or "", r.code, r.name, r.score_text, r.satisfied, r.basic,
            r.dissatisfied, r.unknown, core.OUTCOME_LABELS.get(r.outcome, "")]


def _workbook(campaign: Campaign, rows) -> bytes:
    """Both ranked tables, a chart per category and the chain head, in one XLSX file (through the
    exports module's neutralising writer: the title and names are text, never formulas)."""
    book = SafeWorkbook()
    for category in core.CATEGORIES:
        members = [r for r in rows if r.category == category]
        sheet = book.sheet(core.CATEGORY_LABELS[category])
        sheet.column_width("D", 34)
        sheet.append(RESULT_HEADER)
        for r in members:
            cells = _result_cells(r)
            cells[4] = float(r.score_text) if r.score_text else None  # a number, shown with 2 decimals
            sheet.append(cells, number_formats={4: "0.00"})
        sheet.add_png(to_png(ranking_figure(members, core.CATEGORY_LABELS[category]), dpi=90), "L2")
    info = book.sheet("说明")
    for line in ([f"{campaign.title}"], ["选票数", campaign.sealed_ballots], ["选票链头（SHA-256）", campaign.chain_head],
                 ["计分方法", "（100×满意 + 80×基本满意 + 30×不满意）÷（满意 + 基本满意 + 不满意），不了解不计分"]):
        info.append(line)
    return book.to_bytes()


# ?format=csv|xlsx: for people (Chinese headers and values; the CSV with a BOM so Excel reads UTF-8);
# ?format=machine: SPEC.md's R.csv, byte for byte what `govsvc survey tally --out R.csv` writes.
RESULT_FORMATS = (*FORMATS, "machine")


def _export(campaign: Campaign, fmt: str) -> Response:
    rows = results.stored_results(campaign)
    if fmt == "machine":
        return _csv(files.results_csv(rows), f"R-{campaign.year}.csv")
    stem = f"{campaign.year}年度评议结果"
    if fmt == "xlsx":
        return file_response(_workbook(campaign, rows), f"{stem}.xlsx")
    return download(stem, RESULT_HEADER, (_result_cells(r) for r in rows), fmt)


def _csv(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def _chart(campaign: Campaign, category: str, fmt: str):
    if category not in core.CATEGORIES:
        abort(404)
    figure = ranking_figure(results.stored_results(campaign, category),
                            f"{campaign.year}年度 {core.CATEGORY_LABELS[category]}")
    if fmt == "png":
        return Response(to_png(figure), mimetype="image/png")
    return svg_response(to_svg(figure))


# -- staff: the tally, approval ------------------------------------------------------------------------
@bp.route("/<int:campaign_id>/results", endpoint="results")
@role_required(*STAFF)
def results_page(campaign_id: int):
    campaign = get_campaign(campaign_id)
    if campaign.tallied_at is None:
        return render_template("survey/results.html", campaign=campaign, rows=None, public=False)
    fmt = request.args.get("format", "")
    if fmt in RESULT_FORMATS:
        return _export(campaign, fmt)
    rows, notes = results.result_table(campaign, current_user.roles)
    return render_template("survey/results.html", campaign=campaign, rows=rows, notes=notes, public=False,
                           tally=results.tally_summary(campaign, current_user.roles), action=ActionForm())


@bp.route("/<int:campaign_id>/chart-<category>.<any(svg, png):fmt>")
@role_required(*STAFF)
def staff_chart(campaign_id: int, category: str, fmt: str):
    campaign = get_campaign(campaign_id)
    if campaign.tallied_at is None:
        abort(404)
    return _chart(campaign, category, fmt)


@bp.route("/<int:campaign_id>/publish", methods=["POST"])
@role_required(R.LEADER)
def publish(campaign_id: int):
    campaign = get_campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if campaign.status == CLOSED and campaign.tallied_at and not confirm.confirmed():
        return _ask_publish(campaign)
    try:
        results.approve_and_publish(campaign, current_user)
    except SurveyError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("survey.results", campaign_id=campaign.id))
    return done("已审定并公布评议结果。", "survey.public_results", year=campaign.year)


def _ask_publish(campaign: Campaign):
    """Publishing is for good: what becomes public, and what follows from the ranking."""
    return confirm.ask(
        title="审定并公布评议结果", button="确认审定并公布",
        what=f"{campaign.title}的计票结果将在公示页向社会公布，任何人都能看到两类部门（单位）的得分和名次。",
        facts=[("选票", f"{campaign.sealed_ballots} 张"), ("表扬", f"两类排名前 {campaign.top_k} 位")],
        notes=["公布后：排名前列的部门（单位）给予表扬；排名后两位的由市委、市政府领导同志约谈，"
               "连续两年排名后两位的对领导班子进行组织调整；各部门的评议意见随后交办整改。"],
        back=url_for("survey.results", campaign_id=campaign.id))


# -- the notary's audit --------------------------------------------------------------------------------
def _sealed(campaign: Campaign) -> bool:
    return campaign.status not in (DRAFT, LISTS_CONFIRMED, OPEN)


def _read_ballots(campaign: Campaign, what: str) -> None:
    """Ballot contents exist for auditors only after the box is sealed (a list taken while voting
    runs could be compared with the next one), and every read is in the audit log."""
    if not _sealed(campaign):
        abort(409)
    mark_write()
    audit.record("survey.ballots.read", target=f"survey:{campaign.id}", detail={"what": what}, purpose="公证监督/计票")


@bp.route("/<int:campaign_id>/audit", endpoint="audit")
@role_required(*AUDITORS)
def audit_page(campaign_id: int):
    campaign = get_campaign(campaign_id)
    context = {"campaign": campaign, "turnout": ballots.turnout(campaign), "sealed": _sealed(campaign)}
    if _sealed(campaign):
        _read_ballots(campaign, "audit")
        head, count = ballots.verify_chain(campaign)
        tally = results.compute(campaign)
        context.update(head=head, count=count, tally=tally)
    return render_template("survey/audit.html", **context)


@bp.route("/<int:campaign_id>/audit/ballots")
@role_required(*AUDITORS)
def audit_ballots(campaign_id: int):
    campaign = get_campaign(campaign_id)
    _read_ballots(campaign, "ballot list")
    form = BallotFilterForm(request.args)
    stmt = select(Ballot).where(Ballot.campaign_id == campaign.id)
    if form.invalid.data == "1":
        stmt = stmt.where(or_(Ballot.enforcement_invalid != "", Ballot.service_invalid != ""))

    def summary(ballot: Ballot, category: str) -> str:
        part = ballot.part(category)
        counts = [sum(1 for c in part if c == code) for code in (core.SATISFIED, core.BASIC, core.DISSATISFIED,
                                                                 core.UNKNOWN, core.BLANK)]
        return "满意 {} · 基本满意 {} · 不满意 {} · 不了解 {} · 未评 {}".format(*counts)

    columns = [("选票编号", lambda b: b.id),
               ("执法和综合管理类", lambda b: summary(b, "enforcement")),
               ("执法和综合管理类无效原因", lambda b: b.enforcement_invalid),
               ("服务类", lambda b: summary(b, "service")), ("服务类无效原因", lambda b: b.service_invalid)]
    return list_or_export(stmt.order_by(Ballot.id), template="survey/audit_ballots.html",
                          export_stem=f"选票_{campaign.year}", columns=columns, form=form, campaign=campaign,
                          summary=summary)


@bp.route("/<int:campaign_id>/audit/ballots/<ballot_id>")
@role_required(*AUDITORS)
def audit_ballot(campaign_id: int, ballot_id: str):
    campaign = get_campaign(campaign_id)
    _read_ballots(campaign, "ballot")
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None or ballot.campaign_id != campaign.id:
        abort(404)
    parts = {c: list(zip(campaigns.departments(campaign, c), ballot.part(c))) for c in core.CATEGORIES}
    return render_template("survey/audit_ballot.html", campaign=campaign, ballot=ballot, parts=parts,
                           digest=ballots.digest(campaign, ballot), labels=core.RATING_LABELS)


@bp.route("/<int:campaign_id>/<any(ballots, departments, rejected, chain):name>.csv")
@role_required(*AUDITORS)
def download_file(campaign_id: int, name: str):
    """B.csv, D.csv, X.csv in SPEC.md's formats (and the chain), for `govsvc survey tally`."""
    campaign = get_campaign(campaign_id)
    if name == "departments":
        return _csv(files.departments_csv(campaigns.core_departments(campaign)), f"D-{campaign.year}.csv")
    _read_ballots(campaign, name)
    if name == "ballots":
        return _csv(files.ballots_csv(ballots.rating_rows(campaign)), f"B-{campaign.year}.csv")
    if name == "rejected":
        return _csv(files.rejected_csv(results.compute(campaign).rejected), f"X-{campaign.year}.csv")
    links = core.chain(ballots.digests(campaign))
    body = csv_bytes(["position", "ballot_id", "digest", "chain"],
                     ([i, b, d, link] for i, (b, d, link) in enumerate(links, start=1)), bom=False)
    return _csv(body, f"chain-{campaign.year}.csv")


# -- opinions and rectification ----------------------------------------------------------------------------
@bp.route("/<int:campaign_id>/opinions")
@role_required(R.ORGANIZER)
def opinions(campaign_id: int):
    campaign = get_campaign(campaign_id)
    return _opinions_page(campaign, RedactForm(formdata=None), ReleaseForm(formdata=None))


def _opinions_page(campaign: Campaign, redact_form: RedactForm, release_form: ReleaseForm):
    if not _sealed(campaign):
        return render_template("survey/opinions.html", campaign=campaign, page=None)
    _read_ballots(campaign, "opinions")
    form = OpinionFilterForm(request.args)
    depts = campaigns.departments(campaign)
    form.department.choices = [("", "全部")] + [(str(d.id), d.name) for d in depts]
    department_id = id_arg(form.department.data)
    stmt = results.opinion_query(campaign, department_id=department_id, q=form.q.data or "")
    if release_form.deadline.data is None:
        release_form.deadline.data = campaign.rectification_deadline or local_today() + timedelta(days=90)
    columns = [("部门", lambda o: o.department.name), ("意见（反馈给部门的文字）", lambda o: o.released_text)]
    return list_or_export(stmt, template="survey/opinions.html", export_stem=f"评议意见_{campaign.year}",
                          columns=columns, form=form, campaign=campaign, redact_form=redact_form,
                          release_form=release_form, action=ActionForm())


@bp.route("/<int:campaign_id>/opinions/redact", methods=["POST"])
@role_required(R.ORGANIZER)
def redact(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = RedactForm()
    if form.validate_on_submit():
        opinion = db.session.get(Opinion, form.opinion_id.data)
        try:
            if opinion is None:
                raise SurveyError("没有这条意见。")
            count = results.redact(campaign, opinion, form.phrase.data)
        except SurveyError as exc:
            form.phrase.errors.append(str(exc))
        else:
            return done(f"已隐去 {count} 处。", "survey.opinions", campaign_id=campaign.id, **request.args)
    return _opinions_page(campaign, form, ReleaseForm(formdata=None)), 422


@bp.route("/<int:campaign_id>/opinions/<opinion_id>/restore", methods=["POST"])
@role_required(R.ORGANIZER)
def restore_opinion(campaign_id: int, opinion_id: str):
    campaign = get_campaign(campaign_id)
    opinion = db.session.get(Opinion, opinion_id)
    if opinion is None or not ActionForm().validate_on_submit():
        abort(404 if opinion is None else 400)
    try:
        results.restore(campaign, opinion)
    except SurveyError as exc:
        flash(str(exc), "danger")
    else:
        flash("已恢复原文。", "success")
    return redirect(url_for("survey.opinions", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/opinions/release", methods=["POST"])
@role_required(R.ORGANIZER)
def release(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = ReleaseForm()
    if form.validate_on_submit():
        if campaign.status == PUBLISHED and not confirm.confirmed():
            return confirm.ask(
                title="反馈意见并交办整改", button="确认反馈并交办",
                what=f"{campaign.title}的评议意见将反馈给各被评议部门（单位），每个收到意见的部门生成一项整改事项。",
                facts=[("整改期限", form.deadline.data.isoformat())],
                notes=["反馈后意见不能再修改或隐去；整改事项交办后由各部门办理，组织者跟踪办结。"],
                back=url_for("survey.opinions", campaign_id=campaign.id))
        try:
            count = results.release_opinions(campaign, form.deadline.data, current_user)
        except SurveyError as exc:
            form.deadline.errors.append(str(exc))
        else:
            return done(f"意见已反馈给 {count} 个部门（单位），并作为整改事项交办。", "survey.rectification",
                        campaign_id=campaign.id)
    return _opinions_page(campaign, RedactForm(formdata=None), form), 422


RECTIFICATION_COLUMNS = [
    ("编号", lambda m: m.id), ("标题", lambda m: m.title),
    ("承办单位", lambda m: m.responsible_unit.name if m.responsible_unit else ""), ("办理期限", lambda m: m.deadline),
    ("状态", lambda m: m.status_label), ("逾期", lambda m: "是" if m.overdue else ""),
]


@bp.route("/<int:campaign_id>/rectification")
@role_required(R.ORGANIZER)
def rectification(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = RectificationFilterForm(request.args)
    stmt = results.rectification_matters(campaign, q=form.q.data or "", status=form.status.data or "",
                                         overdue=form.overdue.data == "1")
    return list_or_export(stmt, template="survey/rectification.html", export_stem=f"评议整改_{campaign.year}",
                          columns=RECTIFICATION_COLUMNS, campaign=campaign, form=form)


# -- departments: their own feedback ----------------------------------------------------------------------
@bp.route("/feedback")
@role_required(R.DEPARTMENT)
def feedback_index():
    rows = []
    for campaign in results.published_campaigns():
        dept = results.own_department(campaign, current_user)
        if dept is not None:
            rows.append((campaign, dept, results.stored_results(campaign, dept.category)))
    return render_template("survey/feedback_index.html", rows=rows)


@bp.route("/feedback/<int:campaign_id>")
@role_required(R.DEPARTMENT)
def feedback(campaign_id: int):
    campaign = get_campaign(campaign_id)
    dept = results.own_department(campaign, current_user)
    if dept is None or not campaign.is_published:
        refuse("not own department")
    category = results.stored_results(campaign, dept.category)
    own = next((r for r in category if r.department_id == dept.id), None)
    matter = results.rectification_matter(campaign, dept)
    from govsvc.portal.feedback import department_feedback

    return render_template("survey/feedback.html", campaign=campaign, dept=dept, own=own, matter=matter,
                           ranked=sum(1 for r in category if r.rank),
                           opinions=results.own_opinions(campaign, current_user),
                           door=department_feedback(dept.unit_id, campaign.year))


# -- public pages (no login) --------------------------------------------------------------------------------
def _published(year: int) -> Campaign:
    return results.published_campaign(year) or abort(404)


@bp.route("/results/")
@public
def public_index():
    return render_template("survey/public_index.html", campaigns=results.published_campaigns())


@bp.route("/results/<int:year>")
@public
def public_results(year: int):
    campaign = _published(year)
    fmt = request.args.get("format", "")
    if fmt in RESULT_FORMATS:
        return _export(campaign, fmt)
    rows, notes = results.result_table(campaign, current_user.roles if current_user.is_authenticated else ())
    return render_template("survey/results.html", campaign=campaign, rows=rows, notes=notes, public=True)


@bp.route("/results/<int:year>/<category>.<any(svg, png):fmt>")
@public
def public_chart(year: int, category: str, fmt: str):
    return _chart(_published(year), category, fmt)


@bp.route("/results/<int:year>/receipts")
@public
def receipts(year: int):
    campaign = _published(year)
    form = ReceiptForm(request.args)
    found = None
    if form.receipt.data:
        found = ballots.lookup_receipt(campaign, form.receipt.data)
    stmt = ballots.receipt_board(campaign)
    fmt = request.args.get("format", "")
    if fmt in FORMATS:
        return download(f"回执公示_{campaign.year}", ["回执公示码"],
                        ([ballots.board_code(h)] for h in db.session.scalars(stmt)), fmt)
    page = db.paginate(stmt, page=page_number(), per_page=200, error_out=False)
    return render_template("survey/receipts.html", campaign=campaign, form=form, found=found, page=page,
                           board_code=ballots.board_code)


@bp.route("/history/<code>")
@public
def history(code: str):
    points = results.history(code)
    if not points:
        abort(404)
    return render_template("survey/history.html", code=code, points=points, name=points[-1].name,
                           labels=core.CATEGORY_LABELS)


@bp.route("/history/<code>.svg")
@public
def history_chart(code: str):
    points = results.history(code) or abort(404)
    return svg_response(to_svg(history_figure(points, f"{points[-1].name} 历年评议得分")))


nav.add("评议结果公示", "survey.public_index", None, order=21)
nav.add("评议反馈", "survey.feedback_index", (R.DEPARTMENT,), order=22)
nav.add_public("评议结果公示", "survey.public_index", order=21)
