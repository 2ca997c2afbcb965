"""Forms of the bankruptcy module (WTForms; GET filter forms carry no CSRF token). Irreversible
actions carry a `confirm` checkbox that the services check on the server."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, DecimalField, FieldList, FormField, IntegerField, RadioField, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from govsvc.bankruptcy.models import ADMINISTRATOR_KINDS, CONVENER_TITLES, MATTER_TYPES, MEETING_STATUSES, OUTCOMES
from govsvc.bankruptcy.models_cases import GROUP_ROLES, STAGES
from govsvc.ledger.workflow import PRIORITY_LABELS, STATUS_LABELS
from scoring.bankruptcy import LIST_KINDS, OPINION_LEVELS, PROCEDURES, RISK_LEVELS, TIER_LABELS


class GetForm(FlaskForm):
    class Meta:
        csrf = False

    def cleaned(self) -> "GetForm":
        """Drop a filter value that is not one of its choices (a hand-made URL), so that no
        query ever sees it (\x00 in a PostgreSQL parameter is an error, not a miss)."""
        for field in self:
            if isinstance(field, SelectField) and field.choices is not None:
                allowed = {str(value) for value, _ in field.choices}
                if str(field.data or "") not in allowed:
                    field.data = ""
        return self


def _all(choices) -> list[tuple[str, str]]:
    return [("", "全部")] + list(choices.items() if isinstance(choices, dict) else choices)


def confirm_field(text: str):
    return BooleanField(text)


def attach_errors(form, errors: dict[str, str]) -> list[str]:
    """Put a service's {field: message} beside its field; return the messages for no field."""
    loose = []
    for name, message in errors.items():
        if name and name in form:
            form[name].errors = list(form[name].errors) + [message]
        else:
            loose.append(message)
    return loose


# -- directory -----------------------------------------------------------------------------------
class SettingsForm(FlaskForm):
    name = StringField("机制名称", validators=[DataRequired("请填写机制名称。"), Length(max=100)])
    established_on = DateField("建立日期", validators=[DataRequired("请填写建立日期（格式 2020-07-10）。")],
                               description="会议周期自该日所在的期间起算。")
    office_unit = StringField("联席会议办公室所在单位代码", validators=[DataRequired("请填写单位代码。"), Length(max=32)],
                              description="如 JRJ（市地方金融监管局，淄博模式）或 ZYFY（法院，平陆模式）。")
    joint_months = SelectField("联席会议周期", coerce=int, choices=[(6, "每半年一次"), (12, "每年一次")])
    topic_months = SelectField("专题会议周期", coerce=int, choices=[(3, "每季度一次"), (6, "每半年一次"), (0, "不定期")])
    reply_days = IntegerField("函复期限（日）", validators=[DataRequired("请填写函复期限。"), NumberRange(1, 90, "应为 1–90 日。")])


class ConvenerForm(FlaskForm):
    title = SelectField("职务", choices=list(CONVENER_TITLES.items()))
    name = StringField("姓名", validators=[DataRequired("请填写姓名。"), Length(max=50)])
    post = StringField("职务全称", validators=[Optional(), Length(max=100)], description="如：副市长、市法院院长。")
    unit_code = StringField("单位代码", validators=[Optional(), Length(max=32)])


class MemberForm(FlaskForm):
    leader_name = StringField("分管负责同志", validators=[Optional(), Length(max=50)])
    leader_post = StringField("分管负责同志职务", validators=[Optional(), Length(max=100)])
    liaison_name = StringField("联络人", validators=[Optional(), Length(max=50)])
    liaison_post = StringField("联络人职务（承办科室）", validators=[Optional(), Length(max=100)])
    liaison_phone = StringField("联络人电话", validators=[Optional(), Length(max=30)])
    active = BooleanField("成员单位（取消勾选即退出机制）", default=True)


class AddMemberForm(FlaskForm):
    unit_code = StringField("单位代码", validators=[DataRequired("请填写单位代码。"), Length(max=32)],
                            description="单位名录中的代码，如 ZJJ、ZF-ZD。")


