"""Account administration (admin role only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth import service
from govsvc.auth.access import role_required
from govsvc.auth.forms import UserFilterForm, UserForm
from govsvc.auth.models import User, UserRole
from govsvc.extensions import db
from govsvc.lists import list_or_export
from govsvc.registry.models import Enterprise, Unit

bp = Blueprint("admin", __name__, url_prefix="/admin")

COLUMNS = [
    ("用户名", lambda u: u.username), ("姓名", lambda u: u.display_name),
    ("角色", lambda u: "、".join(R.ROLE_LABELS[r] for r in sorted(u.roles))),
    ("单位", lambda u: u.unit.name if u.unit else ""), ("企业", lambda u: u.enterprise.name if u.enterprise else ""),
    ("状态", lambda u: "启用" if u.active else "停用"), ("最近登录", lambda u: u.last_login_at),
]


@bp.route("/users")
@role_required(R.ADMIN)
def users():
    form = UserFilterForm(request.args)
    stmt = select(User)
    if form.q.data:
        like = f"%{form.q.data.strip()}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
    if form.role.data:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == form.role.data)))
    if form.active.data in ("0", "1"):
        stmt = stmt.where(User.active.is_(form.active.data == "1"))
    return list_or_export(stmt.order_by(User.username), template="admin/users.html", export_stem="账号",
                          columns=COLUMNS, form=form)


def _links(form: UserForm) -> tuple[bool, int | None, int | None]:
    unit_id = enterprise_id = None
    ok = True
    if form.unit_code.data:
        unit = db.session.scalar(select(Unit).where(Unit.code == form.unit_code.data.strip().upper()))
        if unit is None:
            form.unit_code.errors.append("找不到该单位代码。")
            ok = False
        else:
            unit_id = unit.id
    if form.credit_code.data:
        enterprise = db.session.scalar(select(Enterprise).where(
            Enterprise.credit_code == form.credit_code.data.strip().upper()))
        if enterprise is None:
            form.credit_code.errors.append("登记库中没有该统一社会信用代码的企业。")
            ok = False
        else:
            enterprise_id = enterprise.id
    return ok, unit_id, enterprise_id


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(R.ADMIN)
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        ok, unit_id, enterprise_id = _links(form)
        if not form.password.data:
            form.password.errors.append("新建账号必须设置初始密码。")
            ok = False
        if ok:
            try:
                user = service.create_user(form.username.data, form.password.data, form.roles.data,
                                           display_name=form.display_name.data or "", unit_id=unit_id,
                                           enterprise_id=enterprise_id)
            except service.AccountError as exc:
                form.username.errors.append(str(exc))
            else:
                if not form.active.data:
                    service.update_user(user, roles=form.roles.data, display_name=user.display_name, active=False,
                                        unit_id=unit_id, enterprise_id=enterprise_id)
                flash(f"账号 {user.username} 已创建。", "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(R.ADMIN)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.unit_code.data = user.unit.code if user.unit else ""
        form.credit_code.data = user.enterprise.credit_code if user.enterprise else ""
        form.active.data = user.active
    form.username.data = user.username
    if form.validate_on_submit():
        ok, unit_id, enterprise_id = _links(form)
        if ok:
            try:
                service.update_user(user, roles=form.roles.data, display_name=form.display_name.data or "",
                                    active=form.active.data, unit_id=unit_id, enterprise_id=enterprise_id)
                if form.password.data:
                    service.set_password(user, form.password.data)
            except service.AccountError as exc:
                form.roles.errors.append(str(exc))
                db.session.rollback()
            else:
                flash(f"账号 {user.username} 已保存。", "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


nav.add("账号管理", "admin.users", (R.ADMIN,), order=80)
