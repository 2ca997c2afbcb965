"""Security headers on every response (errors included) and no-store on sensitive pages."""
from __future__ import annotations

from flask import Flask, abort, g, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])


def _logged_in() -> bool:
    # Only look at a user already loaded in this request: never query from a header hook. The
    # request has committed by now, which expired the user: is_authenticated would reload it,
    # is_anonymous does not (only an active user is ever loaded, govsvc.auth.sessions).
    user = g.get("_login_user")
    return bool(user is not None and not getattr(user, "is_anonymous", True))


def set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static" and (
        request.endpoint in {"auth.login"} or _logged_in()
        or response.status_code >= 400 or request.method != "GET"
    ):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def refuse_nul(_=None):
    """A NUL character in any query or form value is never meaningful here, and PostgreSQL refuses
    it in text (a DataError, i.e. a 500): answer 400 before any view sees it."""
    if any("\x00" in v for v in request.args.values()) or (
            request.method in ("POST", "PUT", "PATCH") and any("\x00" in v for v in request.form.values())):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)
    app.after_request(set_headers)
