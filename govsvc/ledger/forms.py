from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from govsvc.ledger.workflow import PRIORITY_LABELS, STATUS_LABELS


class MatterFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "标题、内容或来源"})
    status = SelectField("状态", choices=[("", "全部")] + list(STATUS_LABELS.items()), validators=[Optional()])
    # Choices are set per request (modules register themselves when imported).
    module = SelectField("类别", choices=[("", "全部")], validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class MatterForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=200)])
    description = TextAreaField("内容", validators=[Optional(), Length(max=20000)])
    source = StringField("来源", validators=[Optional(), Length(max=100)])
    unit_code = StringField("承办单位代码", validators=[Optional(), Length(max=32)])
    deadline = DateField("办理期限", validators=[Optional()], description="逾期未办结的事项将被标红。")
    priority = SelectField("优先级", choices=list(PRIORITY_LABELS.items()), default="normal")


class MoveForm(FlaskForm):
    target = SelectField("变更为", validators=[DataRequired("请选择新状态。")], validate_choice=False)
    unit_code = StringField("承办单位代码", validators=[Optional(), Length(max=32)],
                            description="交办时填写；留空则保持原承办单位。")
    deadline = DateField("办理期限", validators=[Optional()])
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)],
                         description="退回、办结、反馈时必须填写。")


class SuperviseForm(FlaskForm):
    note = TextAreaField("督办意见", validators=[DataRequired("请填写督办意见。"), Length(max=5000)])
    deadline = DateField("新的办理期限", validators=[Optional()], description="留空则保持原期限。")
