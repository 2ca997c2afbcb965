"""Role-matrix samples of the care module's second half (容错纠错, 政法委 ledgers, green channel, honours):
one small world built through the services, once per matrix run."""
from __future__ import annotations

import weakref
from datetime import timedelta

from govsvc.auth.roles import ALL_ROLES

_WORLDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _world(factory) -> dict:
    if factory in _WORLDS:
        return _WORLDS[factory]
    from govsvc.care import green, honours, tolerance, zfw
    from govsvc.timeutil import local_today
    from scoring import care as rules
    from tests.care.helpers_support import make_city

    city = make_city(factory)
    u, today = city.units, local_today()
    staff = city.users["discipline"]
    case = tolerance.register_case(staff, tolerance.CaseInput(
        kind=rules.CLARIFICATION, subject_type="entrepreneur", subject_name="样例企业家", subject_post="董事长",
        person=None, enterprise=city.enterprises[0], unit=u["GXJ"], channel="self", applied_on=today,
        facts="被举报行贿。", grounds="举报不实。"))
    tolerance.accept(staff, case, accepted=True, note="")
    tolerance.report_investigation(staff, case, report="属诬告。")
    tolerance.decide(staff, case, tolerance.DecisionInput(
        decision="false_accusation", factors={k: rules.FOR for k in rules.FACTORS}, participants="市纪委监委",
        deliberation="", decision_number="", decision_text="予以澄清正名。", rectify_by=None))
    notice = tolerance.protect(staff, case, note="消除影响。", clarification=tolerance.ClarificationInput(
        title="澄清通报", body="反映不实。", method="notice", meeting_on=None))

    zfw_user = city.dept("ZFW")
    review = zfw.create_review(zfw_user, zfw.ReviewInput(
        case_number="（2026）样例1号", case_type="criminal", unit=u["GAJ"], enterprise=city.enterprises[1],
        summary="样例", reviewed_on=today, minor=True, major_loss=False, causes=["market"], finding="lenient",
        opinion="建议从轻。", deadline=None))
    problem = zfw.create_problem(zfw_user, zfw.ProblemInput(batch="样例督察", found_on=today - timedelta(days=200),
                                                            unit=u["JCY"], category="service", description="样例问题",
                                                            rectify_by=None))
    earlier = today - timedelta(days=200)
    circular = zfw.issue_circular(zfw_user, earlier.year, 1 + (earlier.month - 1) // 3, "")

    office = city.dept("RCB")
    change = green.propose_change(office, "add", service=None, data=green.ServiceInput(
        "tourism", "样例景区", "免费游览", u["WLJ"], "样例景区售票处", "onsite", "公示"), reason="需求")
    service = green.decide_change(city.users["leader"], change, approve=True, note="")

    proposer = city.dept("GXJ")
    honour_round = honours.open_round(proposer, today.year)
    for enterprise in city.enterprises[:2]:
        honours.propose(proposer, honour_round, enterprise, name="", post="董事长", deeds="事迹")
    honours.submit(proposer, honour_round)
    honours.approve(city.users["leader"], honour_round, approve_list=True)
    candidate = honour_round.candidates[0]
    aspects = {k: "良好" for k in ("political", "law", "tax", "business", "social")}
    rec = honours.recommend(proposer, candidate, u["RDBGS"], "npc", aspects, "qualified", "")
    meeting = honours.create_meeting(city.dept("RDBGS"), kind="npc_standing", title="样例会议",
                                     meeting_on=today + timedelta(days=5), place="", seat_note="")
    honours.invite(city.dept("RDBGS"), meeting, [candidate])
    feedback = green.file_feedback(city.users["head001"], service, description="样例问题", occurred_on=None)
    evaluation = green.compute_evaluation(city.users["organization"], title="样例评估", start=today.replace(day=1),
                                          end=today)
    _WORLDS[factory] = {
        "case_id": case.id, "matter_id": case.matter_id, "notice_id": notice.id, "review_id": review.id,
        "problem_id": problem.id, "circular_id": circular.id, "service_id": service.id, "change_id": change.id,
        "feedback_id": feedback.id, "evaluation_id": evaluation.id, "round_id": honour_round.id,
        "year": honour_round.year, "candidate_id": candidate.id, "recommendation_id": rec.id, "meeting_id": meeting.id,
    }
    return _WORLDS[factory]


def _ids(*names):
    return lambda factory: {name: _world(factory)[name] for name in names}


SAMPLES = {
    "care.tol_case": _ids("case_id"),
    "care.tol_matter": _ids("matter_id"),
    "care.tol_clarification": _ids("notice_id"),
    "care.zfw_review": _ids("review_id"),
    "care.zfw_problem": _ids("problem_id"),
    "care.zfw_circular": _ids("circular_id"),
    "care.green_service": _ids("service_id"),
    "care.green_change": _ids("change_id"),
    "care.green_rules": _ids("service_id"),
    "care.green_feedback": _ids("feedback_id"),
    "care.green_evaluation": _ids("evaluation_id"),
    "care.hon_round": _ids("round_id"),
    "care.hon_public": _ids("year"),
    "care.hon_recommend": _ids("candidate_id"),
    "care.hon_recommendation": _ids("recommendation_id"),
    "care.hon_meeting": _ids("meeting_id"),
}

OVERRIDES: dict[tuple[str, str], int] = {
    # 容错 records are read under a declared purpose: the register and a case first ask for it; the
    # ledger's link to a case's matter leads to the case.
    ("care.tol_cases", "discipline"): 302,
    ("care.tol_case", "discipline"): 302,
    ("care.tol_matter", "discipline"): 302,
    # The matrix's department account belongs to a unit of its own: not the 政法委, not a 政法 organ,
    # not 人才办/工信局, not the service's unit, not a proposing or receiving unit, not a meeting host.
    **{(endpoint, "department"): 403 for endpoint in (
        "care.zfw_review_new", "care.zfw_review", "care.zfw_problem_new", "care.zfw_problem", "care.zfw_circulars",
        "care.zfw_circular", "care.green_change_new", "care.green_rules", "care.green_feedback", "care.hon_rounds",
        "care.hon_round", "care.hon_recommend", "care.hon_recommendations", "care.hon_recommendation",
        "care.hon_meetings", "care.hon_meeting", "care.hon_dishonest")},
    # A problem report is read by its enterprise, 人才办/工信局 and the unit handling it only.
    ("care.green_feedback", "enterprise"): 403,
    ("care.green_feedback", "evaluator"): 403,
    # With a published list, the public list's address sends every visitor to the latest year.
    **{("care.hon_public_latest", role): 302 for role in (*ALL_ROLES, "anonymous")},
}
