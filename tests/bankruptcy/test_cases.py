"""The case ledger and the pre-acceptance warning: a case is assessed on the written rule before
acceptance, a high-risk case needs a disposal plan first, acceptance and progress, the leadership
group of a major case — and the documented entry point for the financial-risk module's
hand-overs, `open_case_from_handover`."""
from datetime import timedelta
from decimal import Decimal

import pytest

from govsvc.bankruptcy import access, cases, directory
from govsvc.bankruptcy.models_cases import Case
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.ledger.service import create_matter
from govsvc.registry.sections import sections_for
from govsvc.timeutil import local_today
from tests.conftest import form_post, login

WAN = Decimal(10000)


def _register(world, **figures):
    return cases.register_case(world.court, enterprise=world.debtor, court=world.court_row, procedure="reorganization",
                               applicant="某银行", applied_on=local_today(), figures=figures)


def test_registration_assesses_at_once_with_the_rule_in_force(world):
    case = _register(world, employees=320, debts=Decimal(20000) * WAN, opinion=1)
    assert (case.stage, case.risk_score, case.risk_level, case.major) == ("warning", 45, "medium", False)
    assessment = cases.latest_assessment(case)
    assert assessment.rules == directory.mechanism().risk_rules
    parts = {p["factor"]: p["points"] for p in cases.breakdown(assessment)["parts"]}
    assert parts == {"employees": 20, "wage_arrears": 0, "debts": 20, "guarantees": 0, "opinion": 5}
    with pytest.raises(access.ServiceError, match="已有未终结的案件"):
        _register(world)
    with pytest.raises(access.NotAllowed):
        cases.register_case(world.office, enterprise=world.debtor, court=world.court_row, procedure="liquidation")


def test_high_risk_needs_a_disposal_plan_before_acceptance(world):
    case = _register(world, employees=1000)  # a single factor at its high mark
    assert case.risk_level == "high" and case.major and cases.plan_missing(case)
    with pytest.raises(access.ServiceError, match="须制定处置方案"):
        cases.accept_case(world.court, case, case_number="（2026）鲁03破1号", accepted_on=local_today(), confirm=True)
    with pytest.raises(access.ServiceError, match="维稳措施和职工安置"):
        cases.record_plan(world.court, case, {"stability": "属地政府牵头维稳"})
    cases.record_plan(world.office, case, {"stability": "属地政府牵头维稳", "employees": "人社局负责职工安置"})
    assert not cases.plan_missing(case)
    cases.accept_case(world.court, case, case_number="（2026）鲁03破1号", accepted_on=local_today(),
                      administrator=world.administrator, confirm=True)
    assert (case.stage, case.case_number, case.administrator_id) == ("accepted", "（2026）鲁03破1号", world.administrator.id)
    with pytest.raises(access.ServiceError, match="不能再受理"):
        cases.accept_case(world.court, case, case_number="x", accepted_on=local_today(), confirm=True)


def test_a_lower_reassessment_lifts_the_plan_requirement(world):
    case = _register(world, opinion=3)
    assert case.risk_level == "high"
    cases.reassess(world.court, case, {"opinion": 1})
    assert case.risk_level == "low" and not cases.plan_missing(case) and len(case.assessments) == 2


def test_acceptance_asks_for_confirmation_and_a_unique_case_number(world, factory):
    case = _register(world)
    with pytest.raises(access.ServiceError) as exc:
        cases.accept_case(world.court, case, case_number="", accepted_on=local_today() + timedelta(days=1))
    assert set(exc.value.errors) == {"case_number", "accepted_on", "confirm"}
    cases.accept_case(world.court, case, case_number="（2026）鲁03破5号", accepted_on=local_today(), confirm=True)
    other = cases.register_case(world.court, enterprise=factory.enterprise(), court=world.court_row,
                                procedure="liquidation")
    with pytest.raises(access.ServiceError, match="已被其他案件使用"):
        cases.accept_case(world.court, other, case_number="（2026）鲁03破5号", accepted_on=local_today(), confirm=True)


