"""Irreversible actions ask once more, on the server (issue 10, item 11).

A view of an irreversible action (publishing results, closing voting, accepting a filing,
approving a grading, revoking a record) validates its form as before, then calls
`confirmed()`: a POST without `confirmed=1` does nothing and renders the confirmation page
(`ask(...)`): what will happen, that it cannot be undone, the key facts, a 确认 button that posts
the same fields again with a fresh CSRF token and `confirmed=1`, and a 返回 link. The same page
serves browsers with and without JavaScript, so one stray click never acts.
"""
from __future__ import annotations

from flask import render_template, request

FIELD = "confirmed"


def confirmed() -> bool:
    return request.form.get(FIELD) == "1"


def ask(*, title: str, what: str, facts: list[tuple[str, object]] = (), notes: list[str] = (),
        button: str = "确认", back: str, heading: str | None = None):
    """The confirmation page for the current POST. `facts` are (label, value) pairs shown as a
    definition list; `notes` are sentences on what follows. Nothing has been written."""
    hidden = [(name, value) for name, values in request.form.lists() if name not in ("csrf_token", FIELD)
              for value in values]
    return render_template("confirm.html", title=title, heading=heading or title, what=what, facts=list(facts),
                           notes=list(notes), button=button, back=back, hidden=hidden,
                           action=request.full_path.rstrip("?") if request.query_string else request.path)
