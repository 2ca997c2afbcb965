"""Importing a year's 分工名单 (city leaders ↔ listed enterprises) from CSV or XLSX, through the shared
import framework: every row is checked first (enterprise on the list, leader known, the same rules
as the form); nothing is written when a row is wrong unless "valid rows only"; re-importing the
same file changes nothing (upsert on the enterprise).

Columns: credit_code* (统一社会信用代码), leader* (联系领导: the leader's name, or his account),
note (备注)."""
from __future__ import annotations

from sqlalchemy import select

from govsvc.auth.models import User
from govsvc.care.liaison_access import CareError, require_office
from govsvc.care.models import LeaderProfile, LiaisonAssignment, LiaisonList, ServedEnterprise
from govsvc.extensions import db
from govsvc.imports import (Column, ImportKind, ImportReport, ParsedRow, RowError, duplicate_key_errors, parse_text,
                            run_import, update_fields)
from govsvc.registry.imports import parse_credit_code
from govsvc.registry.models import Enterprise
from govsvc.timeutil import utcnow
from scoring import liaison as core


class AssignmentImport(ImportKind):
    name = "liaison_assignments"
    label = "市级领导联系服务重点企业分工名单"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True, aliases=("企业信用代码",)),
        Column("leader", "联系领导", parse_text(64), required=True, aliases=("市级领导", "领导账号")),
        Column("note", "备注", parse_text(200), aliases=("分工依据",)),
    )

    def __init__(self, lst: LiaisonList, user):
        self.lst, self.user = lst, user

    def key(self, values):
        return values["credit_code"]

    def _leaders(self) -> dict[str, LeaderProfile | None]:
        """Name or account → the active city leader (None when a name is shared: use the account)."""
        found: dict[str, LeaderProfile | None] = {}
        rows = db.session.execute(select(LeaderProfile, User.username).outerjoin(User, User.id == LeaderProfile.user_id)
                                  .where(LeaderProfile.level == core.CITY, LeaderProfile.active.is_(True)))
        for profile, username in rows:
            found[profile.name] = None if profile.name in found else profile
            if username:
                found[username] = profile
        return found

    def check_rows(self, rows: list[ParsedRow]) -> list[RowError]:
        errors = duplicate_key_errors(self, rows, "统一社会信用代码")
        codes = [r.values["credit_code"] for r in rows]
        self.enterprises = {e.credit_code: e for e in db.session.scalars(
            select(Enterprise).where(Enterprise.credit_code.in_(codes)))} if codes else {}
        entries = {e.enterprise_id: e for e in db.session.scalars(
            select(ServedEnterprise).where(ServedEnterprise.list_id == self.lst.id))}
        leaders = self._leaders()
        self.leaders = {}
        for row in rows:
            enterprise = self.enterprises.get(row.values["credit_code"])
            name = row.values["leader"].strip()
            if enterprise is None:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业。"))
                continue
            if name not in leaders:
                errors.append(RowError(row.number, "联系领导", f"找不到在职的市级领导“{name}”。"))
                continue
            if leaders[name] is None:
                errors.append(RowError(row.number, "联系领导", f"有多位领导名为“{name}”，请填写领导的登录账号。"))
                continue
            self.leaders[name] = leaders[name]
            entry = entries.get(enterprise.id)
            served = [core.ServedEntry(entry.enterprise_id, entry.source, entry.rank, entry.group_name, entry.amount)] \
                if entry else []
            for problem in core.check_assignments([core.Assignment(enterprise.id, leaders[name].id, core.CITY)], served, {}):
                errors.append(RowError(row.number, "统一社会信用代码", problem.message + "。"))
        return errors

    def prepare(self, rows):
        self.existing = {a.enterprise_id: a for a in db.session.scalars(select(LiaisonAssignment).where(
            LiaisonAssignment.year == self.lst.year, LiaisonAssignment.level == core.CITY))}
        self.new_rows: list[dict] = []

    def apply(self, values):
        enterprise = self.enterprises[values["credit_code"]]
        leader = self.leaders[values["leader"].strip()]
        fields = {"leader_id": leader.id, "note": (values.get("note") or "").strip()}
        assignment = self.existing.get(enterprise.id)
        if assignment is None:  # inserted in one statement by finish()
            self.new_rows.append({"year": self.lst.year, "level": core.CITY, "enterprise_id": enterprise.id,
                                  "district": "", "assigned_at": utcnow(), "assigned_by_id": self.user.id, **fields})
            return "created"
        if update_fields(assignment, fields):
            assignment.assigned_at, assignment.assigned_by_id = utcnow(), self.user.id
            return "updated"
        return "unchanged"

    def finish(self):
        if self.new_rows:
            db.session.execute(LiaisonAssignment.__table__.insert(), self.new_rows)


def import_assignments(user, lst: LiaisonList, data: bytes, filename: str, *, valid_only: bool = False) -> ImportReport:
    """Raises TableError when the file cannot be read at all."""
    require_office(user)
    if lst.status == "draft":
        raise CareError("请先确定联系服务对象名单，再导入分工。", "file")
    return run_import(AssignmentImport(lst, user), data, filename, valid_only=valid_only, actor=(user.id, user.username))
