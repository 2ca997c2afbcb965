"""Generic error pages (no tracebacks), in Chinese, for every error status."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from govsvc.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("请求无效", "提交的内容无法处理，请检查后重试。"),
    403: ("无权访问", "您的账号没有访问此页面的权限。如需开通，请联系系统管理员。"),
    404: ("页面不存在", "您访问的页面不存在或已被移除。"),
    405: ("请求方式不允许", "此页面不支持该请求方式。"),
    413: ("文件过大", "上传的文件超过了允许的大小。"),
    429: ("请求过于频繁", "请稍后再试。"),
    500: ("系统错误", "系统暂时无法处理您的请求，已记录此错误。请稍后重试。"),
}


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, ("出错了", "请求未能完成。"))
    return render_template("errors/error.html", code=code, title=title, message=message or default), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(400, "表单已过期或校验失败（CSRF）。请返回上一页，刷新后重新提交。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code and exc.code < 400:
            return exc
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)

    app.register_error_handler(InternalServerError, lambda exc: render_error(500))
