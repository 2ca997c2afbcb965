from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (DateField, DecimalField, FieldList, FormField, HiddenField, IntegerField, RadioField, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from govsvc.grading.models import ROUND_STATUS_LABELS
from scoring.grading import GRADES, OUTCOME_LABELS, SCOPE_INDUSTRIES


class GetForm(FlaskForm):
    class Meta:
        csrf = False


GRADE_CHOICES = [("", "全部")] + [(g, f"{g}类") for g in GRADES]
FILE_VALIDATORS = [FileRequired("请选择要上传的文件。"), FileAllowed(["csv", "xlsx"], "只支持 CSV 或 XLSX 文件。")]
COUNT = [Optional(), NumberRange(1, 1000, "应为 1–1000 的整数。")]


# -- rounds ---------------------------------------------------------------------------------------
class RoundFilterForm(GetForm):
    q = StringField("年度", validators=[Optional()], render_kw={"placeholder": "如 2026"})
    status = SelectField("状态", choices=[("", "全部")] + list(ROUND_STATUS_LABELS.items()), validators=[Optional()])


class RoundForm(FlaskForm):
    year = IntegerField("评级年度", validators=[DataRequired("请填写评级年度。"), NumberRange(1994, 2100, "年度应在 1994–2100 之间。")],
                        description="评级年度 Y 依据 Y−3 至 Y−1 三个年度的执法检查记录（如 2026 年度依据 2023–2025 年）。")
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class UnitRuleForm(FlaskForm):
    class Meta:
        csrf = False

    code = HiddenField()
    c_serious = IntegerField("严重违法≥", validators=COUNT)
    c_minor = IntegerField("一般违法≥", validators=COUNT)
    b_minor = IntegerField("B类一般违法≥", validators=COUNT)
    serious_fine = DecimalField("罚款≥（元）", places=2, validators=[Optional(), NumberRange(0.01, 10**12, "应为正数。")])


class RulesForm(FlaskForm):
    c_serious = IntegerField("严重违法达到（次）评C类", validators=[DataRequired("请填写。"), NumberRange(1, 1000)], default=1)
    c_minor = IntegerField("一般违法达到（次）评C类", validators=[DataRequired("请填写。"), NumberRange(1, 1000)], default=3)
    b_minor = IntegerField("一般违法达到（次）评B类", validators=[DataRequired("请填写。"), NumberRange(1, 1000)], default=1,
                           description="有严重违法但未达C类标准的也评B类；其余评A类。")
    serious_fine = DecimalField("单笔罚款达到（元）按严重违法计", places=2,
                                validators=[Optional(), NumberRange(0.01, 10**12, "应为正数。")],
                                description="留空表示不按罚款金额认定严重违法。")
    c_when_b_units = IntegerField("被几个及以上单位评B类即综合评定为C类", default=0,
                                  validators=[Optional(), NumberRange(0, 100, "应为 0–100 的整数。")],
                                  description="0 表示不启用：综合评定取各单位评级中最差者。")
    no_history = SelectField("评价期内没有任何执法检查记录的企业", default="A", choices=[
        ("A", "评为A类（没有违法记录即为A类）"), ("B", "评为B类（尚无执法记录可评，参照纳税信用对新设企业的M级）")])
    units = FieldList(FormField(UnitRuleForm))
    a_scope = SelectField("A类企业免检的范围", choices=[("city", "市级执法部门的双随机抽查（方案原文：在市级“双随机一公开”检查中）"),
                                                   ("all", "市、区县两级执法部门的双随机抽查")], default="city")
    c_weight = IntegerField("C类企业在双随机抽取中的权重（倍）", default=3,
                            validators=[Optional(), NumberRange(1, 10, "应为 1–10 的整数。")],
                            description="C类企业实施严格执法检查：始终在抽取范围内，抽中机会为其他企业的若干倍（留空为 3）。")


# -- units and lists ------------------------------------------------------------------------------
class UnitListForm(FlaskForm):
    file = FileField("本单位评级名单（CSV 或 XLSX）", validators=FILE_VALIDATORS)
    mode = RadioField("方式", default="all", choices=[("check", "只校验，不提交"), ("all", "校验通过后提交（有错误行则不提交）")])


class SubmitRuleForm(FlaskForm):
    pass


class RecordImportForm(FlaskForm):
    file = FileField("执法检查记录（CSV 或 XLSX）", validators=FILE_VALIDATORS)
    mode = RadioField("导入方式", default="all", choices=[
        ("check", "只校验，不导入"),
        ("all", "全部正确才导入（有错误行则不导入任何数据）"),
        ("valid", "只导入正确的行，跳过错误行"),
    ])


# -- results --------------------------------------------------------------------------------------
class ResultFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称或信用代码"})
    grade = SelectField("评级", choices=GRADE_CHOICES, validators=[Optional()])
    district = SelectField("区县", validators=[Optional()], validate_choice=False)
    industry = SelectField("行业", choices=[("", "全部")] + [(i, i) for i in SCOPE_INDUSTRIES], validators=[Optional()])
    changed = SelectField("调整", choices=[("", "全部"), ("1", "仅看经调整的")], validators=[Optional()])


class AdjustForm(FlaskForm):
    grade = SelectField("调整为", choices=[(g, f"{g}类") for g in GRADES], validators=[DataRequired()])
    reason = TextAreaField("调整理由", validators=[Optional(), Length(max=2000)],
                           description="必须写明理由；理由与调整人记入审计日志。")


class NoteForm(FlaskForm):
    note = TextAreaField("退回理由", validators=[Optional(), Length(max=2000)])


class ProposalForm(FlaskForm):
    decision = RadioField("处理", choices=[("accept", "同意降级"), ("reject", "不予降级")], validators=[DataRequired("请选择。")])
    note = TextAreaField("处理意见", validators=[Optional(), Length(max=2000)])


# -- records --------------------------------------------------------------------------------------
class RecordFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或文号"})
    unit = SelectField("单位", validators=[Optional()], validate_choice=False)
    outcome = SelectField("结果", choices=[("", "全部")] + list(OUTCOME_LABELS.items()), validators=[Optional()])
    year = IntegerField("年度", validators=[Optional(), NumberRange(1990, 2100, "年度应在 1990–2100 之间。")])


# -- objections and complaints --------------------------------------------------------------------
class ObjectionForm(FlaskForm):
    unit = SelectField("异议针对", validators=[Optional()], validate_choice=False)
    text = TextAreaField("异议内容", validators=[DataRequired("请填写异议内容。"), Length(max=5000)],
                         description="请写明认为评级有误的理由，可列明相关处罚决定书文号。")


class AnswerForm(FlaskForm):
    decision = RadioField("结论", choices=[("upheld", "异议成立"), ("rejected", "异议不成立")],
                          validators=[DataRequired("请选择结论。")])
    new_grade = SelectField("改正为", choices=[("", "不改变评级")] + [(g, f"{g}类") for g in GRADES],
                            validators=[Optional()], description="异议成立时可改正评级，改正记入审计日志。")
    answer = TextAreaField("答复意见", validators=[Optional(), Length(max=5000)], description="答复将反馈给企业。")


class ComplaintForm(FlaskForm):
    unit = SelectField("被投诉单位", validators=[DataRequired("请选择被投诉单位。")], validate_choice=False)
    inspection_date = DateField("检查日期", validators=[Optional()])
    text = TextAreaField("投诉内容", validators=[DataRequired("请填写投诉内容。"), Length(max=5000)],
                         description="请写明检查经过，以及为何认为违反了免检免扰规定。")


class VerifyForm(FlaskForm):
    finding = RadioField("核实结论", choices=[("upheld", "投诉属实"), ("not_upheld", "投诉不属实")],
                         validators=[DataRequired("请选择核实结论。")])
    text = TextAreaField("核实情况", validators=[Optional(), Length(max=5000)], description="将反馈给投诉企业。")


class CircularForm(FlaskForm):
    text = TextAreaField("通报内容", validators=[Optional(), Length(max=5000)])


class ReferForm(FlaskForm):
    note = TextAreaField("移交说明", validators=[Optional(), Length(max=5000)],
                         description="移交后作为问题线索由市纪委市监委办理，司法局不再查看。")


class SearchForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "单位或内容"})


class MatterFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业、单位或内容"})
    state = SelectField("状态", validators=[Optional()], validate_choice=False)


# -- public ---------------------------------------------------------------------------------------
class PublicFilterForm(GetForm):
    year = SelectField("年度", validators=[Optional()], validate_choice=False)
    q = StringField("企业名称或统一社会信用代码", validators=[Optional(), Length(max=200)],
                    render_kw={"placeholder": "输入名称或信用代码查询"})
    grade = SelectField("评级", choices=GRADE_CHOICES, validators=[Optional()])
    district = SelectField("区县", validators=[Optional()], validate_choice=False)
    industry = SelectField("行业", choices=[("", "全部")] + [(i, i) for i in SCOPE_INDUSTRIES], validators=[Optional()])



class ContactForm(FlaskForm):
    """A member unit's report to the joint meeting (checked again in grading.contacts.clean)."""
    leader_name = StringField("分管领导姓名", validators=[Optional(), Length(max=50)])
    leader_post = StringField("分管领导职务", validators=[Optional(), Length(max=100)], render_kw={"placeholder": "如 副局长"})
    leader_phone = StringField("分管领导电话", validators=[Optional(), Length(max=30)])
    liaison_name = StringField("工作联络员姓名", validators=[Optional(), Length(max=50)])
    liaison_post = StringField("联络员职务（科室）", validators=[Optional(), Length(max=100)])
    liaison_phone = StringField("联络员电话", validators=[Optional(), Length(max=30)],
                                render_kw={"placeholder": "如 0533-1234567 或 13800000000"})