class ImportForm(FlaskForm):
    kind = SelectField("数据类型", choices=[("bankruptcy_members", "成员单位及联络人"),
                                         ("bankruptcy_duties", "协调事项职责分工（附件2）")])
    file = FileField("文件（CSV 或 XLSX）", validators=[
        FileRequired("请选择要导入的文件。"), FileAllowed(["csv", "xlsx"], "只支持 CSV 或 XLSX 文件。")])
    mode = RadioField("导入方式", default="all", validate_choice=False, choices=[
        ("check", "只校验，不导入"), ("all", "全部正确才导入"), ("valid", "只导入正确的行，跳过错误行")])


class CourtForm(FlaskForm):
    name = StringField("法院名称", validators=[DataRequired("请填写法院名称。"), Length(max=100)])
    district = StringField("所在区县", validators=[Optional(), Length(max=50)])


class AdministratorForm(FlaskForm):
    name = StringField("管理人名称", validators=[DataRequired("请填写管理人名称。"), Length(max=200)])
    kind = SelectField("类型", choices=list(ADMINISTRATOR_KINDS.items()))
    contact = StringField("联系人", validators=[Optional(), Length(max=50)])
    phone = StringField("电话", validators=[Optional(), Length(max=30)])


class RulesForm(FlaskForm):
    rules = TextAreaField("受理预警评分规则（TOML）", validators=[DataRequired("请填写规则。"), Length(max=20000)],
                          render_kw={"rows": 24, "spellcheck": "false", "class": "mono"})
    confirm = confirm_field("我已核对规则，确认自即日起按新规则评估（此前的评估保留原规则）")


# -- matters ---------------------------------------------------------------------------------------
class MatterFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "标题、内容或来源"})
    tier = SelectField("会议层级", choices=_all(TIER_LABELS), validators=[Optional()])
    matter_type = SelectField("事项类别", choices=_all(MATTER_TYPES), validators=[Optional()])
    status = SelectField("状态", choices=_all([("open", "未办结")] + list(STATUS_LABELS.items())), validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class TaskFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "任务内容或来源"})
    status = SelectField("状态", choices=_all([("open", "未办结")] + list(STATUS_LABELS.items())), validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class RaiseMatterForm(FlaskForm):
    matter_type = SelectField("事项类别", choices=list(MATTER_TYPES.items()))
    title = StringField("事项标题", validators=[DataRequired("请填写事项标题。"), Length(max=200)])
    description = TextAreaField("具体情况与需协调解决的问题", validators=[DataRequired("请填写具体情况。"), Length(max=20000)])
    unit_code = StringField("承办（牵头）单位代码", validators=[Optional(), Length(max=32)],
                            description="留空则按职责分工由该类事项的牵头单位承办。")
    case_id = IntegerField("关联案件编号", validators=[Optional(), NumberRange(1, 2**31 - 1, "案件编号无效。")],
                           description="案件台账中的编号（#后的数字），可不填。")
    deadline = DateField("办理期限", validators=[Optional()], description="留空为 30 日后。")
    priority = SelectField("优先级", choices=list(PRIORITY_LABELS.items()), default="normal")


class ActionForm(FlaskForm):
    target = SelectField("办理操作", validators=[DataRequired("请选择办理操作。")], validate_choice=False)
    unit_code = StringField("承办单位代码", validators=[Optional(), Length(max=32)], description="交办时可改。")
    deadline = DateField("办理期限", validators=[Optional()])
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)], description="退回、办结、反馈时必须填写。")
    confirm = confirm_field("我已核对，确认办结或销号（不能撤回）")


class SuperviseForm(FlaskForm):
    note = TextAreaField("督办意见", validators=[DataRequired("请填写督办意见。"), Length(max=5000)])
    deadline = DateField("新的办理期限", validators=[Optional()], description="留空则保持原期限。")


class EscalateForm(FlaskForm):
    note = TextAreaField("提级理由（本级会议为何不能解决）", validators=[DataRequired("请写明提级理由。"), Length(max=5000)])
    deadline = DateField("上一级会议研究期限", validators=[Optional()], description="留空则保持原期限。")
    confirm = confirm_field("确认提交上一级会议研究（本级事项随即以“已提级”结束）")


