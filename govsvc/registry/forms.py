from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from govsvc.imports import KINDS
from govsvc.registry.models import INDUSTRIES, STATUSES


class GetForm(FlaskForm):
    """Search and filter forms are GET forms: no CSRF token, values come from the query string."""

    class Meta:
        csrf = False


def _choices(values, blank="全部"):
    return [("", blank)] + [(v, v) for v in values]


class EnterpriseFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "名称、信用代码或负责人"})
    district = SelectField("区县", validators=[Optional()], validate_choice=False)
    industry = SelectField("行业", choices=_choices(INDUSTRIES), validators=[Optional()])
    status = SelectField("状态", choices=_choices(STATUSES), validators=[Optional()])
    above_scale = SelectField("规模以上", choices=[("", "全部"), ("1", "是"), ("0", "否")], validators=[Optional()])


class UnitFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "单位名称或代码"})
    level = SelectField("层级", choices=[("", "全部"), ("city", "市级"), ("county", "区县级")], validators=[Optional()])
    survey_category = SelectField("评议类别", choices=[("", "全部"), ("enforcement", "执法和综合管理类"),
                                                    ("service", "服务类"), ("none", "不参加评议")],
                                  validators=[Optional()])
    flag = SelectField("标记", choices=[("", "全部"), ("enforcement", "执法单位"), ("grading", "参与评级")],
                       validators=[Optional()])


class PersonFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "姓名、单位或职务"})


class TaxFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称或信用代码"})
    year = IntegerField("年度", validators=[Optional(), NumberRange(1990, 2100, "年度应在 1990–2100 之间。")])


class TopForm(GetForm):
    year = IntegerField("名单年度", validators=[Optional(), NumberRange(1991, 2100, "年度应在 1991–2100 之间。")],
                        description="按上一年度地方留成税收排名。")
    n = IntegerField("名额", default=200, validators=[Optional(), NumberRange(1, 5000, "名额应在 1–5000 之间。")])


class ImportForm(FlaskForm):
    kind = SelectField("数据类型", validators=[Optional()])
    file = FileField("文件（CSV 或 XLSX）", validators=[
        FileRequired("请选择要导入的文件。"), FileAllowed(["csv", "xlsx"], "只支持 CSV 或 XLSX 文件。")])
    mode = RadioField("导入方式", default="all", choices=[
        ("check", "只校验，不导入"),
        ("all", "全部正确才导入（有错误行则不导入任何数据）"),
        ("valid", "只导入正确的行，跳过错误行"),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(name, kind.label) for name, kind in KINDS.items()]
