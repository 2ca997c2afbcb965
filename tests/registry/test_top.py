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
