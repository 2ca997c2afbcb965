"""URL arguments for the role-matrix test (tests/test_role_matrix.py).

Every route with URL parameters needs an entry here, so a new page cannot be left out of the
matrix: the test fails and names the endpoint. A sample builds what the page shows (with the
test factory) and returns the URL arguments.
"""
from __future__ import annotations

import weakref
from decimal import Decimal
from typing import Callable

from govsvc.auth.roles import ALL_ROLES
from govsvc.ledger.service import create_matter


def _matter(factory):
    return {"matter_id": create_matter(module="general", kind="general", title="样例事项").id}


def _job(factory):
    from govsvc.extensions import db
    from govsvc.jobs.models import Job

    job = Job(id="sample-job-0000000000", kind="import", label="样例任务", status="done",
              created_by_id=factory.user("admin").id)
    db.session.add(job)
    db.session.flush()
    return {"job_id": job.id}


def _integrity(factory) -> dict:
    """One person with a record, a certificate and a clue, made once per matrix run."""
    if not hasattr(factory, "_integrity"):
        from datetime import timedelta

        from govsvc.integrity import certificates, clues, records
        from govsvc.timeutil import local_today

        unit = factory.unit()
        person = factory.person(unit, name="样例人员")
        staff = factory.user("discipline")
        clue, _ = clues.intake(staff, channel="clue.hotline", title="样例线索", description="来电",
                               unit_id=unit.id, enterprise_related=True)
        record = records.file_record(staff, person, {"decision": "demerit", "facts": "样例",
                                                     "decision_date": local_today() - timedelta(days=30),
                                                     "filed_by": "city_commission"})
        cert = certificates.issue(staff, person, requested_by="市委组织部", purpose="拟提拔考察")
        from govsvc.integrity import cases

        case = cases.draft(staff, record, *cases.suggested(record))
        factory._integrity = {"person_id": person.id, "record_id": record.id, "certificate_id": cert.id,
                              "matter_id": clue.matter_id, "transfer_matter_id": record.transfer.matter_id, "case_id": case.id}
    return factory._integrity


def _pick(*names):
    return lambda factory: {n: _integrity(factory)[n] for n in names}


def _grading(factory) -> dict:
    """A published grading round with an objection, a complaint and a downgrade proposal."""
    if not hasattr(factory, "_grading"):
        from datetime import timedelta

        from govsvc.grading import matters, records, service
        from govsvc.timeutil import local_today

        units = [factory.unit(name=f"评级单位{i}", enforcement=True, grading=True) for i in range(2)]
        enterprise = factory.enterprise(industry="工业", above_scale=True)
        today = local_today()
        grading_round = service.create_round(today.year, service.DEFAULT_RULES_TOML, user=None)
        for part in grading_round.units:
            service.submit_rule(grading_round, part, user=None)
        service.compute(grading_round)
        service.submit(grading_round, user=None)
        service.approve(grading_round, user=factory.user("leader"))
        head = factory.user("evaluator", enterprise=enterprise)
        objection = matters.file_objection(head, "评级有误")
        complaint = matters.file_complaint(head, units[0].id, "随机检查了A类企业", today - timedelta(days=3))
        records.add_record(enterprise=enterprise, unit=units[0], day=today - timedelta(days=1), outcome="serious",
                           decision_no="X-1")
        from govsvc.grading.models import DowngradeProposal
        from govsvc.extensions import db

        proposal = db.session.scalar(db.select(DowngradeProposal))
        factory._grading = {"round_id": grading_round.id, "year": grading_round.year, "enterprise_id": enterprise.id,
                            "unit_id": grading_round.units[0].unit_id, "objection_id": objection.id,
                            "complaint_id": complaint.id, "proposal_id": proposal.id, "kind": "district"}
    return factory._grading


def _grade(*names):
    return lambda factory: {n: _grading(factory)[n] for n in names}


