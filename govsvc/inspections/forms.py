from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms import fields as wtf_fields
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from govsvc.inspections.models import (CATEGORIES, CONCLUSIONS, PENALTY_TYPES, PLAN_STATUS_LABELS, REPORT_KINDS)
from scoring import inspections as core


# Choice fields whose value the services check say validate_choice=False, so that a missing or
# forged value gets the service's Chinese message beside the field, not WTForms' English one.
class GetForm(FlaskForm):
    class Meta:
        csrf = False


def _choices(pairs, blank="全部"):
    return [("", blank)] + list(pairs)


PERIOD_CHOICES = list(core.PERIOD_LABELS.items())
BASIS_CHOICES = list(core.BASIS_LABELS.items())
CATEGORY_CHOICES = [(c, c) for c in CATEGORIES]
MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"


def _chinese(field_class, message: str):
    """A WTForms field whose unparsable input gets a Chinese message (WTForms' own is English)."""

    class Field(field_class):
        def process_formdata(self, valuelist):
            try:
                super().process_formdata(valuelist)
            except ValueError:
                raise ValueError(message) from None

    Field.__name__ = field_class.__name__
    return Field


DateField = _chinese(wtf_fields.DateField, "日期格式应为 YYYY-MM-DD。")
IntegerField = _chinese(wtf_fields.IntegerField, "请填写整数。")
DecimalField = _chinese(wtf_fields.DecimalField, "请填写数字，如 2000.00。")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# -- plans -------------------------------------------------------------------------------
class PlanFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "计划名称或单位"})
    year = IntegerField("年度", validators=[Optional(), NumberRange(1990, 2100, "年度应在 1990–2100 之间。")])
    period = SelectField("计划类型", choices=_choices(PERIOD_CHOICES), validators=[Optional()], validate_choice=False)
    status = SelectField("状态", choices=_choices(PLAN_STATUS_LABELS.items()), validators=[Optional()], validate_choice=False)
    flag = SelectField("标记", choices=[("", "全部"), ("overdue", "逾期未报")], validators=[Optional()], validate_choice=False)


class PlanForm(FlaskForm):
    period = SelectField("计划类型", choices=PERIOD_CHOICES, default=core.ANNUAL, validate_choice=False)
    year = IntegerField("年度", validators=[DataRequired("请填写年度。"), NumberRange(2000, 2100, "年度应在 2000–2100 之间。")])
    number = IntegerField("季度或月份", validators=[Optional(), NumberRange(1, 12, "季度为 1–4，月份为 1–12。")],
                          description="季度计划填 1–4，月度计划填 1–12；年度计划和临时计划不填。")
    title = StringField("计划名称", validators=[Optional(), Length(max=200)],
                        description="留空则按单位和期间自动命名。")
    reason = TextAreaField("特殊情况说明", validators=[Optional(), Length(max=5000)],
                           description="临时检查计划必须说明制定的特殊情况或上级要求。")


class ItemForm(FlaskForm):
    enterprise = StringField("被检查企业", validators=[Optional(), Length(max=300)],
                             render_kw={"list": "enterprise-options", "autocomplete": "off",
                                        "data-suggest": "enterprise", "placeholder": "统一社会信用代码或企业名称"},
                             description="输入信用代码或名称后从下拉建议中选择；双随机抽取任务留空。")
    draw_count = IntegerField("双随机抽取家数", validators=[Optional(), NumberRange(1, 1000, "抽取家数应在 1–1000 之间。")],
                              description="不指定企业、由双随机抽取时填写。")
    category = SelectField("检查类别", choices=_choices(CATEGORY_CHOICES, "请选择"), validate_choice=False)
    basis = SelectField("检查依据", choices=_choices(BASIS_CHOICES, "请选择"), validate_choice=False)
    ground = StringField("依据说明", validators=[Optional(), Length(max=200)],
                         description="投诉举报须填投诉编号；环保、安全生产、法定检查须注明法律法规条款。")
    planned_date = DateField("计划检查日期", validators=[Optional()])
    planned_end = DateField("计划结束日期", validators=[Optional()])
    note = StringField("备注", validators=[Optional(), Length(max=500)])
    carries_out = SelectField("落实年度计划事项", validators=[Optional()], validate_choice=False,
                              description="本事项是年度计划中某一事项的具体安排时选择它：同一次检查只占一次B类企业年度检查次数。")


class ImportItemsForm(FlaskForm):
    file = FileField("文件（CSV 或 XLSX）", validators=[
        FileRequired("请选择要导入的文件。"), FileAllowed(["csv", "xlsx"], "只支持 CSV 或 XLSX 文件。")])
    mode = RadioField("导入方式", default="all", validate_choice=False, choices=[
        ("check", "只校验，不导入"), ("all", "全部正确才导入"), ("valid", "只导入正确的行，跳过错误行")])


