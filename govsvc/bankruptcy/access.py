"""Who may do what in the mechanism. Roles: the court (法院破产审判庭) and the financial regulator
(地方金融监管局) run it; the office (联席会议办公室) sits with one of them (configurable, default
the regulator as in seed 000); member units' staff are `department` users; leaders read.

- office: directory, meetings and minutes, letters, escalation and 督办, circulars, rules;
- court: cases (warning, assessment, acceptance, progress), hand-overs, typical cases;
- staff (court or regulator): read everything, raise coordination matters, disposal plans;
- a department: its own unit's letters, tasks and matters, the matters it proposed, its lists.
"""
from __future__ import annotations

from govsvc.auth import roles as R

STAFF = (R.COURT, R.FINANCE_REGULATOR)
READERS = STAFF + (R.LEADER, R.ADMIN)
ALL = READERS + (R.DEPARTMENT,)


class NotAllowed(Exception):
    """The user may not do this (403, audited)."""


class ServiceError(ValueError):
    """A refused action: {field: Chinese message}; nothing was written."""

    def __init__(self, errors: dict[str, str] | str):
        if isinstance(errors, str):
            errors = {"": errors}
        super().__init__("；".join(errors.values()))
        self.errors = errors


def is_staff(user) -> bool:
    return user.has_role(*STAFF)


def is_court(user) -> bool:
    return user.has_role(R.COURT)


def office_unit_id() -> int | None:
    from govsvc.bankruptcy.directory import mechanism

    return mechanism().office_unit_id


def is_office(user) -> bool:
    """Staff of the unit that hosts the office (联席会议办公室)."""
    return is_staff(user) and user.unit_id is not None and user.unit_id == office_unit_id()


def require_office(user) -> None:
    if not is_office(user):
        raise NotAllowed("office only")


def require_court(user) -> None:
    if not is_court(user):
        raise NotAllowed("court only")


def require_staff(user) -> None:
    if not is_staff(user):
        raise NotAllowed("staff only")


def sees_all(user) -> bool:
    """Staff, leaders and admins read the whole mechanism; a department only its own unit's part."""
    return user.has_role(*READERS)


def unit_scope(user) -> int:
    """The unit whose part a department user sees (−1, matching nothing, without one)."""
    return user.unit_id or -1
