"""调离 (seed 002, "建立公务人员'污点'记录惩戒机制" 4.): a 污点 asks the organisation department to
move the person out of enterprise-related posts at once ("及时向组织部门提出建议,一律第一时间调离").

Filing a 污点 whose restrictions are in force that day opens a recommendation matter on the
shared ledger (module `integrity-transfer`, owned by the organisation department, like the
survey's "survey-referral" matters), assigned with a deadline TRANSFER_DAYS after the
recommendation. The organisation department confirms the transfer (date moved out, new post,
who) on its own page; the confirmation concludes the matter and cannot be changed. A record
revoked before the transfer returns and closes the matter. The rules (deadline, overdue) are in
scoring/integrity.py.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.extensions import db
from govsvc.integrity.models import IntegrityRecord, Transfer
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move, register_module
from govsvc.registry.models import Person
from govsvc.timeutil import local_today, utcnow
from scoring.integrity import TRANSFER_DAYS, TransferState, needs_transfer, transfer_state

TRANSFERS = "integrity-transfer"
register_module(TRANSFERS, "污点调离建议", {R.ORGANIZATION}, sensitive=True, page="integrity_org.transfer")


class TransferError(ValueError):
    """A refused confirmation: {field name: Chinese message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def state_of(transfer: Transfer, today: date | None = None) -> TransferState:
    return transfer_state(transfer.recommended_on, transfer.transferred_on, today or local_today())


def recommend(user, record: IntegrityRecord, *, today: date | None = None) -> Transfer:
    """Open the recommendation for `record` (once; the caller checks it is needed)."""
    if record.transfer is not None:
        return record.transfer
    today = today or local_today()
    person = record.person or db.session.get(Person, record.person_id)
    due = transfer_state(today, None, today).due
    matter = create_matter(
        module=TRANSFERS, kind="transfer", title=f"“污点”调离建议：{person.name}（{person.unit.name}）",
        description=(f"{person.name}（{person.unit.name}{'，' + person.post if person.post else ''}）"
                     f"{record.decision_date.isoformat()} 受到{record.decision_label}处理，记入廉政档案。"
                     f"建议第一时间（{TRANSFER_DAYS} 日内）调离所在系统或岗位，不得从事与执法或管理、服务企业相关的岗位；"
                     "调离后请在本事项中确认调离日期和新任职务。"),
        source="市纪委市监委", ref=f"integrity.record:{record.id}/transfer", responsible_unit_id=person.unit_id,
        deadline=due, priority="high", user=user)
    move(matter, workflow.ASSIGNED, user=user, note="向组织部门提出调离建议。")
    transfer = Transfer(record_id=record.id, matter_id=matter.id, recommended_on=today)
    db.session.add(transfer)
    db.session.flush()
    record.transfer = transfer
    audit.record("integrity.transfer.recommend", target=f"person:{record.person_id}",
                 detail={"record": record.id, "matter": matter.id, "due": due}, category="integrity")
    return transfer


def recommend_if_needed(user, record: IntegrityRecord, *, today: date | None = None) -> Transfer | None:
    today = today or local_today()
    if record.transfer is None and needs_transfer(record.facts_for_rules(), today):
        return recommend(user, record, today=today)
    return None


def confirmation_errors(transfer: Transfer, transferred_on: date | None, today: date | None = None) -> dict[str, str]:
    """Why this confirmation cannot be made (empty when it can): asked before the confirmation page."""
    today = today or local_today()
    errors = {}
    if transfer.transferred_on is not None:
        errors["transferred_on"] = "该人员的调离已确认，不能再修改。"
    elif transfer.record.revoked:
        errors["transferred_on"] = "该“污点”记录已撤销，无需调离。"
    elif transferred_on is None:
        errors["transferred_on"] = "请填写调离日期。"
    elif transferred_on > today:
        errors["transferred_on"] = "调离日期不能晚于今天：请在调离后确认。"
    elif transferred_on < transfer.record.decision_date:
        errors["transferred_on"] = f"调离日期不能早于处理决定日期（{transfer.record.decision_date.isoformat()}）。"
    return errors


def confirm_transfer(user, transfer: Transfer, transferred_on: date, new_post: str) -> Transfer:
    """The organisation department confirms the person was moved out of enterprise-related posts."""
    errors = confirmation_errors(transfer, transferred_on)
    if errors:
        raise TransferError(errors)
    new_post = (new_post or "").strip()
    transfer.transferred_on, transfer.new_post = transferred_on, new_post
    transfer.confirmed_by_id, transfer.confirmed_by, transfer.confirmed_at = user.id, user.username, utcnow()
    note = f"{transferred_on.isoformat()} 已调离涉企岗位" + (f"，现任{new_post}" if new_post else "") + "。"
    matter = transfer.matter
    if matter.status == workflow.RETURNED:
        move(matter, workflow.ASSIGNED, user=user, note="恢复办理。")
    if matter.status == workflow.ASSIGNED:
        move(matter, workflow.IN_PROGRESS, user=user)
    if matter.status == workflow.IN_PROGRESS:
        move(matter, workflow.CONCLUDED, user=user, note=note)
    db.session.flush()
    state = state_of(transfer)
    audit.record("integrity.transfer.confirm", target=f"person:{transfer.record.person_id}",
                 detail={"record": transfer.record_id, "matter": matter.id, "transferred_on": transferred_on,
                         "new_post": new_post, "days": state.days_elapsed, "late": state.late}, category="integrity")
    return transfer


def end_for_revocation(user, record: IntegrityRecord, reason: str) -> None:
    """A record revoked before the transfer asks for none: its open matter is returned and closed."""
    transfer = record.transfer
    if transfer is None or transfer.transferred_on is not None:
        return
    matter = transfer.matter
    if matter.status not in workflow.OPEN_STATUSES:
        return
    note = f"“污点”记录已撤销，无需调离：{reason}"
    if matter.status != workflow.RETURNED:
        move(matter, workflow.RETURNED, user=user, note=note)
    move(matter, workflow.CLOSED, user=user, note=note)


TRANSFER_FILTERS = {"": "全部", "pending": "尚未调离", "overdue": "逾期未调离", "done": "已调离"}


def transfer_query(*, show: str = "", today: date | None = None):
    """The organisation department's list: recommendations, oldest pending first."""
    from datetime import timedelta

    today = today or local_today()
    stmt = select(Transfer).join(Transfer.matter).where(Matter.module == TRANSFERS)
    pending = (Transfer.transferred_on.is_(None), Matter.status.in_(workflow.OPEN_STATUSES))
    if show == "pending":
        stmt = stmt.where(*pending)
    elif show == "overdue":
        stmt = stmt.where(*pending, Transfer.recommended_on < today - timedelta(days=TRANSFER_DAYS))
    elif show == "done":
        stmt = stmt.where(Transfer.transferred_on.is_not(None))
    return stmt.order_by(Transfer.transferred_on.is_not(None), Transfer.recommended_on, Transfer.id)
