"""URL samples of the bankruptcy pages for the role matrix (tests/test_role_matrix.py): one small
mechanism built once per matrix run — a meeting with an escalated matter and a decision's task, a
letter, a case from a hand-over, a circular, a typical case. The matrix's department user
belongs to a unit of its own, so it sees none of these (403 by design, below)."""
from __future__ import annotations

import weakref
from datetime import date

from govsvc.auth.roles import ALL_ROLES

_WORLDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _world(factory) -> dict:
    if factory in _WORLDS:
        return _WORLDS[factory]
    from govsvc.bankruptcy import cases, directory, letters, matters, meetings, reports
    from govsvc.ledger.service import create_matter
    from govsvc.timeutil import local_today

    jrj = factory.unit("JRJ-S", name="样例金融监管局")
    zyfy = factory.unit("ZYFY-S", name="样例中级法院")
    rsj = factory.unit(name="样例人社局")
    directory.save_settings(None, name="样例机制", established_on=date(2020, 7, 10), office_unit=jrj, joint_months=6,
                            topic_months=3, reply_days=15, setup=True)
    office = factory.user("finance-regulator", unit=jrj)
    court = factory.user("court", unit=zyfy)
    court_row = directory.add_court(None, name="样例法院", district="", unit=zyfy, setup=True)
    enterprise = factory.enterprise()
    matter = matters.raise_matter(office, matter_type="livelihood", title="样例职工安置事项", description="样例",
                                  unit=rsj)
    meeting = meetings.create_meeting(office, tier="business", title="样例业务会议", planned_on=local_today())
    item = meetings.add_to_agenda(office, meeting, matter)
    meetings.record_held(office, meeting, held_on=local_today(), attendees="", minutes="样例纪要")
    meetings.record_outcome(office, meeting, item, "escalated", note="需专题会议研究")
    task_meeting = meetings.create_meeting(office, tier="joint", title="样例联席会议", planned_on=local_today())
    meetings.record_held(office, task_meeting, held_on=local_today(), attendees="", minutes="样例纪要")
    decision = meetings.add_decision(office, task_meeting, "样例议定事项",
                                     [meetings.TaskInput(rsj, local_today(), "样例任务")])
    task = matters.tasks_of([decision.id])[0]
    letter = letters.issue(office, to_unit=rsj, subject="样例函", body="样例", confirm=True)
    handover = create_matter(module="bankruptcy", kind="handover.rescue", ref="finrisk.rescue:1", title="样例移交",
                             description=f"债务人 {enterprise.credit_code}，拟预重整", responsible_unit_id=zyfy.id)
    case = cases.open_case_from_handover(handover, court, court=court_row)
    circular = reports.issue_circular(office, f"{local_today().year}", confirm=True)
    typical = reports.save_typical(court, {"title": "某企业重整案", "procedure": "reorganization", "summary": "案情",
                                           "practice": "做法"})
    _WORLDS[factory] = {"matter_id": matter.id, "meeting_id": meeting.id, "item_id": item.id, "task_id": task.id,
                        "letter_id": letter.id, "case_id": case.id, "handover_id": handover.id,
                        "circular_id": circular.id, "typical_id": typical.id, "unit_id": rsj.id,
                        "convener": directory.add_convener(None, title="general", name="样例", post="", unit=None,
                                                           setup=True).id}
    return _WORLDS[factory]


def _ids(**names):
    return lambda factory: {arg: _world(factory)[key] for arg, key in names.items()}


def _published(factory) -> dict:
    from govsvc.bankruptcy.models_cases import TypicalCase
    from govsvc.extensions import db

    typical = db.session.get(TypicalCase, _world(factory)["typical_id"])
    typical.status, typical.published_on = "published", date(2026, 1, 1)
    db.session.flush()
    return {"typical_id": typical.id}


SAMPLES = {
    "bankruptcy.matter": _ids(matter_id="matter_id"),
    "bankruptcy.meeting": _ids(meeting_id="meeting_id"),
    "bankruptcy.letter": _ids(letter_id="letter_id"),
    "bankruptcy.case": _ids(case_id="case_id"),
    "bankruptcy.open_handover": _ids(matter_id="handover_id"),
    "bankruptcy.circular": _ids(circular_id="circular_id"),
    "bankruptcy.typical": _ids(typical_id="typical_id"),
    "bankruptcy.public_typical": _published,
    "bankruptcy.member": _ids(unit_id="unit_id"),
    "bankruptcy.directory_template": lambda factory: {"kind": "bankruptcy_duties"},
}

# The matrix's department user is from another unit: the sample matter, meeting and letter are
# not its own (the service refuses: 403). A hand-over already turned into a case sends its
# readers to the case (302).
OVERRIDES: dict[tuple[str, str], int] = {
    ("bankruptcy.matter", "department"): 403,
    ("bankruptcy.meeting", "department"): 403,
    ("bankruptcy.letter", "department"): 403,
    ("bankruptcy.open_handover", "court"): 302,
    ("bankruptcy.open_handover", "finance-regulator"): 302,
}
assert set(r for _, r in OVERRIDES) <= set(ALL_ROLES)
