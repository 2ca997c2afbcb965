"""Role-matrix samples of the liaison and invitation pages (tests/test_role_matrix.py loads them).

The matrix's users hold one role each with a unit or an enterprise of their own: a `department`
user of some unit is neither the liaison office (工信局) nor a county government nor a leaders'
office, a `leader` user has no liaison profile, enterprise accounts belong to other enterprises —
so the services refuse them (403) where the page belongs to the office, a county or the parties."""
from __future__ import annotations

import weakref
from datetime import timedelta

from govsvc.auth.roles import ENTERPRISE, EVALUATOR, LEADER
from govsvc.care import appeals, county_plans, invitations
from govsvc.timeutil import local_today

_WORLDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _world(factory) -> dict:
    if factory not in _WORLDS:
        from tests.care.liaison_world import build_world

        w = build_world(factory)
        head = w.heads["大厂"]
        appeal = appeals.file_appeal(head, enterprise=None, category="land", title="用地", description="用地指标")
        inv = invitations.request(head, kind="project", title="签约", activity_on=local_today() + timedelta(days=3),
                                  activity_time="", place="厂区", description="签约", contact_name="张",
                                  contact_phone="1", wished_leader=None, pledge=True)
        invitations.screen(w.office, inv, passed=True, leader=w.leaders[0], note="确有必要")
        plan = county_plans.save_plan(w.staff["ZF-ZD"], None, year=w.year, title="方案", content="内容", hotline="1",
                                      hotline_person="张")
        _WORLDS[factory] = {"year": w.year, "leader_id": w.leaders[0].id, "code": "ZF-ZD", "office": "ZFBGS",
                            "plan_id": plan.id, "appeal_id": appeal.id, "matter_id": appeal.matter_id,
                            "invitation_id": inv.id}
    return _WORLDS[factory]


def _args(**names):
    return lambda factory: {arg: _world(factory)[key] for arg, key in names.items()}


SAMPLES = {
    "care.served_list": _args(year="year"),
    "care.assign": _args(year="year"),
    "care.import_list": _args(year="year"),
    "care.coverage": _args(year="year"),
    "care.county": _args(code="code", year="year"),
    "care.leader": _args(leader_id="leader_id"),
    "care.edit_leader": _args(leader_id="leader_id"),
    "care.edit_office": _args(code="office"),
    "care.plan": _args(plan_id="plan_id"),
    "care.edit_plan": _args(plan_id="plan_id"),
    "care.appeal": _args(appeal_id="appeal_id"),
    "care.appeal_of_matter": _args(matter_id="matter_id"),
    "care.invitation": _args(invitation_id="invitation_id"),
    "care.invitation_form": _args(invitation_id="invitation_id"),
}

OVERRIDES: dict[tuple[str, str], int] = {}
# The office's pages (工信局), a county's pages, the parties' own appeal and invitation.
OVERRIDES.update({(endpoint, "department"): 403 for endpoint in (
    "care.assign", "care.import_list", "care.edit_leader", "care.new_leader", "care.edit_office", "care.new_plan",
    "care.edit_plan", "care.new_contact", "care.contacts", "care.new_appeal", "care.appeals_list", "care.appeal",
    "care.appeal_of_matter", "care.invitations", "care.invitation", "care.invitation_form")})
# A leader without a liaison profile files nothing and is party to no appeal or invitation.
OVERRIDES.update({(endpoint, LEADER): 403 for endpoint in (
    "care.new_contact", "care.new_appeal", "care.appeal", "care.appeal_of_matter", "care.invitation",
    "care.invitation_form")})
# Another enterprise's appeal and invitation.
OVERRIDES.update({(endpoint, role): 403 for endpoint in ("care.appeal", "care.appeal_of_matter", "care.invitation",
                                                         "care.invitation_form") for role in (ENTERPRISE, EVALUATOR)})
# Redirects: the matter's page to the appeal's; the overview to the enterprise's own page (and
# discipline to the register); the current year's list.
OVERRIDES[("care.appeal_of_matter", "admin")] = 302
OVERRIDES.update({("care.index", role): 302 for role in (ENTERPRISE, EVALUATOR, "discipline")})
OVERRIDES.update({("care.served_list_current", role): 302 for role in ("department", LEADER, "admin")})