class ReasonForm(FlaskForm):
    reason = TextAreaField("理由", validators=[DataRequired("请填写理由。"), Length(max=5000)])


class ConfirmForm(FlaskForm):
    """A button-only form (CSRF token)."""


class FilingForm(FlaskForm):
    plans = MultiCheckboxField("报备的计划", coerce=int, validate_choice=False,
                               description="一次报备只能包含同一期间的计划。")


class ReviewForm(FlaskForm):
    decision = RadioField("审核意见", choices=[("accept", "予以备案（不予备案的事项不得实施检查）"),
                                           ("return", "退回修改")], default=None, validate_choice=False,
                          description="请选择一项：没有预选的意见，由审核人选择。")
    reason = TextAreaField("意见或退回理由", validators=[Optional(), Length(max=5000)],
                           description="退回时必须填写理由。")


class FilingFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "单位名称或代码"})
    status = SelectField("状态", choices=[("", "全部"), ("pending", "待审核"), ("accepted", "已备案"),
                                        ("returned", "已退回")], validators=[Optional()], validate_choice=False)


# -- draws -------------------------------------------------------------------------------
class DrawForm(FlaskForm):
    district = SelectField("区县范围", validators=[Optional()], validate_choice=False)
    industry = SelectField("行业范围", validators=[Optional()],
                           choices=_choices([(i, i) for i in ("工业", "服务业", "房地产开发", "建筑业", "其他")], "全部行业"))
    per_team = IntegerField("每组执法人员", default=2, validators=[DataRequired("请填写人数。"),
                                                            NumberRange(1, 10, "每组 1–10 人。")])
    max_load = IntegerField("每人最多参加的检查组数", validators=[Optional(), NumberRange(1, 100, "应为 1–100。")],
                            description="留空按人员库人数自动确定（保证抽取时能够遵守的最小上限）。")


class VerifyForm(GetForm):
    seed = StringField("种子", validators=[Optional(), Length(max=64)], render_kw={"class": "mono"})


class PublicDrawFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "单位或检查类别"})


# -- results -----------------------------------------------------------------------------
class ResultForm(FlaskForm):
    item = SelectField("计划事项", validators=[Optional()], validate_choice=False,
                       description="选择本单位已备案的计划事项；没有计划的检查将标记为“未备案检查”。")
    enterprise = StringField("被检查企业", validators=[Optional(), Length(max=300)],
                             render_kw={"list": "enterprise-options", "autocomplete": "off",
                                        "data-suggest": "enterprise", "placeholder": "统一社会信用代码或企业名称"})
    inspected_on = DateField("检查日期", validators=[Optional()])
    inspectors = StringField("执法人员", validators=[Optional(), Length(max=300)], description="多人以顿号分隔。")
    category = SelectField("检查类别", choices=_choices(CATEGORY_CHOICES, "（按计划事项）"), validators=[Optional()], validate_choice=False)
    basis = SelectField("检查依据", choices=_choices(BASIS_CHOICES, "（按计划事项）"), validators=[Optional()], validate_choice=False)
    conclusion = RadioField("检查结论", choices=list(CONCLUSIONS.items()), default="clear", validate_choice=False)
    decision_number = StringField("处罚决定书文号", validators=[Optional(), Length(max=100)])
    penalty_type = SelectField("处罚种类", choices=_choices([(p, p) for p in PENALTY_TYPES], "（无）"),
                               validators=[Optional()], validate_choice=False)
    fine = DecimalField("罚款金额（元）", places=2, validators=[Optional(), NumberRange(0, 10**13, "金额无效。")])
    note = StringField("备注", validators=[Optional(), Length(max=500)])


class ResultFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业、单位或文号"})
    month = StringField("月份", validators=[Optional(), Regexp(MONTH_RE, message="月份格式如 2026-10。")],
                        render_kw={"placeholder": "如 2026-10"})
    status = SelectField("状态", choices=[("", "全部"), ("draft", "待报备"), ("filed", "已报备")], validators=[Optional()], validate_choice=False)
    flag = SelectField("标记", choices=[("", "全部"), ("unfiled", "未备案检查"), ("penalty", "作出处罚")],
                       validators=[Optional()], validate_choice=False)


class ResultFilingForm(FlaskForm):
    month = SelectField("报备月份", validate_choice=False, validators=[DataRequired("请选择月份。")])


class FineFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业、单位或文号"})
    month = StringField("月份", validators=[Optional(), Regexp(MONTH_RE, message="月份格式如 2026-10。")],
                        render_kw={"placeholder": "如 2026-10"})