def test_progress_moves_forward_only_and_ends(world):
    case = _register(world)
    with pytest.raises(access.ServiceError, match="已受理、未终结"):
        cases.advance(world.court, case, stage="claims", on=local_today(), note="x")
    cases.accept_case(world.court, case, case_number="（2026）鲁03破7号", accepted_on=local_today(), confirm=True)
    cases.advance(world.court, case, stage="creditors_meeting", on=local_today(), note="第一次债权人会议",
                  figures={"creditors": 86})
    assert case.creditors == 86
    with pytest.raises(access.ServiceError, match="不能退回"):
        cases.advance(world.court, case, stage="claims", on=local_today(), note="x")
    with pytest.raises(access.ServiceError, match="勾选确认"):
        cases.advance(world.court, case, stage="concluded", on=local_today(), note="终结")
    cases.advance(world.court, case, stage="concluded", on=local_today(), note="重整计划执行完毕", confirm=True)
    assert case.closed_on == local_today() and not case.is_open
    assert [e.stage for e in case.events] == ["warning", "accepted", "creditors_meeting", "concluded"]


def test_decline_ends_the_case_before_acceptance(world):
    case = _register(world)
    with pytest.raises(access.ServiceError) as exc:
        cases.decline_case(world.court, case, note="")
    assert set(exc.value.errors) == {"note", "confirm"}
    cases.decline_case(world.court, case, note="申请人撤回申请", confirm=True)
    assert case.stage == "rejected" and case.closed_on == local_today()
    _register(world)  # the enterprise may have a new case now


def test_leadership_group_only_for_major_cases(world):
    case = _register(world)
    with pytest.raises(access.ServiceError, match="重大、敏感案件"):
        cases.add_group_member(world.court, case, role="leader", name="李某", post="副市长")
    cases.set_major(world.court, case, True, "涉及职工 800 人")
    cases.add_group_member(world.court, case, role="leader", name="李某", post="副区长", unit=world.zf)
    cases.add_group_member(world.court, case, role="deputy", name="王某", post="副院长", unit=world.zyfy)
    assert {(g.role_label, g.name, g.unit_id) for g in case.group} == {("组长", "李某", world.zf.id),
                                                                       ("副组长", "王某", world.zyfy.id)}
    with pytest.raises(access.NotAllowed):
        cases.add_group_member(world.rsj_user, case, role="member", name="x")


# -- the hand-over entry point (used by the financial-risk module) ------------------------------------
def _handover(world, text=None):
    return create_matter(module="bankruptcy", kind="handover.rescue", ref="finrisk.rescue:7",
                         title="担保圈企业转入司法程序", source="金融监管局移交",
                         description=text or (f"债务人统一社会信用代码：{world.debtor.credit_code}；"
                                              "帮扶无效，拟申请预重整。"),
                         responsible_unit_id=world.zyfy.id)


def test_open_case_from_handover_reads_the_matter_and_links_both_ways(world):
    matter = _handover(world)
    case = cases.open_case_from_handover(matter, world.court, figures={"employees": 120})
    assert (case.enterprise_id, case.procedure, case.stage) == (world.debtor.id, "pre_reorganization", "warning")
    assert case.handover_matter_id == matter.id and case.court_id == world.court_row.id
    assert case.risk_level == "low" and cases.latest_assessment(case) is not None
    assert matter.status == workflow.IN_PROGRESS and f"已建立案件 #{case.id}" in matter.events[-1].note
    assert cases.case_for_handover(matter) == case
    with pytest.raises(access.ServiceError, match="已建立案件"):
        cases.open_case_from_handover(matter, world.court)
    cases.accept_case(world.court, case, case_number="（2026）鲁03破预1号", accepted_on=local_today(), confirm=True)
    assert matter.status == workflow.CONCLUDED and "（2026）鲁03破预1号" in matter.events[-1].note


