"""Portal accounts: every enterprise of the registry can have one `enterprise` account.

Two ways in, both with a one-time code kept only as a keyed hash (`govsvc.crypto.keyed_hash`):

* on request: the visitor gives the credit code; a 6-digit code goes to the registry's head phone
  (主要负责人手机) through the sender; valid 10 minutes; at most 3 codes per enterprise an hour;
* by letter: an admin issues printed letters in bulk, each with a 26-character activation code
  (128 bits), valid 90 days, shown once on the printable page.

Either code opens the account once: with the credit code, the code and a username and password of
the visitor's choosing (an existing account of the enterprise keeps its username and gets the new
password: the same way recovers a lost password). Five wrong codes kill the code; a used or
expired code does nothing. Attempts are counted by the database (UPDATE … WHERE attempts < 5).
"""
from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.auth.models import User, UserRole
from govsvc.auth.passwords import policy_errors
from govsvc.auth.service import AccountError, create_user, normalise_username, set_password
from govsvc.crypto import keyed_hash
from govsvc.extensions import db
from govsvc.portal.models import MAX_ATTEMPTS, Activation
from govsvc.portal.sender import get_sender, mask_phone
from govsvc.registry.models import Enterprise
from govsvc.timeutil import utcnow

SMS_VALID = timedelta(minutes=10)
LETTER_VALID = timedelta(days=90)
SMS_PER_HOUR = 3
LETTERS_PER_BATCH = 500
PURPOSE = "portal-activation"


class PortalError(ValueError):
    """A refused step; the message is for the visitor (Chinese), `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _hash(enterprise: Enterprise, code: str) -> str:
    return keyed_hash(PURPOSE, f"{enterprise.id}:{normalise_code(code)}")


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def find_enterprise(credit_code: str) -> Enterprise | None:
    code = (credit_code or "").strip().upper()
    return db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code)) if code else None


def account_of(enterprise_id: int) -> User | None:
    """The enterprise's portal account (role `enterprise`), if it has one."""
    return db.session.scalar(select(User).join(UserRole).where(User.enterprise_id == enterprise_id,
                                                               UserRole.role == R.ENTERPRISE).order_by(User.id))


# -- on request: a code to the head phone ------------------------------------------------------------
def request_code(credit_code: str, at: datetime | None = None) -> str:
    """Send a one-time code to the enterprise's head phone; returns the masked phone."""
    at = at or utcnow()
    enterprise = find_enterprise(credit_code)
    if enterprise is None:
        raise PortalError("登记库中没有这个统一社会信用代码，请核对；新登记的企业请联系市司法局开通。", "credit_code")
    if enterprise.status != "存续":
        raise PortalError(f"该企业状态为“{enterprise.status}”，不能开通企业账号。", "credit_code")
    phone = (enterprise.head_phone or "").strip()
    if len(phone) < 8:
        raise PortalError("登记库中没有该企业主要负责人的手机号，请联系市司法局办理（可领取开通函）。", "credit_code")
    recent = db.session.scalar(select(func.count()).select_from(Activation).where(
        Activation.enterprise_id == enterprise.id, Activation.kind == "sms", Activation.created_at > at - timedelta(hours=1)))
    if recent >= SMS_PER_HOUR:
        raise PortalError(f"该企业一小时内已发送 {SMS_PER_HOUR} 次验证码，请稍后再试。", "credit_code")
    code = f"{secrets.randbelow(10**6):06d}"
    db.session.add(Activation(enterprise_id=enterprise.id, kind="sms", code_hash=_hash(enterprise, code),
                              created_at=at, expires_at=at + SMS_VALID))
    get_sender().send(phone, f"【政企服务平台】{enterprise.name}开通企业账号的验证码：{code}，10分钟内有效。"
                             "如非本企业操作，请勿告知他人。", enterprise.id)
    db.session.flush()
    audit.record("portal.code.sent", target=f"enterprise:{enterprise.id}", detail={"phone": mask_phone(phone)})
    return mask_phone(phone)


# -- by letter -----------------------------------------------------------------------------------------
def letter_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=")  # 26 characters, 128 bits
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


@dataclass
class Letter:
    enterprise: Enterprise
    code: str
    expires_at: datetime


