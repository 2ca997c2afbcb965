"""The round's calendar on the shared ledger (seed 002, 企业免检免扰评级: each unit's list of A/B/C
by late October, 10月下旬; the combined grading approved by the city by early December, 12月上旬).

Creating a round opens one matter per participating unit ("报送本部门评级评价名单", assigned to the
unit, due 31 October of the round's year) and one for the justice bureau ("综合评定并报市委、市政府
审定", due 10 December). A unit's submission closes its matter (销号), the approval closes the
bureau's; until then the ledger's overdue rule flags them, and the unit sees its own in its ledger
and on its dashboard like any other matter.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from govsvc.extensions import db
from govsvc.ledger import workflow as W
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move

UNIT_LIST_DUE = (10, 31)   # 10月下旬
APPROVAL_DUE = (12, 10)    # 12月上旬
UNIT_LIST = "grading.round.unit_list"
APPROVAL = "grading.round.approval"


def unit_list_due(year: int) -> date:
    return date(year, *UNIT_LIST_DUE)


def approval_due(year: int) -> date:
    return date(year, *APPROVAL_DUE)


def _ref(round_id: int, unit_id: int | None) -> str:
    return f"grading_round:{round_id}" + (f"/unit:{unit_id}" if unit_id is not None else "")


def open_steps(grading_round, *, user=None) -> list[Matter]:
    """The round's step matters (called once, when the round is created)."""
    year = grading_round.year
    opened = []
    for part in grading_round.units:
        matter = create_matter(module="grading", kind=UNIT_LIST, ref=_ref(grading_round.id, part.unit_id),
                               title=f"报送{year}年度本部门企业免检免扰评级评价名单（{part.unit.name}）",
                               description="按本部门评价方案，根据近三年涉企行政执法情况对企业进行A、B、C类评级评价，"
                                           "形成本部门评级评价名单报市司法局。",
                               source="企业免检免扰评级", deadline=unit_list_due(year), user=user)
        move(matter, W.ASSIGNED, user=user, responsible_unit_id=part.unit_id, note="评级启动，交各部门办理。")
        opened.append(matter)
    justice_unit = getattr(user, "unit_id", None)
    matter = create_matter(module="grading", kind=APPROVAL, ref=_ref(grading_round.id, None),
                           title=f"{year}年度企业免检免扰评级评价名单综合评定并报市委、市政府审定",
                           description="对各部门评级评价名单统筹衡量、综合评定，经市委、市政府审定通过后向社会公开。",
                           source="企业免检免扰评级", deadline=approval_due(year), user=user)
    if justice_unit is not None:
        move(matter, W.ASSIGNED, user=user, responsible_unit_id=justice_unit, note="司法局牵头办理。")
    opened.append(matter)
    return opened


def step_matter(round_id: int, unit_id: int | None) -> Matter | None:
    kind = UNIT_LIST if unit_id is not None else APPROVAL
    return db.session.scalar(select(Matter).where(Matter.module == "grading", Matter.kind == kind,
                                                  Matter.ref == _ref(round_id, unit_id)).order_by(Matter.id.desc()))


def close_step(round_id: int, unit_id: int | None, note: str, *, user=None) -> None:
    """The step is done: its matter walks on to 销号 through the steps it has not taken, each
    recorded with who did it. A round created before steps were kept has no matter: nothing to do."""
    matter = step_matter(round_id, unit_id)
    if matter is None or matter.status in (W.CLOSED, W.ESCALATED):
        return
    path = {W.RECEIVED: (W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED, W.FEEDBACK_GIVEN),
            W.RETURNED: (W.ASSIGNED, W.IN_PROGRESS, W.CONCLUDED, W.FEEDBACK_GIVEN),
            W.ASSIGNED: (W.IN_PROGRESS, W.CONCLUDED, W.FEEDBACK_GIVEN), W.IN_PROGRESS: (W.CONCLUDED, W.FEEDBACK_GIVEN),
            W.CONCLUDED: (W.FEEDBACK_GIVEN,), W.FEEDBACK_GIVEN: ()}[matter.status]
    if matter.responsible_unit_id is None and matter.status in (W.RECEIVED, W.RETURNED):
        # the bureau's matter of a round created by someone without a unit: closed as it stands
        if matter.status == W.RECEIVED:
            move(matter, W.RETURNED, user=user, note=note)
        move(matter, W.CLOSED, user=user, note=note)
        return
    for target in path:
        move(matter, target, user=user, note=note)
    move(matter, W.CLOSED, user=user, note=note)