def test_open_case_from_handover_without_a_readable_debtor_asks_for_it(world, factory):
    matter = _handover(world, "某担保圈企业拟重整（代码见附件）")
    with pytest.raises(access.ServiceError) as exc:
        cases.open_case_from_handover(matter, world.court)
    assert "credit_code" in exc.value.errors
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0
    other = factory.enterprise()
    case = cases.open_case_from_handover(matter, world.court, enterprise=other, procedure="reorganization")
    assert case.enterprise_id == other.id and case.procedure == "reorganization"


def test_open_case_from_handover_refuses_other_matters_and_roles(world):
    general = create_matter(module="general", kind="general", title="x")
    with pytest.raises(access.ServiceError, match="不是司法介入移交事项"):
        cases.open_case_from_handover(general, world.court)
    with pytest.raises(access.NotAllowed):
        cases.open_case_from_handover(_handover(world), world.office)


def test_declining_a_handed_over_case_concludes_the_handover(world):
    matter = _handover(world)
    case = cases.open_case_from_handover(matter, world.court)
    cases.decline_case(world.court, case, note="不符合受理条件", confirm=True)
    assert matter.status == workflow.CONCLUDED and "法院未受理" in matter.events[-1].note


def test_handover_pages(client, world):
    matter = _handover(world)
    db.session.commit()
    login(client, "court")
    listing = client.get("/bankruptcy/handovers").get_data(as_text=True)
    assert "担保圈企业转入司法程序" in listing and "建立案件" in listing
    page = f"/bankruptcy/handovers/{matter.id}/open"
    html = client.get(page).get_data(as_text=True)
    assert world.debtor.name in html and "预重整" in html
    response = form_post(client, page, {"court_id": str(world.court_row.id), "employees": "1200", "opinion": "0"})
    assert response.status_code == 302
    case = db.session.scalar(db.select(Case))
    assert case.risk_level == "high" and case.handover_matter_id == matter.id
    html = client.get(f"/bankruptcy/cases/{case.id}").get_data(as_text=True)
    assert "高风险案件：受理前须制定处置方案" in html and "单项高风险" in html


def test_case_pages_and_the_enterprise_section(app, client, world):
    case = _register(world, employees=60)
    db.session.commit()
    login(client, "court")
    html = client.get(f"/bankruptcy/cases/{case.id}").get_data(as_text=True)
    assert "≥50人" in html and "低风险" in html
    refused = form_post(client, f"/bankruptcy/cases/{case.id}/accept", {"acc-case_number": "（2026）鲁03破9号",
                                                                        "acc-accepted_on": local_today().isoformat(),
                                                                        "acc-administrator_id": "0"},
                        page=f"/bankruptcy/cases/{case.id}")
    assert "受理后不能退回预警阶段，请勾选确认" in refused.get_data(as_text=True)
    assert db.session.get(Case, case.id).stage == "warning"
    listing = client.get("/bankruptcy/cases?format=csv").get_data(as_text=True)
    assert world.debtor.credit_code in listing
    with app.test_request_context():
        sections = sections_for(world.debtor, world.court)
        assert any(s.title.startswith("企业破产处置") and ("破产案件", case.title) in s.rows for s in sections)
        assert not any(s.title.startswith("企业破产处置") for s in sections_for(world.debtor, world.rsj_user))


def test_court_registers_a_case_on_the_page(client, world):
    login(client, "court")
    page = "/bankruptcy/cases/new"
    bad = form_post(client, page, {"credit_code": world.debtor.credit_code[:-1] + "0", "court_id": str(world.court_row.id),
                                   "procedure": "liquidation", "opinion": "0"})
    assert "第 18 位" in bad.get_data(as_text=True) or "不是" in bad.get_data(as_text=True)
    ok = form_post(client, page, {"credit_code": world.debtor.credit_code, "court_id": str(world.court_row.id),
                                  "procedure": "liquidation", "employees": "300", "debts": "200000000",
                                  "guarantees": "100000000", "opinion": "0"})
    assert ok.status_code == 302
    case = db.session.scalar(db.select(Case))
    assert (case.risk_score, case.risk_level) == (60, "high")  # 20 + 20 + 20
