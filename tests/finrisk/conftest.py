"""A small financial-risk world: two banks, two counties (张店区, 淄川区), a bank user per bank, a county
department user, the regulator, the court unit and the lead unit."""
from __future__ import annotations

import pytest

from govsvc.extensions import db
from govsvc.imports import run_import
from govsvc.finrisk.loans import GuaranteeImport, LoanImport


class World:
    def __init__(self, factory):
        self.f = factory
        self.gh = factory.unit("GH", name="工商银行淄博分行")
        self.nh = factory.unit("NH", name="农业银行淄博分行")
        self.zd = factory.unit("ZF-ZD", name="张店区人民政府", level="county", district="张店区")
        self.zc = factory.unit("ZF-ZC", name="淄川区人民政府", level="county", district="淄川区")
        self.court_unit = factory.unit("ZYFY", name="市中级人民法院")
        self.jrj = factory.unit("JRJ", name="市地方金融监督管理局")
        self.gh_user = factory.user("bank", unit=self.gh)
        self.nh_user = factory.user("bank", unit=self.nh)
        self.zd_user = factory.user("department", unit=self.zd)
        self.zc_user = factory.user("department", unit=self.zc)
        self.regulator = factory.user("finance-regulator", unit=self.jrj)
        db.session.flush()

    def enterprise(self, district="张店区", **fields):
        return self.f.enterprise(district=district, **fields)

    def loans(self, rows, bank_user=None, **kwargs):
        """rows: (loan_no, enterprise, amount, start, maturity, status[, bank_code])."""
        header = "bank_code,period,loan_no,credit_code,amount,start_date,maturity_date,status\n"
        body = "".join(f"{r[6] if len(r) > 6 else ''},2026-11,{r[0]},{r[1].credit_code},{r[2]},{r[3]},{r[4]},{r[5]}\n"
                       for r in rows)
        kind = LoanImport(only_bank_id=bank_user.unit_id if bank_user else None)
        return run_import(kind, (header + body).encode(), "loans.csv", **kwargs)

    def guarantees(self, rows, bank_user=None, **kwargs):
        """rows: (contract_no, guarantor, borrower, amount[, bank_code])."""
        header = "bank_code,period,contract_no,guarantor_code,borrower_code,amount,start_date,end_date\n"
        body = "".join(f"{r[4] if len(r) > 4 else ''},2026-11,{r[0]},{r[1].credit_code},{r[2].credit_code},{r[3]},"
                       f"2026-01-01,2099-12-31\n" for r in rows)
        kind = GuaranteeImport(only_bank_id=bank_user.unit_id if bank_user else None)
        return run_import(kind, (header + body).encode(), "guarantees.csv", **kwargs)


@pytest.fixture
def world(app, factory):
    return World(factory)
