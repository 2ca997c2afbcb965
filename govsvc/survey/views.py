"""Survey pages for the organizer (第三方评价机构), the notary and leaders: campaigns, the two
lists, credentials and turnout, paper entry. Ballot, result, audit and public pages are in
vote_views.py and result_views.py (the same blueprint)."""
from __future__ import annotations

import secrets
from functools import lru_cache

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from markupsafe import Markup
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import lazyload

from govsvc import confirm, nav
from govsvc.auth import roles as R
from govsvc.auth.access import role_required, safe_next
from govsvc.database import end_write, read_first
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.survey import ballots, campaigns, mobilisation, results
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.forms import (ActionForm, CampaignFilterForm, CampaignForm, CodesForm, DepartmentAddForm,
                                 DepartmentFilterForm, EvaluatorAddForm, EvaluatorFilterForm, PaperForm)
from govsvc.survey.models import (ONLINE, OPEN, PAPER, BallotCredential, Campaign, CampaignDepartment, CampaignEvaluator,
                                  CredentialUse)
from govsvc.timeutil import local_today
from scoring import survey as core

bp = Blueprint("survey", __name__, url_prefix="/survey")
bp.add_app_template_filter(core.format_score, "survey_score")

STAFF = (R.ORGANIZER, R.NOTARY, R.LEADER)


def get_campaign(campaign_id: int) -> Campaign:
    return db.session.get(Campaign, campaign_id) or abort(404)


def get_campaign_light(campaign_id: int) -> Campaign:
    """The campaign without its approving leader (a user with unit, enterprise and roles): the
    voting pages, drawn after every ballot, never show who approved."""
    return db.session.get(Campaign, campaign_id, options=[lazyload(Campaign.approved_by)]) or abort(404)


def done(message: str, endpoint: str, **kwargs):
    flash(message, "success")
    return redirect(url_for(endpoint, **kwargs))


# -- campaigns --------------------------------------------------------------------------------------
CAMPAIGN_COLUMNS = [
    ("年度", lambda c: c.year), ("名称", lambda c: c.title), ("阶段", lambda c: c.status_label),
    ("表扬名额", lambda c: c.top_k), ("组织评议", lambda c: c.evaluation_date), ("公布时间", lambda c: c.published_at),
]


@bp.route("/")
@role_required(*STAFF)
def index():
    form = CampaignFilterForm(request.args)
    stmt = campaigns.campaign_query(q=form.q.data or "", status=form.status.data or "")
    return list_or_export(stmt, template="survey/campaigns.html", export_stem="年度评议", columns=CAMPAIGN_COLUMNS,
                          form=form)


@bp.route("/new", methods=["GET", "POST"])
@role_required(R.ORGANIZER)
def new():
    form = CampaignForm()
    if request.method == "GET":
        form.year.data = form.year.data or local_today().year
    if form.validate_on_submit():
        try:
            campaign = campaigns.create_campaign(year=form.year.data, title=(form.title.data or "").strip(),
                                                 top_k=form.top_k.data, evaluator_quota=form.evaluator_quota.data,
                                                 dates=form.dates())
        except SurveyError as exc:
            form.year.errors.append(str(exc))
        else:
            return done(f"{campaign.title}已创建。下一步：确定“两个名单”。", "survey.overview", campaign_id=campaign.id)
    return render_template("survey/campaign_form.html", form=form, campaign=None)


@bp.route("/<int:campaign_id>")
@role_required(*STAFF)
def overview(campaign_id: int):
    campaign = get_campaign(campaign_id)
    self_checks = (mobilisation.summary(campaign, mobilisation.department_rows(campaign))
                   if mobilisation.issued(campaign) else None)
    return render_template("survey/overview.html", campaign=campaign, stages=campaigns.calendar(campaign),
                           counts=campaigns.list_counts(campaign), turnout=ballots.turnout(campaign),
                           action=ActionForm(), self_checks=self_checks)


