"""Banks' loan and guarantee data: the two import kinds (`govsvc import finrisk_loans FILE`, the
import pages) and the scoped queries. A bank imports only its own rows; the regulator names the
bank in every row. Upserts on (bank, loan number) and (bank, contract number)."""
from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import or_, select

from govsvc.extensions import db
from govsvc.finrisk.access import bank_of, district_of
from govsvc.finrisk.models import LOAN_STATUS_ALIASES, LOAN_STATUSES, Guarantee, Loan
from govsvc.grading.records import parse_date
from govsvc.imports import (CellError, Column, ImportKind, RowError, duplicate_key_errors, parse_choice,
                            parse_money, parse_text, register, update_fields)
from govsvc.registry.imports import codes_in_db, parse_credit_code, parse_optional_unit_code
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import utcnow

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(raw: str) -> str:
    match = _PERIOD.match(raw.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        raise CellError(f"“{raw}”不是报送期（应为 YYYY-MM，如 2026-11）。")
    return raw.strip()


def parse_amount(raw: str) -> Decimal:
    value = parse_money(raw)
    if value <= 0:
        raise CellError("金额必须大于 0。")
    return value


parse_status = parse_choice(LOAN_STATUSES, LOAN_STATUS_ALIASES)
BANK_COLUMN = Column("bank_code", "银行代码", parse_optional_unit_code, aliases=("银行",))


class _BankRows(ImportKind):
    """Rows of one bank (a bank user) or of named banks (the regulator)."""

    def __init__(self, only_bank_id: int | None = None):
        self.only_bank_id = only_bank_id
        self.touched: list[Loan] = []

    def _bank_errors(self, rows) -> list[RowError]:
        errors = []
        codes = [r.values.get("bank_code", "") for r in rows]
        self.banks = codes_in_db(Unit, Unit.code, [c for c in codes if c])
        own = db.session.get(Unit, self.only_bank_id) if self.only_bank_id else None
        for row in rows:
            code = row.values.get("bank_code", "")
            if not code:
                if own is None:
                    errors.append(RowError(row.number, "银行代码", "请填写银行代码。"))
                else:
                    row.values["bank_code"] = own.code
                    self.banks[own.code] = own
            elif code not in self.banks:
                errors.append(RowError(row.number, "银行代码", f"找不到银行“{code}”。"))
            elif own is not None and self.banks[code].id != own.id:
                errors.append(RowError(row.number, "银行代码", "只能导入本行的数据。"))
        return errors

    def _enterprise_errors(self, rows, columns: dict[str, str]) -> list[RowError]:
        self.enterprises = codes_in_db(Enterprise, Enterprise.credit_code,
                                       [r.values[c] for r in rows for c in columns if c in r.values])
        return [RowError(row.number, label, "登记库中没有这家企业。")
                for row in rows for column, label in columns.items()
                if column in row.values and row.values[column] not in self.enterprises]

    def _dates_errors(self, rows, start: str, end: str, label: str) -> list[RowError]:
        return [RowError(r.number, label, "不能早于起始日。") for r in rows
                if start in r.values and end in r.values and r.values[end] < r.values[start]]

    def _existing(self, model, number_column):
        keys = {}
        for row in self._rows:
            keys.setdefault(self.banks[row.values["bank_code"]].id, []).append(row.values[number_column])
        self.existing = {}
        for bank_id, numbers in keys.items():
            for start in range(0, len(numbers), 500):
                for obj in db.session.scalars(select(model).where(model.bank_id == bank_id,
                                                                  getattr(model, number_column).in_(numbers[start:start + 500]))):
                    self.existing[(bank_id, getattr(obj, number_column))] = obj

    def prepare(self, rows):
        self._rows = rows


@register
class LoanImport(_BankRows):
    name = "finrisk_loans"
    label = "银行贷款数据"
    columns = (
        BANK_COLUMN,
        Column("period", "报送期", parse_period, required=True),
        Column("loan_no", "贷款编号", parse_text(64), required=True, aliases=("借据号", "合同编号")),
        Column("credit_code", "借款人统一社会信用代码", parse_credit_code, required=True, aliases=("统一社会信用代码",)),
        Column("amount", "贷款金额", parse_amount, required=True, aliases=("金额",)),
        Column("start_date", "起始日", parse_date, required=True, aliases=("发放日",)),
        Column("maturity_date", "到期日", parse_date, required=True),
        Column("status", "状态", parse_status, required=True, aliases=("五级分类",)),
    )

    def key(self, values):
        return values.get("bank_code", ""), values["loan_no"]

    def check_rows(self, rows):
        errors = self._bank_errors(rows) + duplicate_key_errors(self, rows, "贷款编号")
        errors += self._enterprise_errors(rows, {"credit_code": "借款人统一社会信用代码"})
        return errors + self._dates_errors(rows, "start_date", "maturity_date", "到期日")

    def prepare(self, rows):
        super().prepare(rows)
        self._existing(Loan, "loan_no")

    def apply(self, values):
        bank = self.banks[values["bank_code"]]
        fields = {"period": values["period"], "enterprise_id": self.enterprises[values["credit_code"]].id,
                  "amount": values["amount"], "start_date": values["start_date"],
                  "maturity_date": values["maturity_date"], "status": values["status"]}
        loan = self.existing.get((bank.id, values["loan_no"]))
        if loan is None:
            loan = Loan(bank_id=bank.id, loan_no=values["loan_no"], **fields)
            db.session.add(loan)
            self.existing[(bank.id, values["loan_no"])] = loan
            self.touched.append(loan)
            return "created"
        if update_fields(loan, fields):
            loan.updated_at = utcnow()
            self.touched.append(loan)
            return "updated"
        return "unchanged"

    def finish(self):
        from govsvc.finrisk import maturity

        maturity.sweep(loan_ids=[loan.id for loan in self.touched])


@register
class GuaranteeImport(_BankRows):
    name = "finrisk_guarantees"
    label = "银行担保数据"
    columns = (
        BANK_COLUMN,
        Column("period", "报送期", parse_period, required=True),
        Column("contract_no", "担保合同编号", parse_text(64), required=True, aliases=("合同编号",)),
        Column("guarantor_code", "担保人统一社会信用代码", parse_credit_code, required=True),
        Column("borrower_code", "被担保人统一社会信用代码", parse_credit_code, required=True,
               aliases=("借款人统一社会信用代码",)),
        Column("amount", "担保金额", parse_amount, required=True, aliases=("金额",)),
        Column("start_date", "起始日", parse_date, required=True),
        Column("end_date", "到期日", parse_date, required=True, aliases=("担保到期日",)),
    )

    def key(self, values):
        return values.get("bank_code", ""), values["contract_no"]

    def check_rows(self, rows):
        errors = self._bank_errors(rows) + duplicate_key_errors(self, rows, "担保合同编号")
        errors += self._enterprise_errors(rows, {"guarantor_code": "担保人统一社会信用代码",
                                                 "borrower_code": "被担保人统一社会信用代码"})
        errors += [RowError(r.number, "被担保人统一社会信用代码", "担保人与被担保人不能是同一家企业。") for r in rows
                   if r.values.get("guarantor_code") == r.values.get("borrower_code")]
        return errors + self._dates_errors(rows, "start_date", "end_date", "到期日")

    def prepare(self, rows):
        super().prepare(rows)
        self._existing(Guarantee, "contract_no")

    def apply(self, values):
        bank = self.banks[values["bank_code"]]
        fields = {"period": values["period"], "guarantor_id": self.enterprises[values["guarantor_code"]].id,
                  "borrower_id": self.enterprises[values["borrower_code"]].id, "amount": values["amount"],
                  "start_date": values["start_date"], "end_date": values["end_date"]}
        item = self.existing.get((bank.id, values["contract_no"]))
        if item is None:
            db.session.add(Guarantee(bank_id=bank.id, contract_no=values["contract_no"], **fields))
            self.existing[(bank.id, values["contract_no"])] = True
            return "created"
        if update_fields(item, fields):
            item.updated_at = utcnow()
            return "updated"
        return "unchanged"


def import_kind(name: str, user) -> _BankRows:
    kind = {"loans": LoanImport, "guarantees": GuaranteeImport}[name]
    return kind(only_bank_id=bank_of(user))


# -- queries --------------------------------------------------------------------------------------
def _scoped(stmt, model, user, enterprise_columns):
    bank = bank_of(user)
    if bank is not None:
        stmt = stmt.where(model.bank_id == bank)
    district = district_of(user)
    if district is not None:
        ids = select(Enterprise.id).where(Enterprise.district == district)
        stmt = stmt.where(or_(*(c.in_(ids) for c in enterprise_columns)))  # either party in the district
    return stmt


def loan_query(user, *, q: str = "", status: str = "", bank_id: int | None = None, district: str = ""):
    stmt = _scoped(select(Loan), Loan, user, [Loan.enterprise_id])
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.join(Loan.enterprise).where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper()),
                                                    Loan.loan_no.ilike(like)))
    if status:
        stmt = stmt.where(Loan.status == status)
    if bank_id:
        stmt = stmt.where(Loan.bank_id == bank_id)
    if district:
        stmt = stmt.where(Loan.enterprise_id.in_(select(Enterprise.id).where(Enterprise.district == district)))
    return stmt.order_by(Loan.maturity_date, Loan.id)


def guarantee_query(user, *, q: str = "", bank_id: int | None = None):
    stmt = _scoped(select(Guarantee), Guarantee, user, [Guarantee.guarantor_id, Guarantee.borrower_id])
    if q:
        like = f"%{q.strip()}%"
        names = select(Enterprise.id).where(or_(Enterprise.name.ilike(like), Enterprise.credit_code.ilike(like.upper())))
        stmt = stmt.where(or_(Guarantee.guarantor_id.in_(names), Guarantee.borrower_id.in_(names),
                              Guarantee.contract_no.ilike(like)))
    if bank_id:
        stmt = stmt.where(Guarantee.bank_id == bank_id)
    return stmt.order_by(Guarantee.end_date, Guarantee.id)