# -- meetings --------------------------------------------------------------------------------------
class MeetingFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "会议名称、议程或纪要"})
    tier = SelectField("层级", choices=_all(TIER_LABELS), validators=[Optional()])
    status = SelectField("状态", choices=_all(MEETING_STATUSES), validators=[Optional()])


class MeetingForm(FlaskForm):
    tier = SelectField("会议层级", choices=[("joint", "联席会议"), ("topic", "专题会议"), ("business", "业务会议")])
    title = StringField("会议名称", validators=[DataRequired("请填写会议名称。"), Length(max=200)])
    planned_on = DateField("召开日期", validators=[DataRequired("请填写召开日期（格式 2026-12-20）。")])
    chair = StringField("主持人", validators=[Optional(), Length(max=100)],
                        description="联席会议由总召集人或召集人主持；专题会议由召集人或办公室主任主持。")
    location = StringField("地点", validators=[Optional(), Length(max=200)])
    unit_codes = StringField("参会单位代码", validators=[Optional(), Length(max=2000)],
                             description="以空格或逗号分隔，如 RSJ SWJ ZF-ZD。")
    agenda = TextAreaField("议程", validators=[Optional(), Length(max=20000)],
                           description="创建后可在会议页面把本层级待研究的协调事项列入议程。")


class AgendaForm(FlaskForm):
    matter_id = SelectField("待研究的协调事项", coerce=int, validate_choice=False)


class HeldForm(FlaskForm):
    held_on = DateField("召开日期", validators=[DataRequired("请填写召开日期。")])
    unit_codes = StringField("参会单位代码", validators=[Optional(), Length(max=2000)])
    attendees = TextAreaField("参会人员", validators=[Optional(), Length(max=5000)])
    minutes = TextAreaField("会议纪要", validators=[DataRequired("请填写会议纪要。"), Length(max=50000)],
                            render_kw={"rows": 10})


class TaskRow(FlaskForm):
    class Meta:
        csrf = False

    unit_code = StringField("承办单位代码", validators=[Optional(), Length(max=32)])
    deadline = DateField("完成期限", validators=[Optional()])
    text = StringField("任务内容", validators=[Optional(), Length(max=200)])


class OutcomeForm(FlaskForm):
    outcome = RadioField("研究结果", choices=list(OUTCOMES.items()), validate_choice=False)
    decision = TextAreaField("议定事项", validators=[Optional(), Length(max=5000)], description="“议定”时填写。")
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)],
                         description="提交上一级会议时写明本级不能解决的原因；继续研究时写明待研究内容。")
    deadline = DateField("事项办理期限", validators=[Optional()])
    tasks = FieldList(FormField(TaskRow), min_entries=3, max_entries=10)
    confirm = confirm_field("确认记录研究结果（记录后不能修改；提交上一级会议后本级事项随即结束）")


class DecisionForm(FlaskForm):
    decision = TextAreaField("议定事项", validators=[DataRequired("请填写议定事项。"), Length(max=5000)])
    tasks = FieldList(FormField(TaskRow), min_entries=3, max_entries=10)
    confirm = confirm_field("确认记录议定事项并交办任务（不能撤回）")


class IssueMinutesForm(FlaskForm):
    confirm = confirm_field("我已核对纪要和议定事项，确认印发（编号后不能修改）")


# -- letters ---------------------------------------------------------------------------------------
class LetterFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "标题、内容或函复"})
    state = SelectField("函复情况", choices=_all({"pending": "待函复", "overdue": "逾期未复", "on_time": "按期函复",
                                              "late": "逾期函复"}), validators=[Optional()])


class LetterForm(FlaskForm):
    to_unit = StringField("受函单位代码", validators=[DataRequired("请填写受函单位代码。"), Length(max=32)])
    subject = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=200)])
    body = TextAreaField("函告内容", validators=[DataRequired("请填写函告内容。"), Length(max=20000)],
                         render_kw={"rows": 10})
    reply_due = DateField("函复期限", validators=[Optional()], description="留空按机制设定的函复期限计算。")
    confirm = confirm_field("我已核对函件内容，确认发出（编号并计入成员单位考核）")


class ReplyForm(FlaskForm):
    reply = TextAreaField("函复内容（协办结果）", validators=[DataRequired("请填写函复内容。"), Length(max=20000)],
                          render_kw={"rows": 8})
    confirm = confirm_field("确认提交函复（提交后不能修改）")


