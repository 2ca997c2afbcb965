"""Fixtures of the integrity module: a small city (two systems, a county unit), persons in it,
helpers to declare a reading purpose and to file records through the service."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from govsvc.extensions import db
from govsvc.integrity import records
from govsvc.registry.models import Person, Unit
from tests.conftest import form_post


@dataclass
class City:
    scj: Unit          # city market regulation
    swj: Unit          # city tax bureau
    scj_zd: Unit       # a county unit of the SCJ system
    alice: Person      # in SCJ
    bob: Person        # in SWJ
    carol: Person      # in SCJ-ZD


@pytest.fixture
def city(factory) -> City:
    scj = factory.unit("SCJ", name="市市场监督管理局")
    swj = factory.unit("SWJ", name="市税务局")
    scj_zd = factory.unit("SCJ-ZD", name="张店区市场监督管理局", level="county", district="张店区", system_id=scj.id)
    alice = factory.person(scj, name="李爱丽", post="科长")
    bob = factory.person(swj, name="王博", post="稽查员")
    carol = factory.person(scj_zd, name="陈卡", post="科员")
    db.session.commit()
    return City(scj, swj, scj_zd, alice, bob, carol)


@pytest.fixture
def city_user(factory):
    """A city-wide discipline account (no unit), not logged in."""
    return factory.user("discipline")


def file_stain(user, person, decided: date, decision: str = "demerit", **extra):
    values = {"decision": decision, "decision_date": decided, "facts": "在服务企业中吃拿卡要。",
              "filed_by": "city_commission" if user.unit_id is None else "unit_committee", **extra}
    return records.file_record(user, person, values)


def declare_purpose(client, person=None, purpose="线索核查", detail=""):
    url = "/integrity/purpose" + (f"?person={person.id}" if person is not None else "")
    return form_post(client, url, {"purpose": purpose, "detail": detail})
