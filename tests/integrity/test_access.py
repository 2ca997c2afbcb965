"""Who reaches the integrity module: discipline roles only under /integrity/ (every route, every
other role refused), the public pages without login, and unit-level accounts limited to the
units they cover."""
from datetime import date

import pytest
from sqlalchemy import select

from govsvc.audit.models import AuditEntry
from govsvc.auth.roles import ALL_ROLES, DISCIPLINE
from govsvc.extensions import db
from govsvc.integrity import clues, scope
from govsvc.integrity.models import DisciplineCoverage
from govsvc.ledger.service import create_matter
from tests.conftest import csrf_from, form_post
from tests.integrity.conftest import declare_purpose, file_stain

OTHER_ROLES = [r for r in ALL_ROLES if r != DISCIPLINE]


def integrity_urls(app) -> list[tuple[str, str]]:
    """Every route under /integrity/, with each of its methods, ids filled with 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/integrity/"):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, path))
    return urls


def test_the_module_has_the_expected_routes(app):
    paths = {p for _, p in integrity_urls(app)}
    assert len(paths) >= 20 and "/integrity/" in paths and "/integrity/persons/1" in paths


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_route_is_refused_to_every_non_discipline_role(app, client, login_as, role):
    user = login_as(role)
    urls = integrity_urls(app)
    token = csrf_from(client.get("/").get_data(as_text=True))  # a valid token: refused by role, not by CSRF
    for method, path in urls:
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (role, method, path, response.status_code)
    refused = db.session.scalars(select(AuditEntry.target).where(AuditEntry.action == "access.refused",
                                                                 AuditEntry.user_id == user.id)).all()
    assert len(refused) == len(urls)


def test_anonymous_visitors_are_sent_to_login(app, client):
    for method, path in integrity_urls(app):
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_discipline_reaches_the_module(client, login_as):
    login_as("discipline")
    for path in ("/integrity/", "/integrity/clues", "/integrity/persons", "/integrity/supervision",
                 "/integrity/rectification", "/integrity/certificates", "/integrity/clues/new", "/integrity/coverage"):
        assert client.get(path).status_code == 200, path
    assert "廉政档案" in client.get("/").get_data(as_text=True)


def test_a_discipline_role_held_with_another_role_is_enough(client, login_as):
    login_as("evaluator", "discipline")
    assert client.get("/integrity/").status_code == 200


def test_public_pages_need_no_login(client):
    for path in ("/complaints/", "/complaints/track", "/verify/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'name="csrf_token"' in response.get_data(as_text=True)


# -- unit-level accounts -------------------------------------------------------------------------
def test_unit_account_is_blocked_from_another_units_person(client, login_as, city, city_user):
    record = file_stain(city_user, city.bob, date(2026, 1, 5))
    db.session.commit()
    user = login_as("discipline", unit=city.scj)
    bob = city.bob
    for path in (f"/integrity/persons/{bob.id}", f"/integrity/persons/{bob.id}/restrictions",
                 f"/integrity/purpose?person={bob.id}", f"/integrity/persons/{bob.id}/records/new",
                 f"/integrity/records/{record.id}", f"/integrity/records/{record.id}/correct"):
        assert client.get(path).status_code == 403, path
    assert declare_purpose(client, bob).status_code == 403
    assert form_post(client, f"/integrity/persons/{bob.id}/certificates", {"requested_by": "组织部", "purpose": "考察"},
                     page="/integrity/").status_code == 403
    refused = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.refused",
                                                          AuditEntry.user_id == user.id)).all()
    assert len(refused) == 9 and all("integrity scope" in e.detail for e in refused)  # 6 pages, purpose GET+POST, issue
    # Own unit: allowed.
    assert declare_purpose(client, city.alice).status_code == 302
    assert client.get(f"/integrity/persons/{city.alice.id}").status_code == 200


def test_unit_account_does_not_even_find_other_units_persons(client, login_as, city):
    login_as("discipline", unit=city.scj)
    html = client.get("/integrity/persons").get_data(as_text=True)
    assert city.alice.name in html and city.bob.name not in html and city.carol.name not in html
    assert "共 1 条" in html


def test_county_units_are_not_covered_until_listed(client, login_as, city, city_user):
    unit_user = login_as("discipline", unit=city.scj)
    assert scope.covered_unit_ids(unit_user) == {city.scj.id}
    assert client.get(f"/integrity/persons/{city.carol.id}").status_code == 403
    scope.add_coverage(city_user, city.scj, city.scj_zd)
    db.session.commit()
    assert scope.covered_unit_ids(unit_user) == {city.scj.id, city.scj_zd.id}
    assert client.get(f"/integrity/persons/{city.carol.id}").status_code == 302  # to the purpose page
    assert city.carol.name in client.get("/integrity/persons").get_data(as_text=True)


def test_unit_account_sees_only_its_units_clues_here_and_on_the_ledger(client, login_as, city, city_user):
    own, _ = clues.intake(city_user, channel="clue.hotline", title="本单位线索", description="内容",
                          unit_id=city.scj.id, enterprise_related=True)
    other, _ = clues.intake(city_user, channel="clue.hotline", title="外单位线索", description="内容",
                            unit_id=city.swj.id, enterprise_related=True)
    unknown = create_matter(module="integrity", kind="clue.online", title="未定单位线索")
    db.session.commit()
    login_as("discipline", unit=city.scj)
    for path in ("/integrity/clues", "/ledger/", "/"):
        html = client.get(path).get_data(as_text=True)
        assert "本单位线索" in html and "外单位线索" not in html and "未定单位线索" not in html, path
    assert client.get(f"/integrity/clues/{own.matter_id}").status_code == 200
    assert client.get(f"/integrity/clues/{other.matter_id}").status_code == 403
    assert client.get(f"/integrity/clues/{unknown.id}").status_code == 403
    assert client.get(f"/ledger/{other.matter_id}").status_code == 403


def test_unit_account_cannot_file_clues_for_other_units(client, login_as, city):
    login_as("discipline", unit=city.scj)
    response = form_post(client, "/integrity/clues/new", {"channel": "clue.hotline", "title": "越权线索",
                                                          "description": "内容", "unit_code": "SWJ"})
    assert response.status_code == 200 and "不在本账号联系范围内" in response.get_data(as_text=True)
    assert "越权线索" in response.get_data(as_text=True)  # what was typed is kept


def test_city_wide_only_pages(client, login_as, city, city_user):
    record = file_stain(city_user, city.alice, date(2026, 1, 5))
    db.session.commit()
    login_as("discipline", unit=city.scj)
    assert client.get("/integrity/coverage").status_code == 403
    declare_purpose(client, city.alice)
    assert client.get(f"/integrity/records/{record.id}/revoke").status_code == 403
    html = client.get(f"/integrity/records/{record.id}").get_data(as_text=True)
    assert "更正" in html and "/revoke" not in html


def test_coverage_is_managed_by_city_wide_staff(client, login_as, city):
    login_as("discipline")
    response = form_post(client, "/integrity/coverage", {"anchor_code": "scj", "unit_code": "SWJ"})
    assert response.status_code == 302
    row = db.session.scalar(select(DisciplineCoverage))
    assert (row.anchor_unit_id, row.unit_id) == (city.scj.id, city.swj.id)
    again = form_post(client, "/integrity/coverage", {"anchor_code": "SCJ", "unit_code": "SWJ"})
    assert "已联系" in again.get_data(as_text=True)
    bad = form_post(client, "/integrity/coverage", {"anchor_code": "NOPE", "unit_code": "SWJ"})
    assert "找不到单位代码“NOPE”" in bad.get_data(as_text=True)
    assert form_post(client, f"/integrity/coverage/{row.id}/remove", {}, page="/integrity/coverage").status_code == 302
    assert db.session.scalar(select(DisciplineCoverage)) is None
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.category == "integrity")).all()
    assert "integrity.coverage.add" in actions and "integrity.coverage.remove" in actions
