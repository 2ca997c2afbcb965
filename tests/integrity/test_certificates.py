"""Integrity certificates: numbered, printable, listing records and restrictions in force, with
a verification code that the public page checks, detecting tampering, revealing nothing else."""
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.integrity import certificates, records
from govsvc.integrity.models import Certificate
from govsvc.timeutil import local_today
from tests.conftest import form_post, logout
from tests.integrity.conftest import declare_purpose, file_stain


def issue(user, person, **kwargs):
    return certificates.issue(user, person, requested_by=kwargs.get("requested_by", "市委组织部"),
                              purpose=kwargs.get("purpose", "拟提拔考察"))


def code_of(cert):
    return certificates.verification_code(cert.content)


def test_issue_through_the_file_page_and_print(client, login_as, city, city_user):
    today = local_today()
    file_stain(city_user, city.alice, today - timedelta(days=100), decision_number="淄纪处〔2026〕5号")
    old = file_stain(city_user, city.alice, date(2020, 6, 1), decision="warning")           # restrictions over
    revoked = file_stain(city_user, city.alice, today - timedelta(days=50), decision="demotion")
    records.revoke_record(city_user, revoked, today, "撤销")
    records.file_record(city_user, city.alice, {"decision": "admonishment", "decision_date": today - timedelta(days=20),
                                                "facts": "推诿扯皮", "filed_by": "city_commission",
                                                "rectification_deadline": today + timedelta(days=10)})
    db.session.commit()
    login_as("discipline")
    declare_purpose(client, city.alice, "出具廉政鉴定")
    response = form_post(client, f"/integrity/persons/{city.alice.id}/certificates",
                         {"requested_by": "市委组织部", "purpose": "拟提拔考察"}, page=f"/integrity/persons/{city.alice.id}")
    assert response.status_code == 302
    cert = db.session.scalar(select(Certificate))
    assert cert.number == f"{today.year}-0001" and cert.status == "valid"
    content = json.loads(cert.content)
    assert [s["decision"] for s in content["stains"]] == ["记过", "警告"]     # revoked left out, old one listed
    assert content["stains"][1]["restricted_until"] == old.facts_for_rules().last_day.isoformat()
    assert len(content["admonishments"]) == 1 and len(content["restrictions"]) == 5
    assert content["person"]["id_masked"] == city.alice.id_masked and "id_hash" not in cert.content
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"廉鉴〔{today.year}〕0001号" in html and code_of(cert) in html and "淄纪处〔2026〕5号" in html
    assert "不得晋升职级" in html and "/verify/" in html and "integrity.js" in html
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.certificate.issue"))
    assert entry.purpose == "拟提拔考察" and entry.category == "integrity"


def test_certificate_without_records_says_so(app, city, city_user):
    cert = issue(city_user, city.bob)
    content = certificates.content_of(cert)
    assert content["stains"] == [] and content["restrictions"] == []
    assert "无“污点”记录" in content["conclusion"]


def test_numbers_run_per_year(app, city, city_user):
    numbers = [issue(city_user, p).number for p in (city.alice, city.bob, city.carol)]
    year = local_today().year
    assert numbers == [f"{year}-0001", f"{year}-0002", f"{year}-0003"]
    assert certificates.display_number(numbers[1]) == f"廉鉴〔{year}〕0002号"


def test_a_new_certificate_or_a_file_change_supersedes(app, city, city_user):
    first = issue(city_user, city.alice)
    second = issue(city_user, city.alice)
    other = issue(city_user, city.bob)
    db.session.refresh(first)
    assert (first.status, second.status, other.status) == ("superseded", "valid", "valid")
    record = file_stain(city_user, city.alice, date(2026, 1, 1))
    db.session.refresh(second)
    assert second.status == "superseded" and second.superseded_at is not None
    third = issue(city_user, city.alice)
    records.correct_record(city_user, record, {"post": "副科长"}, "职务更正")
    db.session.refresh(third)
    assert third.status == "superseded"
    fourth = issue(city_user, city.alice)
    records.revoke_record(city_user, record, local_today(), "撤销")
    db.session.refresh(fourth)
    assert fourth.status == "superseded"
    db.session.refresh(other)
    assert other.status == "valid"


# -- public verification ------------------------------------------------------------------------
def verify_page(client, **data):
    return form_post(client, "/verify/", data).get_data(as_text=True)