@bp.route("/<int:campaign_id>/settings", methods=["GET", "POST"])
@role_required(R.ORGANIZER)
def settings(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = CampaignForm(obj=campaign)
    form.year.render_kw = {"readonly": True}
    if form.validate_on_submit():
        form.year.data = campaign.year
        try:
            campaigns.update_settings(campaign, title=(form.title.data or "").strip() or campaign.title,
                                      top_k=form.top_k.data, evaluator_quota=form.evaluator_quota.data,
                                      dates={k: v or getattr(campaign, k) for k, v in form.dates().items()})
        except SurveyError as exc:
            form.top_k.errors.append(str(exc))
        else:
            return done("评议设置已保存。", "survey.overview", campaign_id=campaign.id)
    return render_template("survey/campaign_form.html", form=form, campaign=campaign)


def _tally(campaign: Campaign) -> str:
    tally = results.tally_campaign(campaign)
    return (f"计票完成：{sum(tally.parts.values())} 个评议表部分，其中无效 {len(tally.rejected)} 个。"
            "请市委、市政府领导审定后发布。")


LIFECYCLE = {
    "confirm": (campaigns.confirm_lists, "名单已确认，网上评议凭证已生成。"),
    "reopen": (campaigns.reopen_lists, "名单已退回草拟，可以修改。"),
    "open": (campaigns.open_voting, "评议已开始：评议企业负责人现在可以登录评议。"),
    "close": (ballots.close_voting, "评议已结束，选票已封存。"),
    "tally": (_tally, None),
    "archive": (results.archive, "评议已归档。"),
}


@bp.route("/<int:campaign_id>/action/<name>", methods=["POST"])
@role_required(R.ORGANIZER)
def lifecycle(campaign_id: int, name: str):
    campaign = get_campaign(campaign_id)
    if name not in LIFECYCLE:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    action, message = LIFECYCLE[name]
    if name == "close" and campaign.status == OPEN and not confirm.confirmed():
        return _ask_close(campaign)
    try:
        outcome = action(campaign)
    except SurveyError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("survey.overview", campaign_id=campaign.id))
    return done(message or outcome, "survey.results" if name == "tally" else "survey.overview",
                campaign_id=campaign.id)


def _ask_close(campaign: Campaign):
    """Closing voting cannot be undone: say how many have voted and when voting was scheduled."""
    t = ballots.turnout(campaign)
    today = local_today()
    day = campaign.evaluation_date
    when = ("今天" if day == today else (f"还有 {(day - today).days} 天" if day > today
                                        else f"已过 {(today - day).days} 天"))
    return confirm.ask(
        title="结束评议并封存选票", button="确认结束评议",
        what=f"{campaign.title}将结束评议：此后评议企业负责人不能再提交网上评议表，也不能再录入纸质评议表；选票将被封存并生成选票链头。",
        facts=[("已参评 / 评议企业负责人", f"{t.voted} / {t.evaluators} 人（{t.rate}）"),
               ("其中网上 / 纸质", f"{t.online_voted} / {t.codes_used}"),
               ("计划组织评议日", f"{day.isoformat()}（{when}）")],
        notes=[f"尚有 {t.evaluators - t.voted} 人未参评，结束后他们将不能再评议。"] if t.voted < t.evaluators else [],
        back=url_for("survey.overview", campaign_id=campaign.id))


# -- list one: departments ----------------------------------------------------------------------------
DEPARTMENT_COLUMNS = [
    ("类别", lambda d: d.category_label), ("序号", lambda d: d.position + 1), ("单位代码", lambda d: d.code),
    ("单位名称", lambda d: d.name),
]


def _department_stmt(campaign: Campaign, form: DepartmentFilterForm):
    stmt = select(CampaignDepartment).where(CampaignDepartment.campaign_id == campaign.id)
    if form.q.data:
        like = f"%{form.q.data.strip()}%"
        stmt = stmt.where(or_(CampaignDepartment.name.ilike(like), CampaignDepartment.code.ilike(like)))
    if form.category.data:
        stmt = stmt.where(CampaignDepartment.category == form.category.data)
    return stmt.order_by(CampaignDepartment.category != "enforcement", CampaignDepartment.position)