def _survey(factory) -> dict:
    """A published campaign of this year with one online ballot and its opinions released."""
    if not hasattr(factory, "_survey"):
        from datetime import timedelta

        from govsvc.survey import ballots, campaigns, mobilisation, results
        from govsvc.survey.ballots import BallotInput
        from govsvc.timeutil import local_today
        from scoring import survey as core

        units = [factory.unit(name=f"被评议单位{i}", survey_category="enforcement") for i in range(3)]
        head = factory.user("evaluator", enterprise=factory.enterprise(tax={local_today().year - 1: "1000"}))
        campaign = campaigns.create_campaign(year=local_today().year)
        campaigns.load_departments(campaign)
        campaigns.load_evaluators(campaign)
        campaigns.confirm_lists(campaign)
        campaign.notice_text, campaign.notice_issued_on = "样例动员通知", local_today()   # 动员通知 (set directly:
        campaign.self_check_due = local_today()                                     # any day of the year)
        campaigns.open_voting(campaign)
        ballots.cast_online(campaign, head, BallotInput(parts={"enforcement": [core.SATISFIED, core.BASIC, core.BLANK]},
                                                        opinions={}))
        ballots.close_voting(campaign)
        results.tally_campaign(campaign)
        results.approve_and_publish(campaign, factory.user("leader"))
        results.release_opinions(campaign, local_today() + timedelta(days=30), None)
        ballot_id = ballots.digests(campaign)[0][0]
        rated = next(d for d in campaigns.departments(campaign) if d.code == units[0].code)   # bottom two: interviewed
        mobilisation.submit(campaign, rated, findings="样例问题", measures="样例措施", signed_by="样例签发人",
                            on_paper=True, user=factory.user("organizer"))
        matter = create_matter(module=mobilisation.SELF_CHECKS, kind="self-check", title="样例自查",
                               ref=mobilisation.self_check_ref(campaign, rated))
        factory._survey = {"campaign_id": campaign.id, "year": campaign.year, "category": "enforcement",
                           "fmt": "svg", "name": "ballots", "code": units[0].code, "ballot_id": ballot_id,
                           "department_id": rated.id, "self_check_matter_id": matter.id}
    return factory._survey


def _poll(*names):
    return lambda factory: {n: _survey(factory)[n] for n in names}


SAMPLES: dict[str, Callable] = {
    "registry.enterprise": lambda f: {"enterprise_id": f.enterprise().id},
    "admin.edit_user": lambda f: {"user_id": f.user("leader").id},
    "ledger.matter": _matter,
    "static": lambda f: {"filename": "app.css"},
    "jobs.status": _job,
    "integrity.person": _pick("person_id"),
    "integrity.restrictions": _pick("person_id"),
    "integrity.new_record": _pick("person_id"),
    "integrity.record": _pick("record_id"),
    "integrity.correct_record": _pick("record_id"),
    "integrity.revoke_record": _pick("record_id"),
    "integrity.certificate": _pick("certificate_id"),
    "integrity.clue": _pick("matter_id"),
    "integrity.draft_case": _pick("record_id"),
    "integrity.case": _pick("case_id"),
    "integrity_org.transfer": lambda factory: {"matter_id": _integrity(factory)["transfer_matter_id"]},
    "survey.audit": _poll("campaign_id"),
    "survey.audit_ballot": _poll("campaign_id", "ballot_id"),
    "survey.audit_ballots": _poll("campaign_id"),
    "survey.ballot": _poll("campaign_id"),
    "survey.credentials": _poll("campaign_id"),
    "survey.departments": _poll("campaign_id"),
    "survey.download_file": _poll("campaign_id", "name"),
    "survey.evaluators": _poll("campaign_id"),
    "survey.feedback": _poll("campaign_id"),
    "survey.history": _poll("code"),
    "survey.history_chart": _poll("code"),
    "survey.opinions": _poll("campaign_id"),
    "survey.overview": _poll("campaign_id"),
    "survey.outcomes": _poll("campaign_id"),
    "survey.interview": _poll("campaign_id", "department_id"),
    "survey.send_commendations": _poll("campaign_id"),
    "survey.mobilisation": _poll("campaign_id"),
    "survey.issue_notice": _poll("campaign_id"),
    "survey.self_check": _poll("campaign_id", "department_id"),
    "survey.self_check_matter": lambda factory: {"matter_id": _survey(factory)["self_check_matter_id"]},
    "survey.paper": _poll("campaign_id"),
    "survey.paper_form": _poll("campaign_id"),
    "survey.public_chart": _poll("year", "category", "fmt"),
    "survey.public_results": _poll("year"),
    "survey.receipt": _poll("campaign_id"),
    "survey.receipts": _poll("year"),
    "survey.rectification": _poll("campaign_id"),
    "survey.results": _poll("campaign_id"),
    "survey.settings": _poll("campaign_id"),
    "survey.staff_chart": _poll("campaign_id", "category", "fmt"),
    "grading.chart": _grade("round_id", "kind"),
    "grading.public_chart": _grade("year", "kind"),
    "grading.round_detail": _grade("round_id"),
    "grading.rules": _grade("round_id"),
    "grading.results": _grade("round_id"),
    "grading.result": _grade("round_id", "enterprise_id"),
    "grading.unit_part": _grade("round_id", "unit_id"),
    "grading.objection": _grade("objection_id"),
    "grading.complaint": _grade("complaint_id"),
    "grading.contact_edit": _grade("unit_id"),
    "grading.proposal": _grade("proposal_id"),
    "grading.my_objection": _grade("objection_id"),
    "grading.my_complaint": _grade("complaint_id"),
}

