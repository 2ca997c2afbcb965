"""Forms of the care module's second half (容错纠错, 政法委 ledgers, green channel, honours). Every
irreversible step carries a required confirmation box checked on the server (`confirm_field`)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from govsvc.care.models_support import (CASE_TYPES, CHANNELS, CLARIFICATION_METHODS, EVALUATION_ASPECTS,
                                        EVALUATION_VERDICTS, MEETING_KINDS, NOTICE_MODES, PROBLEM_CATEGORIES, RATINGS,
                                        RECOMMENDATION_KINDS, RECOMMENDATION_STATUSES, REVIEW_FINDINGS, SERVICE_CATEGORIES,
                                        SUBJECT_TYPES)
from govsvc.ledger.workflow import STATUS_LABELS
from scoring import care as rules


def _all(choices) -> list[tuple[str, str]]:
    return [("", "全部")] + list(choices.items())


def confirm_field(text: str) -> BooleanField:
    return BooleanField(text, validators=[DataRequired("请勾选确认后再提交：此操作提交后不能撤回。")])


def attach(form, field: str, message: str) -> None:
    """Put a service's message beside its field (the first field when the form has no such one)."""
    target = form[field] if field and field in form else next(f for f in form if f.type not in ("CSRFTokenField",))
    target.errors = list(target.errors) + [message]


class GetForm(FlaskForm):
    class Meta:
        csrf = False


