"""Request lifecycle and template helpers: one commit at the end of a successful request,
navigation by role, number and date formatting."""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask, request, url_for
from markupsafe import Markup
from flask_login import current_user

from govsvc.auth.roles import ROLE_LABELS
from govsvc.database import request_finished
from govsvc.extensions import db
from govsvc.nav import nav_for, public_nav
from govsvc.timeutil import local_datetime, local_today


def _commit_or_rollback(response):
    """Services flush; the request commits once here, or rolls back on any error status."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    request_finished()
    return response


def id_arg(text: str | None) -> int | None:
    """A row id or year from a query or form argument: ASCII digits that fit a database integer,
    else None (so that "²" or a 30-digit number is "not given", never a 500)."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > 2**31 - 1:
        return None
    return int(text)


def fmt_money(value) -> str:
    if value is None or value == "":
        return ""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def fmt_datetime(value, date_only: bool = False) -> str:
    """A date or a local time as `<time class="dt">`, which never breaks across lines (a narrow
    table cell would otherwise split "2026-12-05 10:00" after a hyphen or at the space);
    `date_only` drops the time of day. Empty for None."""
    if isinstance(value, datetime):
        value = local_datetime(value)
        if date_only:
            value = value.date()
        else:
            return Markup('<time class="dt" datetime="{}">{}</time>').format(
                value.isoformat(timespec="minutes"), value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, date):
        return Markup('<time class="dt" datetime="{0}">{0}</time>').format(value.isoformat())
    return "" if value is None else str(value)


def page_url(page: int) -> str:
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def keyset_url(**key) -> str:
    """This list's address with the keyset position `after=` or `before=` (or neither: the start)."""
    args = {k: v for k, v in request.args.to_dict().items() if k not in ("page", "after", "before")}
    args.update({k: v for k, v in key.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def export_url(fmt: str) -> str:
    args = request.args.to_dict()
    for name in ("page", "after", "before"):
        args.pop(name, None)
    args["format"] = fmt
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.after_request(_commit_or_rollback)
    app.jinja_env.filters["money"] = fmt_money
    app.jinja_env.filters["dt"] = fmt_datetime
    app.jinja_env.globals.update(page_url=page_url, keyset_url=keyset_url, export_url=export_url, ROLE_LABELS=ROLE_LABELS,
                                 local_today=local_today)

    @app.context_processor
    def _nav():
        if not current_user.is_authenticated:
            return {"nav_items": public_nav()}
        return {"nav_items": nav_for(current_user.roles, current_user)}