# Where a role that passes the decorator still gets another answer by design: (endpoint, role)
# → status. "anonymous" is the role of a visitor who is not logged in.
OVERRIDES: dict[tuple[str, str], int] = {
    # A general matter belongs to the admin; a department sees only its own unit's matters and
    # the other ledger roles only their modules' matters (service-level ownership check).
    ("ledger.matter", "organizer"): 403,
    ("ledger.matter", "justice"): 403,
    ("ledger.matter", "discipline"): 403,
    ("ledger.matter", "department"): 403,
    ("ledger.matter", "leader"): 403,
    ("ledger.matter", "organization"): 403,
}
# Reading an integrity file first asks for a purpose (a redirect to the purpose step).
OVERRIDES.update({(endpoint, "discipline"): 302 for endpoint in (
    "integrity.person", "integrity.restrictions", "integrity.record_list", "integrity.record",
    "integrity.correct_record", "integrity.revoke_record", "integrity.certificate", "integrity.draft_case")})
# An enterprise head sees only their own enterprise's objections and complaints (another's: 404).
OVERRIDES.update({("grading.my_objection", "evaluator"): 404, ("grading.my_complaint", "evaluator"): 404})
# A department opens only its own unit's part of a grading round, and reports only its own unit's
# joint-meeting contacts (the roster page sends it there).
OVERRIDES[("grading.unit_part", "department")] = 403
OVERRIDES.update({("grading.contact_edit", "department"): 403, ("grading.contacts_list", "department"): 302})
# Survey: an evaluator not on the campaign's list may not open its ballot; the receipt page
# without a fresh ballot sends the visitor on; a department not rated in the campaign has no
# feedback there.
OVERRIDES.update({("survey.ballot", "evaluator"): 403, ("survey.receipt", "evaluator"): 302,
                  ("survey.feedback", "department"): 403, ("survey.self_check", "department"): 403})
# The ledger's page of a 评议自查 matter sends staff on to the self-check page (a department that is
# not the rated one is refused, as there).
OVERRIDES.update({("survey.self_check_matter", role): 302 for role in ("organizer", "notary", "leader")})
OVERRIDES[("survey.self_check_matter", "department")] = 403
# A job's status page is for the user who started it, and admins.
OVERRIDES.update({("jobs.status", role): 403 for role in ALL_ROLES if role != "admin"})
# The login page sends a logged-in user to the dashboard.
LOGGED_IN_REDIRECTS = {"auth.login"}


