from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from govsvc.inspections.forms import DateField
from govsvc.portal.models import BURDEN_LABELS, RATING_LABELS


class CreditCodeForm(FlaskForm):
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"), Length(max=18)],
                              render_kw={"autocomplete": "off", "class": "mono"})


class OpenAccountForm(FlaskForm):
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"), Length(max=18)],
                              render_kw={"autocomplete": "off", "class": "mono"})
    code = StringField("验证码", validators=[DataRequired("请填写验证码。"), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "class": "mono"})
    username = StringField("用户名", validators=[Optional(), Length(max=64)],
                           description="字母、数字、“-”“_”“.”；企业已开通账号的，沿用原用户名、只重设密码。")
    password = PasswordField("密码", validators=[DataRequired("请设置密码。"), Length(max=200)],
                             description="至少 8 个字符，不能过于常见。")
    password2 = PasswordField("再次输入密码", validators=[DataRequired("请再次输入密码。"), Length(max=200)])


class ScanForm(FlaskForm):
    code = StringField("检查码", validators=[DataRequired("请填写检查通知书上的检查码。"), Length(max=60)],
                       render_kw={"autocomplete": "off", "class": "mono", "placeholder": "如 ABCD-EFGH-…"})


class ConfirmVisitForm(FlaskForm):
    visit_date = DateField("检查日期", validators=[Optional()])
    confirm = BooleanField("我确认上述执法人员已到本企业实施这次检查")


class UnfiledVisitForm(FlaskForm):
    unit = SelectField("检查单位", validators=[Optional()], validate_choice=False)
    visit_date = DateField("检查日期", validators=[Optional()])
    inspectors = StringField("执法人员", validators=[Optional(), Length(max=300)],
                             description="姓名或执法证号，多人以顿号分隔。")
    description = TextAreaField("检查情况", validators=[Optional(), Length(max=5000)],
                                description="检查内容、是否出示检查通知书、要求提供的材料等。")
    confirm = BooleanField("我确认以上情况属实，报告市司法局核查")


class RatingForm(FlaskForm):
    conduct = RadioField("执法作风", choices=[(str(k), f"{k} {v}") for k, v in RATING_LABELS.items()],
                         validate_choice=False)
    burden = RadioField("对企业的负担", choices=[(str(k), f"{k} {v}") for k, v in BURDEN_LABELS.items()],
                        validate_choice=False)
    comment = TextAreaField("意见建议", validators=[Optional(), Length(max=2000)],
                            description="匿名反馈给被评价单位（不显示企业名称）。")
    confirm = BooleanField("提交后不能修改，确认提交评价")


class LettersForm(FlaskForm):
    district = SelectField("区县", validators=[Optional()], validate_choice=False)
    only_new = BooleanField("只为尚未开通账号的企业打印", default=True)
    confirm = BooleanField("我确认打印开通函：激活码只显示这一次，旧的未用开通函仍然有效")


class NoticeForm(FlaskForm):
    enterprise = SelectField("被检查企业", validate_choice=False)


class RescanForm(FlaskForm):
    pass