class SearchForm(GetForm):
    q = StringField("搜索", validators=[Optional(), Length(max=100)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# == 容错纠错 ======================================================================================
class CaseFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "姓名、企业或问题"})
    stage = SelectField("阶段", choices=_all(rules.STAGES), validators=[Optional()])
    kind = SelectField("类别", choices=_all(rules.KINDS), validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class CaseForm(FlaskForm):
    kind = SelectField("申请类别", choices=list(rules.KINDS.items()))
    subject_type = RadioField("申请人身份", choices=list(SUBJECT_TYPES.items()), default="entrepreneur",
                              validators=[InputRequired("请选择申请人身份。")])
    subject_name = StringField("党员企业家姓名", validators=[Optional(), Length(max=50)],
                               description="党员企业家填写；公职人员按身份证号从名录中选定。")
    subject_post = StringField("职务", validators=[Optional(), Length(max=100)])
    credit_code = StringField("所在企业统一社会信用代码", validators=[Optional(), Length(max=18)],
                              description="党员企业家必填；公职人员可填涉及的企业。")
    id_number = StringField("公职人员身份证号", validators=[Optional(), Length(max=40)],
                            description="号码只用于查找，不保存、不显示。", render_kw={"autocomplete": "off"})
    unit_code = StringField("所在（涉及）单位代码", validators=[Optional(), Length(max=32)],
                            description="如 SCJ；公职人员默认为其所在单位。留空则由市纪委监委直接办理。")
    channel = SelectField("申请渠道", choices=[(k, v) for k, v in CHANNELS.items() if k != "online"])
    applied_on = DateField("申请日期", validators=[DataRequired("请填写申请日期。")],
                           description="受理审查期限自该日起 7 天。")
    clue_number = IntegerField("来源线索编号", validators=[Optional(), NumberRange(1, 10**9, "请填写线索编号（数字）。")],
                               description="澄清正名：被诬告的涉企问题线索编号（如有）。")
    facts = TextAreaField("问题情况", validators=[DataRequired("请填写问题情况。"), Length(max=20000)])
    grounds = TextAreaField("申请容错（澄清）的理由", validators=[Optional(), Length(max=20000)],
                            description="如：为推动企业发展、因政策调整或不可抗力，未谋取私利，已主动挽回损失。")


class ApplyForm(FlaskForm):
    kind = SelectField("申请类别", choices=list(rules.KINDS.items()))
    subject_name = StringField("申请人（党员企业家）姓名", validators=[DataRequired("请填写姓名。"), Length(max=50)])
    subject_post = StringField("职务", validators=[Optional(), Length(max=100)])
    unit = SelectField("问题涉及的部门", validators=[Optional()], validate_choice=False,
                       description="不清楚的可不选，由市纪委监委直接办理。")
    facts = TextAreaField("问题情况", validators=[DataRequired("请填写问题情况。"), Length(max=20000)])
    grounds = TextAreaField("申请理由", validators=[DataRequired("请说明申请理由。"), Length(max=20000)],
                            description="说明动机态度、客观条件、程序方法、后果影响和挽回损失等情况。")
    confirm = confirm_field("我承诺所填情况真实，提交后由纪检监察机关受理审查")


class AcceptForm(FlaskForm):
    accepted = RadioField("受理审查", choices=[("1", "予以受理，开展容错调查"), ("0", "不予受理")], default=None,
                          validators=[InputRequired("请选择。")])
    on = DateField("日期", validators=[Optional()], description="留空为今天。")
    note = TextAreaField("意见", validators=[Optional(), Length(max=5000)], description="不予受理时必须写明理由。")
    confirm = confirm_field("我已核对申请材料，确认作出受理审查结论")


class InvestigationForm(FlaskForm):
    report = TextAreaField("调查报告", validators=[DataRequired("请填写调查报告。"), Length(max=20000)],
                           description="核实的事实、情节、后果和挽回损失情况。")
    on = DateField("调查完成日期", validators=[Optional()], description="留空为今天；会商研判期限自该日起 15 天。")


class DecisionForm(FlaskForm):
    participants = TextAreaField("参加会商的单位和人员", validators=[DataRequired("请填写参加会商的单位和人员。"),
                                                           Length(max=2000)])
    motive = RadioField(rules.FACTORS["motive"], choices=list(rules.ASSESSMENTS.items()), validators=[Optional()])
    conditions = RadioField(rules.FACTORS["conditions"], choices=list(rules.ASSESSMENTS.items()), validators=[Optional()])
    procedure = RadioField(rules.FACTORS["procedure"], choices=list(rules.ASSESSMENTS.items()), validators=[Optional()])
    nature = RadioField(rules.FACTORS["nature"], choices=list(rules.ASSESSMENTS.items()), validators=[Optional()])
    consequences = RadioField(rules.FACTORS["consequences"], choices=list(rules.ASSESSMENTS.items()),
                              validators=[Optional()])
    recovery = RadioField(rules.FACTORS["recovery"], choices=list(rules.ASSESSMENTS.items()), validators=[Optional()])
    deliberation = TextAreaField("研判意见", validators=[Optional(), Length(max=20000)])
    decision = SelectField("决定", choices=[], validators=[DataRequired("请选择决定。")])
    decision_number = StringField("决定文号", validators=[Optional(), Length(max=100)])
    decision_text = TextAreaField("决定内容", validators=[DataRequired("请填写决定内容。"), Length(max=20000)])
    rectify_by = DateField("责令纠错整改期限", validators=[Optional()],
                           description="予以容错或从轻处理且需纠错整改的填写（决定之日起最长 180 天）；留空则直接进入澄清保护。")
    decided_on = DateField("决定日期", validators=[Optional()], description="留空为今天。")
    confirm = confirm_field("我已核对会商研判情况，确认作出决定（决定作出后不能修改）")

    def factor_values(self) -> dict[str, str]:
        return {key: self[key].data for key in rules.FACTORS if self[key].data}


class RectifiedForm(FlaskForm):
    note = TextAreaField("整改情况", validators=[DataRequired("请写明整改情况。"), Length(max=5000)])
    on = DateField("整改完成日期", validators=[Optional()], description="留空为今天。")


class ProtectForm(FlaskForm):
    note = TextAreaField("澄清保护措施", validators=[DataRequired("请写明澄清保护措施。"), Length(max=5000)],
                         description="如：不影响评先评优、提拔使用和年度考核；向所在单位和企业说明情况，消除负面影响。")
    publish = BooleanField("发布澄清正名通报（公开）", description="诬告陷害属实的必须发布；发布后任何人可在“澄清正名”公开页面看到。")
    method = SelectField("澄清方式", choices=list(CLARIFICATION_METHODS.items()))
    meeting_on = DateField("会议日期", validators=[Optional()])
    title = StringField("通报标题", validators=[Optional(), Length(max=200)])
    body = TextAreaField("通报正文", validators=[Optional(), Length(max=20000)])
    on = DateField("日期", validators=[Optional()], description="留空为今天。")
    confirm = confirm_field("我已核对，确认办结（发布的澄清通报将向社会公开）")


# == 政法委 ledgers =================================================================================
class ReviewFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "案号、企业或案情"})
    finding = SelectField("评查结论", choices=_all(REVIEW_FINDINGS), validators=[Optional()])


