"""Top-200 from the database: previous year's tax, groups together, the CLI."""
from decimal import Decimal

from govsvc.extensions import db
from govsvc.registry.service import top_taxpayers


def _seed(factory):
    a = factory.enterprise(name="甲", tax={2025: "500", 2024: "9999"})
    head = factory.enterprise(name="集团母公司", group_name="金城集团", group_head=True, tax={2025: "300"})
    factory.enterprise(name="集团子公司", group_name="金城集团", tax={2025: "250"})
    closed = factory.enterprise(name="已注销", status="注销", tax={2025: "10000"})
    b = factory.enterprise(name="乙", tax={2025: "400"})
    db.session.commit()
    return a, head, closed, b


def test_top_uses_previous_year_and_groups(app, factory):
    a, head, closed, b = _seed(factory)
    ranked = top_taxpayers(2026, 200)
    assert [(r.rank, e.id, r.total) for r, e in ranked] == [
        (1, head.id, Decimal("550.00")), (2, a.id, Decimal("500.00")), (3, b.id, Decimal("400.00"))]
    assert [e.id for _, e in top_taxpayers(2026, 2)] == [head.id, a.id]
    assert [e.id for _, e in top_taxpayers(2025, 200)] == [a.id]  # 2024 taxes


def test_cli_top(runner, factory, tmp_path):
    _, head, _, _ = _seed(factory)
    out = tmp_path / "top.csv"
    result = runner.invoke(args=["registry", "top", "--year", "2026", "--n", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "rank,credit_code,name,group,members,total"
    assert lines[1].startswith(f"1,{head.credit_code},集团母公司,金城集团,2,550.00")
    assert len(lines) == 3
    result = runner.invoke(args=["registry", "top", "--year", "1999"])
    assert result.exit_code == 2 and "没有纳税记录" in result.output


def test_top_page_and_export(client, login_as, factory):
    _seed(factory)
    login_as("organizer")
    html = client.get("/registry/top?year=2026&n=200").get_data(as_text=True)
    assert "集团母公司" in html and "550.00" in html and "已注销" not in html
    export = client.get("/registry/top?year=2026&n=200&format=csv")
    assert export.headers["Content-Type"].startswith("text/csv")
    assert "集团母公司" in export.get_data(as_text=True)


def test_top_from_the_database_equals_the_core_over_every_row(app, factory):
    """The database path (sums in fen, the first n groups and their possible representatives)
    gives the list the pure core gives over every tax row, ties and groups included."""
    import random

    from sqlalchemy import select

    from govsvc.registry.models import Enterprise, TaxRecord
    from scoring.taxpayers import TaxEntry, rank_taxpayers

    rng = random.Random(5)
    for i in range(60):
        group = rng.choice(["", "", "", "甲集团", "乙集团", "丙集团"])
        factory.enterprise(name=f"企业{i}", group_name=group, group_head=bool(group) and rng.random() < 0.2,
                           status="存续" if rng.random() < 0.85 else "注销",
                           tax={2025: rng.choice(["100.10", "200.20", "0.29", "5000.05", f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"])})
    db.session.commit()
    rows = db.session.execute(select(Enterprise, TaxRecord).join(TaxRecord).where(TaxRecord.year == 2025))
    entries = [TaxEntry(e.id, e.credit_code, e.group_name or "", bool(e.group_head), e.status == "存续", t.local_retained)
               for e, t in rows]
    for n in (1, 3, 7, 20, 200):
        assert [r for r, _ in top_taxpayers(2026, n)] == rank_taxpayers(entries, n), n


def test_top_cut_among_equal_amounts_keeps_the_core_order(app, factory):
    """Outside groups the database reads the n + 1 largest amounts; when the cut falls among equal
    amounts every enterprise of that amount is read, so the core's credit-code order decides."""
    ids = [factory.enterprise(name=f"同额{i}", tax={2025: "100.00"}).id for i in range(6)]
    big = factory.enterprise(name="大户", tax={2025: "900.00"})
    db.session.commit()
    from govsvc.registry.models import Enterprise

    codes = {e.id: e.credit_code for e in db.session.scalars(db.select(Enterprise))}
    expected = [big.id] + sorted(ids, key=codes.get)[:2]
    assert [e.id for _, e in top_taxpayers(2026, 3)] == expected