def issue_letters(user, enterprises: list[Enterprise], at: datetime | None = None) -> list[Letter]:
    """Activation letters for the enterprises (codes shown once, on the printable page)."""
    if not enterprises:
        raise PortalError("没有符合条件的企业。", "district")
    if len(enterprises) > LETTERS_PER_BATCH:
        raise PortalError(f"一次最多打印 {LETTERS_PER_BATCH} 份开通函，请缩小范围。", "district")
    at = at or utcnow()
    batch = secrets.token_hex(8)
    letters = []
    for enterprise in enterprises:
        code = letter_code()
        db.session.add(Activation(enterprise_id=enterprise.id, kind="letter", code_hash=_hash(enterprise, code),
                                  created_at=at, created_by_id=user.id, expires_at=at + LETTER_VALID, batch=batch))
        letters.append(Letter(enterprise, code, at + LETTER_VALID))
    db.session.flush()
    audit.record("portal.letters.issued", target=f"batch:{batch}", detail={"count": len(letters)})
    return letters


def letter_candidates(district: str = "", without_account: bool = True, limit: int = LETTERS_PER_BATCH + 1):
    stmt = select(Enterprise).where(Enterprise.status == "存续")
    if district:
        stmt = stmt.where(Enterprise.district == district)
    if without_account:
        has = select(User.enterprise_id).join(UserRole).where(UserRole.role == R.ENTERPRISE,
                                                              User.enterprise_id.is_not(None))
        stmt = stmt.where(Enterprise.id.not_in(has))
    return list(db.session.scalars(stmt.order_by(Enterprise.district, Enterprise.credit_code).limit(limit)))


# -- opening the account -----------------------------------------------------------------------------------
@dataclass
class Opened:
    user: User | None = None
    error: str = ""
    field: str = ""
    created: bool = False


def open_account(kind: str, credit_code: str, code: str, username: str, password: str,
                 at: datetime | None = None) -> Opened:
    """Check the one-time code and open (or re-open) the enterprise's account. A wrong code is
    counted and answered with `Opened.error` (not raised), so the request commits the count."""
    at = at or utcnow()
    enterprise = find_enterprise(credit_code)
    if enterprise is None:
        return Opened(error="统一社会信用代码或验证码不正确。", field="code")
    existing = account_of(enterprise.id)
    key = existing.username if existing else normalise_username(username)
    problems = policy_errors(password or "", key)
    if problems:
        return Opened(error=" ".join(problems), field="password")
    if existing is None and db.session.scalar(select(User.id).where(User.username == key)) is not None:
        return Opened(error=f"用户名 {key} 已被使用，请换一个。", field="username")
    activation = db.session.scalar(
        select(Activation).where(Activation.enterprise_id == enterprise.id, Activation.kind == kind,
                                 Activation.used_at.is_(None), Activation.expires_at > at,
                                 Activation.attempts < MAX_ATTEMPTS)
        .order_by(Activation.created_at.desc(), Activation.id.desc()))
    if activation is None:
        return Opened(error="没有有效的验证码：验证码已过期、已使用或错误次数过多，请重新获取。", field="code")
    if not secrets.compare_digest(activation.code_hash, _hash(enterprise, code)):
        db.session.execute(update(Activation).where(Activation.id == activation.id)
                           .values(attempts=Activation.attempts + 1))
        audit.record("portal.code.wrong", target=f"enterprise:{enterprise.id}", detail={"kind": kind})
        db.session.refresh(activation)
        left = MAX_ATTEMPTS - activation.attempts
        return Opened(error="统一社会信用代码或验证码不正确" + (f"，还可尝试 {left} 次。" if left > 0 else "，该验证码已失效。"),
                      field="code")
    used = db.session.execute(update(Activation).where(Activation.id == activation.id, Activation.used_at.is_(None))
                              .values(used_at=at)).rowcount
    if used != 1:
        return Opened(error="该验证码已经使用过。", field="code")
    try:
        if existing is not None:
            set_password(existing, password)
            user, created = existing, False
        else:
            user = create_user(key, password, (R.ENTERPRISE,), display_name=enterprise.name, enterprise_id=enterprise.id)
            created = True
    except AccountError as exc:
        raise PortalError(str(exc), "username") from None
    audit.record("portal.account." + ("opened" if created else "reset"), target=f"user:{user.id}",
                 detail={"enterprise": enterprise.credit_code, "kind": kind})
    return Opened(user=user, created=created)
