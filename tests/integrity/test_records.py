"""污点 records: filing with validation, corrections and revocations keeping history, nothing
deleted, restrictions computed on the query page at the edges of the 3 years, reads that need a
purpose and leave audit entries, ID numbers never shown."""
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.integrity import files, records
from govsvc.integrity.models import FileAccess, IntegrityRecord, RecordVersion
from govsvc.ledger import service as ledger
from govsvc.ledger.models import Matter
from govsvc.timeutil import local_today, utcnow
from tests.conftest import confirm_page, form_post
from tests.factories import make_id_number
from tests.integrity.conftest import declare_purpose, file_stain


def reads(person=None):
    target = "register" if person is None else f"person:{person.id}"
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "integrity.file.read",
                                                       AuditEntry.target == target).order_by(AuditEntry.id)).all()


# -- filing -------------------------------------------------------------------------------------
def test_file_a_record_through_the_form(client, login_as, city):
    login_as("discipline")
    url = f"/integrity/persons/{city.alice.id}/records/new"
    page = client.get(url).get_data(as_text=True)
    assert 'value="SCJ"' in page and 'value="科长"' in page  # unit and post at the time default to the current ones
    response = form_post(client, url, {"decision": "major_demerit", "decision_date": "2025-04-01",
                                       "facts": "对企业吃拿卡要。", "unit_code": "SCJ", "post": "科长",
                                       "filed_by": "dispatched_group", "decision_number": "淄纪处〔2025〕1号"})
    assert response.status_code == 302
    record = db.session.scalar(select(IntegrityRecord))
    assert (record.decision, record.decision_date, record.unit_id, record.post) == (
        "major_demerit", date(2025, 4, 1), city.scj.id, "科长")
    assert [v.action for v in record.versions] == ["filed"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.record.file"))
    assert entry.category == "integrity" and entry.target == f"person:{city.alice.id}"


@pytest.mark.parametrize("data,field_message", [
    ({"decision_date": "2099-01-01"}, "决定日期不能晚于今天"),
    ({"decision_date": "1989-12-31"}, "决定日期不能早于 1990-01-01"),
    ({"unit_code": "NOPE"}, "找不到单位代码“NOPE”"),
    ({"clue_number": "999"}, "找不到编号为 999 的线索"),
    ({"decision_date": "2025-02-30"}, "请填写决定日期"),
    ({"facts": ""}, "请填写问题事实"),
])
def test_refused_filings_keep_what_was_typed_and_write_nothing(client, login_as, city, data, field_message):
    login_as("discipline")
    typed = {"decision": "demerit", "decision_date": "2025-04-01", "facts": "独特的问题事实描述", "unit_code": "SCJ",
             "post": "科长", "filed_by": "unit_committee", **data}
    response = form_post(client, f"/integrity/persons/{city.alice.id}/records/new", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_message in html
    if typed["facts"]:
        assert "独特的问题事实描述" in html
    assert db.session.scalar(select(func.count()).select_from(IntegrityRecord)) == 0
    assert db.session.scalar(select(func.count()).select_from(RecordVersion)) == 0


def test_admonishment_needs_a_deadline_and_goes_on_the_rectification_ledger(client, login_as, city):
    login_as("discipline")
    url = f"/integrity/persons/{city.bob.id}/records/new?kind=admonishment"
    html = client.get(url).get_data(as_text=True)
    assert "谈话日期" in html and "整改期限" in html
    base = {"decision": "admonishment", "decision_date": "2026-10-01", "facts": "服务企业推诿扯皮。", "unit_code": "SWJ",
            "filed_by": "unit_committee"}
    assert "诫勉谈话必须规定整改期限" in form_post(client, url, base).get_data(as_text=True)
    assert "整改期限不能早于谈话日期" in form_post(
        client, url, {**base, "rectification_deadline": "2026-09-30"}).get_data(as_text=True)
    assert form_post(client, url, {**base, "rectification_deadline": "2026-11-01"}).status_code == 302
    record = db.session.scalar(select(IntegrityRecord))
    matter = record.rectification_matter
    assert (matter.module, matter.kind, matter.deadline, matter.responsible_unit_id, matter.status) == (
        "integrity", "rectification", date(2026, 11, 1), city.swj.id, "assigned")
    assert matter.overdue  # today is past the deadline
    html = client.get("/integrity/rectification").get_data(as_text=True)
    assert "诫勉谈话整改" in html and "逾期" in html
    assert files.restrictions_for([record], date(2026, 10, 2)) == []  # an admonishment restricts nothing


def test_revoking_an_admonishment_closes_its_open_rectification(city, city_user):
    today = local_today()
    open_one = records.file_record(city_user, city.bob, {
        "decision": "admonishment", "decision_date": today - timedelta(days=40), "facts": "推诿扯皮",
        "filed_by": "city_commission", "rectification_deadline": today - timedelta(days=10)})
    done_one = records.file_record(city_user, city.alice, {
        "decision": "admonishment", "decision_date": today - timedelta(days=40), "facts": "吃拿卡要",
        "filed_by": "city_commission", "rectification_deadline": today + timedelta(days=10)})
    done = done_one.rectification_matter
    ledger.move(done, "in_progress", user=city_user)
    ledger.move(done, "concluded", user=city_user, note="已整改到位")
    db.session.commit()
    assert open_one.rectification_matter.overdue

    records.revoke_record(city_user, open_one, today, "经复查撤销")
    records.revoke_record(city_user, done_one, today, "经复查撤销")
    db.session.commit()
    matter = open_one.rectification_matter
    assert matter.status == "closed" and not matter.overdue
    assert [e.to_status for e in matter.events][-2:] == ["returned", "closed"]
    assert matter.events[-1].note == "诫勉谈话记录已撤销：经复查撤销"
    assert done_one.rectification_matter.status == "concluded"  # finished work keeps its history


def test_stain_form_has_no_rectification_deadline(client, login_as, city):
    login_as("discipline")
    html = client.get(f"/integrity/persons/{city.bob.id}/records/new").get_data(as_text=True)
    assert "rectification_deadline" not in html and "记大过" in html


# -- corrections, revocations, nothing deleted -----------------------------------------------------
def test_correction_keeps_the_full_history(client, login_as, city, city_user):
    record = file_stain(city_user, city.alice, date(2025, 5, 6), decision_number="淄纪发〔2025〕9号")
    db.session.commit()
    login_as("discipline")
    declare_purpose(client, city.alice)
    url = f"/integrity/records/{record.id}/correct"
    form = client.get(url).get_data(as_text=True)
    assert "淄纪发〔2025〕9号" in form
    data = {"decision": "demerit", "decision_date": "2025-05-08", "facts": "在服务企业中吃拿卡要。", "unit_code": "SCJ",
            "post": "科长", "filed_by": "city_commission", "decision_number": "淄纪处〔2025〕9号"}
    assert "请说明更正理由" in form_post(client, url, data).get_data(as_text=True)
    assert form_post(client, url, {**data, "reason": "按原件更正文号和日期"}).status_code == 302
    db.session.refresh(record)
    assert (record.version, record.decision_date, record.decision_number) == (2, date(2025, 5, 8), "淄纪处〔2025〕9号")
    first, second = record.versions
    assert json.loads(first.snapshot)["decision_number"] == "淄纪发〔2025〕9号"
    assert json.loads(first.snapshot)["decision_date"] == "2025-05-06"
    assert second.action == "corrected" and second.reason == "按原件更正文号和日期"
    history = client.get(f"/integrity/records/{record.id}").get_data(as_text=True)
    assert "淄纪发〔2025〕9号" in history and "2025-05-06" in history and "按原件更正文号和日期" in history
    unchanged = form_post(client, url, {**data, "reason": "再改一次"})
    assert "没有任何改动" in unchanged.get_data(as_text=True)


def test_correction_cannot_turn_a_stain_into_an_admonishment(city, city_user):
    record = file_stain(city_user, city.alice, date(2025, 5, 6))
    with pytest.raises(records.RecordError, match="不能相互更正"):
        records.correct_record(city_user, record, {"decision": "admonishment",
                                                   "rectification_deadline": date(2025, 6, 1)}, "误录")


def test_revocation_lifts_the_restrictions_and_keeps_the_record(client, login_as, city, city_user):
    record = file_stain(city_user, city.bob, date(2025, 3, 10))
    db.session.commit()
    login_as("discipline")
    declare_purpose(client, city.bob)
    restricted = client.get(f"/integrity/persons/{city.bob.id}/restrictions?on=2026-01-01").get_data(as_text=True)
    assert "限制期内" in restricted and "不得提拔重用" in restricted
    url = f"/integrity/records/{record.id}/revoke"
    assert "撤销日期不能早于决定日期" in form_post(client, url, {"revoked_on": "2025-03-09", "reason": "复审"}).get_data(
        as_text=True)
    # issue 10 item 11: revoking cannot be undone, so the server asks first and writes nothing
    fields = confirm_page(form_post(client, url, {"revoked_on": "2026-02-01", "reason": "经复审撤销（淄纪复〔2026〕1号）"}))
    db.session.refresh(record)
    assert not record.revoked and [v.action for v in record.versions] == ["filed"]
    assert fields["reason"] == "经复审撤销（淄纪复〔2026〕1号）" and fields["revoked_on"] == "2026-02-01"
    assert client.post(url, data=fields).status_code == 302
    db.session.refresh(record)
    assert record.revoked and [v.action for v in record.versions] == ["filed", "revoked"]
    for day in ("2026-01-01", "2026-03-01"):
        html = client.get(f"/integrity/persons/{city.bob.id}/restrictions?on={day}").get_data(as_text=True)
        assert "无限制" in html and "不得提拔重用" not in html, day
    file_page = client.get(f"/integrity/persons/{city.bob.id}").get_data(as_text=True)
    assert "已撤销" in file_page  # still in the file
    again = form_post(client, url, {"revoked_on": "2026-02-01", "reason": "再撤销"})
    assert "该记录已撤销" in again.get_data(as_text=True)
    with pytest.raises(records.RecordError, match="已撤销的记录不能更正"):
        records.correct_record(city_user, record, {"post": "科员"}, "改")


def test_the_database_refuses_to_delete_records_or_rewrite_history(app, city, city_user):
    record = file_stain(city_user, city.alice, date(2025, 5, 6))
    db.session.commit()
    for statement in (delete(IntegrityRecord).where(IntegrityRecord.id == record.id),
                      delete(RecordVersion).where(RecordVersion.record_id == record.id),
                      update(RecordVersion).where(RecordVersion.record_id == record.id).values(reason="forged")):
        with pytest.raises(DatabaseError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RecordVersion)) == 1


def test_no_integrity_route_deletes_anything(app):
    """Nothing of the integrity module is ever deleted (other modules may discard their own drafts)."""
    integrity = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("integrity")]
    assert integrity
    assert not [r for r in integrity if "DELETE" in r.methods or "delete" in r.rule]


