"""Pages of govsvc.portal (one blueprint, url_prefix /portal): opening an account (public), the
enterprise's own pages and 扫码入企 (enterprise accounts and evaluator heads alike), inspection
notices (units), activation letters and the outbox (admins), retaliation flags (justice)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_user
from sqlalchemy import func, select

from govsvc import audit, nav
from govsvc.auth import roles as R
from govsvc.auth import sessions
from govsvc.auth.access import public, role_required
from govsvc.extensions import db
from govsvc.inspections.access import NotAllowed, ServiceError
from govsvc.inspections.views import _not_allowed as refused
from govsvc.inspections.views import user
from govsvc.inspections.models import PlanItem
from govsvc.lists import list_or_export
from govsvc.main import Panel, panel
from govsvc.portal import accounts, checks, watch
from govsvc.portal.forms import (ConfirmVisitForm, CreditCodeForm, LettersForm, NoticeForm, OpenAccountForm,
                                 RatingForm, RescanForm, ScanForm, UnfiledVisitForm)
from govsvc.portal.models import OutboxMessage, Visit
from govsvc.registry.models import Unit
from govsvc.registry.service import districts
from govsvc.timeutil import local_today
from govsvc.web import id_arg

bp = Blueprint("portal", __name__, url_prefix="/portal")
CHANNEL_LABELS = {"sms": "短信"}  # the outbox's channels
ENTERPRISES = (R.ENTERPRISE, R.EVALUATOR)


bp.errorhandler(NotAllowed)(refused)  # an ownership refusal from a service: 403 with an audit entry


def field_error(form, exc, default: str) -> None:
    db.session.rollback()
    name = getattr(exc, "field", None) or default
    target = form[name] if name in form else form[default]
    target.errors = list(target.errors) + [str(exc)]


# -- opening an account (public) ------------------------------------------------------------------
@bp.route("/")
@public
def index():
    return render_template("portal/index.html")


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    form = CreditCodeForm()
    if form.validate_on_submit():
        try:
            phone = accounts.request_code(form.credit_code.data)
        except accounts.PortalError as exc:
            field_error(form, exc, "credit_code")
        else:
            flash(f"验证码已发送至企业主要负责人手机 {phone}，10 分钟内有效。", "success")
            return redirect(url_for("portal.verify", credit_code=form.credit_code.data.strip().upper()))
    return render_template("portal/register.html", form=form)


def _open(kind: str, template: str):
    form = OpenAccountForm()
    if request.method == "GET" and request.args.get("credit_code"):
        form.credit_code.data = request.args["credit_code"][:18]
    if form.validate_on_submit():
        if form.password.data != form.password2.data:
            form.password2.errors = ["两次输入的密码不一致。"]
        else:
            try:
                opened = accounts.open_account(kind, form.credit_code.data, form.code.data, form.username.data or "",
                                               form.password.data)
            except accounts.PortalError as exc:
                field_error(form, exc, "username")
            else:
                if opened.user is None:
                    form[opened.field or "code"].errors = [opened.error]
                else:
                    login_user(opened.user)
                    sessions.start(opened.user)
                    flash(("企业账号已开通，" if opened.created else "密码已重设，") + f"用户名：{opened.user.username}。",
                          "success")
                    return redirect(url_for("portal.home"))
    return render_template(template, form=form, kind=kind)


@bp.route("/register/verify", methods=["GET", "POST"])
@public
def verify():
    return _open("sms", "portal/verify.html")


@bp.route("/activate", methods=["GET", "POST"])
@public
def activate():
    return _open("letter", "portal/verify.html")


# -- the enterprise's pages -------------------------------------------------------------------------
@bp.route("/home")
@role_required(*ENTERPRISES)
def home():
    from govsvc.grading.service import published_grade
    from govsvc.registry.sections import sections_for

    enterprise = checks.enterprise_of(user())
    visits = db.session.scalars(checks.visits_query(user()).limit(5)).all()
    items = db.session.scalars(checks.filed_items_query(user()).limit(5)).all()
    return render_template("portal/home.html", enterprise=enterprise, grade=published_grade(enterprise.id),
                           visits=visits, items=items, scan=ScanForm(),
                           sections=sections_for(enterprise, user()))


ITEM_COLUMNS = [("计划事项", lambda i: i.id), ("检查单位", lambda i: i.plan.unit.name), ("计划", lambda i: i.plan.title),
                ("检查类别", lambda i: i.category), ("检查依据", lambda i: i.basis_label),
                ("计划检查日期", lambda i: i.planned_date), ("审核", lambda i: i.status_label)]


@bp.route("/inspections")
@role_required(*ENTERPRISES)
def inspections():
    q = (request.args.get("q") or "").strip()[:100]
    return list_or_export(checks.filed_items_query(user(), q), template="portal/inspections.html",
                          export_stem="本企业检查计划", columns=ITEM_COLUMNS, q=q, results=checks.results_of(user()))


@bp.route("/scan", methods=["GET", "POST"])
@role_required(*ENTERPRISES)
def scan():
    form = ScanForm()
    if form.validate_on_submit():
        return redirect(url_for("portal.check", code=checks.normalise(form.code.data)))
    return render_template("portal/scan.html", form=form)


@bp.route("/c/<code>", methods=["GET", "POST"])
@role_required(*ENTERPRISES)
def check(code: str):
    """The page the QR code leads to: what was filed, and the confirmation."""
    found = checks.lookup(user(), code[:80])
    if found is None:
        return render_template("portal/check_unknown.html"), 404
    visit = checks.visit_of(found.enterprise_id, found.item_id)
    form = ConfirmVisitForm()
    if request.method == "GET":
        form.visit_date.data = local_today()
    if visit is None and form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors = ["请勾选确认。"]
        else:
            try:
                visit = checks.confirm(user(), found, form.visit_date.data)
            except ServiceError as exc:
                field_error(form, exc, "visit_date")
            else:
                flash("已确认本次检查。检查结束后，请对执法作风和企业负担作出评价。", "success")
                return redirect(url_for("portal.visit", visit_id=visit.id))
    return render_template("portal/check.html", check=found, item=found.item, visit=visit, form=form)


@bp.route("/visits")
@role_required(*ENTERPRISES)
def visits():
    q = (request.args.get("q") or "").strip()[:100]
    columns = [("日期", lambda v: v.visit_date), ("方式", lambda v: v.kind_label),
               ("检查单位", lambda v: v.unit.name if v.unit else "未指明"), ("作风", lambda v: v.conduct),
               ("负担", lambda v: v.burden), ("意见", lambda v: v.comment)]
    return list_or_export(checks.visits_query(user(), q), template="portal/visits.html", export_stem="本企业检查记录",
                          columns=columns, q=q)


@bp.route("/visits/unfiled", methods=["GET", "POST"])
@role_required(*ENTERPRISES)
def report_unfiled():
    form = UnfiledVisitForm()
    units = db.session.scalars(select(Unit).where(Unit.enforcement.is_(True)).order_by(Unit.level, Unit.code)).all()
    form.unit.choices = [("", "（不确定）")] + [(str(u.id), u.name) for u in units]
    if request.method == "GET":
        form.visit_date.data = local_today()
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors = ["请勾选确认。"]
        else:
            unit = next((u for u in units if str(u.id) == form.unit.data), None)
            try:
                visit = checks.report_unfiled(user(), unit=unit, visit_date=form.visit_date.data,
                                              inspectors=form.inspectors.data or "",
                                              description=form.description.data or "")
            except ServiceError as exc:
                field_error(form, exc, "description")
            else:
                flash("已报告市司法局：没有备案的检查按“未备案检查”核查，15 日内反馈。", "success")
                return redirect(url_for("portal.visit", visit_id=visit.id))
    return render_template("portal/unfiled.html", form=form)


@bp.route("/visits/<int:visit_id>", methods=["GET", "POST"])
@role_required(*ENTERPRISES)
def visit(visit_id: int):
    item = checks.get_visit(user(), visit_id) or abort(404)
    form = RatingForm()
    if item.rated_at is None and form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors = ["请勾选确认后提交。"]
        else:
            try:
                checks.rate(user(), item, id_arg(form.conduct.data), id_arg(form.burden.data), form.comment.data or "")
            except ServiceError as exc:
                field_error(form, exc, "conduct")
            else:
                flash("感谢评价。评价将汇入季度通报和年度评议，被评价单位看不到企业名称。", "success")
                return redirect(url_for("portal.visit", visit_id=item.id))
    return render_template("portal/visit.html", visit=item, form=form)


# -- inspection notices (units) ------------------------------------------------------------------------
@bp.route("/notices/<int:item_id>", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def notice(item_id: int):
    item = db.session.get(PlanItem, item_id) or abort(404)
    if user().unit_id != item.plan.unit_id:
        raise NotAllowed("notice for another unit's item")
    targets = checks.notice_targets(item)
    form = NoticeForm()
    form.enterprise.choices = [(str(e.id), f"{e.name}（{e.credit_code}）") for e in targets]
    printed = None
    if form.validate_on_submit():
        enterprise = next((e for e in targets if str(e.id) == form.enterprise.data), None)
        if enterprise is None:
            form.enterprise.errors = ["请选择被检查企业。"]
        else:
            try:
                code = checks.issue_notice(user(), item, enterprise)
            except ServiceError as exc:
                field_error(form, exc, "enterprise")
            else:
                url = url_for("portal.check", code=checks.normalise(code), _external=True)
                printed = {"enterprise": enterprise, "code": code, "url": url, "qr": checks.qr_svg(url)}
    return render_template("portal/notice.html", item=item, form=form, printed=printed, targets=targets)


# -- admins: letters and the outbox ------------------------------------------------------------------------
@bp.route("/admin/letters", methods=["GET", "POST"])
@role_required(R.ADMIN)
def letters():
    form = LettersForm()
    form.district.choices = [("", "全市")] + [(d, d) for d in districts()]
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors = ["请勾选确认。"]
        else:
            try:
                issued = accounts.issue_letters(user(), accounts.letter_candidates(form.district.data or "",
                                                                                   bool(form.only_new.data)))
            except accounts.PortalError as exc:
                field_error(form, exc, "district")
            else:
                return render_template("portal/letters_print.html", letters=issued,
                                       activate_url=url_for("portal.activate", _external=True))
    count = len(accounts.letter_candidates(form.district.data or "", bool(form.only_new.data)))
    return render_template("portal/letters.html", form=form, count=count, limit=accounts.LETTERS_PER_BATCH)


@bp.route("/admin/outbox")
@role_required(R.ADMIN)
def outbox():
    q = (request.args.get("q") or "").strip()[:100]
    stmt = select(OutboxMessage)
    if q:
        stmt = stmt.where(OutboxMessage.recipient.ilike(f"%{q}%"))
    columns = [("时间", lambda m: m.created_at), ("渠道", lambda m: CHANNEL_LABELS.get(m.channel, m.channel)),
               ("收件人", lambda m: m.recipient),
               ("企业", lambda m: m.enterprise.name if m.enterprise else ""), ("内容", lambda m: m.body)]
    audit.record("portal.outbox.read", target="portal_outbox")
    return list_or_export(stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
                          template="portal/outbox.html", export_stem="短信发件箱", columns=columns, q=q)


# -- justice: retaliation flags ------------------------------------------------------------------------------
@bp.route("/flags", methods=["GET", "POST"])
@role_required(R.JUSTICE)
def flags():
    form = RescanForm()
    if form.validate_on_submit():
        found = watch.scan()
        flash(f"已重新监测：新发现 {len(found)} 条检查频次异常。" if found else "已重新监测：没有新的异常。",
              "warning" if found else "success")
        return redirect(url_for("portal.flags"))
    columns = [("发现时间", lambda f: f.flagged_at), ("企业", lambda f: f.enterprise.name), ("单位", lambda f: f.unit.name),
               ("起因", lambda f: ("投诉" if f.source == "complaint" else "异议") + f" #{f.source_id}"),
               ("提出日期", lambda f: f.start), ("此后检查", lambda f: f.after), ("此前12个月", lambda f: f.before),
               ("同评级中位数", lambda f: f.peer_median)]
    return list_or_export(watch.flags_query(), template="portal/flags.html", export_stem="打击报复监测", columns=columns,
                          form=form)


@panel
def _portal_panel(u):
    if not u.has_role(*ENTERPRISES) or u.enterprise_id is None:
        return None
    unrated = db.session.scalar(select(func.count()).select_from(Visit).where(Visit.enterprise_id == u.enterprise_id,
                                                                             Visit.rated_at.is_(None)))
    return Panel("扫码入企", [("待评价的检查", unrated)], url_for("portal.home"))


nav.add("企业服务门户", "portal.home", ENTERPRISES, order=29)
nav.add("打击报复监测", "portal.flags", (R.JUSTICE,), order=37)
nav.add("开通函与短信", "portal.letters", (R.ADMIN,), order=90)
nav.add_public("企业服务门户", "portal.index", order=36)