class CloseLetterForm(FlaskForm):
    note = TextAreaField("反馈意见", validators=[Optional(), Length(max=5000)], description="留空为“函复收悉”。")
    confirm = confirm_field("确认销号（不能撤回）")


class CircularPeriodForm(GetForm):
    period = StringField("期间", validators=[Optional(), Length(max=20)], description="如 2026-Q4、2026-H2、2026-11。")


# -- cases -----------------------------------------------------------------------------------------
class CaseFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码、案号或申请人"})
    stage = SelectField("阶段", choices=_all([("open", "审理中")] + list(STAGES.items())), validators=[Optional()])
    procedure = SelectField("程序", choices=_all(PROCEDURES), validators=[Optional()])
    risk = SelectField("风险等级", choices=_all(RISK_LEVELS), validators=[Optional()])
    major = SelectField("重大敏感", choices=[("", "全部"), ("1", "仅重大、敏感案件")], validators=[Optional()])


def _money(label: str, description: str = "元，可填小数到分。"):
    return DecimalField(label, places=2, validators=[Optional(), NumberRange(0, 10**15, "应为 0 或正数。")],
                        description=description)


class FiguresForm(FlaskForm):
    employees = IntegerField("职工人数", validators=[Optional(), NumberRange(0, 10**7, "应为 0 或正整数。")])
    wage_arrears = _money("拖欠职工工资（元）")
    creditors = IntegerField("债权人数", validators=[Optional(), NumberRange(0, 10**8, "应为 0 或正整数。")])
    debts = _money("负债总额（元）")
    assets = _money("资产总额（元）")
    guarantees = _money("涉及互保联保担保金额（元）", "债务人对外担保及被担保中涉及互保联保的金额。")
    opinion = SelectField("舆情敏感度", coerce=int, choices=list(OPINION_LEVELS.items()), default=0)

    def figures(self) -> dict:
        return {name: self[name].data for name in ("employees", "wage_arrears", "creditors", "debts", "assets",
                                                   "guarantees", "opinion") if self[name].data is not None}


class CaseForm(FiguresForm):
    credit_code = StringField("债务人统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"), Length(max=40)])
    court_id = SelectField("受理法院", coerce=int, validate_choice=False)
    procedure = SelectField("程序类型", choices=list(PROCEDURES.items()))
    applicant = StringField("申请人", validators=[Optional(), Length(max=200)])
    applied_on = DateField("申请日期", validators=[Optional()])
    note = TextAreaField("情况说明", validators=[Optional(), Length(max=20000)])


class HandoverCaseForm(FiguresForm):
    credit_code = StringField("债务人统一社会信用代码", validators=[Optional(), Length(max=40)],
                              description="留空则使用移交事项中写明的代码。")
    court_id = SelectField("受理法院", coerce=int, validate_choice=False)
    procedure = SelectField("程序类型", choices=[("", "按移交事项")] + list(PROCEDURES.items()), validators=[Optional()])


class PlanForm(FlaskForm):
    stability = TextAreaField("维稳与信访化解措施", validators=[DataRequired("请填写维稳措施。"), Length(max=10000)])
    employees = TextAreaField("职工安置方案", validators=[DataRequired("请填写职工安置方案。"), Length(max=10000)])
    opinion = TextAreaField("舆情应对", validators=[Optional(), Length(max=10000)])
    assets = TextAreaField("资产保全与处置", validators=[Optional(), Length(max=10000)])
    units = TextAreaField("责任分工", validators=[Optional(), Length(max=10000)], description="如：属地政府牵头维稳，人社局负责职工安置……")


class AcceptForm(FlaskForm):
    case_number = StringField("案号", validators=[DataRequired("请填写案号。"), Length(max=60)],
                              description="如（2026）鲁03破12号；预重整、庭外重组填备案号。")
    accepted_on = DateField("受理日期", validators=[DataRequired("请填写受理日期。")])
    administrator_id = SelectField("管理人", coerce=int, validate_choice=False)
    confirm = confirm_field("我已核对风险评估和处置方案，确认受理（不能退回预警阶段）")