class ReviewForm(FlaskForm):
    case_number = StringField("案号", validators=[DataRequired("请填写案号。"), Length(max=100)])
    case_type = SelectField("案件类别", choices=list(CASE_TYPES.items()))
    unit_code = SelectField("办案机关", choices=[], validators=[DataRequired("请选择办案机关。")])
    credit_code = StringField("涉案企业统一社会信用代码", validators=[Optional(), Length(max=18)])
    summary = TextAreaField("案情摘要", validators=[DataRequired("请填写案情摘要。"), Length(max=20000)])
    reviewed_on = DateField("评查日期", validators=[DataRequired("请填写评查日期。")])
    minor = BooleanField("属于轻微触犯法律法规")
    major_loss = BooleanField("造成重大损失和影响")
    causes = MultiCheckboxField("成因", choices=list(rules.LENIENCY_CAUSES.items()), validators=[Optional()])
    finding = SelectField("评查结论", choices=list(REVIEW_FINDINGS.items()))
    opinion = TextAreaField("评查意见（督促事项）", validators=[Optional(), Length(max=20000)])
    deadline = DateField("督促办理期限", validators=[Optional()], description="留空为评查之日起 30 天。")


class ProblemFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "问题描述"})
    category = SelectField("问题类别", choices=_all(PROBLEM_CATEGORIES), validators=[Optional()])
    batch = StringField("督察批次", validators=[Optional()])


class ProblemForm(FlaskForm):
    batch = StringField("督察批次", validators=[DataRequired("请填写督察批次。"), Length(max=100)],
                        render_kw={"placeholder": "如 2026年第一轮政治督察"})
    found_on = DateField("发现日期", validators=[DataRequired("请填写发现日期。")])
    unit_code = SelectField("被督察单位", choices=[], validators=[DataRequired("请选择被督察单位。")])
    category = SelectField("问题类别", choices=list(PROBLEM_CATEGORIES.items()))
    description = TextAreaField("问题描述", validators=[DataRequired("请填写问题描述。"), Length(max=20000)])
    rectify_by = DateField("整改期限", validators=[Optional()], description="留空为发现之日起 30 天；最长 180 天。")


class CircularForm(FlaskForm):
    year = IntegerField("年度", validators=[InputRequired("请填写年度。"), NumberRange(2000, 2100, "年度无效。")])
    quarter = SelectField("季度", choices=[("1", "第一季度"), ("2", "第二季度"), ("3", "第三季度"), ("4", "第四季度")])
    note = TextAreaField("通报意见", validators=[Optional(), Length(max=5000)])
    confirm = confirm_field("我已核对本季度数据，确认印发通报（印发后数据固定，不能修改）")


# == green channel ==================================================================================
class CatalogueFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "事项、内容或主管部门"})
    category = SelectField("服务类别", choices=_all(SERVICE_CATEGORIES), validators=[Optional()])


class ChangeForm(FlaskForm):
    kind = SelectField("调整类型", choices=[("add", "新增服务事项"), ("modify", "调整服务事项"), ("remove", "调出服务目录")])
    service = SelectField("目录中的事项", choices=[], validators=[Optional()], validate_choice=False,
                          description="调整或调出时选择。")
    category = SelectField("服务类别", choices=[("", "（请选择）")] + list(SERVICE_CATEGORIES.items()),
                           validators=[Optional()])
    name = StringField("服务事项名称", validators=[Optional(), Length(max=200)])
    content = TextAreaField("优惠政策或便利服务内容", validators=[Optional(), Length(max=20000)])
    unit_code = SelectField("主管部门", choices=[], validators=[Optional()], validate_choice=False)
    venue = StringField("承办机构（服务窗口）", validators=[Optional(), Length(max=200)])
    notice_mode = SelectField("公示方式", choices=list(NOTICE_MODES.items()),
                              description="旅游服务、体育健身、医疗保健须在承办机构显著位置公示。")
    notice_text = TextAreaField("公示内容", validators=[Optional(), Length(max=20000)])
    reason = TextAreaField("调整理由", validators=[DataRequired("请说明调整理由。"), Length(max=5000)],
                           description="如企业家的需求；报市人才工作领导小组同意后向社会公布。")


