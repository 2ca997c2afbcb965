"""Forms of the integrity module (WTForms; GET forms carry no CSRF token)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from govsvc.integrity.files import PURPOSES
from govsvc.integrity.models import CERTIFICATE_STATUSES, CLUE_CHANNELS, FILED_BY, STAFF_CHANNELS, VERIFICATIONS
from govsvc.integrity.records import RECORD_STATES
from govsvc.ledger.workflow import STATUS_LABELS
from scoring.integrity import ALL_DECISIONS, DECISIONS


class GetForm(FlaskForm):
    class Meta:
        csrf = False


def attach_errors(form, errors: dict[str, str], aliases: dict[str, str] | None = None) -> None:
    """Put a service's {field: message} errors beside their fields (a service name may differ
    from the form's: `aliases`); a message for no field of this form goes to the first one."""
    for name, message in errors.items():
        name = (aliases or {}).get(name, name)
        field = form[name] if name in form else next(iter(form))
        field.errors = list(field.errors) + [message]


def _all(choices) -> list[tuple[str, str]]:
    return [("", "全部")] + list(choices.items() if isinstance(choices, dict) else choices)


# -- clues ---------------------------------------------------------------------------------------
class ClueFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "标题、内容、被反映人或企业"})
    channel = SelectField("来源", choices=_all(CLUE_CHANNELS), validators=[Optional()])
    status = SelectField("状态", choices=_all(STATUS_LABELS), validators=[Optional()])
    enterprise = SelectField("涉企", choices=[("", "全部"), ("1", "涉企线索"), ("0", "非涉企")], validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class LedgerFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "标题或内容"})
    status = SelectField("状态", choices=_all(STATUS_LABELS), validators=[Optional()])
    overdue = SelectField("逾期", choices=[("", "全部"), ("1", "仅看逾期")], validators=[Optional()])


class ClueIntakeForm(FlaskForm):
    channel = SelectField("线索来源", choices=[(c, CLUE_CHANNELS[c]) for c in STAFF_CHANNELS])
    received_on = DateField("收到日期", validators=[Optional()], description="留空为今天；办理期限自该日起算。")
    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=200)])
    description = TextAreaField("反映内容", validators=[DataRequired("请填写反映内容。"), Length(max=20000)])
    unit_code = StringField("被反映单位代码", validators=[Optional(), Length(max=32)],
                            description="如 SCJ、SCJ-ZD；该单位的纪检监察力量负责办理。")
    enterprise_related = BooleanField("涉企问题线索（优先办理）", default=True)
    enterprise_name = StringField("涉及企业", validators=[Optional(), Length(max=200)])
    accused = StringField("被反映人", validators=[Optional(), Length(max=200)], description="姓名、职务（如知道）。")
    complainant_name = StringField("反映人", validators=[Optional(), Length(max=50)], description="可匿名。")
    complainant_contact = StringField("联系方式", validators=[Optional(), Length(max=100)])
    tracking = BooleanField("生成查询码告知反映人", description="反映人可凭查询码在“网上投诉”页面查询办理进度和答复。")


class ClueActionForm(FlaskForm):
    target = SelectField("办理操作", validators=[DataRequired("请选择办理操作。")], validate_choice=False)
    verification = SelectField("核实结论", choices=[("", "（办结时必选）")] + list(VERIFICATIONS.items()),
                               validators=[Optional()])
    unit_code = StringField("承办单位代码", validators=[Optional(), Length(max=32)],
                            description="交办时可改；留空则为被反映单位。")
    deadline = DateField("办理期限", validators=[Optional()])
    rectify_by = DateField("责令整改期限", validators=[Optional()],
                           description="办结时填写，则在整改台账中生成整改事项。")
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)],
                         description="办结时写核查结论；反馈时写答复反映人的内容（网上投诉者可凭查询码看到）。")


class SuperviseForm(FlaskForm):
    deadline = DateField("督办期限", validators=[DataRequired("请填写督办期限。")])
    note = TextAreaField("督办要求", validators=[DataRequired("请写明督办要求。"), Length(max=5000)])


