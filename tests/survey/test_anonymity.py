"""Anonymity and integrity: nothing links a ballot to a person or credential, storage order does
not follow arrival, one credential casts one ballot even under concurrent submission, the sealed
chain detects any change, and ballots are readable only after the box is sealed."""
import re
import threading

import pytest
from sqlalchemy import func, inspect, select, update

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.survey import ballots
from govsvc.survey.campaigns import SurveyError
from govsvc.survey.models import CLOSED, OPEN, Ballot, Campaign, CredentialUse
from tests.conftest import form_post, login
from tests.survey.conftest import ballot, ballot_count, close_and_tally, ratings_form

BALLOT_SIDE = ("survey_ballots", "survey_opinions", "survey_ballot_inbox")
CREDENTIAL_SIDE = ("survey_credentials", "survey_credential_uses", "survey_evaluators")
LINKING_NAME = re.compile(r"user|ip$|addr|session|time|_at$|date|created|credential|evaluator|enterprise|voter|seq",
                          re.I)


def test_no_column_or_table_links_a_ballot_to_a_user_or_credential(app):
    inspector = inspect(db.engine)  # the migrated database, not only the models
    for table in BALLOT_SIDE:
        columns = [c["name"] for c in inspector.get_columns(table)]
        assert not [c for c in columns if LINKING_NAME.search(c)], (table, columns)
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert targets <= {"survey_campaigns", "survey_departments"}, (table, targets)
        pk = inspector.get_pk_constraint(table)["constrained_columns"]
        assert pk == ["id"] and str(inspector.get_columns(table)[0]["type"]).startswith("VARCHAR")  # random, not a counter
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            assert fk["referred_table"] not in ("survey_ballots",), table
            if table in CREDENTIAL_SIDE:
                assert fk["referred_table"] not in BALLOT_SIDE
    for table in CREDENTIAL_SIDE:
        assert not [c["name"] for c in inspector.get_columns(table) if re.search("ballot|receipt|opinion", c["name"])]
    assert [c["name"] for c in inspector.get_columns("survey_credential_uses")] == ["credential_id"]


def test_two_concurrent_submissions_with_one_credential_store_exactly_one_ballot(app, city):
    """Real threads, each with its own client, session and connection; the database decides."""
    campaign = city.campaign()
    db.session.commit()
    url = f"/survey/{campaign.id}/ballot"
    for head in city.heads[:3]:
        clients = [app.test_client() for _ in range(4)]
        tokens = []
        for client in clients:
            assert login(client, head.username).status_code == 302
            tokens.append(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                    client.get(url).get_data(as_text=True)).group(1))
        db.session.commit()  # the test's own session holds nothing while the threads run
        barrier = threading.Barrier(len(clients), timeout=30)
        statuses = []

        def submit(client, token):
            barrier.wait()
            response = client.post(url, data={"csrf_token": token, "d-E00": "satisfied", "d-S00": "basic"})
            statuses.append(response.status_code)

        threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, tokens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert statuses == [302] * len(clients)  # every request ends on the receipt page, none fails
    assert ballot_count() == 3
    assert db.session.scalar(select(func.count()).select_from(CredentialUse)) == 3


def test_a_ballot_checked_before_closing_but_stored_after_it_is_refused(app, city):
    """Closing seals the chain; a ballot whose request read "open" just before the organizer
    closed must not be stored after the seal (re-checked in the writing transaction)."""
    campaign = city.campaign()
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    db.session.commit()
    # Another request closes voting between this request's first check and its write.
    db.session.execute(update(Campaign).where(Campaign.id == campaign.id).values(status=CLOSED),
                       execution_options={"synchronize_session": False})
    assert campaign.status == OPEN  # what the slower request had read
    with pytest.raises(SurveyError, match="评议已经结束"):
        ballots.cast_online(campaign, city.heads[1], ballot(satisfied=2))
    db.session.rollback()
    assert ballot_count() == 1
    assert db.session.scalar(select(func.count()).select_from(CredentialUse)) == 1


