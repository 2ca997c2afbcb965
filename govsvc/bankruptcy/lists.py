"""Member units' periodic lists (seed 000 "五、（二）"): 吊销企业 (market regulation), 欠税企业
(tax), 产能淘汰企业, 停产企业 and 困境企业 (industry), 互联互保风险企业 (financial regulator), each
imported per period from CSV/XLSX through the shared import framework (import kind
`bankruptcy_lists`; a unit's upload fixes the unit, list and period).

A unit's newest list of a kind (the latest period begun on a day) is the one in force that day;
an enterprise's lists in force are combined into "zombie enterprise" (僵尸企业) candidates by the
rule of `scoring.bankruptcy.zombie_verdict`, and registered as a flag source
(`bankruptcy.lists`, every flag a risk signal; the revoked-licence list also bars honours) for the
financial-risk classification and the honours check.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, or_, select

from govsvc import audit
from govsvc.auth import roles as R
from govsvc.bankruptcy.access import NotAllowed, is_office, sees_all, unit_scope
from govsvc.bankruptcy.models_cases import ListEntry
from govsvc.extensions import db
from govsvc.imports import (CellError, Column, ImportKind, ImportReport, ParsedRow, RowError, duplicate_key_errors,
                            parse_money, parse_text, register, run_import, update_fields)
from govsvc.registry.flags import Flag, flag_source
from govsvc.registry.imports import codes_in_db, parse_credit_code, parse_unit_code
from govsvc.registry.models import Enterprise, Unit
from govsvc.timeutil import local_today, utcnow
from scoring import bankruptcy as core

_KIND_BY_LABEL = {label: kind for kind, label in core.LIST_KINDS.items()}
_KIND_BY_LABEL.update({f"{label}名单": kind for kind, label in core.LIST_KINDS.items()})
# The unit that usually reports each list (seed 000: 市场监管、税务、工信、金融监管).
REPORTING_UNITS = {"revoked": "SCJ", "tax_arrears": "SWJ", "capacity": "GXJ", "stopped": "GXJ", "distressed": "GXJ",
                   "guarantee": "JRJ"}


def parse_list_kind(raw: str) -> str:
    value = raw.strip()
    if value in core.LIST_KINDS:
        return value
    if value in _KIND_BY_LABEL:
        return _KIND_BY_LABEL[value]
    raise CellError(f"“{raw}”不是名单类别，应为：{'、'.join(core.LIST_KINDS.values())}。")


def parse_period(raw: str) -> core.Period:
    try:
        return core.parse_period(raw)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def parse_optional_money(raw: str):
    return parse_money(raw) if raw.strip() else None


@register
class ListImport(ImportKind):
    """One list file. Bound to a unit, list and period (a unit's upload) or reading them from its
    columns (`govsvc import bankruptcy_lists FILE`, the admin import page)."""

    name = "bankruptcy_lists"
    label = "成员单位定期报送名单"
    base_columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True),
        Column("name", "企业名称", parse_text(200)),
        Column("amount", "金额", parse_optional_money, aliases=("欠税金额", "担保金额", "估值", "金额（元）")),
        Column("detail", "情况说明", parse_text(5000),
               aliases=tuple(sorted(set(core.LIST_DETAILS.values()))) + ("基本情况说明",)),
        Column("note", "备注", parse_text(500)),
    )
    columns = (
        Column("list_kind", "名单类别", parse_list_kind, required=True),
        Column("period", "报送期间", parse_period, required=True),
        Column("unit_code", "报送单位代码", parse_unit_code, required=True),
    ) + base_columns

    def __init__(self, *, kind: str | None = None, period: core.Period | None = None, unit: Unit | None = None):
        self.fixed = kind is not None
        if self.fixed:
            self.columns = self.base_columns
            self.kind, self.period, self.unit = kind, period, unit

    def key(self, values):
        if self.fixed:
            return values["credit_code"]
        return values["list_kind"], values["period"].code, values["unit_code"], values["credit_code"]

    def check_rows(self, rows: list[ParsedRow]) -> list[RowError]:
        errors = duplicate_key_errors(self, rows, "统一社会信用代码")
        self.enterprises = codes_in_db(Enterprise, Enterprise.credit_code, [r.values["credit_code"] for r in rows])
        errors += [RowError(r.number, "统一社会信用代码", "登记库中没有这家企业。")
                   for r in rows if r.values["credit_code"] not in self.enterprises]
        if not self.fixed:
            self.units = codes_in_db(Unit, Unit.code, [r.values["unit_code"] for r in rows])
            errors += [RowError(r.number, "报送单位代码", f"单位名录中没有代码“{r.values['unit_code']}”。")
                       for r in rows if r.values["unit_code"] not in self.units]
        return errors

    def _target(self, values) -> tuple[str, core.Period, Unit]:
        if self.fixed:
            return self.kind, self.period, self.unit
        return values["list_kind"], values["period"], self.units[values["unit_code"]]

    def prepare(self, rows):
        self.existing = {}
        targets = {(k, p.code, u.id) for k, p, u in (self._target(r.values) for r in rows)}
        for kind, period, unit_id in targets:
            for entry in db.session.scalars(select(ListEntry).where(
                    ListEntry.kind == kind, ListEntry.period == period, ListEntry.unit_id == unit_id)):
                self.existing[(kind, period, unit_id, entry.enterprise_id)] = entry

    def apply(self, values):
        kind, period, unit = self._target(values)
        enterprise = self.enterprises[values["credit_code"]]
        fields = {"amount": values.get("amount"), "detail": values.get("detail") or "", "note": values.get("note") or ""}
        key = (kind, period.code, unit.id, enterprise.id)
        entry = self.existing.get(key)
        if entry is None:
            entry = ListEntry(kind=kind, period=period.code, period_start=period.start, period_end=period.end,
                              unit_id=unit.id, enterprise_id=enterprise.id, **fields)
            db.session.add(entry)
            self.existing[key] = entry
            return "created"
        if update_fields(entry, fields):
            entry.updated_at = utcnow()
            return "updated"
        return "unchanged"


def may_upload(user) -> bool:
    return is_office(user) or (user.has_role(R.DEPARTMENT) and user.unit_id is not None)


def upload(user, *, kind: str, period: core.Period, unit: Unit, data: bytes, filename: str,
           valid_only: bool = False, dry_run: bool = False) -> ImportReport:
    """A unit uploads its own list; the office may upload for any unit. Raises TableError when the
    file cannot be read at all."""
    if not may_upload(user):
        raise NotAllowed("upload list")
    if not is_office(user) and unit.id != user.unit_id:
        raise NotAllowed("upload another unit's list")
    report = run_import(ListImport(kind=kind, period=period, unit=unit), data, filename, valid_only=valid_only,
                        dry_run=dry_run, actor=(user.id, user.username))
    if report.applied:
        audit.record("bankruptcy.list.upload", target=f"unit:{unit.code}",
                     detail={"kind": kind, "period": period.code, "rows": report.total})
    return report


# -- lists in force -------------------------------------------------------------------------------
def _in_force(on: date):
    """The (kind, unit, period_start) of each unit's newest list of each kind begun by `on`."""
    return (select(ListEntry.kind.label("kind"), ListEntry.unit_id.label("unit_id"),
                   func.max(ListEntry.period_start).label("start"))
            .where(ListEntry.period_start <= on).group_by(ListEntry.kind, ListEntry.unit_id).subquery())


def in_force_clause(on: date):
    latest = _in_force(on)
    return select(ListEntry.id).join(latest, and_(latest.c.kind == ListEntry.kind, latest.c.unit_id == ListEntry.unit_id,
                                                  latest.c.start == ListEntry.period_start))


def entries_for(enterprise_ids, on: date) -> dict[int, list[ListEntry]]:
    ids = list(enterprise_ids)
    found: dict[int, list[ListEntry]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        stmt = (select(ListEntry).where(ListEntry.enterprise_id.in_(chunk), ListEntry.id.in_(in_force_clause(on)))
                .order_by(ListEntry.enterprise_id, ListEntry.kind, ListEntry.unit_id))
        for entry in db.session.scalars(stmt):
            found.setdefault(entry.enterprise_id, []).append(entry)
    return found


@flag_source("bankruptcy.lists")
def _list_flags(enterprise_ids, on: date) -> dict[int, list[Flag]]:
    flags: dict[int, list[Flag]] = {}
    for enterprise_id, entries in entries_for(enterprise_ids, on).items():
        for entry in entries:
            reason = f"{entry.unit.name}报送（{core.parse_period(entry.period).label}）"
            if entry.detail:
                reason += f"：{entry.detail[:100]}"
            flags.setdefault(enterprise_id, []).append(Flag(
                source="bankruptcy.lists", kind=entry.kind, label=f"{core.LIST_KINDS[entry.kind]}名单", reason=reason,
                since=entry.period_start, until=None, bars_honours=entry.kind == "revoked", risk_signal=True))
    return flags


# -- zombie candidates ------------------------------------------------------------------------------
def candidate_query(*, on: date | None = None, q: str = "", kind: str = "", district: str = "",
                    candidates_only: bool = True, min_lists: int = core.ZOMBIE_MIN_LISTS):
    """(Enterprise, lists, counted, alone) rows of the enterprises on lists in force on `on`; the
    HAVING clause is the zombie rule of scoring.bankruptcy (tested against it), so the page pages
    by index at any size."""
    on = on or local_today()
    alone = func.max(case((ListEntry.kind.in_(sorted(core.ALONE)), 1), else_=0))
    counted = func.count(func.distinct(case((ListEntry.kind.in_(sorted(core.COUNTED)), ListEntry.kind), else_=None)))
    lists = func.count(func.distinct(ListEntry.kind))
    stmt = (select(Enterprise, lists.label("lists"), counted.label("counted"), alone.label("alone"))
            .join(ListEntry, ListEntry.enterprise_id == Enterprise.id)
            .where(ListEntry.id.in_(in_force_clause(on))).group_by(Enterprise.id))
    q = (q or "").replace("\x00", "").strip()
    if q:
        stmt = stmt.where(or_(Enterprise.name.ilike(f"%{q}%"), Enterprise.credit_code.ilike(f"%{q}%")))
    if district:
        stmt = stmt.where(Enterprise.district == district)
    if kind:
        has_kind = select(ListEntry.enterprise_id).where(ListEntry.kind == kind, ListEntry.id.in_(in_force_clause(on)))
        stmt = stmt.where(Enterprise.id.in_(has_kind))
    if candidates_only:
        stmt = stmt.having(or_(alone == 1, counted >= min_lists))
    return stmt.order_by(alone.desc(), lists.desc(), Enterprise.credit_code)


def verdicts(enterprise_ids, on: date | None = None) -> dict[int, tuple[core.ZombieVerdict, list[ListEntry]]]:
    """Each enterprise's verdict (the pure rule) with the entries behind it."""
    entries = entries_for(enterprise_ids, on or local_today())
    return {eid: (core.zombie_verdict({e.kind for e in rows}), rows) for eid, rows in entries.items()}


def entry_query(user, *, q: str = "", kind: str = "", period: str = "", unit_id: int | None = None):
    stmt = select(ListEntry).join(Enterprise, ListEntry.enterprise_id == Enterprise.id)
    if not sees_all(user):
        stmt = stmt.where(ListEntry.unit_id == unit_scope(user))
    q = (q or "").replace("\x00", "").strip()
    if q:
        stmt = stmt.where(or_(Enterprise.name.ilike(f"%{q}%"), Enterprise.credit_code.ilike(f"%{q}%"),
                              ListEntry.detail.ilike(f"%{q}%")))
    if kind:
        stmt = stmt.where(ListEntry.kind == kind)
    if period:
        stmt = stmt.where(ListEntry.period == period)
    if unit_id:
        stmt = stmt.where(ListEntry.unit_id == unit_id)
    return stmt.order_by(ListEntry.period_start.desc(), ListEntry.kind, Enterprise.credit_code)


def periods() -> list[str]:
    return list(db.session.scalars(select(ListEntry.period).distinct().order_by(ListEntry.period.desc()).limit(40)))