def _departments_page(campaign: Campaign, add_form: DepartmentAddForm):
    form = DepartmentFilterForm(request.args)
    return list_or_export(_department_stmt(campaign, form), template="survey/departments.html",
                          export_stem=f"被评议部门名单_{campaign.year}", columns=DEPARTMENT_COLUMNS, form=form,
                          campaign=campaign, add_form=add_form, action=ActionForm(),
                          counts=campaigns.list_counts(campaign))


@bp.route("/<int:campaign_id>/departments")
@role_required(*STAFF)
def departments(campaign_id: int):
    return _departments_page(get_campaign(campaign_id), DepartmentAddForm(formdata=None))


@bp.route("/<int:campaign_id>/departments/add", methods=["POST"])
@role_required(R.ORGANIZER)
def add_department(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = DepartmentAddForm()
    if form.validate_on_submit():
        try:
            dept = campaigns.add_department(campaign, form.unit_code.data, form.category.data)
        except SurveyError as exc:
            form.unit_code.errors.append(str(exc))
        else:
            return done(f"已加入：{dept.name}（{dept.category_label}）。", "survey.departments", campaign_id=campaign.id)
    return _departments_page(campaign, form), 422


@bp.route("/<int:campaign_id>/departments/load", methods=["POST"])
@role_required(R.ORGANIZER)
def load_departments(campaign_id: int):
    campaign = get_campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = campaigns.load_departments(campaign)
    except SurveyError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("survey.departments", campaign_id=campaign.id))
    return done(f"已从单位名录载入 {count} 个被评议部门（单位）。", "survey.departments", campaign_id=campaign.id)


@bp.route("/<int:campaign_id>/departments/<int:department_id>/remove", methods=["POST"])
@role_required(R.ORGANIZER)
def remove_department(campaign_id: int, department_id: int):
    campaign = get_campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        campaigns.remove_department(campaign, department_id)
    except SurveyError as exc:
        flash(str(exc), "danger")
    else:
        flash("已移出名单。", "success")
    return redirect(url_for("survey.departments", campaign_id=campaign.id))


# -- list two: evaluators -----------------------------------------------------------------------------
def _voted_clause():
    return exists().where(BallotCredential.evaluator_id == CampaignEvaluator.id,
                          CredentialUse.credential_id == BallotCredential.id)


def _evaluator_stmt(campaign: Campaign, form: EvaluatorFilterForm):
    stmt = select(CampaignEvaluator).where(CampaignEvaluator.campaign_id == campaign.id)
    if form.q.data:
        like = f"%{form.q.data.strip()}%"
        stmt = stmt.where(or_(CampaignEvaluator.enterprise_name.ilike(like), CampaignEvaluator.credit_code.ilike(like),
                              CampaignEvaluator.head_name.ilike(like)))
    if form.channel.data:
        stmt = stmt.where(CampaignEvaluator.channel == form.channel.data)
    if form.voted.data in ("0", "1"):
        stmt = stmt.where(_voted_clause() if form.voted.data == "1" else ~_voted_clause())
    return stmt.order_by(CampaignEvaluator.rank.is_(None), CampaignEvaluator.rank, CampaignEvaluator.credit_code)


def _evaluators_page(campaign: Campaign, add_form: EvaluatorAddForm):
    """Turnout per evaluator (who has voted online, never what); paper ballots are counted only."""
    form = EvaluatorFilterForm(request.args)
    voted = set(db.session.scalars(select(CampaignEvaluator.id).where(
        CampaignEvaluator.campaign_id == campaign.id, _voted_clause())))
    columns = [
        ("排名", lambda e: e.rank), ("统一社会信用代码", lambda e: e.credit_code), ("企业名称", lambda e: e.enterprise_name),
        ("主要负责人", lambda e: e.head_name), ("评议方式", lambda e: e.channel_label),
        ("网上评议", lambda e: ("已提交" if e.id in voted else "未提交") if e.channel == ONLINE else "—"),
    ]
    accounts = campaigns.evaluator_users(db.session.scalars(select(CampaignEvaluator.enterprise_id).where(
        CampaignEvaluator.campaign_id == campaign.id)))
    return list_or_export(_evaluator_stmt(campaign, form), template="survey/evaluators.html",
                          export_stem=f"评议企业名单_{campaign.year}", columns=columns, form=form, campaign=campaign,
                          add_form=add_form, action=ActionForm(), accounts=accounts, voted=voted,
                          counts=campaigns.list_counts(campaign))