def test_the_service_refuses_a_second_use_of_a_credential(app, city):
    campaign = city.campaign()
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    try:
        ballots.cast_online(campaign, city.heads[0], ballot(basic=1))
    except ballots.AlreadyVoted as exc:
        assert "只能提交一次" in str(exc)
    else:
        raise AssertionError("a second ballot was accepted")
    assert ballot_count() == 1


def _all_text() -> str:
    parts = []
    for table in db.metadata.sorted_tables:
        parts += [repr(tuple(row)) for row in db.session.execute(select(table))]
    return "\n".join(parts)


def test_receipts_and_codes_are_stored_only_as_keyed_hashes(client, city, login_as):
    campaign = city.campaign()
    db.session.commit()
    login(client, city.heads[0].username)
    form_post(client, f"/survey/{campaign.id}/ballot", ratings_form(campaign, {"E00": "basic"}))
    receipt = re.search(r'id="receipt-code">([0-9A-Z-]+)<',
                        client.get(f"/survey/{campaign.id}/receipt").get_data(as_text=True)).group(1).replace("-", "")
    _, codes = ballots.issue_paper_codes(campaign, 2)
    db.session.commit()
    everything = _all_text()
    assert receipt not in everything
    assert not any(c.code in everything or c.receipt in everything for c in codes)


def test_ballots_are_readable_by_auditors_only_after_closing_and_each_read_is_logged(client, city, login_as):
    campaign = city.campaign()
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    db.session.commit()
    login_as("notary")
    for path in ("ballots.csv", "rejected.csv", "chain.csv", "audit/ballots"):
        assert client.get(f"/survey/{campaign.id}/{path}").status_code == 409, path
    html = client.get(f"/survey/{campaign.id}/audit").get_data(as_text=True)
    assert "封存后才能查看" in html and "<td class=\"num\">1 <span class=\"badge ok\">一致</span>" in html
    close_and_tally(campaign)
    db.session.commit()
    reads = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "survey.ballots.read"))
    body = client.get(f"/survey/{campaign.id}/ballots.csv").get_data(as_text=True)
    assert body.splitlines()[0] == "ballot_id,department_code,rating" and ",E00,satisfied" in body
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "survey.ballots.read")) == reads + 1


def test_the_sealed_chain_detects_a_ballot_changed_added_or_dropped(client, city, login_as):
    campaign = city.campaign()
    for head in city.heads[:3]:
        ballots.cast_online(campaign, head, ballot(satisfied=2, basic=5))
    head = ballots.close_voting(campaign)
    db.session.commit()
    assert ballots.verify_chain(campaign) == (head, 3)
    login_as("notary")
    assert "一致：封存后没有选票被增加、修改或删除" in client.get(f"/survey/{campaign.id}/audit").get_data(as_text=True)
    victim = db.session.scalars(select(Ballot).order_by(Ballot.id)).first()
    victim.enforcement = bytes([3]) + victim.enforcement[1:]
    db.session.commit()
    assert ballots.verify_chain(campaign)[0] != head
    assert "不一致：封存后选票发生了变化" in client.get(f"/survey/{campaign.id}/audit").get_data(as_text=True)
    db.session.delete(victim)
    db.session.commit()
    assert ballots.verify_chain(campaign) != (head, 3)


def test_the_organizer_sees_turnout_but_never_who_voted_what(client, city, login_as):
    campaign = city.campaign()
    ballots.cast_online(campaign, city.heads[0], ballot(satisfied=1))
    db.session.commit()
    login_as("organizer")
    html = client.get(f"/survey/{campaign.id}/evaluators?voted=1").get_data(as_text=True)
    assert "共 1 条" in html and city.enterprises[0].name in html
    assert client.get(f"/survey/{campaign.id}/ballots.csv").status_code == 409  # contents only after sealing
    assert client.get(f"/survey/{campaign.id}/audit/ballots").status_code == 409
