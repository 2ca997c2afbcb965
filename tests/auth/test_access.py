"""Role checks on the server: anonymous → login, wrong role → 403 with an audit entry."""
import pytest

from govsvc.audit.models import AuditEntry
from govsvc.auth.roles import ALL_ROLES
from govsvc.extensions import db

# The foundation's pages and who may open them (the full URL × role matrix lives in
# tests/test_role_matrix.py, generated from the routes).
PAGES = {
    "/registry/enterprises": {"admin", "organizer", "justice", "leader", "court", "finance-regulator"},
    "/registry/top": {"admin", "organizer", "justice", "leader", "court", "finance-regulator"},
    "/registry/units": set(ALL_ROLES) - {"evaluator", "enterprise", "bank"},
    "/registry/persons": {"admin", "discipline"},
    "/registry/import": {"admin"},
    "/admin/users": {"admin"},
    "/audit/": {"admin", "discipline"},
    "/ledger/": {"admin", "organizer", "justice", "discipline", "department", "leader", "organization"},
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_sees_exactly_its_pages(client, login_as, role):
    login_as(role)
    for path, allowed in PAGES.items():
        status = client.get(path).status_code
        assert status == (200 if role in allowed else 403), (role, path, status)


def test_refused_access_is_audited(client, login_as):
    user = login_as("evaluator")
    assert client.get("/admin/users").status_code == 403
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "access.refused"))
    assert entry is not None and entry.user_id == user.id and entry.target == "/admin/users"


def test_a_user_with_several_roles_gets_the_union(client, login_as):
    login_as("evaluator", "discipline")
    assert client.get("/registry/persons").status_code == 200
    assert client.get("/admin/users").status_code == 403


def test_evaluator_dashboard_has_no_staff_links(client, login_as):
    login_as("evaluator")
    html = client.get("/").get_data(as_text=True)
    assert "企业名录" not in html and "账号管理" not in html


def test_admin_creates_user_with_roles(client, login_as):
    from tests.conftest import form_post

    login_as("admin")
    response = form_post(client, "/admin/users/new", {"username": "Wang.Li", "display_name": "王力",
                                                      "roles": ["leader", "notary"], "password": "steady-lantern-42",
                                                      "active": "y"})
    assert response.status_code == 302
    from govsvc.auth.models import User

    user = db.session.scalar(db.select(User).where(User.username == "wang.li"))
    assert user.roles == {"leader", "notary"}


def test_department_account_needs_a_unit(client, login_as):
    from tests.conftest import form_post

    login_as("admin")
    response = form_post(client, "/admin/users/new", {"username": "dept-x", "roles": ["department"],
                                                      "password": "steady-lantern-42"})
    assert response.status_code == 200 and "必须关联一个单位" in response.get_data(as_text=True)