@bp.route("/<int:campaign_id>/evaluators")
@role_required(*STAFF)
def evaluators(campaign_id: int):
    return _evaluators_page(get_campaign(campaign_id), EvaluatorAddForm(formdata=None))


@bp.route("/<int:campaign_id>/evaluators/add", methods=["POST"])
@role_required(R.ORGANIZER)
def add_evaluator(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = EvaluatorAddForm()
    if form.validate_on_submit():
        try:
            evaluator = campaigns.add_evaluator(campaign, form.credit_code.data)
        except SurveyError as exc:
            form.credit_code.errors.append(str(exc))
        else:
            return done(f"已加入：{evaluator.enterprise_name}。", "survey.evaluators", campaign_id=campaign.id)
    return _evaluators_page(campaign, form), 422


@bp.route("/<int:campaign_id>/evaluators/load", methods=["POST"])
@role_required(R.ORGANIZER)
def load_evaluators(campaign_id: int):
    campaign = get_campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = campaigns.load_evaluators(campaign)
    except SurveyError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("survey.evaluators", campaign_id=campaign.id))
    return done(f"已载入纳税前 {count} 名企业（{campaign.year - 1} 年度地方留成税收排名）。", "survey.evaluators",
                campaign_id=campaign.id)


@bp.route("/<int:campaign_id>/evaluators/<int:evaluator_id>/<any(remove, paper, online):action>", methods=["POST"])
@role_required(R.ORGANIZER)
def change_evaluator(campaign_id: int, evaluator_id: int, action: str):
    campaign = get_campaign(campaign_id)
    evaluator = db.session.get(CampaignEvaluator, evaluator_id)
    if evaluator is None or evaluator.campaign_id != campaign.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if action == "remove":
            campaigns.remove_evaluator(campaign, evaluator.id)
            message = f"已移出名单：{evaluator.enterprise_name}。"
        else:
            campaigns.set_channel(campaign, evaluator, ONLINE if action == "online" else PAPER)
            message = f"{evaluator.enterprise_name}改为{evaluator.channel_label}。"
    except SurveyError as exc:
        flash(str(exc), "danger")
    else:
        flash(message, "success")
    return redirect(safe_next(request.form.get("back")) or url_for("survey.evaluators", campaign_id=campaign.id))


# -- credentials, turnout, printed codes ------------------------------------------------------------
SHEET = "survey_code_sheet"


def _credentials_page(campaign: Campaign, form: CodesForm):
    form.sheet.data = session[SHEET] = secrets.token_urlsafe(16)
    return render_template("survey/credentials.html", campaign=campaign, turnout=ballots.turnout(campaign),
                           batches=ballots.code_batches(campaign), form=form, action=ActionForm())


@bp.route("/<int:campaign_id>/credentials")
@role_required(*STAFF)
def credentials(campaign_id: int):
    return _credentials_page(get_campaign(campaign_id), CodesForm(formdata=None))


@bp.route("/<int:campaign_id>/codes", methods=["POST"])
@role_required(R.ORGANIZER)
def issue_codes(campaign_id: int):
    campaign = get_campaign(campaign_id)
    form = CodesForm()
    if form.validate_on_submit():
        if not form.sheet.data or form.sheet.data != session.pop(SHEET, None):
            form.count.errors.append("这张表单已经印制过投票码（可能是刷新了打印页）。如需更多，请重新填写数量。")
            return _credentials_page(campaign, form), 409
        try:
            batch, codes = ballots.issue_paper_codes(campaign, form.count.data)
        except SurveyError as exc:
            form.count.errors.append(str(exc))
        else:
            # Shown once: the codes exist nowhere else in clear. The response is never cached.
            return render_template("survey/code_sheet.html", campaign=campaign, batch=batch, codes=codes,
                                   departments=campaigns.departments(campaign))
    return _credentials_page(campaign, form), 422


