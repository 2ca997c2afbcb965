"""Forms of leader liaison, appeals and 站台 invitations (WTForms; GET filters carry no CSRF token).
Every irreversible action has a required confirmation box, checked on the server."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from govsvc.care.models import APPEAL_CATEGORIES, CONTACT_KINDS, SATISFACTION
from scoring import liaison as core


class GetForm(FlaskForm):
    class Meta:
        csrf = False


def _all(choices) -> list[tuple[str, str]]:
    return [("", "全部")] + list(choices.items() if isinstance(choices, dict) else choices)


def confirm_field(label: str) -> BooleanField:
    return BooleanField(label, validators=[DataRequired("请勾选确认后再提交。")])


# -- the served list and the division ----------------------------------------------------------
class ListFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或集团"})
    source = SelectField("来源", choices=_all(core.SOURCE_LABELS), validators=[Optional()])
    district = SelectField("区县", choices=[("", "全部")], validators=[Optional()], validate_choice=False)
    assigned = SelectField("分工", choices=[("", "全部"), ("1", "已明确联系领导"), ("0", "尚未分工")],
                           validators=[Optional()])
    leader = SelectField("联系领导", choices=[("", "全部")], validators=[Optional()], validate_choice=False)


class ComposeForm(FlaskForm):
    year = IntegerField("名单年度", validators=[InputRequired("请填写年度。"), NumberRange(2000, 2100, "年度无效。")],
                        description="按上一年度地方留成排名（如 2026 年名单按 2025 年纳税数据）。")


class ConfirmForm(FlaskForm):
    confirm = confirm_field("我已核对，确认。")


def confirm_with(label: str) -> ConfirmForm:
    """An unbound confirmation form whose box says what is confirmed."""
    form = ConfirmForm(formdata=None)
    form.confirm.label.text = label
    return form


class AssignForm(FlaskForm):
    enterprise = StringField("企业", validators=[DataRequired("请填写企业名称或统一社会信用代码。"), Length(max=200)],
                             description="企业全称或统一社会信用代码。")
    leader = SelectField("联系领导", validators=[DataRequired("请选择联系领导。")], validate_choice=False)
    note = StringField("备注", validators=[Optional(), Length(max=200)],
                       description="分工依据，如“分管工业”“熟悉新材料产业”。")


class ImportForm(FlaskForm):
    file = FileField("分工名单文件（CSV 或 Excel）", validators=[FileRequired("请选择文件。")])
    valid_only = BooleanField("只导入正确的行（跳过有错误的行）")


# -- leaders and offices -------------------------------------------------------------------------
class LeaderFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "姓名、职务、分管领域"})
    level = SelectField("层级", choices=_all(core.LEVEL_LABELS), validators=[Optional()])
    district = SelectField("区县", choices=[("", "全部")], validators=[Optional()], validate_choice=False)
    active = SelectField("状态", choices=[("", "全部"), ("1", "在职"), ("0", "已调整")], validators=[Optional()])


class CountyLeaderForm(FlaskForm):
    name = StringField("姓名", validators=[DataRequired("请填写领导姓名。"), Length(max=50)])
    post = StringField("职务", validators=[DataRequired("请填写职务。"), Length(max=100)],
                       render_kw={"placeholder": "如 区委常委、副区长"})
    field = StringField("分管领域、熟悉专业领域", validators=[Optional(), Length(max=200)])
    duties = TextAreaField("工作分工", validators=[Optional(), Length(max=5000)])
    sort_order = IntegerField("排序", default=100, validators=[Optional(), NumberRange(0, 9999)],
                              description="按领导班子排序，数字小的在前。")
    active = BooleanField("在职（可分工联系企业）", default=True)


class CityLeaderForm(CountyLeaderForm):
    username = StringField("登录账号", validators=[DataRequired("请填写领导的登录账号。"), Length(max=64)],
                           description="系统管理员开通的“市委市政府领导”账号的用户名。")
    office_code = SelectField("所在办公室", validators=[DataRequired("请选择办公室。")], validate_choice=False,
                              description="邀请单送达该办公室的指定联系人。")


class OfficeContactForm(FlaskForm):
    name = StringField("联系人", validators=[DataRequired("请填写联系人姓名。"), Length(max=50)])
    phone = StringField("联系电话", validators=[DataRequired("请填写联系电话。"), Length(max=50)])
    note = StringField("备注", validators=[Optional(), Length(max=200)])


# -- county coverage and plans ------------------------------------------------------------------------
class CoverageFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称或信用代码"})
    state = SelectField("联系情况", choices=[("", "全部"), ("gap", "未联系（缺口）"), ("city", "市级领导联系"),
                                          ("county", "县级领导联系"), ("overlap", "市县重复联系")],
                        validators=[Optional()])


class CountyPlanForm(FlaskForm):
    year = IntegerField("年度", validators=[InputRequired("请填写年度。"), NumberRange(2000, 2100, "年度无效。")])
    title = StringField("方案名称", validators=[DataRequired("请填写方案名称。"), Length(max=200)])
    content = TextAreaField("方案内容", validators=[DataRequired("请填写方案内容。"), Length(max=50000)],
                            description="工作机制、县级领导联系规上企业分工、责任落实等。")
    hotline = StringField("参加企业活动服务联系电话", validators=[Optional(), Length(max=50)],
                          description="参照市里做法设立，10月中旬前完成。")
    hotline_person = StringField("负责人（专人负责）", validators=[Optional(), Length(max=50)])


class PlanReviewForm(FlaskForm):
    decision = RadioField("审核意见", choices=[("accept", "予以备案"), ("return", "退回修改")],
                          validators=[InputRequired("请选择审核意见。")])
    reason = TextAreaField("退回理由", validators=[Optional(), Length(max=5000)])
    confirm = confirm_field("我已审阅方案，确认提交审核意见。")


# -- contacts ----------------------------------------------------------------------------------------
class ContactFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业、联系情况或问题"})
    kind = SelectField("方式", choices=_all(CONTACT_KINDS), validators=[Optional()])


class ContactForm(FlaskForm):
    enterprise = SelectField("企业", validators=[DataRequired("请选择企业。")], validate_choice=False)
    leader = SelectField("联系领导", validators=[Optional()], validate_choice=False)
    kind = SelectField("联系方式", choices=list(CONTACT_KINDS.items()))
    contact_on = DateField("日期", validators=[InputRequired("请填写日期。")])
    summary = TextAreaField("联系情况", validators=[DataRequired("请填写联系情况。"), Length(max=20000)],
                            description="听取的意见建议、了解的生产经营情况。")
    problems = TextAreaField("企业反映的困难和问题", validators=[Optional(), Length(max=20000)],
                             description="填写后可一键登记为诉求，逐级协调解决。")


# -- appeals ------------------------------------------------------------------------------------------
class AppealFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "诉求、企业或联系领导"})
    level = SelectField("办理层级", choices=_all(core.APPEAL_LEVEL_LABELS), validators=[Optional()])
    state = SelectField("状态", choices=[("", "全部"), ("open", "办理中"), ("answered", "已答复待确认"),
                                        ("closed", "已办结销号")], validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class AppealForm(FlaskForm):
    enterprise = SelectField("企业", validators=[Optional()], validate_choice=False)
    category = SelectField("诉求类别", choices=[("", "请选择")] + list(APPEAL_CATEGORIES.items()),
                           validators=[DataRequired("请选择诉求类别。")])
    title = StringField("诉求概要", validators=[DataRequired("请用一句话概括诉求。"), Length(max=200)])
    description = TextAreaField("具体情况", validators=[DataRequired("请写明困难和问题。"), Length(max=20000)],
                                description="遇到的困难和问题、已经做过的努力、希望协调解决的事项。")


class AppealActionForm(FlaskForm):
    action = SelectField("办理操作", validators=[DataRequired("请选择办理操作。")], validate_choice=False)
    city_code = SelectField("提交", choices=[("", "（提级到市委、市政府时选择）"), ("SWBGS", "市委协调"),
                                           ("ZFBGS", "市政府协调")], validators=[Optional()])
    note = TextAreaField("说明", validators=[Optional(), Length(max=20000)],
                         description="办结时写办理结果（答复企业）；提级时写明本级协调不了的原因。")
    confirm = confirm_field("我已核对，确认办理（办结、提级后不能撤回）。")


class SuperviseForm(FlaskForm):
    note = TextAreaField("督办意见", validators=[DataRequired("请填写督办意见。"), Length(max=5000)])
    deadline = DateField("新的办理期限", validators=[Optional()], description="留空则保持原期限。")


class AppealConfirmForm(FlaskForm):
    satisfaction = RadioField("对办理结果的评价", choices=list(SATISFACTION.items()),
                              validators=[InputRequired("请选择评价。")])
    feedback = TextAreaField("意见建议", validators=[Optional(), Length(max=5000)])
    confirm = confirm_field("确认办结（确认后诉求销号）。")


class AppealCloseForm(FlaskForm):
    note = TextAreaField("销号说明", validators=[DataRequired("请写明销号说明。"), Length(max=5000)])
    confirm = confirm_field("确认销号（销号后不能恢复）。")


# -- invitations ----------------------------------------------------------------------------------
class InvitationFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "活动名称、地点或企业"})
    state = SelectField("状态", choices=_all(core.INVITATION_STATES), validators=[Optional()])
    kind = SelectField("活动类别", choices=_all(core.ACTIVITY_KINDS), validators=[Optional()])
    route = SelectField("途径", choices=_all(core.ROUTE_LABELS), validators=[Optional()])


class InvitationForm(FlaskForm):
    kind = SelectField("活动类别", choices=[("", "请选择")] + list(core.ACTIVITY_KINDS.items()),
                       validators=[DataRequired("请选择活动类别。")])
    title = StringField("活动名称", validators=[DataRequired("请填写活动名称。"), Length(max=200)])
    activity_on = DateField("活动日期", validators=[InputRequired("请填写活动日期。")])
    activity_time = StringField("开始时间", validators=[Optional(), Length(max=20)], render_kw={"placeholder": "09:30"})
    place = StringField("活动地点", validators=[DataRequired("请填写活动地点。"), Length(max=200)])
    description = TextAreaField("活动内容和邀请理由", validators=[DataRequired("请说明活动内容和邀请的必要性。"),
                                                             Length(max=20000)],
                                description="说明活动规模、参加人员、需要领导出席的环节，以及“确有必要”的理由。")
    wished_leader = SelectField("拟邀请的市级领导", validators=[Optional()], validate_choice=False,
                                description="邀请本企业的联系领导，直接报送领导，不再走筛选流程；其他情况由市工信局筛选、协调。")
    contact_name = StringField("企业联系人", validators=[DataRequired("请填写企业联系人。"), Length(max=50)])
    contact_phone = StringField("联系电话", validators=[DataRequired("请填写联系电话。"), Length(max=30)])
    pledge = BooleanField("本企业承诺：本次活动只为企业发展，不搞利益输送，不搞拉拉扯扯、胡吃海喝，不安排宴请、礼品礼金及与活动无关的事项。",
                          validators=[DataRequired("请确认不搞利益输送的承诺。")])


class ScreenForm(FlaskForm):
    decision = RadioField("筛选意见", choices=[("pass", "确有必要，填报邀请单"), ("refuse", "不予安排")],
                          validators=[InputRequired("请选择筛选意见。")])
    leader = SelectField("拟邀请的市级领导", validators=[Optional()], validate_choice=False,
                         description="邀请单送该领导所在办公室的指定联系人。")
    note = TextAreaField("意见", validators=[Optional(), Length(max=5000)],
                         description="填报邀请单时写明确有必要的理由；不予安排时写明理由（告知企业）。")
    confirm = confirm_field("我已核对活动情况和企业承诺，确认提交。")


class ReplyForm(FlaskForm):
    decision = RadioField("领导意见", choices=[("attend", "出席"), ("decline", "不能出席")],
                          validators=[InputRequired("请选择领导意见。")])
    attending_leader = SelectField("出席领导", validators=[Optional()], validate_choice=False,
                                   description="默认为邀请的领导；由其他领导出席时选择。")
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)],
                         description="不能出席时写明原因（告知企业）；出席时可写行程安排。")
    confirm = confirm_field("我已与领导确认，答复将告知企业。")


class AttendanceForm(FlaskForm):
    note = TextAreaField("出席情况", validators=[Optional(), Length(max=5000)])
    confirm = confirm_field("确认领导已出席活动。")


class CancelForm(FlaskForm):
    reason = TextAreaField("撤销原因", validators=[DataRequired("请写明撤销原因。"), Length(max=2000)])
    confirm = confirm_field("确认撤销这次邀请（撤销后不能恢复）。")
