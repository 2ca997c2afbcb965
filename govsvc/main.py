"""The dashboard (one per role, overdue matters first) and a health check."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from flask import Blueprint, current_app, render_template, url_for
from flask_login import current_user
from sqlalchemy import case, func, select

from govsvc import nav
from govsvc.auth import roles as R
from govsvc.auth.access import authenticated, public
from govsvc.extensions import db
from govsvc.ledger.service import matters_query, overdue_clause
from govsvc.auth.models import User
from govsvc.registry.models import Enterprise, Person, Unit

bp = Blueprint("main", __name__)


@dataclass
class Panel:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    link: str | None = None


# Modules append functions(user) -> Panel | None; each is shown on the dashboard when it returns one.
PANELS: list[Callable] = []


def panel(fn: Callable) -> Callable:
    PANELS.append(fn)
    return fn


# What waits for this user's decision (等待您审定): modules append functions(user) -> list of
# (label, url); the dashboard lists them first, so a leader sees an approval waiting at once.
AWAITING: list[Callable] = []


def awaiting(fn: Callable) -> Callable:
    AWAITING.append(fn)
    return fn


_REGISTRY_COUNTS = None


@panel
def _registry_panel(user):
    global _REGISTRY_COUNTS
    if not user.has_role(R.ADMIN):
        return None
    if _REGISTRY_COUNTS is None:  # the four counts in one statement, built once
        _REGISTRY_COUNTS = select(*(select(func.count()).select_from(model).scalar_subquery()
                                    for model in (Enterprise, Unit, Person, User)))
    enterprises, units, persons, users = db.session.execute(_REGISTRY_COUNTS).one()
    return Panel("共享登记库", [("企业", enterprises), ("单位", units), ("公职人员", persons), ("账号", users)],
                 url_for("registry.enterprises"))


@bp.route("/")
@authenticated
def dashboard():
    user = current_user._get_current_object()
    # The first ten visible matters, each row carrying the count of all overdue visible matters
    # (a window over the whole selection, computed before LIMIT): one query, not two.
    rows = db.session.execute(matters_query(user).add_columns(func.count(case((overdue_clause(), 1))).over())
                              .limit(10)).all()
    matters = [row[0] for row in rows]
    overdue = rows[0][1] if rows else 0
    panels = [p for p in (fn(user) for fn in PANELS) if p is not None]
    waiting = [item for fn in AWAITING for item in fn(user)]
    return render_template("dashboard.html", matters=matters, overdue=overdue, panels=panels, waiting=waiting,
                           approver=user.has_role(R.LEADER), links=nav.nav_for(user.roles, user))


def health(app) -> tuple[int, dict]:
    """200 when the database answers and its schema is at this code's head revision, else 503
    (a load balancer then keeps traffic away). Checked at most every few seconds per process."""
    from govsvc import schema

    engine = app.extensions.get("govsvc_health_engine")
    if engine is None:
        with app.app_context():
            engine = app.extensions.setdefault("govsvc_health_engine", db.engine)
    state = schema.status(app, engine)
    if not state.ok:
        return 503, {"status": "schema-not-current" if state.reason == "schema" else "database-unavailable"}
    return 200, {"status": "ok"}


class HealthCheck:
    """WSGI middleware answering `GET /healthz` before Flask: a load balancer asks several times a
    second, and the check needs no session, user, CSRF token, database session or page headers
    (only the cached schema look-up in `health`). Any other request goes to the application."""

    HEADERS = [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
               ("X-Content-Type-Options", "nosniff")]
    STATUS = {200: "200 OK", 503: "503 SERVICE UNAVAILABLE"}

    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/healthz" or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        code, answer = health(self.app)
        body = json.dumps(answer).encode()
        start_response(self.STATUS[code], [*self.HEADERS, ("Content-Length", str(len(body)))])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]


@bp.route("/healthz")
@public
def healthz():
    """Answered by HealthCheck before Flask; this view keeps the route in the URL map (and answers
    should the middleware be bypassed)."""
    code, answer = health(current_app._get_current_object())
    return answer, code


def init_app(app) -> None:
    app.wsgi_app = HealthCheck(app, app.wsgi_app)


nav.add("首页", "main.dashboard", order=0)
