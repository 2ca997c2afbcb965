"""Helpers of the care module's second-half tests (容错纠错, 政法委 ledgers, green channel, honours): a
small city with the seed's unit codes and an account per role that matters. Import the fixture
into a test module with `from tests.care.helpers_support import city  # noqa: F401`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from govsvc.auth.models import User
from govsvc.extensions import db
from govsvc.registry.models import Enterprise, Unit

# The units the plans name (seed/units.csv codes) and their names.
UNITS = {
    "JWJ": "市纪委监委", "ZFW": "市委政法委", "ZYFY": "市中级人民法院", "JCY": "市人民检察院", "GAJ": "市公安局",
    "SFJ": "市司法局", "RCB": "市委人才工作领导小组办公室", "GXJ": "市工业和信息化局", "FGW": "市发展和改革委员会",
    "ZJJ": "市住房和城乡建设局", "RDBGS": "市人大常委会办公室", "ZXBGS": "市政协办公室", "ZZB": "市委组织部",
    "RSJ": "市人力资源和社会保障局", "TZB": "市委统战部", "WLJ": "市文化和旅游局", "WJW": "市卫生健康委员会",
    "TYJ": "市体育局", "SCJ": "市市场监督管理局", "YJJ": "市应急管理局", "SHJ": "市生态环境局",
}


@dataclass
class City:
    units: dict[str, Unit]
    users: dict[str, User]
    enterprises: list[Enterprise] = field(default_factory=list)

    def dept(self, code: str) -> User:
        return self.users[f"dept-{code.lower()}"]


def unit_with_code(factory, code: str, **fields) -> Unit:
    """The unit with this code, created when missing (other modules' samples may have made it)."""
    return db.session.scalar(select(Unit).where(Unit.code == code)) or factory.unit(code, **fields)


def make_city(factory) -> City:
    units = {code: unit_with_code(factory, code, name=name) for code, name in UNITS.items()}
    units["GAJ-ZD"] = unit_with_code(factory, "GAJ-ZD", name="张店区公安分局", level="county", district="张店区",
                                     system_id=units["GAJ"].id)
    tag = factory.next()  # usernames unique even when several worlds share a database
    users = {f"dept-{code.lower()}": factory.user("department", username=f"cs{tag}-{code.lower()}", unit=unit)
             for code, unit in units.items()}
    users["leader"] = factory.user("leader", username=f"cs{tag}-leader")
    users["discipline"] = factory.user("discipline", username=f"cs{tag}-discipline")
    users["discipline-yjj"] = factory.user("discipline", username=f"cs{tag}-discipline-yjj", unit=units["YJJ"])
    users["organization"] = factory.user("organization", username=f"cs{tag}-organization", unit=units["ZZB"])
    users["court"] = factory.user("court", username=f"cs{tag}-court", unit=units["ZYFY"])
    enterprises = [factory.enterprise(name=f"淄博测试{n}有限公司", head_name=f"企业家{n}",
                                      tax={2024: "500000.00", 2025: "600000.00"}) for n in range(1, 7)]
    for n, enterprise in enumerate(enterprises, 1):
        users[f"head{n:03d}"] = factory.user("evaluator", username=f"cs{tag}-head{n:03d}", enterprise=enterprise)
    users["portal"] = factory.user("enterprise", username=f"cs{tag}-portal", enterprise=enterprises[0])
    db.session.commit()
    return City(units, users, enterprises)


@pytest.fixture
def city(factory) -> City:
    return make_city(factory)


def at(day: date, hour: int = 4) -> datetime:
    """A UTC time on a local day (noon-ish in the city), for back-dating ledger events in tests."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def confirm(data: dict, prefix: str = "") -> dict:
    return {**data, f"{prefix}confirm": "y"}
