"""Circles from the banks' guarantees, 保/帮/关 with signals from every source, rescue through the three
routes to the court's hand-over, the bridge fund, and the blacklist as a registry flag."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from govsvc.extensions import db
from govsvc.finrisk import blacklist, bridge, classify, network, rescue
from govsvc.finrisk.models import Assessment
from govsvc.ledger.models import Matter
from govsvc.registry.flags import Flag, flags_for, FLAG_SOURCES
from govsvc.timeutil import local_today


def _circle(world):
    a, b, c = world.enterprise(name="甲公司"), world.enterprise(name="乙公司"), world.enterprise(name="丙公司", district="淄川区")
    d = world.enterprise(name="丁公司")
    world.guarantees([("G1", a, b, "1000000"), ("G2", b, c, "2000000"), ("G3", c, a, "3000000")], world.gh_user)
    world.guarantees([("N1", d, a, "500000")], world.nh_user)
    return a, b, c, d


def test_a_circle_is_found_and_drawn_and_a_bank_sees_only_its_own_network(world):
    a, b, c, d = _circle(world)
    data = network.overview(world.regulator)
    assert [sorted(e.name for e in circle.members) for circle in data["circles"]] == [["丙公司", "乙公司", "甲公司"]]
    assert data["circles"][0].amount == Decimal("6000000.00")
    assert data["top"][0]["enterprise"].id == a.id and data["top"][0]["reach"] == 3   # c, b and d
    circle, rows, stats = network.circle_of(world.regulator, b.id)
    assert len(rows) == 3 and stats[a.id]["reach"] == 3
    svg = network.circle_svg(circle, rows)
    assert "<svg" in svg and "甲公司" in svg and "担保圈" in svg
    # the NH bank sees only its own guarantee (no circle); the county 淄川区 sees the circle (丙 is its)
    assert network.overview(world.nh_user)["circles"] == []
    assert network.circle_of(world.nh_user, b.id) is None
    assert len(network.overview(world.zc_user)["circles"]) == 1


def test_signals_proposal_and_the_countys_confirmation(world, monkeypatch):
    a, b, c, d = _circle(world)
    world.loans([("L1", a, "900000", "2026-01-01", "2027-01-01", "逾期"), ("L2", a, "100", "2026-01-01", "2027-01-01", "不良")],
                world.gh_user)
    # tax arrears from another module's flag source, the grading's C grade
    monkeypatch.setitem(FLAG_SOURCES, "test.tax", lambda ids, on: {
        a.id: [Flag("test.tax", "tax_arrears", "欠税", "欠缴 3 个月", risk_signal=True)]} if a.id in ids else {})
    monkeypatch.setattr("govsvc.grading.service.published_grades", lambda on=None: {b.id: "C"})
    signals = classify.signals_for([a.id, b.id, d.id], local_today())
    assert sorted(signals[a.id][0]) == ["npl", "overdue", "tax_arrears"]
    assert signals[b.id][0] == ["grade_c"] and d.id not in signals
    count = classify.propose_all(world.regulator, 2026)
    assert count == 3          # a, b (signals) and c (in the circle); d has nothing
    item = db.session.scalar(select(Assessment).where(Assessment.enterprise_id == a.id))
    # no indicators yet: vitality 60, structure 50 → F = 0.35·60 + 0.2·50 = 31 < 40 → 关; R = 100 − 25 − 40 − 25
    assert item.score_map["risk"] == 10 and item.fundamentals == 31 and item.proposed == "exit"
    classify.update_indicators(world.zd_user, item, {"revenue_growth": 10.0, "rd_ratio": 3.0, "high_tech": True,
                                                     "structure": "encouraged", "employees": 800})
    assert item.proposed == "help"            # F = 35 + 20 + 20 + 0.25·40 = 85, but R = 10 < 40
    with pytest.raises(classify.ClassifyError):
        classify.confirm(world.zc_user, item, "help", "理由")           # not its district
    with pytest.raises(classify.ClassifyError):
        classify.confirm(world.zd_user, item, "help", " ")             # reason required
    classify.confirm(world.zd_user, item, "protect", "龙头企业，短期流动性困难")
    assert classify.confirmed_class(a.id) == "protect"
    matter = classify.add_measure(world.zd_user, item, "协调银行续贷", "", None, local_today() + timedelta(days=30))
    assert matter.responsible_unit_id == world.zd.id and classify.measures(a.id) == [matter]
    assert classify.largest_risk_enterprises()[0][0].id == a.id
    link = classify.assign_leader(world.regulator, a, None, "张市长", "副市长", "每月走访")
    assert link.leader_name == "张市长"


def test_rescue_through_bank_talks_and_coordination_to_the_court(world):
    a, b, c, d = _circle(world)
    with pytest.raises(rescue.RescueError):
        rescue.nominate(world.zc_user, a, 2026, "发展思路清晰")          # another county's enterprise
    outsider = world.enterprise()
    with pytest.raises(rescue.RescueError):
        rescue.nominate(world.zd_user, outsider, 2026, "不在担保圈")
    item = rescue.nominate(world.zd_user, a, 2026, "主业盈利，因担保乙公司陷入困境")
    assert item.candidate_due == date(2026, 11, 30) and item.ledger_due == date(2026, 12, 31)
    with pytest.raises(rescue.RescueError):
        rescue.start_route(world.zd_user, item, "bank_talks", "x")        # not yet assessed
    with pytest.raises(rescue.RescueError):
        rescue.assess(world.regulator, item, auditor="会计师事务所", capital_flight=False, malicious_evasion=False,
                      rescue_value=True, note="具备挽救价值", owner_unit_id=None, target="", due_date=None)
    rescue.assess(world.regulator, item, auditor="会计师事务所", capital_flight=False, malicious_evasion=False,
                  rescue_value=True, note="具备挽救价值", owner_unit_id=world.zd.id, target="化解担保链风险",
                  due_date=local_today() + timedelta(days=60))
    assert item.stage == "ledger" and rescue.next_route(item) == "bank_talks"
    with pytest.raises(rescue.RescueError):
        rescue.start_route(world.zd_user, item, "admin_coord", "跳过银企对接")   # order
    with pytest.raises(rescue.RescueError):
        rescue.handover(world.zd_user, item, "reorganization", "企业同意")
    rescue.start_route(world.zd_user, item, "bank_talks", "债委会会议")
    rescue.record_result(world.zd_user, item, False, "一家银行不同意展期")
    assert rescue.next_route(item) == "admin_coord"
    rescue.start_route(world.zd_user, item, "admin_coord", "政府性融资担保公司增信")
    rescue.record_result(world.zd_user, item, False, "担保公司额度不足")
    matter = rescue.handover(world.zd_user, item, "pre_reorganization", "企业书面同意预重整")
    assert (matter.module, matter.kind, matter.ref) == ("bankruptcy", "handover.rescue", f"finrisk.rescue:{item.id}")
    assert matter.responsible_unit_id == world.court_unit.id
    assert a.credit_code in matter.description and "预重整" in matter.description and "债委会会议" in matter.description
    assert item.stage == "judicial" and item.handover_matter_id == matter.id


def test_rescue_rejected_when_funds_were_withdrawn_and_agreement_ends_it(world):
    a, b, c, d = _circle(world)
    item = rescue.nominate(world.regulator, a, 2026, "x")
    rescue.assess(world.regulator, item, auditor="所", capital_flight=True, malicious_evasion=False, rescue_value=True,
                  note="发现抽逃资金", owner_unit_id=None, target="", due_date=None)
    assert item.stage == "rejected" and "抽逃资金" in item.outcome
    other = rescue.nominate(world.regulator, b, 2026, "x")
    rescue.assess(world.regulator, other, auditor="所", capital_flight=False, malicious_evasion=False, rescue_value=True,
                  note="可挽救", owner_unit_id=world.zd.id, target="t", due_date=local_today())
    rescue.start_route(world.regulator, other, "bank_talks", "债委会")
    rescue.record_result(world.regulator, other, True, "签订债务清偿协议")
    assert other.stage == "rescued" and db.session.get(Matter, other.matter_id).status == "concluded"


def test_bridge_fund_for_protect_and_help_only_within_the_pool(world):
    a, b, c, d = _circle(world)
    item = Assessment(enterprise_id=a.id, year=2026, proposed="help", confirmed="exit")
    db.session.add(item)
    db.session.flush()
    with pytest.raises(bridge.BridgeError, match="关"):
        bridge.apply(world.zd_user, a, Decimal(100), 30, "转贷", None)
    item.confirmed = "help"
    loan = bridge.apply(world.zd_user, a, Decimal("1000000"), 30, "转贷", world.gh.id)
    with pytest.raises(bridge.BridgeError, match="尚未设立"):
        bridge.decide(world.zd_user, loan, True, "同意")
    bridge.set_pool(world.zd_user, world.zd, Decimal("800000"))
    with pytest.raises(bridge.BridgeError, match="可用余额"):
        bridge.decide(world.zd_user, loan, True, "同意")
    bridge.set_pool(world.zd_user, world.zd, Decimal("1500000"))
    bridge.decide(world.zd_user, loan, True, "同意")
    assert bridge.available(world.zd.id) == Decimal("500000")
    bridge.disburse(world.zd_user, loan, date(2026, 11, 1))
    assert loan.due_on == date(2026, 12, 1)
    bridge.repay(world.zd_user, loan, Decimal("600000"), date(2026, 11, 20))
    with pytest.raises(bridge.BridgeError):
        bridge.repay(world.zd_user, loan, Decimal("400001"), date(2026, 11, 25))
    bridge.repay(world.zd_user, loan, Decimal("400000"), date(2026, 11, 25))
    assert loan.status == "repaid" and bridge.available(world.zd.id) == Decimal("1500000")
    with pytest.raises(bridge.BridgeError):
        bridge.set_pool(world.zc_user, world.zd, Decimal(1))


def test_the_blacklist_is_a_flag_that_bars_honours_until_lifted(world):
    from tests.factories import make_id_number

    a = world.enterprise()
    with pytest.raises(blacklist.BlacklistError):
        blacklist.add(world.zd_user, enterprise=a, person_name="", id_no="", found_on=date(2026, 5, 1), basis="x", bank_id=None)
    entry = blacklist.add(world.regulator, enterprise=a, person_name="王五", id_no=make_id_number(7),
                          found_on=date(2026, 5, 1), basis="转移资产逃避银行债务", bank_id=world.gh.id)
    assert entry.person_id_masked.startswith("3703") and "*" in entry.person_id_masked
    flags = flags_for([a.id], date(2026, 5, 1))[a.id]
    assert flags[0].bars_honours and flags[0].risk_signal and "王五" in flags[0].reason
    assert flags_for([a.id], date(2026, 4, 30)) == {}
    assert blacklist.person_blacklisted(make_id_number(7), date(2026, 6, 1))
    blacklist.lift(world.regulator, entry, date(2026, 9, 1), "已清偿")
    assert flags_for([a.id], date(2026, 9, 1)) == {} and flags_for([a.id], date(2026, 8, 31))
    assert "evasion" in classify.signals_for([a.id], date(2026, 8, 31))[a.id][0]
