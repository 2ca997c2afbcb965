"""A small city for the liaison tests: the office (工信局), 市委办 / 市政府办 and the other leaders'
offices, two county governments, two city leaders and a county leader, enterprises with last
year's tax (one group of two), a confirmed served list of the current list year with the city
leaders assigned, and the enterprise-side accounts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

import pytest

from govsvc.care import liaison
from govsvc.care.liaison_leaders import save_city_leader, save_county_leader
from govsvc.extensions import db
from govsvc.timeutil import LOCAL_TZ, local_today
from scoring import liaison as core

OFFICES = ("SWBGS", "RDBGS", "ZFBGS", "ZXBGS", "ZYFY", "JCY")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


@dataclass
class World:
    year: int
    units: dict
    office: object          # dept user of GXJ (重点企业联络员办公室)
    staff: dict             # unit code → dept user
    leaders: list           # city leader profiles (L0 at 市政府办, L1 at 市委办)
    leader_users: list
    county_leader: object   # 张店区's county leader
    enterprises: dict       # name → Enterprise
    heads: dict             # name → enterprise-side user
    lst: object = None
    extra: dict = field(default_factory=dict)


def build_world(factory, *, assign: bool = True) -> World:
    year = core.list_year(local_today())
    units = {"GXJ": factory.unit("GXJ", name="市工业和信息化局")}
    names = {"SWBGS": "市委办公室", "RDBGS": "市人大常委会办公室", "ZFBGS": "市政府办公室", "ZXBGS": "市政协办公室",
             "ZYFY": "市中级人民法院", "JCY": "市人民检察院"}
    for code in OFFICES:
        units[code] = factory.unit(code, name=names[code])
    units["ZF-ZD"] = factory.unit("ZF-ZD", name="张店区人民政府", level="county", district="张店区")
    units["ZF-ZC"] = factory.unit("ZF-ZC", name="淄川区人民政府", level="county", district="淄川区")
    staff = {code: factory.user("department", unit=unit, username=f"dept-{code.lower()}") for code, unit in units.items()}
    office = staff["GXJ"]
    leader_users = [factory.user("leader", username=f"leader-{n}") for n in (1, 2)]
    leaders = [save_city_leader(office, None, {"username": u.username, "name": name, "post": post, "office_code": code,
                                               "field": field_, "duties": "", "sort_order": n, "active": True})
               for n, (u, name, post, code, field_) in enumerate(zip(
                   leader_users, ("王副市长", "李常委"), ("副市长", "市委常委"), ("ZFBGS", "SWBGS"), ("工业", "服务业")))]
    county_leader = save_county_leader(staff["ZF-ZD"], None, {"name": "赵区长", "post": "区长", "field": "工业",
                                                             "duties": "", "sort_order": 1, "active": True})
    tax = year - 1
    enterprises = {
        "大厂": factory.enterprise(name="大厂有限公司", district="张店区", tax={tax: "900000"}),
        "集团母公司": factory.enterprise(name="金城集团有限公司", district="张店区", group_name="金城集团", group_head=True,
                                    tax={tax: "500000"}),
        "集团成员": factory.enterprise(name="金城化工有限公司", district="淄川区", group_name="金城集团", tax={tax: "100000"}),
        "新业态": factory.enterprise(name="云端科技有限公司", district="张店区", new_format=True, above_scale=False,
                                  tax={tax: "300"}),
        "规上小厂": factory.enterprise(name="张店小厂有限公司", district="张店区", tax={}),
        "淄川规上": factory.enterprise(name="淄川机械有限公司", district="淄川区", tax={}),
        "非规上": factory.enterprise(name="张店小店有限公司", district="张店区", above_scale=False, tax={}),
    }
    heads = {name: factory.user("evaluator", enterprise=e) for name, e in enterprises.items()}
    heads["新业态"] = factory.user("enterprise", enterprise=enterprises["新业态"])
    world = World(year, units, office, staff, leaders, leader_users, county_leader, enterprises, heads)
    world.lst = liaison.compose_list(office, year)
    liaison.confirm_list(office, world.lst)
    if assign:
        liaison.assign_city(office, world.lst, enterprises["大厂"], leaders[0])
        liaison.assign_city(office, world.lst, enterprises["集团母公司"], leaders[1])
        liaison.assign_city(office, world.lst, enterprises["新业态"], leaders[1])
    db.session.flush()
    return world


@pytest.fixture
def world(app, factory) -> World:
    built = build_world(factory)
    db.session.commit()
    return built