# -- restrictions on the query page at the edges ------------------------------------------------------
@pytest.mark.parametrize("decided,day,restricted", [
    (date(2023, 11, 24), date(2023, 11, 23), False),   # the day before the decision
    (date(2023, 11, 24), date(2023, 11, 24), True),    # the decision day
    (date(2023, 11, 24), date(2026, 11, 23), True),    # the day before the 3rd anniversary: last day
    (date(2023, 11, 24), date(2026, 11, 24), False),   # the anniversary: lifted
    (date(2024, 2, 29), date(2027, 2, 28), True),      # leap-day decision: last day 28 February
    (date(2024, 2, 29), date(2027, 3, 1), False),
    (date(2025, 3, 1), date(2028, 2, 29), True),       # a window ending on a leap day
    (date(2025, 3, 1), date(2028, 3, 1), False),
])
def test_restriction_page_at_the_edges(client, login_as, city, city_user, decided, day, restricted):
    file_stain(city_user, city.carol, decided)
    db.session.commit()
    login_as("discipline")
    declare_purpose(client, city.carol, "干部选拔任用考察")
    html = client.get(f"/integrity/persons/{city.carol.id}/restrictions?on={day.isoformat()}").get_data(as_text=True)
    assert ("限制期内" in html) == restricted and ("无限制" in html) == (not restricted)
    if restricted:
        last = records.IntegrityRecord.query.one().facts_for_rules().last_day
        assert f'至 <strong><time class="dt" datetime="{last.isoformat()}">{last.isoformat()}</time></strong> 止' in html
        for label in ("调离并不得从事涉企执法、管理、服务岗位", "不得提拔重用", "不得晋升职级", "不得评为优秀等次",
                      "不得参与评先树优"):
            assert label in html


