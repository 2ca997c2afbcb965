"""The matter status machine and the overdue rule (pure: no Flask, no database).

received → assigned → in_progress → concluded → feedback_given → closed (销号);
assigned or in progress can be returned (退回) to the owner, who reassigns or closes it.
A matter still open can be escalated (提级) by `ledger.service.escalate`: it ends as `escalated`
and a new matter at the next level (its `parent_id` = this one) carries on.
"""
from __future__ import annotations

from datetime import date

RECEIVED = "received"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
CONCLUDED = "concluded"
FEEDBACK_GIVEN = "feedback_given"
CLOSED = "closed"
RETURNED = "returned"
ESCALATED = "escalated"

STATUS_LABELS = {
    RECEIVED: "已受理",
    ASSIGNED: "已交办",
    IN_PROGRESS: "办理中",
    CONCLUDED: "已办结",
    FEEDBACK_GIVEN: "已反馈",
    CLOSED: "已销号",
    RETURNED: "已退回",
    ESCALATED: "已提级",
}

TRANSITIONS: dict[str, tuple[str, ...]] = {
    RECEIVED: (ASSIGNED, RETURNED),
    ASSIGNED: (IN_PROGRESS, RETURNED),
    IN_PROGRESS: (CONCLUDED, RETURNED),
    CONCLUDED: (FEEDBACK_GIVEN,),
    FEEDBACK_GIVEN: (CLOSED,),
    RETURNED: (ASSIGNED, CLOSED),
    CLOSED: (),
    ESCALATED: (),  # only `escalate` leads here; the next level's matter carries on
}

# Moves the responsible unit may make itself; every other move belongs to the matter's owner.
UNIT_MOVES = frozenset({(ASSIGNED, IN_PROGRESS), (ASSIGNED, RETURNED), (IN_PROGRESS, CONCLUDED),
                        (IN_PROGRESS, RETURNED)})
# Moves that need a written note (why it is returned, what was concluded, what was told).
NOTE_REQUIRED = frozenset({RETURNED, CONCLUDED, FEEDBACK_GIVEN})
# Until a matter is concluded its deadline runs.
OPEN_STATUSES = frozenset({RECEIVED, ASSIGNED, IN_PROGRESS, RETURNED})

PRIORITY_LABELS = {"urgent": "紧急", "high": "优先", "normal": "一般"}

# Event actions besides a status change (MatterEvent.action).
SUPERVISE = "supervise"   # 督办: the owner urges the responsible unit; the status stays
ESCALATE = "escalate"     # 提级: handed to the next level (a new matter)
ACTION_LABELS = {SUPERVISE: "督办", ESCALATE: "提级"}


class TransitionError(ValueError):
    pass


def check_transition(current: str, target: str, note: str) -> None:
    if target not in TRANSITIONS.get(current, ()):
        raise TransitionError(f"事项状态不能从“{STATUS_LABELS.get(current, current)}”变为“{STATUS_LABELS.get(target, target)}”。")
    if target in NOTE_REQUIRED and not note.strip():
        raise TransitionError(f"变为“{STATUS_LABELS[target]}”需要填写说明。")


def check_escalation(current: str, note: str) -> None:
    if current not in OPEN_STATUSES:
        raise TransitionError(f"“{STATUS_LABELS.get(current, current)}”的事项不能提级。")
    if not note.strip():
        raise TransitionError("提级需要填写说明（为什么本级不能解决）。")


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Overdue: still open (not yet concluded) after its deadline day has passed."""
    return deadline is not None and status in OPEN_STATUSES and today > deadline