def test_verification_page_confirms_and_reveals_nothing_else(client, app, city, city_user):
    file_stain(city_user, city.alice, local_today() - timedelta(days=10))
    cert = issue(city_user, city.alice)
    db.session.commit()
    code = code_of(cert)
    html = verify_page(client, number=certificates.display_number(cert.number), code=code)
    assert "验证码与本系统出具的证书相符" in html and "有效" in html and cert.issued_on.isoformat() in html
    for secret in (city.alice.name, city.alice.id_masked, city.scj.name, "记过", "拟提拔考察", "市委组织部"):
        assert secret not in html, secret
    # Typed loosely: lower case, spaces, the plain number form.
    assert "相符" in verify_page(client, number=cert.number, code=code.lower().replace("-", " "))


def test_verification_detects_a_changed_code_or_number(client, app, city, city_user):
    cert = issue(city_user, city.alice)
    other = issue(city_user, city.bob)
    db.session.commit()
    code = code_of(cert)
    flipped = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert "没有找到与该编号和验证码相符的证书" in verify_page(client, number=cert.number, code=flipped)
    assert "没有找到" in verify_page(client, number=other.number, code=code)       # a code of another certificate
    assert "没有找到" in verify_page(client, number="2019-0001", code=code)
    assert "证书编号格式" in verify_page(client, number="abc", code=code)
    assert "验证码应为 20 位" in verify_page(client, number=cert.number, code="1234")


def test_verification_detects_tampered_content(client, app, city, city_user):
    file_stain(city_user, city.alice, local_today() - timedelta(days=10))
    cert = issue(city_user, city.alice)
    db.session.commit()
    code = code_of(cert)
    assert "相符" in verify_page(client, number=cert.number, code=code)
    content = json.loads(cert.content)
    content["stains"] = []  # someone removes the 污点 from the stored certificate
    forged = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    db.session.execute(update(Certificate).where(Certificate.id == cert.id).values(content=forged))
    db.session.commit()
    assert "没有找到与该编号和验证码相符的证书" in verify_page(client, number=cert.number, code=code)


def test_verification_checks_what_the_holder_shows(client, app, city, city_user):
    file_stain(city_user, city.alice, local_today() - timedelta(days=10))
    cert = issue(city_user, city.alice)
    db.session.commit()
    code = code_of(cert)
    html = verify_page(client, number=cert.number, code=code, name=city.alice.name, stain_count="1")
    assert html.count("与证书记载一致") == 2 and "可能被改动" not in html
    html = verify_page(client, number=cert.number, code=code, name="张冒名", stain_count="0")  # a doctored paper
    assert html.count("与证书记载不一致") == 2 and "可能被改动" in html
    assert city.alice.name not in html


def test_superseded_certificates_verify_as_superseded(client, app, city, city_user):
    cert = issue(city_user, city.alice)
    code = code_of(cert)
    issue(city_user, city.alice)
    db.session.commit()
    html = verify_page(client, number=cert.number, code=code)
    assert "相符" in html and "已被新证书取代" in html and "已失效" in html


def test_verification_attempts_are_audited(client, app, city, city_user):
    cert = issue(city_user, city.alice)
    db.session.commit()
    verify_page(client, number=cert.number, code="A" * 20)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.certificate.verify"))
    assert entry.category == "integrity" and json.loads(entry.detail) == {"match": False}


def test_code_depends_on_the_key(app, city, city_user):
    cert = issue(city_user, city.alice)
    code = code_of(cert)
    assert re.fullmatch(r"([A-Z2-7]{4}-){4}[A-Z2-7]{4}", code)
    app.config["HASH_KEY"] = "another-deployment-key"
    assert code_of(cert) != code


@pytest.mark.parametrize("typed,number", [("廉鉴〔2026〕0012号", "2026-0012"), ("2026-12", "2026-0012"),
                                          ("〔2026〕第 0012 号", "2026-0012"), ("2026", None), ("", None)])
def test_certificate_numbers_are_read_loosely(typed, number):
    assert certificates.parse_number(typed) == number


def test_certificate_view_needs_a_purpose_and_scope(client, login_as, city, city_user):
    cert = issue(city_user, city.bob)
    db.session.commit()
    login_as("discipline", unit=city.scj)
    assert client.get(f"/integrity/certificates/{cert.id}").status_code == 403
    html = client.get("/integrity/certificates").get_data(as_text=True)
    assert city.bob.name not in html and "共 0 条" in html
    logout(client)
    login_as("discipline")
    assert client.get(f"/integrity/certificates/{cert.id}").status_code == 302
    assert city.bob.name in client.get("/integrity/certificates").get_data(as_text=True)


def test_a_number_taken_meanwhile_is_retried(app, city, city_user, monkeypatch):
    first = issue(city_user, city.alice)
    stale = iter([first.seq])  # another issuer took this number between our read and our insert
    real = certificates._next_seq
    monkeypatch.setattr(certificates, "_next_seq", lambda year: next(stale, None) or real(year))
    second = issue(city_user, city.bob)
    assert second.seq == first.seq + 1 and second.number != first.number
