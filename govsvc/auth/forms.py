from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from govsvc.auth.roles import ROLE_LABELS


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=64)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("密码", validators=[DataRequired("请输入密码。"), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码。")],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码。")],
                        render_kw={"autocomplete": "new-password"},
                        description="至少 8 个字符；不能是常见密码，不能包含用户名。")
    confirm = PasswordField("确认新密码", validators=[EqualTo("new", "两次输入的新密码不一致。")],
                            render_kw={"autocomplete": "new-password"})


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=64)])
    display_name = StringField("姓名/显示名", validators=[Optional(), Length(max=100)])
    roles = MultiCheckboxField("角色", choices=list(ROLE_LABELS.items()),
                               validators=[DataRequired("至少选择一个角色。")])
    unit_code = StringField("所属单位代码", validators=[Optional(), Length(max=32)],
                            description="部门（单位）账号必填；单位纪检账号填其单位，市纪委监委账号留空。")
    credit_code = StringField("关联企业统一社会信用代码", validators=[Optional(), Length(max=18)],
                              description="评议企业负责人账号必填。")
    password = PasswordField("初始密码", validators=[Optional()], render_kw={"autocomplete": "new-password"},
                             description="新建账号必填；编辑时留空表示不修改。")
    active = BooleanField("启用", default=True)


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("搜索", validators=[Optional()])
    role = SelectField("角色", choices=[("", "全部角色")] + list(ROLE_LABELS.items()), validators=[Optional()])
    active = SelectField("状态", choices=[("", "全部"), ("1", "启用"), ("0", "停用")], validators=[Optional()])
