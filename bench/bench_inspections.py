"""Checking plan items against the published grading: the scoring core (one read of the items and
the grades, then `scoring.inspections.check_items`) beside a per-item query loop (for each item in
counting order: look up its grade, count the earlier passed random items of its enterprise,
category and year, mark it), side by side on the same SQLite tables. Both must agree.

Also the plan list (`/inspections/plans`, the justice bureau's view of every unit's plans with each
plan's number of items) over 100,000 plan items, through the whole Flask app in this process,
beside a Flask hello-world answered the same way (the issue's target: under 30 ms at 100k items)."""
from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.common import Result, best_of, median_of, migrated_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import inspections as core  # noqa: E402

CATEGORIES = ("食品安全", "特种设备安全", "产品质量")


def _populate(conn: sqlite3.Connection, n_items: int, n_grades: int) -> None:
    rng = random.Random(3)
    conn.execute("CREATE TABLE grades (credit_code TEXT PRIMARY KEY, grade TEXT NOT NULL)")
    conn.execute("CREATE TABLE items (plan_id INTEGER, item_id INTEGER PRIMARY KEY, credit_code TEXT, category TEXT,"
                 " basis TEXT, planned_date TEXT, passed INTEGER DEFAULT 0)")
    conn.execute("CREATE INDEX ix_items_cap ON items (credit_code, category, basis, planned_date)")
    codes = [f"E{i:08d}" for i in range(n_grades)]
    conn.executemany("INSERT INTO grades VALUES (?, ?)", ((c, rng.choice("AABBBCCCC")) for c in codes))
    targets = codes[: max(1, n_grades // 5)]  # items concentrate on a fifth: B caps are reached
    start = date(2026, 1, 1)
    rows = [(rng.randint(1, n_items // 20 + 1), i + 1, rng.choice(targets), rng.choice(CATEGORIES),
             "random" if rng.random() < 0.8 else "complaint", (start + timedelta(days=rng.randint(0, 729))).isoformat())
            for i in range(n_items)]
    conn.executemany("INSERT INTO items (plan_id, item_id, credit_code, category, basis, planned_date) "
                     "VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.commit()


def ours(conn: sqlite3.Connection) -> dict[int, str]:
    grades = dict(conn.execute("SELECT credit_code, grade FROM grades"))
    items = [core.PlanItem(p, i, c, cat, b, date.fromisoformat(d))
             for p, i, c, cat, b, d in conn.execute("SELECT plan_id, item_id, credit_code, category, basis, "
                                                   "planned_date FROM items")]
    return {item.item_id: v for item, v in zip(items, core.check_items(items, grades)) if v}


def per_item_loop(conn: sqlite3.Connection) -> dict[int, str]:
    conn.execute("UPDATE items SET passed = 0")
    violations = {}
    ordered = conn.execute("SELECT item_id, credit_code, category, basis, planned_date FROM items "
                           "ORDER BY planned_date, plan_id, item_id").fetchall()
    for item_id, code, category, basis, day in ordered:
        if basis != "random":
            continue
        row = conn.execute("SELECT grade FROM grades WHERE credit_code = ?", (code,)).fetchone()
        grade = row[0] if row else None
        if grade == "A":
            violations[item_id] = core.A_EXEMPT
        elif grade == "B":
            year = day[:4]
            (taken,) = conn.execute(
                "SELECT COUNT(*) FROM items WHERE credit_code = ? AND category = ? AND basis = 'random' "
                "AND planned_date BETWEEN ? AND ? AND passed = 1", (code, category, f"{year}-01-01", f"{year}-12-31")
            ).fetchone()
            if taken >= core.B_LIMIT:
                violations[item_id] = core.B_OVER_LIMIT
            else:
                conn.execute("UPDATE items SET passed = 1 WHERE item_id = ?", (item_id,))
    conn.commit()
    return violations


def _plans_populate(n_items: int, n_units: int) -> str:
    """`n_units` enforcement units, each with an annual and four quarterly plans for 2027, the
    annual plans holding `n_items` items between them; returns the justice bureau's username."""
    from govsvc.extensions import db
    from govsvc.inspections.models import FILED, InspectionPlan, PlanItem
    from govsvc.registry.models import Enterprise, Unit
    from govsvc.timeutil import utcnow
    from tests.factories import Factory, make_credit_code

    rng = random.Random(11)
    db.session.execute(Enterprise.__table__.insert(), [
        {"credit_code": make_credit_code(i + 1), "name": f"企业{i}有限公司", "industry": "工业", "above_scale": True,
         "status": "存续", "legal_rep": "", "head_name": "", "head_phone": "", "district": "张店区",
         "new_format": False, "group_name": "", "group_head": False} for i in range(10_000)])
    enterprise_ids = db.session.scalars(db.select(Enterprise.id)).all()
    db.session.execute(Unit.__table__.insert(), [{"code": f"D{k:03d}", "name": f"市执法部门{k}", "level": "city",
                                                  "enforcement": True} for k in range(n_units)])
    now = utcnow()
    plans = []
    for unit_id in db.session.scalars(db.select(Unit.id).where(Unit.code.like("D%"))):
        for period, number in [("annual", None)] + [("quarterly", q) for q in (1, 2, 3, 4)]:
            plans.append({"unit_id": unit_id, "period": period, "year": 2027, "number": number,
                          "slot": f"{period}:2027" + (f":{number}" if number else ""), "title": "检查计划",
                          "reason": "", "status": FILED, "due_date": date(2026, 12, 31), "return_reason": "",
                          "submitted_at": now, "first_filed_at": now, "filed_at": now, "created_at": now})
    db.session.execute(InspectionPlan.__table__.insert(), plans)
    annual = db.session.scalars(db.select(InspectionPlan.id).where(InspectionPlan.period == "annual")).all()
    for k in range(0, n_items, 50_000):
        db.session.execute(PlanItem.__table__.insert(), [
            {"plan_id": annual[i % len(annual)], "enterprise_id": rng.choice(enterprise_ids),
             "category": CATEGORIES[i % 3], "basis": "random", "ground": "", "note": "", "check_status": "pending",
             "violation": "", "grade": "", "explanation": "", "cancel_reason": "",
             "planned_date": date(2027, 1, 1) + timedelta(days=i % 360)} for i in range(k, min(n_items, k + 50_000))])
    justice = Factory().user("justice", unit=Factory().unit("SFJ", name="市司法局"))
    db.session.commit()
    return justice.username


def plan_list(quick: bool) -> Result:
    from flask import Flask

    from tests.conftest import TEST_PASSWORD

    n, n_units = (10_000, 10) if quick else (100_000, 100)
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, World!")
    hello_client = hello.test_client()
    with migrated_app() as app:
        username = _plans_populate(n, n_units)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert client.post("/login", data={"username": username, "password": TEST_PASSWORD,
                                           "csrf_token": token}).status_code == 302
        html = client.get("/inspections/plans").get_data(as_text=True)
        assert f'<td class="num">{n // n_units}</td>' in html, "the annual plans' item counts are not on the page"
        ours = median_of(lambda: client.get("/inspections/plans"), repeat=15)
        base = median_of(lambda: hello_client.get("/"), repeat=200)
    return Result("inspections plan list", f"{n:,} plan items in {n_units * 5:,} plans", "GET /inspections/plans "
                  "(in-process, justice bureau)", ours, "Flask hello-world (in-process)", base,
                  f"{ours * 1000:.1f} ms per page (target < 30 ms at 100k items)")


def run(quick: bool) -> list[Result]:
    n = 5_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "bench.db")
        _populate(conn, n, n)
        expected = ours(conn)
        if per_item_loop(conn) != expected:
            raise AssertionError("the per-item loop and the core disagree")
        ours_s = best_of(lambda: ours(conn))
        grades = dict(conn.execute("SELECT credit_code, grade FROM grades"))
        items = [core.PlanItem(p, i, c, cat, b, date.fromisoformat(d)) for p, i, c, cat, b, d in
                 conn.execute("SELECT plan_id, item_id, credit_code, category, basis, planned_date FROM items")]
        core_s = best_of(lambda: core.check_items(items, grades))
        baseline_s = best_of(lambda: per_item_loop(conn), repeat=1 if not quick else 3)
        conn.close()
    refused = len(expected)
    return [Result("inspections check", f"{n:,} plan items × {n:,} grades", "core (2 reads + check_items)", ours_s,
                   "per-item query loop", baseline_s,
                   f"both refuse the same {refused:,} items; check_items alone {core_s * 1000:.0f} ms; the loop runs "
                   "in-process on SQLite (no network round trips), its most favourable case"), plan_list(quick)]
