"""The pages: a bank never sees another bank's loans (lists, exports, the ledger entry, the network,
the enterprise page), imports through the web, server-side confirmation of the court hand-over, and
the CLI."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from govsvc.extensions import db
from govsvc.finrisk import maturity, rescue
from govsvc.finrisk.models import Loan, MaturityEntry
from govsvc.ledger.models import Matter
from govsvc.timeutil import local_today
from tests.conftest import form_post, login, logout


def _two_banks(world):
    a, b = world.enterprise(name="甲贷款企业"), world.enterprise(name="乙贷款企业")
    soon = (local_today() + timedelta(days=45)).isoformat()
    world.loans([("GH-1", a, "100", "2026-01-01", soon, "正常")], world.gh_user)
    world.loans([("NH-SECRET", b, "200", "2026-01-01", soon, "逾期")], world.nh_user)
    world.guarantees([("NG1", a, b, "50"), ("NG2", b, a, "60")], world.nh_user)
    maturity.sweep()
    db.session.commit()
    return a, b


def test_a_bank_never_sees_another_banks_loans_on_any_page(world, client):
    a, b = _two_banks(world)
    nh_entry = db.session.scalar(select(MaturityEntry).join(MaturityEntry.loan).where(Loan.loan_no == "NH-SECRET"))
    login(client, world.gh_user.username)
    for url in ("/finrisk/loans", "/finrisk/loans?format=csv", "/finrisk/guarantees?format=csv", "/finrisk/maturity",
                "/finrisk/maturity?format=csv", "/finrisk/", "/finrisk/network", f"/registry/enterprises/{b.id}"):
        response = client.get(url)
        text = response.get_data(as_text=True)
        assert response.status_code in (200, 403, 404), url
        assert "NH-SECRET" not in text and "NG1" not in text and "农业银行" not in text, url
    assert "GH-1" in client.get("/finrisk/loans").get_data(as_text=True)
    assert client.get(f"/finrisk/maturity/{nh_entry.id}").status_code == 404
    assert client.get(f"/finrisk/network/circle/{a.id}").status_code == 404     # NH's circle
    assert client.get("/finrisk/loans?bank=" + str(world.nh.id)).get_data(as_text=True).count("NH-SECRET") == 0
    # nor can it record on another bank's entry
    response = form_post(client, f"/finrisk/maturity/{nh_entry.id}/plan", {"repayment_plan": "x", "funds_source": "y"},
                         page="/finrisk/loans")
    assert response.status_code == 404 and nh_entry.plan_at is None
    # the regulator sees both, the NH bank its circle
    logout(client)
    login(client, world.regulator.username)
    text = client.get("/finrisk/loans?format=csv").get_data(as_text=True)
    assert "NH-SECRET" in text and "GH-1" in text
    logout(client)
    login(client, world.nh_user.username)
    page = client.get(f"/finrisk/network/circle/{a.id}")
    assert page.status_code == 200 and "甲贷款企业" in page.get_data(as_text=True)
    svg = client.get(f"/finrisk/network/circle/{a.id}.svg")
    assert svg.mimetype == "image/svg+xml" and "乙贷款企业" in svg.get_data(as_text=True)


def test_web_import_and_the_bank_records_its_plan(world, client):
    import io

    a = world.enterprise()
    db.session.commit()
    login(client, world.gh_user.username)
    soon = (local_today() + timedelta(days=50)).isoformat()
    data = f"period,loan_no,credit_code,amount,start_date,maturity_date,status\n2026-11,W1,{a.credit_code},800,2026-01-01,{soon},正常\n"
    response = form_post(client, "/finrisk/import/loans", {"mode": "all", "file": (io.BytesIO(data.encode()), "l.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 200 and "新增 1" in response.get_data(as_text=True)
    entry = db.session.scalar(select(MaturityEntry))
    assert entry is not None and entry.loan.bank_id == world.gh.id          # entered at once (within 3 months)
    response = form_post(client, f"/finrisk/maturity/{entry.id}/plan", {"repayment_plan": "到期归还", "funds_source": "货款"},
                         page=f"/finrisk/maturity/{entry.id}")
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.repayment_plan == "到期归还"


def test_the_hand_over_needs_the_confirmation_box(world, client):
    a, b = _two_banks(world)
    item = rescue.nominate(world.regulator, a, local_today().year, "样例")
    rescue.assess(world.regulator, item, auditor="所", capital_flight=False, malicious_evasion=False, rescue_value=True,
                  note="可挽救", owner_unit_id=world.zd.id, target="t", due_date=local_today())
    for route in ("bank_talks", "admin_coord"):
        rescue.start_route(world.regulator, item, route, "安排")
        rescue.record_result(world.regulator, item, False, "未能化解")
    db.session.commit()
    login(client, world.zd_user.username)
    url = f"/finrisk/rescues/{item.id}/handover"
    response = form_post(client, url, {"procedure": "reorganization", "note": "企业同意"}, page=f"/finrisk/rescues/{item.id}")
    assert response.status_code == 422 and "请勾选确认" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Matter).where(Matter.module == "bankruptcy")) == 0
    response = form_post(client, url, {"procedure": "reorganization", "note": "企业同意", "confirm": "y"},
                         page=f"/finrisk/rescues/{item.id}")
    assert response.status_code == 302
    page = client.get(f"/finrisk/rescues/{item.id}").get_data(as_text=True)
    assert "已移交市中级人民法院" in page and "重整" in page


def test_cli_sweep_and_bad_date(world, runner):
    _two_banks(world)
    result = runner.invoke(args=["finrisk", "sweep", "--on", "2026-13-01"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    result = runner.invoke(args=["finrisk", "sweep"])
    assert result.exit_code == 0 and "新纳入台账 0 笔" in result.output