class ChangeDecisionForm(FlaskForm):
    approve = RadioField("领导小组意见", choices=[("1", "同意"), ("0", "不同意")], default=None,
                         validators=[InputRequired("请选择。")])
    note = TextAreaField("意见", validators=[Optional(), Length(max=5000)], description="不同意时必须说明理由。")
    confirm = confirm_field("我代表市人才工作领导小组确认审定（同意的事项即向社会公布）")


class RulesForm(FlaskForm):
    rules_text = TextAreaField("实施细则", validators=[DataRequired("请填写实施细则。"), Length(max=50000)],
                               description="服务对象、办理流程、所需材料、承办机构和联系人等。")
    confirm = confirm_field("确认向社会公布实施细则并报市高层次人才服务窗口备案")


class FilingForm(FlaskForm):
    confirm = confirm_field("已核对实施细则，确认备案")


class SpecialistForm(FlaskForm):
    unit_code = SelectField("单位", choices=[], validators=[DataRequired("请选择单位。")])
    name = StringField("姓名", validators=[DataRequired("请填写姓名。"), Length(max=50)])
    post = StringField("职务", validators=[Optional(), Length(max=100)])
    phone = StringField("联系电话", validators=[DataRequired("请填写联系电话。"), Length(max=30)])


class ConfirmForm(FlaskForm):
    """A button that needs only its CSRF token (reversible steps)."""


class FeedbackForm(FlaskForm):
    service = SelectField("服务事项", choices=[], validators=[DataRequired("请选择服务事项。")])
    occurred_on = DateField("发生日期", validators=[Optional()])
    description = TextAreaField("遇到的问题", validators=[DataRequired("请写明遇到的问题。"), Length(max=5000)],
                                description="如：未按规定办理、服务不满意。市人才办、市工业和信息化局收到后第一时间联系主管部门。")


class FeedbackFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "事项或问题"})
    status = SelectField("状态", choices=_all(STATUS_LABELS), validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class HandleForm(FlaskForm):
    target = SelectField("办理操作", choices=[], validators=[DataRequired("请选择办理操作。")])
    unit_code = SelectField("交办单位", choices=[], validators=[Optional()], validate_choice=False,
                            description="交办时选择；默认为该服务事项的主管部门。")
    deadline = DateField("办理期限", validators=[Optional()], description="交办时填写；留空为 10 天。")
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)],
                         description="办结时写办理结果；反馈时写给企业家的答复（企业家可见）。")
    confirm = BooleanField("确认销号（销号后不能恢复）", description="选择“已销号”时勾选。")


class RateForm(FlaskForm):
    rating = RadioField("对办理结果的评价", choices=list(RATINGS.items()), validators=[InputRequired("请选择评价。")])


class EvaluationForm(FlaskForm):
    title = StringField("评估名称", validators=[DataRequired("请填写评估名称。"), Length(max=100)],
                        render_kw={"placeholder": "如 2026年上半年绿色通道服务评估"})
    start = DateField("评估期开始", validators=[DataRequired("请填写开始日期。")])
    end = DateField("评估期结束", validators=[DataRequired("请填写结束日期。")])


class IssueEvaluationForm(FlaskForm):
    note = TextAreaField("通报意见", validators=[Optional(), Length(max=5000)])
    confirm = confirm_field("确认通报评估结果（评估为一般、较差的单位将收到通报整改事项）")


# == honours =======================================================================================
class RoundForm(FlaskForm):
    year = IntegerField("年度", validators=[InputRequired("请填写年度。"), NumberRange(2000, 2100, "年度无效。")])


class ProposeForm(FlaskForm):
    credit_code = StringField("企业统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"), Length(max=18)])
    name = StringField("企业家姓名", validators=[Optional(), Length(max=50)], description="留空为登记库中的主要负责人。")
    post = StringField("职务", validators=[Optional(), Length(max=100)], render_kw={"placeholder": "如 董事长"})
    deeds = TextAreaField("主要事迹", validators=[DataRequired("请填写主要事迹。"), Length(max=20000)])


class CandidateFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业、企业家或信用代码"})
    status = SelectField("状态", choices=[("", "全部"), ("proposed", "符合条件"), ("excluded", "不符合条件"),
                                        ("listed", "入选"), ("withdrawn", "已撤回")], validators=[Optional()])


class SubmitRoundForm(FlaskForm):
    confirm = confirm_field("我已核对推荐人选及核查结果，确认报市委、市政府审定")


class ApproveRoundForm(FlaskForm):
    approve = RadioField("审定意见", choices=[("1", "同意并公布"), ("0", "退回")], default=None,
                         validators=[InputRequired("请选择。")])
    note = TextAreaField("意见", validators=[Optional(), Length(max=5000)], description="退回时必须说明理由。")
    confirm = confirm_field("确认审定（同意即向社会公布名单，不能撤回）")


class RecommendationFilterForm(SearchForm):
    status = SelectField("状态", choices=_all(RECOMMENDATION_STATUSES), validators=[Optional()])


class RecommendForm(FlaskForm):
    target = SelectField("推荐对象单位", choices=[], validators=[DataRequired("请选择推荐对象单位。")])
    kind = SelectField("推荐类别", choices=list(RECOMMENDATION_KINDS.items()))
    political = TextAreaField(EVALUATION_ASPECTS["political"], validators=[Optional(), Length(max=2000)])
    law = TextAreaField(EVALUATION_ASPECTS["law"], validators=[Optional(), Length(max=2000)])
    tax = TextAreaField(EVALUATION_ASPECTS["tax"], validators=[Optional(), Length(max=2000)])
    business = TextAreaField(EVALUATION_ASPECTS["business"], validators=[Optional(), Length(max=2000)])
    social = TextAreaField(EVALUATION_ASPECTS["social"], validators=[Optional(), Length(max=2000)])
    verdict = RadioField("综合评价结论", choices=list(EVALUATION_VERDICTS.items()), validators=[InputRequired("请选择。")])
    note = TextAreaField("推荐意见", validators=[Optional(), Length(max=5000)])
    confirm = confirm_field("我已核对综合评价，确认推荐（推荐后不能撤回）")

    def aspects(self) -> dict[str, str]:
        return {key: self[key].data or "" for key in EVALUATION_ASPECTS}


class RespondForm(FlaskForm):
    adopted = RadioField("答复", choices=[("1", "采纳"), ("0", "未采纳")], validators=[InputRequired("请选择。")])
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)], description="未采纳时必须说明理由。")
    confirm = confirm_field("确认答复（答复后不能修改）")


class MeetingForm(FlaskForm):
    kind = SelectField("会议类别", choices=list(MEETING_KINDS.items()))
    title = StringField("会议名称", validators=[DataRequired("请填写会议名称。"), Length(max=200)])
    meeting_on = DateField("会议日期", validators=[DataRequired("请填写会议日期。")])
    place = StringField("地点", validators=[Optional(), Length(max=200)])
    seat_note = StringField("座次安排", validators=[Optional(), Length(max=200)], default="安排企业家坐在会场中间位置")


class InviteForm(FlaskForm):
    candidates = MultiCheckboxField("邀请的优秀企业家", choices=[], coerce=int,
                                    validators=[DataRequired("请至少选择一位。")])


class InvitationReplyForm(FlaskForm):
    accept = RadioField("答复", choices=[("1", "接受邀请"), ("0", "婉拒")], validators=[InputRequired("请选择。")])
    note = StringField("说明", validators=[Optional(), Length(max=500)])


class DishonestFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业、信用代码或案号"})
    current = SelectField("状态", choices=[("", "全部"), ("1", "仅看今日在列")], validators=[Optional()])


class DishonestImportForm(FlaskForm):
    file = FileField("名单文件（CSV 或 XLSX）", validators=[FileRequired("请选择文件。")])
    mode = RadioField("处理方式", choices=[("check", "只校验"), ("all", "全部正确才导入"), ("valid", "只导入正确的行")],
                      default="all")
