"""Fixtures of the bankruptcy tests: a small mechanism — the office at the financial regulator
(JRJ), the intermediate court (ZYFY) with its court account, member units with department
accounts, a district government, a court and an administrator, a debtor in the registry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from govsvc.bankruptcy import directory
from govsvc.extensions import db


@dataclass
class World:
    jrj: object       # 市地方金融监督管理局: the office
    zyfy: object      # 市中级人民法院
    rsj: object       # 人社局
    swj: object       # 税务局
    scj: object       # 市场监管局
    zf: object        # 张店区人民政府
    office: object    # finance-regulator account at JRJ (the office)
    court: object     # court account at ZYFY
    rsj_user: object  # department accounts
    swj_user: object
    scj_user: object
    leader: object
    court_row: object
    administrator: object
    debtor: object


@pytest.fixture
def world(factory) -> World:
    jrj = factory.unit("JRJ", name="市地方金融监督管理局")
    zyfy = factory.unit("ZYFY", name="市中级人民法院")
    rsj = factory.unit("RSJ", name="市人力资源和社会保障局")
    swj = factory.unit("SWJ", name="国家税务总局淄博市税务局")
    scj = factory.unit("SCJ", name="市市场监督管理局")
    zf = factory.unit("ZF-ZD", name="张店区人民政府", level="county", district="张店区")
    office = factory.user("finance-regulator", unit=jrj, username="regulator")
    court = factory.user("court", unit=zyfy, username="court")
    users = [factory.user("department", unit=u, username=f"dept-{u.code.lower()}") for u in (rsj, swj, scj)]
    leader = factory.user("leader", username="leader")
    directory.save_settings(None, name="市企业破产处置协调联动机制", established_on=date(2020, 7, 10), office_unit=jrj,
                            joint_months=6, topic_months=3, reply_days=15, setup=True)
    for unit in (jrj, zyfy, rsj, swj, scj, zf):
        db.session.add(directory.Member(unit_id=unit.id, leader_name="分管同志", liaison_name="联络人"))
    court_row = directory.add_court(None, name="市中级人民法院", district="", unit=zyfy, setup=True)
    administrator = directory.add_administrator(None, name="某律师事务所", kind="law_firm", setup=True)
    debtor = factory.enterprise(name="淄博某化工有限公司", legal_rep="张三", head_name="张三")
    db.session.commit()
    return World(jrj, zyfy, rsj, swj, scj, zf, office, court, *users, leader, court_row, administrator, debtor)


def duty(matter_type: str, lead, *support, text: str = "职责") -> None:
    """A row of the duty matrix, put straight in (the import has its own tests)."""
    row = directory.Duty(matter_type=matter_type, duty=text)
    row.units = [directory.DutyUnit(unit_id=lead.id, lead=True, position=0)] + [
        directory.DutyUnit(unit_id=u.id, lead=False, position=i) for i, u in enumerate(support)]
    db.session.add(row)
    db.session.flush()