@bp.route("/<int:campaign_id>/codes/<int:batch>/void", methods=["POST"])
@role_required(R.ORGANIZER)
def void_codes(campaign_id: int, batch: int):
    campaign = get_campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    count = ballots.void_unused_codes(campaign, batch)
    return done(f"第 {batch} 批未使用的 {count} 个投票码已作废。", "survey.credentials", campaign_id=campaign.id)


@bp.route("/<int:campaign_id>/paper-form")
@role_required(R.ORGANIZER)
def paper_form(campaign_id: int):
    """The printable paper ballot (评议表 and 征求意见表), departments in ballot order."""
    campaign = get_campaign(campaign_id)
    if not campaign.lists_frozen:
        flash("名单确认后才能打印评议表（部门顺序此时才固定）。", "warning")
        return redirect(url_for("survey.overview", campaign_id=campaign.id))
    return render_template("survey/paper_ballot.html", campaign=campaign, departments=campaigns.departments(campaign))


# -- paper entry ---------------------------------------------------------------------------------------
def _paper_input(campaign: Campaign, form: PaperForm, by_category) -> ballots.BallotInput | None:
    parts = {}
    for category in core.CATEGORIES:
        field = form[category]
        try:
            parts[category] = ballots.parse_paper_part(field.data or "", len(by_category[category]))
        except SurveyError as exc:
            field.errors.append(str(exc))
    try:
        opinions = ballots.parse_paper_opinions(form.opinions.data or "",
                                                {d.code: d for depts in by_category.values() for d in depts})
    except SurveyError as exc:
        form.opinions.errors.append(str(exc))
    if form.errors:
        return None
    return ballots.BallotInput(parts=parts, opinions=opinions)


@lru_cache(maxsize=32)
def _order_list(category: str, depts: tuple[campaigns.SheetDepartment, ...]) -> Markup:
    """The printed form's department order, for the clerk's side panel (rendered once per list:
    the page is drawn again after every ballot entered)."""
    return Markup(f'<ol class="paper-order" id="{category}-order">') + Markup("").join(
        Markup('<li data-code="{0}"><span class="mono">{0}</span> {1}</li>').format(d.code, d.name)
        for d in depts) + Markup("</ol>")


@bp.route("/<int:campaign_id>/paper", methods=["GET", "POST"])
@role_required(R.ORGANIZER)
@read_first  # the write is enter_paper's alone (many clerks enter at once)
def paper(campaign_id: int):
    campaign = get_campaign_light(campaign_id)
    form = PaperForm()
    by_category, columns = campaigns.ballot_sheet(campaign)
    problems: dict[str, str] = {}
    if form.validate_on_submit():
        ballot = _paper_input(campaign, form, by_category)
        if ballot is not None:
            problems = ballots.check_parts(campaign, ballot, columns)
            if problems and not form.confirm_invalid.data:
                form.confirm_invalid.errors.append("有无效的部分：请核对原始评议表，确认无误后勾选此项再提交。")
            else:
                try:
                    stored = ballots.enter_paper(campaign, form.code.data, ballot, columns)
                except SurveyError as exc:
                    end_write()
                    form.code.errors.append(str(exc))
                else:
                    note = "；".join(f"{core.CATEGORY_LABELS[c]}为废票（{why}）" for c, why in stored.items())
                    flash("纸质评议表已录入" + (f"，其中{note}" if note else "，全部有效") + "。可以录入下一张。",
                          "warning" if stored else "success")
                    return redirect(url_for("survey.paper", campaign_id=campaign_id))
    status = 200 if request.method == "GET" or not form.errors else 422
    used, issued = ballots.paper_progress(campaign)
    return render_template("survey/paper.html", campaign=campaign, form=form, problems=problems,
                           departments=by_category, caps={c: core.cap(len(d)) for c, d in by_category.items()},
                           order={c: _order_list(c, d) for c, d in by_category.items()},
                           codes_used=used, codes_issued=issued), status


nav.add("年度评议", "survey.index", STAFF, order=20)


# The ballot, result and public pages live in their own modules on the same blueprint; the
# dashboard panels register themselves.
from govsvc.survey import mobilisation_views, outcome_views, panels, result_views, vote_views  # noqa: E402,F401