# -- persons and files ---------------------------------------------------------------------------
class PersonSearchForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "姓名、职务或单位"})
    unit = SelectField("单位", validators=[Optional()], validate_choice=False)


class IdLookupForm(FlaskForm):
    id_number = PasswordField("按身份证号查找", validators=[DataRequired("请输入身份证号。"), Length(max=40)],
                              description="号码只用于本次查找，不保存、不显示。",
                              render_kw={"autocomplete": "off", "inputmode": "text"})


class PurposeForm(FlaskForm):
    purpose = SelectField("查阅目的", choices=[(p, p) for p in PURPOSES])
    detail = StringField("具体说明", validators=[Optional(), Length(max=200)],
                         description="如线索编号、考察事项；选择“其他”时必填。")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.purpose.data == "其他" and not (self.detail.data or "").strip():
            self.detail.errors.append("选择“其他”时请写明查阅目的。")
            return False
        return ok

    @property
    def text(self) -> str:
        detail = (self.detail.data or "").strip()
        return f"{self.purpose.data}：{detail}" if detail else self.purpose.data


class RecordFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "姓名、单位、事实或文号"})
    decision = SelectField("处理决定", choices=_all(ALL_DECISIONS), validators=[Optional()])
    state = SelectField("状态", choices=_all(RECORD_STATES), validators=[Optional()])


class RecordForm(FlaskForm):
    decision = SelectField("处理决定", choices=list(DECISIONS.items()))
    decision_date = DateField("决定日期", validators=[DataRequired("请填写决定日期（格式 2026-01-31）。")],
                              description="限制措施自该日起三年（至三周年前一日）。")
    decision_number = StringField("决定文号", validators=[Optional(), Length(max=100)])
    decision_body = StringField("决定机关", validators=[Optional(), Length(max=100)])
    facts = TextAreaField("问题事实", validators=[DataRequired("请填写问题事实。"), Length(max=20000)],
                          description="在服务企业中存在的不正之风或腐败问题。")
    unit_code = StringField("时任单位代码", validators=[DataRequired("请填写时任单位代码。"), Length(max=32)])
    post = StringField("时任职务", validators=[Optional(), Length(max=100)])
    filed_by = SelectField("填报单位", choices=list(FILED_BY.items()))
    clue_number = IntegerField("来源线索编号", validators=[Optional(), NumberRange(1, 10**9, "请填写线索编号（数字）。")])
    rectification_deadline = DateField("整改期限", validators=[Optional()])


class RecordCorrectionForm(RecordForm):
    reason = TextAreaField("更正理由", validators=[DataRequired("请说明更正理由。"), Length(max=2000)],
                           description="原内容保留在修改记录中。")


def for_admonishment(form: RecordForm) -> RecordForm:
    """The same form for an admonishment (诫勉谈话): its own wording, the deadline required."""
    form.decision.choices = [("admonishment", ALL_DECISIONS["admonishment"])]
    form.decision.label.text = "处理方式"
    form.decision_date.label.text = "谈话日期"
    form.decision_date.description = "诫勉谈话不产生三年限制措施。"
    form.decision_body.label.text = "谈话人（单位）"
    form.facts.label.text = "不当行为"
    form.rectification_deadline.flags.required = True
    form.rectification_deadline.description = "整改事项进入整改台账，逾期标红。"
    return form


def for_stain(form: RecordForm) -> RecordForm:
    """A 污点 record has no rectification deadline: leave the field out of the form."""
    del form.rectification_deadline
    return form


class RevokeForm(FlaskForm):
    revoked_on = DateField("撤销日期", validators=[DataRequired("请填写撤销日期。")])
    reason = TextAreaField("撤销理由", validators=[DataRequired("请说明撤销理由。"), Length(max=2000)],
                           description="如撤销处分的决定及文号。记录不会删除，撤销后不再产生限制。")


class RestrictionQueryForm(GetForm):
    on = DateField("查询日期", validators=[Optional()])


class CertificateForm(FlaskForm):
    requested_by = StringField("申请单位", validators=[DataRequired("请填写申请单位。"), Length(max=200)],
                               description="如 市委组织部。")
    purpose = StringField("用途", validators=[DataRequired("请填写用途。"), Length(max=200)],
                          description="如 拟提拔考察、评先评优。")


class CertificateFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "编号、姓名、单位或申请单位"})
    status = SelectField("状态", choices=_all(CERTIFICATE_STATUSES), validators=[Optional()])


class CoverageForm(FlaskForm):
    anchor_code = StringField("纪检账号所在单位代码", validators=[DataRequired("请填写单位代码。"), Length(max=32)])
    unit_code = StringField("联系（监督）单位代码", validators=[DataRequired("请填写单位代码。"), Length(max=32)])


# -- public --------------------------------------------------------------------------------------
class ComplaintForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=200)])
    description = TextAreaField("反映内容", validators=[DataRequired("请填写反映内容。"), Length(max=20000)],
                                description="请写明时间、地点、人员和事情经过。")
    unit = SelectField("被反映单位", validators=[Optional()], validate_choice=False)
    enterprise_related = BooleanField("涉及企业（侵害企业合法权益、影响营商环境）", default=True)
    enterprise_name = StringField("企业名称", validators=[Optional(), Length(max=200)])
    accused = StringField("被反映人", validators=[Optional(), Length(max=200)], description="姓名、职务（如知道）。")
    complainant_name = StringField("您的姓名", validators=[Optional(), Length(max=50)], description="可匿名。")
    complainant_contact = StringField("联系电话", validators=[Optional(), Length(max=100)],
                                      description="便于核实和答复；仅纪检监察机关可见。")


class TrackForm(FlaskForm):
    code = StringField("查询码", validators=[DataRequired("请输入查询码。"), Length(max=80)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})


class VerifyForm(FlaskForm):
    number = StringField("证书编号", validators=[DataRequired("请输入证书编号。"), Length(max=40)],
                         render_kw={"placeholder": "廉鉴〔2026〕0001号"})
    code = StringField("验证码", validators=[DataRequired("请输入验证码。"), Length(max=60)],
                       render_kw={"autocomplete": "off", "spellcheck": "false", "placeholder": "XXXX-XXXX-XXXX-XXXX-XXXX"})
    name = StringField("证书上的姓名（可选）", validators=[Optional(), Length(max=50)],
                       description="填写后核对与证书记载是否一致。")
    stain_count = IntegerField("证书所列“污点”记录条数（可选）",
                               validators=[Optional(), NumberRange(0, 999, "请填写 0–999 的整数。")])


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token."""


# -- 调离 (organisation department) ----------------------------------------------------------------
class TransferFilterForm(GetForm):
    show = SelectField("情况", choices=[("", "全部"), ("pending", "尚未调离"), ("overdue", "逾期未调离"),
                                      ("done", "已调离")], validators=[Optional()])


class TransferConfirmForm(FlaskForm):
    transferred_on = DateField("调离日期", validators=[DataRequired("请填写调离日期（格式 2026-01-31）。")],
                               description="调离所在系统或涉企执法、管理、服务岗位的日期。")
    new_post = StringField("新任职务", validators=[Optional(), Length(max=100)],
                           description="可不填。")


class AppraisalForm(GetForm):
    unit = SelectField("单位", choices=[], validators=[Optional()])
    start = DateField("起始日期", validators=[Optional()])
    end = DateField("截止日期", validators=[Optional()])


# -- typical cases (典型问题公开曝光) -----------------------------------------------------------------
class CaseForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("请填写标题。"), Length(max=200)])
    text = TextAreaField("曝光文稿", validators=[DataRequired("请填写曝光文稿。"), Length(max=5000)],
                         description="不得出现当事人姓名和身份证号；请一并删去企业名称等可识别当事人的其他信息。")


class CaseWithdrawForm(FlaskForm):
    reason = TextAreaField("撤回理由", validators=[DataRequired("请说明撤回理由。"), Length(max=2000)])


class CaseFilterForm(GetForm):
    status = SelectField("状态", choices=[("", "全部"), ("draft", "待审核"), ("published", "已公开"),
                                        ("withdrawn", "已撤回")], validators=[Optional()])