class ForwardForm(FlaskForm):
    month = StringField("月份", validators=[DataRequired(), Regexp(MONTH_RE, message="月份格式如 2026-10。")])


# -- circulars ---------------------------------------------------------------------------
class QuarterForm(GetForm):
    year = IntegerField("年度", validators=[Optional(), NumberRange(2000, 2100, "年度应在 2000–2100 之间。")])
    quarter = SelectField("季度", choices=[("1", "第一季度"), ("2", "第二季度"), ("3", "第三季度"), ("4", "第四季度")],
                          validators=[Optional()], validate_choice=False)


class IssueForm(FlaskForm):
    year = IntegerField("年度", validators=[DataRequired(), NumberRange(2000, 2100)])
    quarter = IntegerField("季度", validators=[DataRequired(), NumberRange(1, 4)])
    remarks = TextAreaField("通报意见", validators=[Optional(), Length(max=10000)],
                            description="对本季度情况的总体评价和要求，印发后与数据一并公布给各单位。")


# -- reports (举报) ------------------------------------------------------------------------
class ReportForm(FlaskForm):
    kind = SelectField("举报事项", choices=_choices(REPORT_KINDS.items(), "请选择"), validate_choice=False)
    unit = SelectField("被举报单位", validators=[Optional()], validate_choice=False)
    incident_date = DateField("发生日期", validators=[Optional()])
    description = TextAreaField("具体情况", validators=[DataRequired("请填写具体情况。"), Length(max=5000)],
                                description="请写明检查或处罚的时间、人员、经过和对企业的影响。")


# -- categories, recusals, plan changes (issue 12) -------------------------------------------------
class CategoriesForm(FlaskForm):
    categories = MultiCheckboxField("法定检查类别", choices=CATEGORY_CHOICES, validate_choice=False,
                                    description="不勾选任何类别表示不限制（区县单位沿用本系统市级部门的类别）。")
    basis = TextAreaField("职权依据", validators=[Optional(), Length(max=300)],
                          description="授予检查职权的法律法规，如《中华人民共和国食品安全法》第一百一十条。")
    confirm = wtf_fields.BooleanField("我已核对，确认以此替换该单位的法定检查类别")


class RecusalForm(FlaskForm):
    person = SelectField("执法人员", validate_choice=False)
    enterprise = StringField("回避的企业", validators=[Optional(), Length(max=300)],
                             render_kw={"list": "enterprise-options", "autocomplete": "off",
                                        "data-suggest": "enterprise", "placeholder": "统一社会信用代码或企业名称"})
    reason = StringField("回避事由", validators=[Optional(), Length(max=500)],
                         description="如近亲属在该企业任职、与该企业有利害关系。")


class ChangeOpenForm(FlaskForm):
    reason = TextAreaField("调整理由", validators=[DataRequired("请说明调整的理由。"), Length(max=5000)],
                           description="如根据上级要求增加专项检查、企业停产需改期。")


class ChangeLineForm(FlaskForm):
    op = SelectField("调整方式", choices=[("add", "增加事项"), ("cancel", "取消事项"), ("reschedule", "调整日期")],
                     validate_choice=False)
    item = SelectField("原计划事项", validators=[Optional()], validate_choice=False, description="取消或调整日期时选择。")
    enterprise = StringField("被检查企业", validators=[Optional(), Length(max=300)],
                             render_kw={"list": "enterprise-options", "autocomplete": "off",
                                        "data-suggest": "enterprise", "placeholder": "统一社会信用代码或企业名称"},
                             description="增加事项时填写。")
    category = SelectField("检查类别", choices=_choices(CATEGORY_CHOICES, "请选择"), validators=[Optional()],
                           validate_choice=False)
    basis = SelectField("检查依据", choices=_choices(BASIS_CHOICES, "请选择"), validators=[Optional()], validate_choice=False)
    ground = StringField("依据说明", validators=[Optional(), Length(max=200)])
    planned_date = DateField("计划检查日期", validators=[Optional()], description="增加事项或调整日期时填写。")
    note = StringField("备注", validators=[Optional(), Length(max=500)])


class ChangeReviewForm(FlaskForm):
    decision = RadioField("审核意见", choices=[("accept", "予以备案（调整内容生效）"), ("return", "退回")],
                          default=None, validate_choice=False, description="请选择一项：没有预选的意见，由审核人选择。")
    note = TextAreaField("意见或退回理由", validators=[Optional(), Length(max=5000)])
    confirm = wtf_fields.BooleanField("我已核对调整内容及审核结果，确认办理")


class ChangeFileForm(FlaskForm):
    confirm = wtf_fields.BooleanField("我已核对调整内容，确认报司法局备案（报备后不能再修改）")
