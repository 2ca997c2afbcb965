"""调离 (issue 12, D7/D8): a 污点 in force makes a recommendation matter for the organisation
department; it confirms the transfer (irreversible, asked first, audited); the person's file
shows the recommendation, the matter's state and the transfer, or 尚未调离 with the days and 逾期
after TRANSFER_DAYS."""
import json
from datetime import timedelta

from sqlalchemy import select, update

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.integrity import records, transfers
from govsvc.integrity.models import Transfer
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.timeutil import local_today
from scoring.integrity import TRANSFER_DAYS
from tests.conftest import confirm_page, form_post, logout
from tests.integrity.conftest import declare_purpose, file_stain


def test_a_stain_in_force_opens_a_recommendation_for_the_organisation_department(city, city_user):
    record = file_stain(city_user, city.alice, local_today() - timedelta(days=10))
    db.session.commit()
    transfer = record.transfer
    matter = transfer.matter
    assert (matter.module, matter.status, matter.responsible_unit_id) == (
        transfers.TRANSFERS, workflow.ASSIGNED, city.scj.id)
    assert transfer.recommended_on == local_today() and matter.deadline == local_today() + timedelta(days=TRANSFER_DAYS)
    assert "李爱丽" in matter.title
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.transfer.recommend"))
    assert entry.category == "integrity" and entry.target == f"person:{city.alice.id}"


def test_no_recommendation_for_admonishments_or_expired_decisions(city, city_user):
    old = file_stain(city_user, city.alice, local_today() - timedelta(days=3 * 366 + 2))
    talk = file_stain(city_user, city.bob, local_today() - timedelta(days=2), decision="admonishment",
                      rectification_deadline=local_today() + timedelta(days=30))
    db.session.commit()
    assert old.transfer is None and talk.transfer is None
    assert db.session.scalar(select(Matter).where(Matter.module == transfers.TRANSFERS)) is None


def _recommended(city, city_user, days_ago: int = 0):
    record = file_stain(city_user, city.alice, local_today() - timedelta(days=20))
    db.session.flush()
    if days_ago:
        db.session.execute(update(Transfer).where(Transfer.id == record.transfer.id)
                           .values(recommended_on=local_today() - timedelta(days=days_ago)))
    db.session.commit()
    db.session.expire_all()
    return record


def test_the_file_shows_pending_days_and_overdue(client, login_as, city, city_user):
    record = _recommended(city, city_user, days_ago=TRANSFER_DAYS)
    login_as("discipline")
    declare_purpose(client, city.alice)
    html = client.get(f"/integrity/persons/{city.alice.id}").get_data(as_text=True)
    assert "尚未调离" in html and f"已 {TRANSFER_DAYS} 天" in html and '<span class="badge danger">逾期</span>' not in html
    db.session.execute(update(Transfer).values(recommended_on=local_today() - timedelta(days=TRANSFER_DAYS + 1)))
    db.session.commit()
    html = client.get(f"/integrity/persons/{city.alice.id}").get_data(as_text=True)
    assert f"已 {TRANSFER_DAYS + 1} 天" in html and '<span class="badge danger">逾期</span>' in html
    html = client.get(f"/integrity/records/{record.id}").get_data(as_text=True)
    assert "向组织部门提出" in html and "已交办" in html


def test_the_organisation_department_confirms_the_transfer(client, login_as, city, city_user):
    record = _recommended(city, city_user, days_ago=3)
    matter_id = record.transfer.matter_id
    org = login_as("organization")
    listing = client.get("/organization/transfers").get_data(as_text=True)
    assert "李爱丽" in listing and "尚未调离" in listing
    url = f"/organization/transfers/{matter_id}"
    assert "确认调离" in client.get(url).get_data(as_text=True)
    day = (local_today() - timedelta(days=1)).isoformat()
    asked = form_post(client, url, {"transferred_on": day, "new_post": "办公室科员"})
    fields = confirm_page(asked)
    assert db.session.get(Transfer, record.transfer.id).transferred_on is None  # nothing written before 确认
    response = client.post(url, data=fields)
    assert response.status_code == 302
    db.session.expire_all()
    transfer = db.session.get(Transfer, record.transfer.id)
    assert (transfer.transferred_on, transfer.new_post, transfer.confirmed_by) == (
        local_today() - timedelta(days=1), "办公室科员", org.username)
    assert transfer.matter.status == workflow.CONCLUDED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.transfer.confirm"))
    assert entry.user_id == org.id and entry.category == "integrity"
    details = json.loads(entry.detail)
    assert (details["days"], details["transferred_on"], details["late"]) == (2, day, False)
    # irreversible: a second confirmation is refused and changes nothing
    again = client.post(url, data={**fields, "transferred_on": local_today().isoformat(), "new_post": "别的"},
                        follow_redirects=True)
    assert "该人员的调离已确认，不能再修改。" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Transfer, transfer.id).new_post == "办公室科员"
    # the discipline side sees the confirmation in the file
    logout(client)
    login_as("discipline")
    declare_purpose(client, city.alice)
    html = client.get(f"/integrity/persons/{city.alice.id}").get_data(as_text=True)
    assert "已调离" in html and "已办结" in html