class DeclineForm(FlaskForm):
    note = TextAreaField("不予受理或撤回的理由", validators=[DataRequired("请写明理由。"), Length(max=5000)])
    confirm = confirm_field("确认不予受理或撤回（案件随即终结）")


class ProgressForm(FiguresForm):
    stage = SelectField("阶段", choices=[(k, v) for k, v in STAGES.items() if k not in ("warning", "rejected")])
    on = DateField("日期", validators=[DataRequired("请填写日期。")])
    note = TextAreaField("进展情况", validators=[DataRequired("请填写进展情况。"), Length(max=10000)])
    confirm = confirm_field("选择“程序终结”时勾选：确认终结（不能再登记进展）")


class MajorForm(FlaskForm):
    major = BooleanField("列为重大、敏感案件")
    note = StringField("理由", validators=[Optional(), Length(max=200)])


class GroupMemberForm(FlaskForm):
    role = SelectField("组内职务", choices=list(GROUP_ROLES.items()), default="member")
    name = StringField("姓名", validators=[DataRequired("请填写姓名。"), Length(max=50)])
    post = StringField("职务", validators=[Optional(), Length(max=100)])
    unit_code = StringField("单位代码", validators=[Optional(), Length(max=32)], description="如 ZYFY、ZF-ZD。")


# -- lists, circulars, typical cases ------------------------------------------------------------------
class ListFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或情况"})
    kind = SelectField("名单", choices=_all(LIST_KINDS), validators=[Optional()])
    period = SelectField("期间", validators=[Optional()], validate_choice=False)


class ListUploadForm(FlaskForm):
    kind = SelectField("名单类别", choices=list(LIST_KINDS.items()))
    period = StringField("报送期间", validators=[DataRequired("请填写报送期间。"), Length(max=20)],
                         description="如 2026-Q4（季度）、2026-11（月）、2026-H2（半年）。")
    unit_code = StringField("报送单位代码", validators=[Optional(), Length(max=32)],
                            description="成员单位上传本单位名单时留空；联席会议办公室可代为上传。")
    file = FileField("文件（CSV 或 XLSX）", validators=[
        FileRequired("请选择要导入的文件。"), FileAllowed(["csv", "xlsx"], "只支持 CSV 或 XLSX 文件。")])
    mode = RadioField("导入方式", default="all", validate_choice=False, choices=[
        ("check", "只校验，不导入"), ("all", "全部正确才导入"), ("valid", "只导入正确的行，跳过错误行")])


class CandidateFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称或信用代码"})
    kind = SelectField("所在名单", choices=_all(LIST_KINDS), validators=[Optional()])
    district = SelectField("区县", validators=[Optional()], validate_choice=False)
    scope = SelectField("范围", choices=[("", "僵尸企业候选"), ("all", "所有在册企业")], validators=[Optional()])


class CircularForm(FlaskForm):
    period = StringField("通报期间", validators=[DataRequired("请填写期间。"), Length(max=20)],
                         description="如 2026-Q4、2026-11、2026-H2。")
    confirm = confirm_field("确认印发（编号、内容固定）")


class TypicalForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=200)],
                        description="匿名化：不写企业名称，如“某化工企业破产重整案”。")
    procedure = SelectField("程序类型", choices=list(PROCEDURES.items()))
    case_id = IntegerField("来源案件编号", validators=[Optional(), NumberRange(1, 2**31 - 1, "案件编号无效。")],
                           description="内部关联，不公开；发布前据此检查是否已匿名化。")
    summary = TextAreaField("基本案情", validators=[DataRequired("请填写基本案情。"), Length(max=20000)])
    practice = TextAreaField("府院联动做法与成效", validators=[DataRequired("请填写做法与成效。"), Length(max=20000)])
    significance = TextAreaField("典型意义", validators=[Optional(), Length(max=20000)])


class PublishForm(FlaskForm):
    confirm = confirm_field("我已核对案例已匿名化，确认向社会公开发布")


class YearForm(GetForm):
    year = SelectField("年度", coerce=str, validators=[Optional()], validate_choice=False)


class ConfirmForm(FlaskForm):
    """A button-only form (CSRF token)."""
