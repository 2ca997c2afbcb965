"""URL samples of the financial-risk pages for the role matrix. The objects belong to the bank GH and
to the district 张店区: the matrix's bank user (another bank) and department user (not a county
government) are refused by the services' ownership checks."""
from __future__ import annotations

import weakref
from datetime import date, timedelta

_WORLDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _world(factory) -> dict:
    if factory in _WORLDS:
        return _WORLDS[factory]
    from decimal import Decimal

    from govsvc.finrisk import blacklist, bridge, maturity, rescue
    from govsvc.finrisk.models import Assessment, MaturityEntry
    from govsvc.extensions import db
    from govsvc.timeutil import local_today
    from tests.finrisk.conftest import World

    w = World(factory)
    a, b = w.enterprise(name="样例甲"), w.enterprise(name="样例乙")
    today = local_today()
    w.loans([("L1", a, "1000", "2026-01-01", (today + timedelta(days=40)).isoformat(), "正常")], w.gh_user)
    w.guarantees([("G1", a, b, "100"), ("G2", b, a, "100")], w.gh_user)
    maturity.sweep()
    entry = db.session.scalar(db.select(MaturityEntry))
    item = Assessment(enterprise_id=a.id, year=today.year, proposed="help", confirmed="help")
    db.session.add(item)
    db.session.flush()
    res = rescue.nominate(w.regulator, a, today.year, "样例")
    loan = bridge.apply(w.regulator, a, Decimal(10), 10, "样例", None)
    evasion = blacklist.add(w.regulator, enterprise=b, person_name="", id_no="", found_on=date(2026, 1, 1), basis="样例",
                            bank_id=None)
    _WORLDS[factory] = {"entry_id": entry.id, "enterprise_id": a.id, "assessment_id": item.id, "rescue_id": res.id,
                        "item_id": loan.id, "entry_id_evasion": evasion.id}
    return _WORLDS[factory]


def _ids(**names):
    return lambda f: {arg: _world(f)[key] for arg, key in names.items()}


SAMPLES = {
    "finrisk.import_data": lambda f: {"kind": "loans"},
    "finrisk.import_template": lambda f: {"kind": "guarantees"},
    "finrisk.maturity_entry": _ids(entry_id="entry_id"),
    "finrisk.circle": _ids(enterprise_id="enterprise_id"),
    "finrisk.circle_svg": _ids(enterprise_id="enterprise_id"),
    "finrisk.assessment": _ids(assessment_id="assessment_id"),
    "finrisk.assign_leader": _ids(enterprise_id="enterprise_id"),
    "finrisk.rescue_detail": _ids(rescue_id="rescue_id"),
    "finrisk.bridge_detail": _ids(item_id="item_id"),
    "finrisk.blacklist_lift": _ids(entry_id="entry_id_evasion"),
}

# A department account of the matrix is no county government (403 on every page it may otherwise
# open); a bank account of the matrix is another bank: another bank's maturity entry and circle do
# not exist for it (404).
OVERRIDES = {("finrisk." + name, "department"): 403 for name in (
    "index", "loan_list", "guarantee_list", "maturity_list", "maturity_entry", "network_index", "circle", "circle_svg",
    "classes", "assessment", "rescues", "rescue_detail", "nominate", "bridge_list", "bridge_apply", "bridge_detail",
    "import_indicators")}
OVERRIDES.update({("finrisk.maturity_entry", "bank"): 404, ("finrisk.circle", "bank"): 404,
                  ("finrisk.circle_svg", "bank"): 404})