def test_records_register_filters_by_state(client, login_as, city, city_user):
    today = local_today()
    file_stain(city_user, city.alice, today - timedelta(days=10))                      # in force
    file_stain(city_user, city.bob, records.earliest_in_force(today) - timedelta(days=1))  # expired yesterday
    revoked = file_stain(city_user, city.carol, today - timedelta(days=30))
    records.revoke_record(city_user, revoked, today, "撤销")
    db.session.commit()
    login_as("discipline")
    declare_purpose(client, None, "处分执行监督检查")
    for state, name in (("in_force", city.alice.name), ("expired", city.bob.name), ("revoked", city.carol.name)):
        html = client.get(f"/integrity/records?state={state}").get_data(as_text=True)
        assert "共 1 条" in html and name in html, state
    csv_text = client.get("/integrity/records?format=csv").get_data(as_text=True)
    assert csv_text.count("\n") == 4 and "限制期满" in csv_text and "已撤销" in csv_text


# -- purposes and audited reads --------------------------------------------------------------------
def test_reading_a_file_asks_for_a_purpose_first(client, login_as, city):
    login_as("discipline")
    response = client.get(f"/integrity/persons/{city.alice.id}")
    assert response.status_code == 302 and "/integrity/purpose" in response.headers["Location"]
    assert reads(city.alice) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "查阅目的" in page and city.alice.name in page
    assert "请写明查阅目的" in declare_purpose(client, city.alice, "其他").get_data(as_text=True)
    assert declare_purpose(client, city.alice, "其他", "配合巡察").headers["Location"].endswith(
        f"/integrity/persons/{city.alice.id}")


