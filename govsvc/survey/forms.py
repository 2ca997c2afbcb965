"""Survey forms. The online ballot is built per campaign: one radio group per department (name
`d-<code>`, values satisfied/basic/dissatisfied/unknown) and one opinion box (`o-<code>`)."""
from __future__ import annotations

from functools import lru_cache

from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from govsvc.ledger.forms import MatterFilterForm
from govsvc.survey.ballots import MAX_OPINION
from govsvc.survey.models import CHANNEL_LABELS, STATUS_LABELS
from scoring import survey as core

RATING_CHOICES = [(core.RATING_WORDS[c], core.RATING_LABELS[c])
                  for c in (core.SATISFIED, core.BASIC, core.DISSATISFIED, core.UNKNOWN)]
CODE_OF_WORD = {word: code for code, word in core.RATING_WORDS.items()}
CATEGORY_CHOICES = [(c, core.CATEGORY_LABELS[c]) for c in core.CATEGORIES]


class GetForm(FlaskForm):
    class Meta:
        csrf = False


class CampaignFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "年度或名称"})
    status = SelectField("阶段", choices=[("", "全部")] + list(STATUS_LABELS.items()), validators=[Optional()])


class CampaignForm(FlaskForm):
    year = IntegerField("评议年度", validators=[InputRequired("请填写年度。"),
                                            NumberRange(2000, 2100, "年度应在 2000–2100 之间。")])
    title = StringField("名称", validators=[Optional(), Length(max=200)], description="留空则为“某年度企业评议部门（单位）工作”。")
    top_k = IntegerField("表扬名额 K", default=core.DEFAULT_TOP,
                         validators=[InputRequired("请填写表扬名额。"), NumberRange(1, 50, "表扬名额应在 1–50 之间。")],
                         description="每类排名前 K 位（并列者一并计入）给予表扬。")
    evaluator_quota = IntegerField("评议企业数", default=200,
                                   validators=[InputRequired("请填写评议企业数。"), NumberRange(1, 5000, "应在 1–5000 之间。")],
                                   description="按上一年度地方留成税收排名的前 N 家企业（集团合并排名）。")
    plan_date = DateField("制定方案", validators=[Optional()], description="默认 10 月中旬。")
    lists_due = DateField("确定“两个名单”", validators=[Optional()], description="默认 10 月底前。")
    mobilisation_date = DateField("动员部署", validators=[Optional()], description="默认 11 月底。")
    evaluation_date = DateField("组织评议", validators=[Optional()], description="默认 12 月中旬。")
    rectification_date = DateField("整改提升", validators=[Optional()], description="默认 12 月下旬。")

    DATE_FIELDS = ("plan_date", "lists_due", "mobilisation_date", "evaluation_date", "rectification_date")

    def dates(self) -> dict:
        return {name: self[name].data for name in self.DATE_FIELDS}


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class DepartmentFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "部门名称或代码"})
    category = SelectField("类别", choices=[("", "全部")] + CATEGORY_CHOICES, validators=[Optional()])


class DepartmentAddForm(FlaskForm):
    unit_code = StringField("单位代码", validators=[DataRequired("请填写单位代码。"), Length(max=32)])
    category = SelectField("评议类别", choices=CATEGORY_CHOICES)


class EvaluatorFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "企业名称、信用代码或负责人"})
    channel = SelectField("评议方式", choices=[("", "全部")] + list(CHANNEL_LABELS.items()), validators=[Optional()])
    voted = SelectField("网上评议", choices=[("", "全部"), ("1", "已提交"), ("0", "未提交")], validators=[Optional()])


class EvaluatorAddForm(FlaskForm):
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"), Length(max=18)])


class CodesForm(FlaskForm):
    # One sheet per form shown: reloading the printed sheet (which resubmits) prints nothing new.
    sheet = HiddenField()
    count = IntegerField("印制数量", default=10, validators=[
        InputRequired("请填写数量。"), NumberRange(1, 500, "每批印制 1–500 个投票码。")],
        description="投票码只在本次显示并打印一次，系统只保存其不可逆的密钥散列，无法再次显示。")


