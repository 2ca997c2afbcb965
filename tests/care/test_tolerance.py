"""容错纠错: the application workflow with its deadlines, the decision rules, 纠错整改 on the ledger,
澄清保护 with a public 澄清正名 notice, who may read what (discipline only, covered units, a purpose
for every read, audited), the entrepreneur's online application, and where the decision shows
(the integrity file of the person, the enterprise's page)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from govsvc.audit.models import AuditEntry
from govsvc.care import tolerance
from govsvc.care.models_support import Clarification, ToleranceCase
from govsvc.extensions import db
from govsvc.integrity import scope
from govsvc.ledger import workflow
from govsvc.timeutil import local_today
from scoring import care as rules
from tests.care.helpers_support import city  # noqa: F401
from tests.conftest import csrf_from, form_post, login, logout
from tests.factories import make_id_number

ALL_FOR = {k: rules.FOR for k in rules.FACTORS}


def entrepreneur_case(city, applied_on=date(2019, 12, 2), kind=rules.TOLERANCE, unit="GXJ", enterprise=0):
    return tolerance.register_case(city.users["discipline"], tolerance.CaseInput(
        kind=kind, subject_type="entrepreneur", subject_name="王建国", subject_post="董事长", person=None,
        enterprise=city.enterprises[enterprise], unit=city.units[unit], channel="self", applied_on=applied_on,
        facts="为抢抓订单先行开工技改项目，环评手续后补。", grounds="未谋取私利，已补办手续。"))


def decision(value="tolerated", rectify_by=None, decided_on=None, factors=None):
    return tolerance.DecisionInput(decision=value, factors=factors or ALL_FOR, participants="市纪委监委、市工业和信息化局",
                                   deliberation="出于公心。", decision_number="淄纪容〔2019〕1号",
                                   decision_text="予以容错，免予问责。", rectify_by=rectify_by, decided_on=decided_on)


def test_the_whole_workflow_with_its_deadlines(city):
    staff = city.users["discipline"]
    case = entrepreneur_case(city)
    assert case.number == "容〔2019〕1号" and case.stage == rules.APPLIED
    assert case.stage_deadline == date(2019, 12, 9)                      # 受理审查: 7 days
    assert case.matter.module == "tolerance" and case.matter.deadline == date(2019, 12, 9)
    tolerance.accept(staff, case, accepted=True, note="", on=date(2019, 12, 5))
    assert (case.stage, case.stage_deadline) == (rules.INVESTIGATING, date(2020, 1, 4))  # 容错调查: 30 days
    assert case.matter.status == workflow.ASSIGNED and case.matter.deadline == date(2020, 1, 4)
    tolerance.report_investigation(staff, case, report="事实清楚。", on=date(2019, 12, 30))
    assert (case.stage, case.stage_deadline) == (rules.DELIBERATING, date(2020, 1, 14))  # 会商研判: 15 days
    tolerance.decide(staff, case, decision(rectify_by=date(2020, 3, 1), decided_on=date(2020, 1, 10)))
    assert (case.stage, case.stage_deadline, case.decision) == (rules.RECTIFYING, date(2020, 3, 1), "tolerated")
    rectification = case.rectification_matter
    assert rectification.kind == "tolerance.rectification" and rectification.status == workflow.ASSIGNED
    assert rectification.deadline == date(2020, 3, 1) and rectification.responsible_unit_id == city.units["GXJ"].id
    tolerance.record_rectification(staff, case, note="已完善决策程序。", on=date(2020, 2, 20))
    assert (case.stage, case.stage_deadline) == (rules.PROTECTING, date(2020, 3, 21))    # 澄清保护: 30 days
    assert rectification.status == workflow.CLOSED
    tolerance.protect(staff, case, note="不影响评先评优。", clarification=None, on=date(2020, 3, 1))
    assert case.stage == rules.CLOSED and case.closed_on == date(2020, 3, 1) and case.stage_deadline is None
    assert case.matter.status == workflow.CLOSED
    assert [e.to_stage for e in case.events] == [rules.APPLIED, rules.INVESTIGATING, rules.DELIBERATING,
                                                 rules.RECTIFYING, rules.PROTECTING, rules.CLOSED]
    assert case.clarification is None


def test_steps_in_the_wrong_stage_or_on_bad_days_are_refused(city):
    staff = city.users["discipline"]
    case = entrepreneur_case(city)
    with pytest.raises(tolerance.ToleranceError, match="容错申请"):
        tolerance.report_investigation(staff, case, report="x", on=date(2019, 12, 3))
    with pytest.raises(tolerance.ToleranceError, match="不能早于"):
        tolerance.accept(staff, case, accepted=True, note="", on=date(2019, 12, 1))
    with pytest.raises(tolerance.ToleranceError, match="晚于今天"):
        tolerance.accept(staff, case, accepted=True, note="", on=local_today() + timedelta(days=1))
    with pytest.raises(tolerance.ToleranceError, match="理由"):
        tolerance.accept(staff, case, accepted=False, note=" ")
    assert case.stage == rules.APPLIED


def test_rejection_ends_the_case_with_its_reason(city):
    case = entrepreneur_case(city)
    tolerance.accept(city.users["discipline"], case, accepted=False, note="不属于容错情形。", on=date(2019, 12, 4))
    assert case.stage == rules.REJECTED and case.rejection_reason == "不属于容错情形。"
    assert case.matter.status == workflow.CLOSED and not tolerance.is_overdue(case)


def test_an_unfavourable_decision_closes_the_case(city):
    staff = city.users["discipline"]
    case = entrepreneur_case(city)
    tolerance.accept(staff, case, accepted=True, note="", on=date(2019, 12, 3))
    tolerance.report_investigation(staff, case, report="谋取私利。", on=date(2019, 12, 20))
    with pytest.raises(tolerance.ToleranceError, match="动机态度"):
        tolerance.decide(staff, case, decision(factors={**ALL_FOR, "motive": rules.AGAINST}, decided_on=date(2019, 12, 25)))
    assert case.stage == rules.DELIBERATING and case.decision is None
    tolerance.decide(staff, case, decision("not_tolerated", factors={**ALL_FOR, "motive": rules.AGAINST},
                                           decided_on=date(2019, 12, 25)))
    assert case.stage == rules.CLOSED and case.matter.status == workflow.CLOSED


def test_overdue_cases_come_first_and_count_on_the_dashboard(city, client):
    staff = city.users["discipline"]
    today = local_today()
    late = entrepreneur_case(city, applied_on=today - timedelta(days=40))
    tolerance.accept(staff, late, accepted=True, note="", on=today - timedelta(days=31))  # investigation due yesterday
    fresh = entrepreneur_case(city, applied_on=today)
    db.session.commit()
    assert tolerance.is_overdue(late) and not tolerance.is_overdue(fresh)
    assert [c.id for c in db.session.scalars(tolerance.case_query(staff))] == [late.id, fresh.id]
    assert tolerance.statistics(staff) == {"open": 2, "overdue": 1, "waiting": 1, "decided_this_year": 0}
    login(client, staff.username)
    page = client.get("/").get_data(as_text=True)
    assert "容错纠错" in page and "待受理" in page


def test_a_false_accusation_is_cleared_in_public(city, client):
    staff = city.users["discipline"]
    case = entrepreneur_case(city, kind=rules.CLARIFICATION)
    tolerance.accept(staff, case, accepted=True, note="", on=date(2019, 12, 3))
    tolerance.report_investigation(staff, case, report="举报人捏造事实。", on=date(2019, 12, 20))
    tolerance.decide(staff, case, decision("false_accusation", decided_on=date(2019, 12, 25)))
    assert case.stage == rules.PROTECTING
    with pytest.raises(tolerance.ToleranceError, match="澄清正名"):
        tolerance.protect(staff, case, note="说明情况。", clarification=None, on=date(2019, 12, 28))
    notice = tolerance.protect(staff, case, note="说明情况。", clarification=tolerance.ClarificationInput(
        title="关于为王建国同志澄清正名的通报", body="经查，反映问题不实，属诬告陷害。", method="both",
        meeting_on=date(2019, 12, 27)), on=date(2019, 12, 28))
    db.session.commit()
    listing = client.get("/care/clarifications").get_data(as_text=True)
    assert "关于为王建国同志澄清正名的通报" in listing
    page = client.get(f"/care/clarifications/{notice.id}").get_data(as_text=True)
    assert "属诬告陷害" in page and "2019-12-28" in page
    # The enterprise's page shows the notice to whoever sees the page.
    login(client, city.users["leader"].username)
    section = client.get(f"/registry/enterprises/{city.enterprises[0].id}").get_data(as_text=True)
    assert "容错纠错与澄清正名" in section and "关于为王建国同志澄清正名的通报" in section


# -- the web: purpose, audit, confirmation, scope ------------------------------------------------------
def _declare(client, case=None, purpose="受理审查"):
    url = "/care/tolerance/purpose" + (f"?case={case.id}" if case else "")
    return form_post(client, url, {"purpose": purpose, "detail": ""})


def test_reading_a_case_asks_for_a_purpose_and_is_audited(city, client):
    case = entrepreneur_case(city)
    db.session.commit()
    login(client, city.users["discipline"].username)
    first = client.get(f"/care/tolerance/{case.id}")
    assert first.status_code == 302 and "/care/tolerance/purpose" in first.headers["Location"]
    assert _declare(client, case, "会商研判").status_code == 302
    page = client.get(f"/care/tolerance/{case.id}").get_data(as_text=True)
    assert "容〔2019〕1号" in page and "查阅目的：会商研判" in page
    reads = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "care.tolerance.read")).all()
    assert [(r.target, r.purpose, r.category) for r in reads] == [(f"tolerance:{case.id}", "会商研判", "integrity")]
    # The register needs its own purpose.
    assert client.get("/care/tolerance/").status_code == 302
    _declare(client, None, "纠错整改跟踪")
    assert "容〔2019〕1号" in client.get("/care/tolerance/").get_data(as_text=True)


def test_a_decision_needs_the_confirmation_and_keeps_what_was_typed(city, client):
    staff = city.users["discipline"]
    case = entrepreneur_case(city)
    tolerance.accept(staff, case, accepted=True, note="", on=date(2019, 12, 3))
    tolerance.report_investigation(staff, case, report="事实清楚。", on=date(2019, 12, 20))
    db.session.commit()
    login(client, staff.username)
    _declare(client, case)
    data = {"d-participants": "市纪委监委", "d-decision": "tolerated", "d-decision_text": "予以容错。",
            **{f"d-{k}": "for" for k in rules.FACTORS}}
    url = f"/care/tolerance/{case.id}/decide"
    refused = form_post(client, url, data, page=f"/care/tolerance/{case.id}")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "请勾选确认" in html and "予以容错。" in html
    db.session.refresh(case)
    assert case.stage == rules.DELIBERATING and case.decision is None
    data["d-motive"] = "against"
    refused = form_post(client, url, {**data, "d-confirm": "y"}, page=f"/care/tolerance/{case.id}")
    assert "动机态度不利于容错" in refused.get_data(as_text=True)
    data["d-motive"] = "for"
    rectify_by = (local_today() + timedelta(days=30)).isoformat()
    done = form_post(client, url, {**data, "d-confirm": "y", "d-rectify_by": rectify_by}, page=f"/care/tolerance/{case.id}")
    assert done.status_code == 302
    db.session.refresh(case)
    assert case.stage == rules.RECTIFYING and case.decision == "tolerated"


def test_unit_discipline_staff_see_only_their_units(city, client):
    official = city.units["YJJ"]
    person = _person(city, official)
    theirs = tolerance.register_case(city.users["discipline"], tolerance.CaseInput(
        kind=rules.TOLERANCE, subject_type="official", subject_name="", subject_post="", person=person, enterprise=None,
        unit=None, channel="unit", applied_on=date(2019, 12, 2), facts="先行允许试生产。", grounds="为企业复产。"))
    other = entrepreneur_case(city)
    db.session.commit()
    assert theirs.unit_id == official.id
    unit_staff = city.users["discipline-yjj"]
    assert [c.id for c in db.session.scalars(tolerance.case_query(unit_staff))] == [theirs.id]
    login(client, unit_staff.username)
    assert client.get(f"/care/tolerance/{other.id}").status_code == 403
    assert client.get(f"/care/tolerance/purpose?case={other.id}").status_code == 403
    assert client.get(f"/care/tolerance/{theirs.id}").status_code == 302


def test_other_roles_never_reach_the_cases(city, client, login_as):
    case = entrepreneur_case(city)
    db.session.commit()
    for role in ("department", "leader", "justice", "admin", "organization", "court", "enterprise", "evaluator"):
        login_as(role)
        for path in ("/care/tolerance/", f"/care/tolerance/{case.id}", "/care/tolerance/new", "/care/tolerance/purpose"):
            assert client.get(path).status_code == 403, (role, path)
        token = csrf_from(client.get("/").get_data(as_text=True))
        assert client.post(f"/care/tolerance/{case.id}/accept", data={"csrf_token": token}).status_code == 403, role
        logout(client)
    assert db.session.get(ToleranceCase, case.id).stage == rules.APPLIED


def _person(city, unit):
    from govsvc.registry.imports import person_id_hash
    from govsvc.registry.models import Person
    from scoring import id_number

    number = make_id_number(77)
    person = Person(id_hash=person_id_hash(number), id_masked=id_number.mask(number), unit_id=unit.id, name="李安全",
                    post="科长")
    db.session.add(person)
    db.session.flush()
    return person


def test_registering_an_official_by_id_number_on_the_form(city, client):
    person = _person(city, city.units["YJJ"])
    db.session.commit()
    login(client, city.users["discipline"].username)
    response = form_post(client, "/care/tolerance/new", {
        "kind": "tolerance", "subject_type": "official", "id_number": make_id_number(77), "channel": "unit",
        "applied_on": "2019-12-02", "facts": "先行允许企业试生产。", "grounds": "为企业尽快复产。"})
    assert response.status_code == 302
    case = db.session.scalar(select(ToleranceCase))
    assert (case.person_id, case.subject_name, case.unit_id) == (person.id, "李安全", city.units["YJJ"].id)
    assert make_id_number(77) not in str([a.detail for a in db.session.scalars(select(AuditEntry))])
    bad = form_post(client, "/care/tolerance/new", {
        "kind": "tolerance", "subject_type": "entrepreneur", "subject_name": "王", "credit_code": "123",
        "channel": "self", "applied_on": "2019-12-02", "facts": "x"})
    assert bad.status_code == 200 and "统一社会信用代码" in bad.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(ToleranceCase)) == 1


def test_the_integrity_file_shows_the_persons_decision(city, client):
    staff = city.users["discipline"]
    person = _person(city, city.units["YJJ"])
    case = tolerance.register_case(staff, tolerance.CaseInput(
        kind=rules.TOLERANCE, subject_type="official", subject_name="", subject_post="", person=person, enterprise=None,
        unit=None, channel="unit", applied_on=date(2019, 12, 2), facts="先行允许试生产。", grounds=""))
    tolerance.accept(staff, case, accepted=True, note="", on=date(2019, 12, 3))
    tolerance.report_investigation(staff, case, report="属实。", on=date(2019, 12, 20))
    tolerance.decide(staff, case, decision("lenient", decided_on=date(2019, 12, 25)))
    db.session.commit()
    login(client, staff.username)
    form_post(client, f"/integrity/purpose?person={person.id}", {"purpose": "干部选拔任用考察", "detail": ""})
    page = client.get(f"/integrity/persons/{person.id}").get_data(as_text=True)
    assert "容错纠错" in page and "容〔2019〕1号" in page and "从轻、减轻处理" in page and "淄纪容〔2019〕1号" in page


# -- the entrepreneur's side -------------------------------------------------------------------------
def test_an_entrepreneur_applies_online_and_follows_the_case(city, client):
    head = city.users["head001"]
    login(client, head.username)
    form = client.get("/care/tolerance/apply").get_data(as_text=True)
    assert "企业家1" in form  # the head's name is filled in
    data = {"kind": "tolerance", "subject_name": "企业家1", "unit": "GXJ", "facts": "先行开工，手续后补。",
            "grounds": "为企业发展，未谋私利。"}
    refused = form_post(client, "/care/tolerance/apply", data)
    assert refused.status_code == 200 and "请勾选确认" in refused.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(ToleranceCase)) == 0
    assert form_post(client, "/care/tolerance/apply", {**data, "confirm": "y"}).status_code == 302
    case = db.session.scalar(select(ToleranceCase))
    assert (case.channel, case.applicant_user_id, case.enterprise_id) == ("online", head.id, city.enterprises[0].id)
    assert case.stage_deadline == local_today() + timedelta(days=7)
    assert "容错申请" in client.get("/care/tolerance/mine").get_data(as_text=True)
    staff = city.users["discipline"]
    tolerance.accept(staff, case, accepted=True, note="")
    tolerance.report_investigation(staff, case, report="属实。")
    tolerance.decide(staff, case, decision())
    db.session.commit()
    mine = client.get("/care/tolerance/mine").get_data(as_text=True)
    assert "予以容错（免予问责）" in mine and "予以容错，免予问责。" in mine
    # Another enterprise's head sees nothing of it.
    logout(client)
    login(client, city.users["head002"].username)
    assert case.number not in client.get("/care/tolerance/mine").get_data(as_text=True)
    assert client.get(f"/care/tolerance/{case.id}").status_code == 403


def test_the_enterprise_page_shows_discipline_only_counts(city, app):
    from govsvc.care.views_support import _tolerance_section

    staff = city.users["discipline"]
    case = entrepreneur_case(city)
    tolerance.accept(staff, case, accepted=True, note="", on=date(2019, 12, 3))
    tolerance.report_investigation(staff, case, report="属实。", on=date(2019, 12, 20))
    tolerance.decide(staff, case, decision(decided_on=date(2019, 12, 25)))
    entrepreneur_case(city)
    enterprise = city.enterprises[0]
    with app.test_request_context():
        section = _tolerance_section(enterprise, staff)
        assert section.rows == [("容错纠错", "共 2 件（予以容错（免予问责） 1 件）")]
        assert section.link == f"/care/tolerance/?enterprise={enterprise.id}"
        assert _tolerance_section(enterprise, city.users["leader"]) is None  # nothing published: nothing to show
    assert db.session.scalar(select(db.func.count()).select_from(Clarification)) == 0


def test_an_application_naming_no_unit_is_handled_by_the_commission(city):
    case = tolerance.apply_online(city.users["head002"], subject_name="企业家2", subject_post="", unit=None,
                                  facts="先行开工。", grounds="为企业发展。")
    assert case.unit_id is None and case.matter.responsible_unit_id is None
    staff = city.users["discipline"]
    with pytest.raises(scope.OutOfScope):
        tolerance.check_case(city.users["discipline-yjj"], case)  # only city-wide staff reach it
    tolerance.accept(staff, case, accepted=True, note="")
    assert case.matter.responsible_unit_id == city.units["JWJ"].id and case.matter.status == workflow.ASSIGNED


@pytest.mark.parametrize("form_name, field", [("AcceptForm", "accepted"), ("ChangeDecisionForm", "approve"),
                                              ("ApproveRoundForm", "approve")])
def test_decision_forms_preselect_no_decision(app, form_name, field):
    """Issue 10 item 12 (same kind as the filing review): a decision — 予以受理, the leading group's
    同意, the leader's 同意并公布 — is never pre-selected; the person deciding chooses it."""
    from govsvc.care import forms_support

    with app.test_request_context(method="GET"):
        form = getattr(forms_support, form_name)(meta={"csrf": False})
        bound = getattr(form, field)
        assert bound.data is None and "checked" not in str(bound)
    with app.test_request_context(method="POST", data={}):
        form = getattr(forms_support, form_name)(meta={"csrf": False})
        form.validate()
        assert getattr(form, field).errors == ["请选择。"]
