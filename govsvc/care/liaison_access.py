"""Who is who in leader liaison and 站台 invitations, and the errors the services raise.

- The 重点企业联络员办公室 is at 工信局 (unit GXJ): its staff are `department` users of GXJ. It
  makes the served list and the 分工名单, keeps the leaders' profiles and the offices' contacts,
  screens invitations, handles appeals at its level and 督办s the leaders'.
- 市委 / 市政府 are the units SWBGS / ZFBGS: their staff handle appeals handed up to the city level
  and 督办 the office's (市委办公室、市政府办公室跟踪督查).
- The leaders' offices (市委办, 人大办, 政府办, 政协办, 法院, 检察院) each have a named contact who
  receives the 邀请单; their `department` users answer for the leader.
- A county government (unit `ZF-<district>`, level county) keeps its county leaders, their division
  of the county's enterprises, and files its plan with the office.
- A city leader is a `leader` user with a profile; the enterprise side is an `enterprise` or
  `evaluator` user of the enterprise.
"""
from __future__ import annotations

from govsvc.auth import roles as R

OFFICE_UNIT = "GXJ"
CITY_UNITS = ("SWBGS", "ZFBGS")
LEADER_OFFICES = ("SWBGS", "RDBGS", "ZFBGS", "ZXBGS", "ZYFY", "JCY")
COUNTY_PREFIX = "ZF-"
# The seed's published telephone of the office for 站台 (市工业和信息化局企业管理科).
OFFICE_HOTLINE = "3193365、18560893365、18560892365"
OFFICE_DESK = "市工业和信息化局企业管理科"

GOVERNMENT_READERS = (R.DEPARTMENT, R.LEADER, R.ADMIN)
ENTERPRISE_SIDE = (R.ENTERPRISE, R.EVALUATOR)


class NotAllowed(Exception):
    """The user may not do this (→ 403 with an audit entry)."""


class CareError(ValueError):
    """A refused request; `errors` maps form fields to Chinese messages."""

    def __init__(self, message: str, field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or ({field: message} if field else {})


def unit_code(user) -> str | None:
    if user.has_role(R.DEPARTMENT) and user.unit is not None:
        return user.unit.code
    return None


def is_office(user) -> bool:
    return unit_code(user) == OFFICE_UNIT


def city_unit(user) -> str | None:
    """SWBGS or ZFBGS when the user is staff of 市委办 / 市政府办."""
    code = unit_code(user)
    return code if code in CITY_UNITS else None


def leader_office(user) -> str | None:
    """The leaders' office (one of LEADER_OFFICES) whose staff the user is."""
    code = unit_code(user)
    return code if code in LEADER_OFFICES else None


def county_unit(user):
    """The county government unit the user is staff of (ZF-<district>), or None."""
    code = unit_code(user)
    if code and code.startswith(COUNTY_PREFIX) and user.unit.level == "county":
        return user.unit
    return None


def enterprise_of(user):
    if user.has_role(*ENTERPRISE_SIDE) and user.enterprise is not None:
        return user.enterprise
    return None


def require_office(user) -> None:
    if not is_office(user):
        raise NotAllowed("only the liaison office (工信局)")


def require_county(user):
    unit = county_unit(user)
    if unit is None:
        raise NotAllowed("only a county government")
    return unit


def require_enterprise(user):
    enterprise = enterprise_of(user)
    if enterprise is None:
        raise NotAllowed("only an enterprise account")
    return enterprise
