"""Portal accounts: a code to the registry's head phone (through the outbox sender), kept only as a
keyed hash, expiring, single-use, throttled; letters issued in bulk; one account per enterprise."""
import re
from datetime import timedelta

import pytest

from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.portal import accounts
from govsvc.portal.models import Activation, OutboxMessage
from govsvc.timeutil import utcnow
from tests.conftest import form_post


def sent_code(enterprise) -> str:
    message = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.enterprise_id == enterprise.id)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"验证码：(\d{6})", message.body)[1]


def test_a_code_goes_to_the_head_phone_and_opens_the_account_once(app, factory):
    e = factory.enterprise(head_phone="13912345678")
    assert accounts.request_code(e.credit_code.lower()) == "139****5678"
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.recipient == "13912345678" and e.name in message.body
    code = sent_code(e)
    stored = db.session.scalar(db.select(Activation))
    assert code not in stored.code_hash and len(stored.code_hash) == 64      # only its keyed hash
    opened = accounts.open_account("sms", e.credit_code, code, "qilu-chem", "a-long-passphrase")
    assert opened.created and opened.user.has_role(R.ENTERPRISE) and opened.user.enterprise_id == e.id
    again = accounts.open_account("sms", e.credit_code, code, "other-name", "a-long-passphrase")
    assert again.user is None and "没有有效的验证码" in again.error


def test_five_wrong_codes_kill_the_code(app, factory):
    e = factory.enterprise(head_phone="13912345678")
    accounts.request_code(e.credit_code)
    code = sent_code(e)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    errors = [accounts.open_account("sms", e.credit_code, wrong, "x-user", "a-long-passphrase").error for _ in range(5)]
    assert "还可尝试 4 次" in errors[0] and "已失效" in errors[4]
    assert accounts.open_account("sms", e.credit_code, code, "x-user", "a-long-passphrase").user is None


def test_codes_expire_after_ten_minutes_and_three_an_hour_at_most(app, factory):
    e = factory.enterprise(head_phone="13912345678")
    then = utcnow() - timedelta(minutes=11)
    accounts.request_code(e.credit_code, at=then)
    assert accounts.open_account("sms", e.credit_code, sent_code(e), "late-user", "a-long-passphrase").user is None
    accounts.request_code(e.credit_code)
    accounts.request_code(e.credit_code)
    with pytest.raises(accounts.PortalError, match="一小时内已发送 3 次"):
        accounts.request_code(e.credit_code)


def test_unknown_codes_and_enterprises_without_a_phone_are_refused(app, factory):
    with pytest.raises(accounts.PortalError, match="没有这个统一社会信用代码"):
        accounts.request_code("91370303MA3C00000X")
    e = factory.enterprise(head_phone="")
    with pytest.raises(accounts.PortalError, match="没有该企业主要负责人的手机号"):
        accounts.request_code(e.credit_code)


def test_a_second_opening_resets_the_password_of_the_one_account(app, factory):
    e = factory.enterprise(head_phone="13912345678")
    accounts.request_code(e.credit_code)
    first = accounts.open_account("sms", e.credit_code, sent_code(e), "qilu", "a-long-passphrase").user
    accounts.request_code(e.credit_code)
    second = accounts.open_account("sms", e.credit_code, sent_code(e), "ignored", "another-passphrase-9")
    assert second.user.id == first.id and not second.created and first.username == "qilu"


def test_a_bad_password_does_not_use_the_code(app, factory):
    e = factory.enterprise(head_phone="13912345678")
    accounts.request_code(e.credit_code)
    code = sent_code(e)
    assert accounts.open_account("sms", e.credit_code, code, "qilu", "123").field == "password"
    assert accounts.open_account("sms", e.credit_code, code, "qilu", "a-long-passphrase").created


def test_admin_letters_show_each_code_once_and_activate_accounts(client, factory, login_as):
    enterprises = [factory.enterprise(district="临淄区") for _ in range(3)]
    factory.enterprise(district="张店区")
    login_as("admin")
    html = form_post(client, "/portal/admin/letters", {"district": "临淄区", "only_new": "y"}).get_data(as_text=True)
    assert "请勾选确认" in html and not db.session.scalar(db.select(Activation))
    html = form_post(client, "/portal/admin/letters", {"district": "临淄区", "only_new": "y", "confirm": "y"}
                     ).get_data(as_text=True)
    codes = re.findall(r'class="mono big-code">([A-Z2-7-]+)<', html)
    assert len(codes) == 3 and all(e.name in html for e in enterprises)
    assert len(codes[0].replace("-", "")) == 26                                 # 128 bits in base32
    opened = accounts.open_account("letter", enterprises[0].credit_code, codes[0].lower(), "linzi-1", "a-long-passphrase")
    assert opened.created
    assert accounts.letter_candidates("临淄区") == enterprises[1:]               # only those without an account


def test_the_register_pages_open_an_account_and_log_in(client, factory):
    e = factory.enterprise(head_phone="13912345678")
    db.session.commit()
    response = form_post(client, "/portal/register", {"credit_code": e.credit_code})
    assert response.status_code == 302 and "credit_code=" in response.headers["Location"]
    verify = response.headers["Location"]
    html = form_post(client, verify, {"credit_code": e.credit_code, "code": "000000", "username": "qilu",
                                      "password": "a-long-passphrase", "password2": "a-long-passphrase"}
                     ).get_data(as_text=True)
    code = sent_code(e)
    if code != "000000":
        assert "验证码不正确" in html
    response = form_post(client, verify, {"credit_code": e.credit_code, "code": code, "username": "qilu",
                                          "password": "a-long-passphrase", "password2": "a-long-passphrase"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/portal/home")
    assert e.name in client.get("/portal/home").get_data(as_text=True)


def test_the_outbox_is_for_admins_and_its_reads_are_audited(client, factory, login_as):
    e = factory.enterprise(head_phone="13912345678")
    accounts.request_code(e.credit_code)
    login_as("admin")
    assert "13912345678" in client.get("/portal/admin/outbox").get_data(as_text=True)
    from govsvc.audit.models import AuditEntry
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "portal.outbox.read"))


def test_the_outbox_export_names_the_channel_in_chinese(client, factory, login_as):
    """Issue 10, item 13: downloads carry Chinese values, not the program's codes ("sms")."""
    e = factory.enterprise(head_phone="13912345678")
    accounts.request_code(e.credit_code)
    login_as("admin")
    body = client.get("/portal/admin/outbox?format=csv").get_data()
    assert body.startswith("\ufeff".encode())
    rows = body.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("时间,渠道,收件人") and ",短信,13912345678," in rows[1] and "sms" not in rows[1]
