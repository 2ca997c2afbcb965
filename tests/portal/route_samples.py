"""Role-matrix samples (tests/test_role_matrix.py) for the portal's pages and issue 12's inspection
pages: a check code, a visit, a notice, a unit's categories and a plan change, made once per run."""
from __future__ import annotations

import weakref
from datetime import date, datetime, timezone

_WORLD: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _world(factory) -> dict:
    if factory in _WORLD:
        return _WORLD[factory]
    from govsvc.inspections import changes, filings, plans
    from govsvc.portal import checks

    unit = factory.unit(enforcement=True)
    staff = factory.user("department", unit=unit)
    enterprise = factory.enterprise()
    plan = plans.create_plan(staff, period="annual", year=2026, number=None, title="门户样例计划")
    item = plans.add_item(staff, plan, {"enterprise": enterprise, "draw_count": None, "category": "食品安全",
                                        "basis": "complaint", "ground": "12315-1", "planned_date": date(2026, 3, 1),
                                        "planned_end": None, "note": ""})
    plans.submit_plan(staff, plan, datetime(2025, 12, 1, tzinfo=timezone.utc))
    filing = filings.file_plans(staff, [plan.id], datetime(2025, 12, 2, tzinfo=timezone.utc))
    filings.review_filing(factory.user("justice"), filing, accept=True)
    code = checks.issue_notice(staff, item, enterprise)
    account = factory.user("enterprise", enterprise=enterprise)
    visit = checks.confirm(account, checks.lookup(account, code), date(2026, 3, 1))
    change = changes.open_change(staff, plan, "样例调整")
    _WORLD[factory] = {"code": checks.normalise(code), "visit_id": visit.id, "item_id": item.id, "unit_id": unit.id,
                       "change_id": change.id}
    return _WORLD[factory]


def _pick(*names):
    return lambda factory: {n: _world(factory)[n] for n in names}


SAMPLES = {
    "portal.check": _pick("code"),
    "portal.visit": _pick("visit_id"),
    "portal.notice": _pick("item_id"),
    "inspections.unit_categories": _pick("unit_id"),
    "inspections.change": _pick("change_id"),
}
# The samples belong to another enterprise and another unit: the matrix's enterprise accounts and
# heads (their own enterprise) find no such code or visit; its department (its own unit) is refused.
OVERRIDES = {
    ("portal.check", "enterprise"): 404, ("portal.check", "evaluator"): 404,
    ("portal.visit", "enterprise"): 404, ("portal.visit", "evaluator"): 404,
    ("portal.notice", "department"): 403, ("inspections.change", "department"): 403,
    # Enterprise accounts use the enterprise heads' grading and report pages, on their own enterprise only.
    ("grading.my_objection", "enterprise"): 404, ("grading.my_complaint", "enterprise"): 404,
    ("inspections.report", "enterprise"): 403,
}