def test_each_file_read_leaves_an_audit_entry_with_its_purpose(client, login_as, city, city_user):
    record = file_stain(city_user, city.alice, date(2025, 5, 6))
    db.session.commit()
    user = login_as("discipline")
    declare_purpose(client, city.alice, "干部选拔任用考察", "拟提拔副处级")
    pages = [f"/integrity/persons/{city.alice.id}", f"/integrity/persons/{city.alice.id}",
             f"/integrity/persons/{city.alice.id}/restrictions?on=2026-01-01", f"/integrity/records/{record.id}"]
    for path in pages:
        assert client.get(path).status_code == 200, path
    entries = reads(city.alice)
    assert len(entries) == len(pages)
    assert {e.purpose for e in entries} == {"干部选拔任用考察：拟提拔副处级"}
    assert {e.user_id for e in entries} == {user.id} and {e.category for e in entries} == {"integrity"}
    assert [json.loads(e.detail)["page"] for e in entries] == ["file", "file", "restrictions", "record"]
    # Shown to discipline staff on /audit/, with the purpose.
    html = client.get("/audit/").get_data(as_text=True)
    assert "integrity.file.read" in html and "拟提拔副处级" in html


def test_a_purpose_expires_and_covers_one_person_only(client, login_as, city):
    user = login_as("discipline")
    declare_purpose(client, city.alice)
    assert client.get(f"/integrity/persons/{city.alice.id}").status_code == 200
    assert client.get(f"/integrity/persons/{city.bob.id}").status_code == 302  # another person: ask again
    grant = db.session.scalar(select(FileAccess).where(FileAccess.user_id == user.id))
    grant.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/integrity/persons/{city.alice.id}").status_code == 302


