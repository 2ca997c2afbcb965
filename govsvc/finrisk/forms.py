"""Forms of the financial-risk pages. Irreversible actions carry a required confirmation box checked
on the server (`confirm`)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, DecimalField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from govsvc.finrisk.models import BRIDGE_STATUSES, LOAN_STATUSES, PROCEDURES, RESCUE_STAGES, STATE_LABELS
from scoring.finrisk import CLASS_LABELS, STRUCTURE_LABELS


class GetForm(FlaskForm):
    class Meta:
        csrf = False


def confirm_field(label: str) -> BooleanField:
    return BooleanField(label, validators=[DataRequired("请勾选确认后再提交。")])


SEARCH = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称或信用代码"})
TEXT = [DataRequired("请填写。"), Length(max=2000, message="不超过 2000 字。")]
MONEY = [InputRequired("请填写金额。"), NumberRange(0, 10**15, "金额应为不小于 0 的数。")]


class ImportForm(FlaskForm):
    file = FileField("文件（CSV 或 XLSX）", validators=[FileRequired("请选择要上传的文件。"),
                                                    FileAllowed(["csv", "xlsx"], "只支持 CSV 或 XLSX 文件。")])
    mode = RadioField("导入方式", default="all", choices=[
        ("check", "只校验，不导入"), ("all", "全部正确才导入（有错误行则不导入任何数据）"),
        ("valid", "只导入正确的行，跳过错误行")])


class LoanFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或贷款编号"})
    status = SelectField("状态", choices=[("", "全部")] + list(LOAN_STATUSES.items()), validators=[Optional()])
    bank = SelectField("银行", choices=[("", "全部")], validators=[Optional()])


class GuaranteeFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或合同编号"})
    bank = SelectField("银行", choices=[("", "全部")], validators=[Optional()])


class MaturityFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或贷款编号"})
    state = SelectField("落实情况", choices=[("", "全部")] + list(STATE_LABELS.items()), validators=[Optional()])
    bank = SelectField("银行", choices=[("", "全部")], validators=[Optional()])
    county = SelectField("县（市、区）", choices=[("", "全部")], validators=[Optional()])
    month = StringField("到期月份", validators=[Optional(), Length(7, 7)], render_kw={"placeholder": "如 2027-02"})


class PlanForm(FlaskForm):
    repayment_plan = TextAreaField("还款计划", validators=TEXT)
    funds_source = TextAreaField("资金来源", validators=TEXT)


class FundsForm(FlaskForm):
    amount = DecimalField("企业账上还款资金（元）", places=2, validators=MONEY)


class AcknowledgeForm(FlaskForm):
    note = TextAreaField("研判意见", validators=TEXT)


class AssessmentFilterForm(GetForm):
    q = SEARCH
    year = IntegerField("年度", validators=[Optional(), NumberRange(1990, 2100, "年度无效。")])
    proposed = SelectField("建议分类", choices=[("", "全部")] + list(CLASS_LABELS.items()), validators=[Optional()])
    confirmed = SelectField("确认分类", choices=[("", "全部"), ("pending", "待确认")] + list(CLASS_LABELS.items()),
                            validators=[Optional()])


class ProposeForm(FlaskForm):
    year = IntegerField("年度", validators=[DataRequired("请填写年度。"), NumberRange(1990, 2100, "年度无效。")])


class IndicatorForm(FlaskForm):
    revenue_growth = DecimalField("营业收入增长率（%）", places=2, validators=[InputRequired("请填写。"), NumberRange(-100, 1000)])
    rd_ratio = DecimalField("研发投入占营业收入比例（%）", places=2, validators=[InputRequired("请填写。"), NumberRange(0, 100)])
    high_tech = BooleanField("高新技术企业")
    structure = SelectField("产业导向", choices=list(STRUCTURE_LABELS.items()))
    employees = IntegerField("从业人数", validators=[InputRequired("请填写。"), NumberRange(0, 10**7)])


class ConfirmClassForm(FlaskForm):
    klass = RadioField("确认分类", choices=list(CLASS_LABELS.items()), validators=[DataRequired("请选择分类。")])
    reason = TextAreaField("理由", validators=TEXT)
    confirm = confirm_field("我已核对各项指标和风险信号，确认该企业的分类")


class MeasureForm(FlaskForm):
    title = StringField("措施", validators=[DataRequired("请填写措施。"), Length(max=150)])
    description = TextAreaField("具体内容", validators=[Optional(), Length(max=2000)])
    unit = SelectField("责任单位", choices=[("", "企业所在县（市、区）政府")], validators=[Optional()])
    deadline = DateField("完成时限", validators=[DataRequired("请填写完成时限。")])


class LeaderForm(FlaskForm):
    leader = SelectField("市领导账号", choices=[("", "（不关联账号）")], validators=[Optional()])
    name = StringField("市领导姓名", validators=[DataRequired("请填写姓名。"), Length(max=50)])
    post = StringField("职务", validators=[Optional(), Length(max=100)])
    note = TextAreaField("联系帮扶安排", validators=[Optional(), Length(max=2000)])


class NominateForm(FlaskForm):
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写。"), Length(18, 18, "应为 18 位。")])
    year = IntegerField("年度", validators=[DataRequired("请填写年度。"), NumberRange(1990, 2100, "年度无效。")])
    nomination = TextAreaField("发展思路、盈利能力和涉担保圈情况", validators=TEXT)


class RescueFilterForm(GetForm):
    q = SEARCH
    stage = SelectField("阶段", choices=[("", "全部")] + list(RESCUE_STAGES.items()), validators=[Optional()])
    year = IntegerField("年度", validators=[Optional(), NumberRange(1990, 2100, "年度无效。")])


class AssessRescueForm(FlaskForm):
    auditor = StringField("调查审计评估机构", validators=[DataRequired("请填写。"), Length(max=100)])
    capital_flight = RadioField("是否存在抽逃资金", choices=[("no", "否"), ("yes", "是")], validators=[DataRequired("请选择。")])
    malicious_evasion = RadioField("是否存在恶意逃废银行债务", choices=[("no", "否"), ("yes", "是")],
                                   validators=[DataRequired("请选择。")])
    rescue_value = RadioField("是否具有挽救价值", choices=[("yes", "是"), ("no", "否")], validators=[DataRequired("请选择。")])
    note = TextAreaField("审计评估结论", validators=TEXT)
    owner = SelectField("责任主体（列入台账时）", choices=[("", "—")], validators=[Optional()])
    target = TextAreaField("任务目标（列入台账时）", validators=[Optional(), Length(max=2000)])
    due_date = DateField("时间节点（列入台账时）", validators=[Optional()])
    confirm = confirm_field("我已核对审计评估结论，确认据此决定是否列入挽救台账")


class RouteForm(FlaskForm):
    note = TextAreaField("安排", validators=TEXT,
                         description="如：债委会会议时间和参会银行；或政府性融资担保公司、应急转贷安排。")


class ResultForm(FlaskForm):
    result = RadioField("结果", choices=[("agreed", "达成协议（债务清偿协议 / 协调意见）"), ("failed", "未能化解")],
                        validators=[DataRequired("请选择结果。")])
    note = TextAreaField("协议内容或未能化解的原因", validators=TEXT)
    confirm = confirm_field("我已核对，确认登记该结果")


class HandoverForm(FlaskForm):
    procedure = RadioField("拟采用程序", choices=list(PROCEDURES.items()), validators=[DataRequired("请选择程序。")])
    note = TextAreaField("企业意愿和移交说明", validators=TEXT)
    confirm = confirm_field("企业已同意司法介入；确认移交市中级人民法院（移交后由法院办理，不能撤回）")


class BridgeFilterForm(GetForm):
    q = SEARCH
    status = SelectField("状态", choices=[("", "全部")] + list(BRIDGE_STATUSES.items()), validators=[Optional()])


class PoolForm(FlaskForm):
    county = SelectField("县（市、区）", choices=[], validators=[DataRequired("请选择。")])
    capacity = DecimalField("资金池规模（元）", places=2, validators=MONEY)


class BridgeApplyForm(FlaskForm):
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写。"), Length(18, 18, "应为 18 位。")])
    amount = DecimalField("申请金额（元）", places=2, validators=MONEY)
    days = IntegerField("使用期限（天）", validators=[DataRequired("请填写。"), NumberRange(1, 90, "应为 1–90 天。")])
    bank = SelectField("转贷银行", choices=[("", "—")], validators=[Optional()])
    purpose = TextAreaField("用途", validators=TEXT)


class BridgeDecideForm(FlaskForm):
    decision = RadioField("审批", choices=[("approve", "批准"), ("reject", "不予支持")], validators=[DataRequired("请选择。")])
    note = TextAreaField("审批意见", validators=TEXT)
    confirm = confirm_field("我已核对企业分类和资金池余额，确认审批结果")


class DisburseForm(FlaskForm):
    on = DateField("放款日期", validators=[DataRequired("请填写日期。")])
    confirm = confirm_field("确认已放款（到期日按使用期限计算）")


class RepayForm(FlaskForm):
    amount = DecimalField("归还金额（元）", places=2, validators=MONEY)
    on = DateField("归还日期", validators=[DataRequired("请填写日期。")])


class ListedForm(FlaskForm):
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写。"), Length(18, 18, "应为 18 位。")])
    stock_code = StringField("证券代码", validators=[DataRequired("请填写。"), Length(max=20)])


class CheckForm(FlaskForm):
    company = SelectField("上市公司", choices=[], validators=[DataRequired("请选择。")])
    year = IntegerField("年度", validators=[DataRequired("请填写。"), NumberRange(1990, 2100)])
    quarter = SelectField("季度", choices=[("1", "一季度"), ("2", "二季度"), ("3", "三季度"), ("4", "四季度")])
    pledge_ratio = DecimalField("控股股东股权质押比例（%）", places=2, validators=[InputRequired("请填写。"), NumberRange(0, 100)])
    bonds_outstanding = DecimalField("存续债券余额（元）", places=2, validators=MONEY)
    bonds_due_year = DecimalField("一年内到期债券（元）", places=2, validators=MONEY)
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class ReviewForm(FlaskForm):
    year = IntegerField("年度", validators=[DataRequired("请填写。"), NumberRange(1990, 2100)])
    half = SelectField("半年", choices=[("1", "上半年"), ("2", "下半年")])
    held_on = DateField("研判日期", validators=[DataRequired("请填写日期。")])
    participants = TextAreaField("参加部门", validators=TEXT, default="金融监管、人行、税务、社保、网信、电力")
    findings = TextAreaField("研判结论", validators=TEXT)
    prompts = TextAreaField("风险提示（每行：统一社会信用代码 提示内容）", validators=[Optional(), Length(max=5000)],
                            description="每条提示交企业所在县（市、区）政府提前制定风险预案。")
    deadline = DateField("预案完成时限", validators=[Optional()])


class EvasionForm(FlaskForm):
    credit_code = StringField("企业统一社会信用代码", validators=[Optional(), Length(18, 18, "应为 18 位。")])
    person_name = StringField("个人姓名（失信个人）", validators=[Optional(), Length(max=50)])
    id_number = StringField("身份证号（仅保存密文和掩码）", validators=[Optional(), Length(18, 18, "应为 18 位。")])
    found_on = DateField("认定日期", validators=[DataRequired("请填写日期。")])
    bank = SelectField("债权银行", choices=[("", "—")], validators=[Optional()])
    basis = TextAreaField("认定依据", validators=TEXT)
    confirm = confirm_field("我已核对认定材料，确认列入恶意逃废银行债务黑名单（联合惩戒）")


class LiftForm(FlaskForm):
    on = DateField("移出日期", validators=[DataRequired("请填写日期。")])
    reason = TextAreaField("移出理由", validators=TEXT)
    confirm = confirm_field("确认移出黑名单")


class BlacklistFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或姓名"})
    state = SelectField("状态", choices=[("", "全部"), ("active", "在册"), ("lifted", "已移出")], validators=[Optional()])
