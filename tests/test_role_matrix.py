"""Every registered URL × every role (and anonymous) → the expected status, generated from the
routes and their access decorators, so a new page cannot be forgotten."""
from govsvc.auth.access import access_of
from govsvc.auth.roles import ALL_ROLES
from govsvc.extensions import db
from tests.conftest import login
from tests.route_samples import LOGGED_IN_REDIRECTS, OVERRIDES, SAMPLES

ANONYMOUS = "anonymous"


def expected(view, endpoint: str, role: str) -> int:
    if (endpoint, role) in OVERRIDES:
        return OVERRIDES[(endpoint, role)]
    access = access_of(view) if endpoint != "static" else "public"
    if access == "public":
        return 302 if role != ANONYMOUS and endpoint in LOGGED_IN_REDIRECTS else 200
    if role == ANONYMOUS:
        return 302
    if access == "authenticated":
        return 200
    return 200 if role in view.allowed_roles else 403


def test_every_get_route_for_every_role(app, factory):
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    missing = sorted(r.endpoint for r in rules if r.arguments and r.endpoint not in SAMPLES)
    assert not missing, f"add URL samples to tests/route_samples.py for: {missing}"
    clients = {ANONYMOUS: app.test_client()}
    for role in ALL_ROLES:
        user = factory.user(role)
        db.session.commit()
        client = app.test_client()
        assert login(client, user.username).status_code == 302
        clients[role] = client
    urls = []
    for rule in sorted(rules, key=lambda r: r.rule):
        kwargs = SAMPLES[rule.endpoint](factory) if rule.arguments else {}
        db.session.commit()
        with app.test_request_context():
            from flask import url_for

            urls.append((rule.endpoint, url_for(rule.endpoint, **kwargs)))
    failures = []
    for endpoint, url in urls:
        view = app.view_functions[endpoint]
        for role, client in clients.items():
            status = client.get(url).status_code
            want = expected(view, endpoint, role)
            if status != want:
                failures.append(f"{role:<10} GET {url} → {status}, expected {want}")
    assert not failures, "\n".join(failures)