def test_the_register_needs_its_own_purpose(client, login_as, city):
    login_as("discipline")
    declare_purpose(client, city.alice)
    assert client.get("/integrity/records").status_code == 302
    declare_purpose(client, None, "处分执行监督检查")
    assert client.get("/integrity/records").status_code == 200
    assert reads(None)[0].purpose == "处分执行监督检查"


# -- ID numbers --------------------------------------------------------------------------------------
def test_id_number_lookup_never_echoes_the_number(client, login_as, factory, city):
    number = make_id_number(4242)
    from govsvc.registry.imports import person_id_hash
    from scoring.id_number import mask

    person = city.alice
    person.id_hash, person.id_masked = person_id_hash(number), mask(number)
    db.session.commit()
    login_as("discipline")
    response = form_post(client, "/integrity/persons/lookup", {"id_number": number.lower()}, page="/integrity/persons")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/integrity/persons/{person.id}")
    declare_purpose(client, person)
    for path in (f"/integrity/persons/{person.id}", "/integrity/persons", "/integrity/persons?format=csv",
                 f"/integrity/persons/{person.id}/restrictions"):
        body = client.get(path).get_data(as_text=True)
        assert number not in body and mask(number) in body, path
    wrong = form_post(client, "/integrity/persons/lookup", {"id_number": number[:-1] + "0"},
                      page="/integrity/persons", follow_redirects=True)
    assert "校验位错误" in wrong.get_data(as_text=True) and number[:-1] not in wrong.get_data(as_text=True)
    audit_text = " ".join(e.detail + e.target + e.purpose for e in db.session.scalars(select(AuditEntry)))
    assert number not in audit_text and number[:-1] not in audit_text


def test_id_lookup_of_a_person_outside_the_units_looks_like_not_found(client, login_as, city):
    number = make_id_number(4343)
    from govsvc.registry.imports import person_id_hash

    city.bob.id_hash = person_id_hash(number)
    db.session.commit()
    login_as("discipline", unit=city.scj)
    response = form_post(client, "/integrity/persons/lookup", {"id_number": number}, page="/integrity/persons",
                         follow_redirects=True)
    assert "没有找到该身份证号对应的人员" in response.get_data(as_text=True)
    assert city.bob.name not in response.get_data(as_text=True)


def test_filing_links_the_clue_it_came_from(client, login_as, city, city_user):
    from govsvc.integrity import clues

    clue, _ = clues.intake(city_user, channel="clue.letter", title="来信", description="内容", unit_id=city.scj.id,
                           enterprise_related=True)
    record = file_stain(city_user, city.alice, date(2026, 2, 1), clue_matter_id=clue.matter_id)
    assert record.clue_matter.id == clue.matter_id
    not_a_clue = Matter(module="general", kind="general", title="x")
    db.session.add(not_a_clue)
    db.session.flush()
    with pytest.raises(records.RecordError, match="找不到编号"):
        file_stain(city_user, city.alice, date(2026, 2, 1), clue_matter_id=not_a_clue.id)


def test_unit_staff_file_as_their_committee_not_as_the_city_commission(city, factory):
    unit_user = factory.user("discipline", unit=city.scj)
    with pytest.raises(records.RecordError, match="请选择填报单位"):
        file_stain(unit_user, city.alice, date(2026, 1, 1), filed_by="city_commission")
    assert file_stain(unit_user, city.alice, date(2026, 1, 1), filed_by="dispatched_group").filed_by_label == "派驻纪检监察组"
