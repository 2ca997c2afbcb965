"""Access decorators. Every view carries exactly one; create_app refuses to start otherwise.

    @bp.route("/x")
    @role_required("justice", "admin")   # logged in and holding one of these roles
    def x(): ...

`authenticated` admits any logged-in user, `public` anyone. Hiding a link is not access
control: these checks run on the server for every request.
"""
from __future__ import annotations

import unicodedata
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from govsvc import audit
from govsvc.auth.roles import ALL_ROLES

ACCESS_ATTR = "_govsvc_access"
# Endpoints that Flask itself registers.
EXEMPT_ENDPOINTS = frozenset({"static"})


def _mark(view, access: str):
    setattr(view, ACCESS_ATTR, access)
    return view


NEXT_MAX_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """A redirect target only when it is a clean local path ("/…", not "//…"): no scheme or host,
    no backslash, and no control, format or space character anywhere (a CR/LF would split the
    Location header, a tab or newline is dropped by URL parsers and can turn "/<TAB>/evil" into a
    host). Anything else is dropped and the caller uses its default page."""
    if not target or len(target) > NEXT_MAX_LENGTH:
        return None
    if not target.startswith("/") or target[1:2] in ("/", "\\") or "\\" in target:
        return None
    if any(unicodedata.category(c)[0] in "CZ" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _to_login():
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def refuse(reason: str = "role"):
    """403 for a logged-in user, with an audit entry that survives the failed request."""
    audit.record_committed(
        "access.refused",
        target=request.path,
        detail={"endpoint": request.endpoint, "method": request.method, "reason": reason},
    )
    abort(403)


def role_required(*roles: str):
    unknown = set(roles) - set(ALL_ROLES)
    if not roles or unknown:
        raise ValueError(f"role_required needs known roles, got {roles!r}")
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return _to_login()
            if not current_user.roles & allowed:
                refuse()
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed
        return _mark(wrapper, "roles")

    return decorator


def authenticated(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _to_login()
        return view(*args, **kwargs)

    return _mark(wrapper, "authenticated")


def public(view):
    return _mark(view, "public")


def access_of(view) -> str | None:
    return getattr(view, ACCESS_ATTR, None)


def check_every_view_has_access(app: Flask) -> None:
    """Startup check: a view without an access decorator is a page left open by accident."""
    missing = sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in EXEMPT_ENDPOINTS and access_of(view) is None
    )
    if missing:
        raise RuntimeError("views without an access decorator: " + ", ".join(missing))