# -- inspections (Module 3) -------------------------------------------------------------------
def _inspection_world(factory):
    """A city unit with a county unit, an accepted plan with a named item and a drawn draw task, a
    filed result, a fine forwarded, an issued circular and an enterprise's report. Built once."""
    from datetime import date, datetime, timezone

    from govsvc.inspections import circulars, draws, filings, plans, reports, results

    if factory in _INSPECTIONS:
        return _INSPECTIONS[factory]
    city = factory.unit(enforcement=True)
    county = factory.unit(level="county", district="张店区", system_id=city.id, enforcement=True)
    city_user, county_user = factory.user("department", unit=city), factory.user("department", unit=county)
    justice = factory.user("justice")
    enterprises = [factory.enterprise(district="张店区") for _ in range(3)]
    factory.person(county)
    plan = plans.create_plan(county_user, period="annual", year=2026, number=None, title="样例计划")
    named = plans.add_item(county_user, plan, {"enterprise": enterprises[0], "draw_count": None, "category": "食品安全",
                                               "basis": "random", "ground": "", "planned_date": date(2026, 3, 1),
                                               "planned_end": None, "note": ""})
    task = plans.add_item(county_user, plan, {"enterprise": None, "draw_count": 1, "category": "产品质量",
                                              "basis": "random", "ground": "", "planned_date": date(2026, 4, 1),
                                              "planned_end": None, "note": ""})
    plans.submit_plan(county_user, plan, datetime(2025, 12, 1, tzinfo=timezone.utc))
    filing = filings.file_plans(city_user, [plan.id], datetime(2025, 12, 2, tzinfo=timezone.utc))
    filings.review_filing(justice, filing, accept=True)
    draw = draws.prepare_draw(county_user, task, district="张店区", per_team=1)
    draws.run_draw(county_user, draw)
    result = results.save_result(county_user, {"item": named, "enterprise": enterprises[0],
                                               "inspected_on": date(2026, 3, 2), "inspectors": "张三",
                                               "conclusion": "penalty", "decision_number": "样例罚〔2026〕1号",
                                               "penalty_type": "罚款", "fine": Decimal("100.00")})
    result_filing = results.file_results(city_user, 2026, 3, datetime(2026, 4, 5, tzinfo=timezone.utc))
    results.forward_fines(justice, 2026, 3)
    circular = circulars.issue(justice, 2026, 1, "", datetime(2026, 4, 15, tzinfo=timezone.utc))
    report = reports.file_report(factory.user("evaluator"), kind="other", unit=None, incident_date=None,
                                 description="样例举报")
    _INSPECTIONS[factory] = {"plan": plan.id, "item": named.id, "task": task.id, "filing": filing.id,
                             "draw": draw.id, "result": result.id, "result_filing": result_filing.id,
                             "circular": circular.id, "report": report.id}
    return _INSPECTIONS[factory]


_INSPECTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # one world per test's factory


def _ids(**names):
    return lambda f: {arg: _inspection_world(f)[key] for arg, key in names.items()}


SAMPLES.update({
    "inspections.plan": _ids(plan_id="plan"),
    "inspections.edit_item": _ids(item_id="item"),
    "inspections.import_plan_items": _ids(plan_id="plan"),
    "inspections.filing": _ids(filing_id="filing"),
    "inspections.new_draw": _ids(item_id="task"),
    "inspections.public_draw": _ids(draw_id="draw"),
    "inspections.public_draw_csv": lambda f: {**_ids(draw_id="draw")(f), "kind": "enterprises"},
    "inspections.result": _ids(result_id="result"),
    "inspections.result_filing": _ids(filing_id="result_filing"),
    "inspections.circular": _ids(circular_id="circular"),
    "inspections.circular_chart": lambda f: {**_ids(circular_id="circular")(f), "kind": "plans"},
    "inspections.circular_xlsx": _ids(circular_id="circular"),
    "inspections.preview_chart": lambda f: {"kind": "inspections"},
    "inspections.report": _ids(report_id="report"),
})
# The sample objects belong to other units and another enterprise: a department or an enterprise
# head of the matrix (own unit, own enterprise) is refused by the services' ownership checks.
OVERRIDES.update({(endpoint, "department"): 403 for endpoint in (
    "inspections.plan", "inspections.edit_item", "inspections.import_plan_items", "inspections.filing",
    "inspections.new_draw", "inspections.result", "inspections.result_filing")})
OVERRIDES[("inspections.report", "evaluator")] = 403


# -- the other modules keep their samples beside their tests ---------------------------------------
def _module_samples() -> None:
    """tests/<module>/route_samples*.py defines SAMPLES (endpoint → fn(factory) → URL arguments) and,
    where a role that passes the decorator gets another answer by design, OVERRIDES."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("*/route_samples*.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        SAMPLES.update(module.SAMPLES)
        OVERRIDES.update(getattr(module, "OVERRIDES", {}))


_module_samples()
