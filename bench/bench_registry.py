"""Top-200 taxpayers: the scoring core (groups, exact decimals) vs a plain SQL GROUP BY that ranks
the same tax rows by group total, side by side on the same SQLite database."""
from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import text

from bench.common import Result, best_of, migrated_app


def _populate(n_enterprises: int) -> None:
    from govsvc.extensions import db
    from govsvc.registry.models import Enterprise, TaxRecord
    from tests.factories import make_credit_code

    rng = random.Random(7)
    enterprises = []
    for i in range(n_enterprises):
        group = f"集团{i % 97}" if i % 5 == 0 else ""
        enterprises.append({"credit_code": make_credit_code(i + 1), "name": f"企业{i}", "industry": "工业",
                            "group_name": group, "group_head": group != "" and i < 97 * 5, "status": "存续",
                            "legal_rep": "", "head_name": "", "head_phone": "", "district": "张店区",
                            "above_scale": True, "new_format": False})
    db.session.execute(Enterprise.__table__.insert(), enterprises)
    ids = db.session.scalars(db.select(Enterprise.id)).all()
    rows = [{"enterprise_id": eid, "year": 2025, "local_retained": Decimal(rng.randint(1, 10**9)) / 100}
            for eid in ids]
    db.session.execute(TaxRecord.__table__.insert(), rows)
    db.session.commit()


SQL = text("""
    SELECT COALESCE(NULLIF(e.group_name, ''), 'e:' || e.id) AS k, SUM(t.local_retained) AS total
    FROM tax_records t JOIN enterprises e ON e.id = t.enterprise_id
    WHERE t.year = 2025 GROUP BY k ORDER BY total DESC LIMIT 200
""")


def run(quick: bool) -> list[Result]:
    from govsvc.extensions import db
    from govsvc.registry.service import top_taxpayers

    n = 5_000 if quick else 100_000
    with migrated_app():
        _populate(n)
        ours = best_of(lambda: top_taxpayers(2026, 200))
        baseline = best_of(lambda: db.session.execute(SQL).all())
    return [Result("registry top-200", f"{n:,} enterprises", "top_taxpayers (load + rank)", ours,
                   "SQL GROUP BY", baseline, "ours also picks each group's head and keeps exact decimals")]