class PaperForm(FlaskForm):
    code = StringField("投票码", validators=[DataRequired("请填写评议表上的投票码。"), Length(max=60)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
    enforcement = StringField(core.CATEGORY_LABELS["enforcement"], validators=[Optional(), Length(max=200)],
                              render_kw={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"})
    service = StringField(core.CATEGORY_LABELS["service"], validators=[Optional(), Length(max=200)],
                          render_kw={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"})
    opinions = TextAreaField("征求意见表", validators=[Optional(), Length(max=20000)],
                             description="每行一条：部门代码、空格、意见内容，例如“SCJ 办事效率有待提高”。")
    confirm_invalid = BooleanField("已核对原始评议表：按废票录入无效的部分")


class OpinionFilterForm(GetForm):
    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "意见内容"})
    department = SelectField("部门", validators=[Optional()], validate_choice=False)


class RedactForm(FlaskForm):
    opinion_id = HiddenField(validators=[DataRequired()])
    phrase = StringField("要隐去的文字", validators=[DataRequired("请填写要隐去的文字。"), Length(max=200)],
                         description="例如企业名称、产品或只有写信人才知道的细节。部门只看到“［已隐去］”。")


class ReleaseForm(FlaskForm):
    deadline = DateField("整改期限", validators=[InputRequired("请填写整改期限。")])


class ReceiptForm(GetForm):
    receipt = StringField("回执码", validators=[Optional(), Length(max=60)],
                          render_kw={"autocomplete": "off", "placeholder": "XXXX-XXXX-…", "spellcheck": "false"})


class RectificationFilterForm(MatterFilterForm):
    module = None  # all of them are survey matters


class BallotFilterForm(GetForm):
    invalid = SelectField("选票", choices=[("", "全部"), ("1", "含无效部分的")], validators=[Optional()])


@lru_cache(maxsize=16)
def ballot_form_class(departments: tuple[tuple[str, str], ...]):
    """A form class for one campaign's ballot, from its (code, name) pairs in ballot order. Built
    once per distinct list (a class with 118 fields costs more to make than the page to render);
    the key is the list itself, so a changed list gets a new class."""

    class BallotForm(FlaskForm):
        pass

    for code, name in departments:
        setattr(BallotForm, f"d-{code}", RadioField(
            name, choices=RATING_CHOICES, validators=[Optional()], invalid_choice_message="评价无效，请重新选择。"))
        setattr(BallotForm, f"o-{code}", TextAreaField(
            f"对{name}的意见建议", validators=[Optional(), Length(max=MAX_OPINION, message=f"最多 {MAX_OPINION} 字。")]))
    return BallotForm


class InterviewForm(FlaskForm):
    """A held interview (约谈), checked again in survey.outcomes.record_interview."""
    held_on = DateField("约谈日期", validators=[InputRequired("请填写约谈日期。")])
    leaders = StringField("约谈领导", validators=[DataRequired("请填写约谈领导。"), Length(max=200)],
                          render_kw={"placeholder": "如 市委副书记 张某某"})
    attendees = StringField("被约谈部门参加人员", validators=[DataRequired("请填写参加人员。"), Length(max=200)],
                            render_kw={"placeholder": "如 局长 李某某、分管副局长 王某某"})
    minutes = TextAreaField("约谈纪要", validators=[DataRequired("请填写约谈纪要。"), Length(max=20000)])
    commitments = TextAreaField("整改承诺", validators=[DataRequired("请填写整改承诺。"), Length(max=20000)],
                                description="部门承诺的整改措施；录入后作为整改事项交办该部门，按跟踪期限督办、销号。")
    follow_up_due = DateField("整改跟踪期限", validators=[InputRequired("请填写整改跟踪期限。")])


class CommendationForm(FlaskForm):
    points = StringField("年度综合考核加分（分）", validators=[DataRequired("请填写加分。"), Length(max=10)],
                         render_kw={"inputmode": "decimal", "placeholder": "如 1 或 0.5"},
                         description="每个表扬部门（单位）在年度综合考核中的加分，按市考核办的考核办法填写。")
    confirm = BooleanField("我已核对名单和加分：报送后不能撤回或修改",
                           validators=[DataRequired("请勾选确认：报送后不能撤回或修改。")])


class NoticeForm(FlaskForm):
    """The 动员通知 as issued, checked again in survey.mobilisation.issue_notice."""
    text = TextAreaField("通知内容", validators=[DataRequired("请填写通知内容。"), Length(max=20000)],
                         description="部署本年度企业评议工作，要求各被评议部门（单位）查找问题、改进工作、做好评议准备。")
    issued_on = DateField("下发日期", validators=[InputRequired("请填写下发日期。")])
    due = DateField("自查报告截止日期", validators=[InputRequired("请填写自查报告截止日期。")],
                    description="应早于组织评议日；当天报送仍算按期。")


class SelfCheckForm(FlaskForm):
    """A department's self-check report (自查报告), or its correction (a new version)."""
    findings = TextAreaField("查找的问题", validators=[DataRequired("请填写查找的问题。"), Length(max=20000)])
    measures = TextAreaField("整改措施", validators=[DataRequired("请填写整改措施。"), Length(max=20000)])
    signed_by = StringField("签发人", validators=[DataRequired("请填写签发人。"), Length(max=100)],
                            render_kw={"placeholder": "如 局长 李某某"})
    correction_note = TextAreaField("更正说明", validators=[Optional(), Length(max=2000)],
                                    description="仅更正时填写：更正了什么、为什么。原报告保留，两版都可查看。")
