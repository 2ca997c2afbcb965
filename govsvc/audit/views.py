"""The audit log page: admins see every entry, discipline staff the integrity entries."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import DateField, StringField
from wtforms.validators import Optional

from govsvc import nav
from govsvc.audit.labels import ACTIONS, action_label
from govsvc.audit.models import AuditEntry
from govsvc.audit.readable import change_lines, object_types, resolve_targets
from govsvc.auth import roles as R
from govsvc.auth.access import role_required
from govsvc.lists import list_or_export
from govsvc.timeutil import LOCAL_TZ

bp = Blueprint("audit", __name__, url_prefix="/audit")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("搜索", validators=[Optional()], render_kw={"placeholder": "用户、操作或对象"})
    start = DateField("起始日期", validators=[Optional()])
    end = DateField("截止日期", validators=[Optional()])


# The export keeps the raw form (code, object reference, JSON) and adds the Chinese reading beside it.
COLUMNS = [
    ("编号", lambda a: a.id), ("时间", lambda a: a.at), ("用户", lambda a: a.username), ("操作", lambda a: a.action),
    ("操作名称", lambda a: action_label(a.action)), ("对象", lambda a: a.target), ("对象类型", lambda a: object_types(a.target)),
    ("详情", lambda a: a.detail), ("变更摘要", lambda a: "\n".join(change_lines(a.detail))), ("目的", lambda a: a.purpose),
    ("来源地址", lambda a: a.ip),
]


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


@bp.route("/")
@role_required(R.ADMIN, R.DISCIPLINE)
def entries():
    form = AuditFilterForm(request.args)
    form.validate()
    stmt = select(AuditEntry)
    if not current_user.has_role(R.ADMIN):
        stmt = stmt.where(AuditEntry.category == "integrity")
        if current_user.unit_id is not None:
            # Unit discipline staff cover some units only: the city-wide log would show reads and
            # changes of other units' files. They see their own entries.
            stmt = stmt.where(AuditEntry.user_id == current_user.id)
    if form.q.data:
        like = f"%{form.q.data.strip()}%"
        named = [code for code, label in ACTIONS.items() if form.q.data.strip() in label]  # 按中文操作名称搜索
        stmt = stmt.where(or_(AuditEntry.username.ilike(like), AuditEntry.action.ilike(like),
                              AuditEntry.target.ilike(like), AuditEntry.action.in_(named)))
    if form.start.data and not form.start.errors:
        stmt = stmt.where(AuditEntry.at >= _local_midnight(form.start.data))
    if form.end.data and not form.end.errors:
        stmt = stmt.where(AuditEntry.at < _local_midnight(form.end.data + timedelta(days=1)))
    stmt = stmt.order_by(AuditEntry.id.desc())
    return list_or_export(stmt, template="audit/entries.html", export_stem="审计日志", columns=COLUMNS, form=form,
                          action_label=action_label, change_lines=change_lines, objects_of=resolve_targets)


nav.add("审计日志", "audit.entries", (R.ADMIN, R.DISCIPLINE), order=90)