def test_the_organisation_departments_reads_are_audited(client, login_as, city, city_user):
    """The list and the page name persons and their 污点 decisions: each read leaves an integrity
    audit entry, as a read of the file does (a refused confirmation leaves none)."""
    record = _recommended(city, city_user)
    org = login_as("organization")
    url = f"/organization/transfers/{record.transfer.matter_id}"
    assert client.get("/organization/transfers?show=open").status_code == 200
    assert client.get("/organization/transfers?format=csv").status_code == 200
    assert client.get(url).status_code == 200
    form_post(client, url, {"transferred_on": "2026-02-30", "new_post": "", "confirmed": "1"}, page=url)
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("integrity.transfer.%"),
                                                          AuditEntry.user_id == org.id)
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["integrity.transfer.list", "integrity.transfer.export",
                                           "integrity.transfer.read", "integrity.transfer.read"]  # GET, then form_post's GET
    assert {e.category for e in entries} == {"integrity"}
    assert json.loads(entries[0].detail)["show"] == "open" and json.loads(entries[1].detail)["format"] == "csv"
    assert entries[2].target == f"person:{city.alice.id}"


def test_refused_confirmations_write_nothing(client, login_as, city, city_user):
    record = _recommended(city, city_user)
    login_as("organization")
    url = f"/organization/transfers/{record.transfer.matter_id}"
    for day, message in [((local_today() + timedelta(days=1)).isoformat(), "调离日期不能晚于今天"),
                         ((local_today() - timedelta(days=400)).isoformat(), "调离日期不能早于处理决定日期"),
                         ("2026-02-30", "请填写调离日期")]:
        html = form_post(client, url, {"transferred_on": day, "new_post": "", "confirmed": "1"}).get_data(as_text=True)
        assert message in html
    db.session.expire_all()
    assert db.session.get(Transfer, record.transfer.id).transferred_on is None


def test_only_the_organisation_department_opens_the_transfer_pages(client, login_as, city, city_user):
    record = _recommended(city, city_user)
    login_as("discipline")
    assert client.get("/organization/transfers").status_code == 403
    assert client.get(f"/organization/transfers/{record.transfer.matter_id}").status_code == 403


def test_revoking_the_record_closes_an_open_recommendation(city, city_user):
    record = _recommended(city, city_user)
    records.revoke_record(city_user, record, local_today(), "复查撤销处分")
    db.session.commit()
    assert record.transfer.matter.status == workflow.CLOSED
    assert transfers.confirmation_errors(record.transfer, local_today())


def test_recommendation_for_a_record_filed_before(client, login_as, city, city_user):
    """A 污点 without a recommendation (filed before they were automatic) gets one by the button."""
    record = _recommended(city, city_user)
    # the old state: a record without a transfer row
    other = file_stain(city_user, city.bob, local_today() - timedelta(days=5))
    db.session.flush()
    db.session.delete(other.transfer)
    db.session.commit()
    db.session.expire_all()
    login_as("discipline")
    declare_purpose(client, city.bob)
    assert "向组织部门提出调离建议" in client.get(f"/integrity/records/{other.id}").get_data(as_text=True)
    form_post(client, f"/integrity/records/{other.id}/transfer", {}, page=f"/integrity/records/{other.id}")
    db.session.expire_all()
    assert db.session.scalar(select(Transfer).where(Transfer.record_id == other.id)) is not None


def test_the_shared_ledger_sends_the_organisation_department_to_the_transfer_page(client, login_as, city, city_user):
    record = _recommended(city, city_user)
    login_as("organization")
    response = client.get(f"/ledger/{record.transfer.matter_id}")
    assert response.status_code == 302 and response.location.endswith(f"/organization/transfers/{record.transfer.matter_id}")
    logout(client)
    login_as("department", unit=city.scj)  # the person's unit does not see the recommendation
    assert client.get(f"/ledger/{record.transfer.matter_id}").status_code == 403
