"""Login, logout, own password."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from govsvc import audit
from govsvc.auth import service, sessions
from govsvc.auth.access import authenticated, public, safe_next
from govsvc.auth.forms import ChangePasswordForm, LoginForm
from govsvc.auth.passwords import verify_password
from govsvc.database import read_first

bp = Blueprint("auth", __name__)

FAILED = "用户名或密码错误。"
# The same words whichever limit was reached (this account here, this network, this account
# from new places): the answer tells a guesser nothing more.
THROTTLED = "登录失败次数过多，请 15 分钟后再试。"


@bp.route("/login", methods=["GET", "POST"])
@public
@read_first  # the password check runs outside SQLite's write lock (a meeting's heads log in at once)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        result = service.authenticate(form.username.data, form.password.data, request.remote_addr or "")
        if result.user is None:
            form.password.errors.append(THROTTLED if result.throttled else FAILED)
            return render_template("auth/login.html", form=form)
        session.clear()  # no session fixation: a fresh session for the logged-in user
        login_user(result.user, remember=False)
        sessions.start(result.user)
        return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is not None:
        audit.record("logout", target=user.username)
    sessions.end(user)
    flash("您已安全退出。", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@authenticated
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append("当前密码不正确。")
        else:
            try:
                service.set_password(user, form.new.data)
            except service.AccountError as exc:
                form.new.errors.append(str(exc))
            else:
                login_user(user)  # the old token died with the change; this session gets the new one
                sessions.start(user)
                flash("密码已修改，其他设备上的登录已失效。", "success")
                return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form)
