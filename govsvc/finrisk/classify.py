"""保/帮/关: the risk signals of enterprises (overdue and non-performing loans here; tax arrears and the
bankruptcy module's lists through the registry's flags; C in the published A/B/C grading; the evasion
blacklist), the indicators (import kind `finrisk_indicators` or the enterprise's page), the rule's
proposal (scoring.finrisk.score), the county's confirmation with a reason, 一企一策 measures as ledger
matters, and city leaders' one-to-one links for the largest risk enterprises."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
from sqlalchemy import func, select

from govsvc import audit
from govsvc.extensions import db
from govsvc.finrisk.access import (county_for_district, county_of, district_of, get_scoped, in_district, is_regulator,
                                   matching)
from govsvc.finrisk.models import Assessment, Guarantee, LeaderLink, Loan
from govsvc.imports import CellError, Column, ImportKind, RowError, duplicate_key_errors, parse_bool, parse_choice, \
    parse_year, register, update_fields
from govsvc.ledger import workflow
from govsvc.ledger.models import Matter
from govsvc.ledger.service import create_matter, move
from govsvc.registry.flags import flags_for
from govsvc.registry.imports import codes_in_db, parse_credit_code
from govsvc.registry.models import Enterprise, TaxRecord
from govsvc.timeutil import local_today, utcnow
from scoring import finrisk as core


class ClassifyError(ValueError):
    pass


# -- signals --------------------------------------------------------------------------------------
def signals_for(enterprise_ids: list[int], on: date) -> dict[int, tuple[list[str], list[str]]]:
    """enterprise id → (signal keys, notes in Chinese) for enterprises with at least one signal."""
    from govsvc.grading.service import published_grades

    found: dict[int, tuple[list[str], list[str]]] = {}

    def add(eid, key, note):
        keys, notes = found.setdefault(eid, ([], []))
        if key not in keys:
            keys.append(key)
        notes.append(note)

    ids = sorted(set(enterprise_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = db.session.execute(select(Loan.enterprise_id, Loan.status, func.count(), func.sum(Loan.amount))
                                  .where(Loan.enterprise_id.in_(chunk), Loan.status.in_(("overdue", "npl")))
                                  .group_by(Loan.enterprise_id, Loan.status))
        for eid, status, count, amount in rows:
            add(eid, status, f"{core.SIGNAL_LABELS[status]} {count} 笔，{Decimal(amount or 0):,.2f} 元")
    for eid, flags in flags_for(ids, on).items():
        for flag in flags:
            if not flag.risk_signal:
                continue
            key = ("evasion" if flag.source == "finrisk.evasion" else
                   "tax_arrears" if flag.kind in ("tax_arrears", "欠税") else "list")
            add(eid, key, f"{flag.label}{('：' + flag.reason) if flag.reason else ''}")
    grades = published_grades(on)
    for eid in ids:
        if grades.get(eid) == "C":
            add(eid, "grade_c", "免检免扰评级 C 类")
    return found


def risk_enterprise_ids(user, on: date) -> list[int]:
    """Enterprises with a risk signal or in a guarantee circle (within the user's district)."""
    from govsvc.finrisk import network

    stmt = select(Enterprise.id).where(Enterprise.status == "存续")
    district = district_of(user)
    if district is not None:
        stmt = stmt.where(Enterprise.district == district)
    candidates = set(db.session.scalars(stmt.where(Enterprise.id.in_(
        select(Loan.enterprise_id).union(select(Guarantee.borrower_id), select(Guarantee.guarantor_id))))))
    flagged = set(signals_for(sorted(candidates), on))
    graph = network.load_graph(user)
    labels = core.strongly_connected(graph.net)
    in_circle = {int(e) for e in graph.ids[np.bincount(labels)[labels] >= 2]} if len(labels) else set()
    return sorted(flagged | (in_circle & candidates))


# -- indicators -----------------------------------------------------------------------------------
def parse_float(low: float, high: float):
    def parse(raw: str) -> float:
        try:
            value = float(raw.replace("%", "").strip())
        except ValueError:
            raise CellError(f"“{raw}”不是数值。") from None
        if not low <= value <= high:
            raise CellError(f"应在 {low:g} 到 {high:g} 之间。")
        return value

    return parse


def parse_count(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 7:
        raise CellError(f"“{raw}”不是人数。")
    return int(raw)


STRUCTURE_ALIASES = {v: k for k, v in core.STRUCTURE_LABELS.items()} | {"鼓励": "encouraged", "限制": "restricted",
                                                                        "淘汰": "restricted"}


@register
class IndicatorImport(ImportKind):
    name = "finrisk_indicators"
    label = "企业评价指标"
    columns = (
        Column("credit_code", "统一社会信用代码", parse_credit_code, required=True),
        Column("year", "年度", parse_year, required=True),
        Column("revenue_growth", "营业收入增长率", parse_float(-100, 1000), required=True, aliases=("营收增长率",)),
        Column("rd_ratio", "研发投入占比", parse_float(0, 100), aliases=("研发占比",)),
        Column("high_tech", "高新技术企业", parse_bool),
        Column("structure", "产业导向", parse_choice(core.STRUCTURE, STRUCTURE_ALIASES, blank="neutral")),
        Column("employees", "从业人数", parse_count),
    )

    def __init__(self, only_district: str | None = None):
        self.only_district = only_district

    def key(self, values):
        return values["credit_code"], values["year"]

    def check_rows(self, rows):
        errors = duplicate_key_errors(self, rows, "统一社会信用代码")
        self.enterprises = codes_in_db(Enterprise, Enterprise.credit_code, [r.values["credit_code"] for r in rows])
        for row in rows:
            e = self.enterprises.get(row.values["credit_code"])
            if e is None:
                errors.append(RowError(row.number, "统一社会信用代码", "登记库中没有这家企业。"))
            elif self.only_district is not None and e.district != self.only_district:
                errors.append(RowError(row.number, "统一社会信用代码", "只能导入本县（市、区）企业的指标。"))
        return errors

    def apply(self, values):
        e = self.enterprises[values["credit_code"]]
        item = db.session.scalar(select(Assessment).where(Assessment.enterprise_id == e.id,
                                                          Assessment.year == values["year"]))
        fields = {k: values[k] for k in ("revenue_growth", "rd_ratio", "high_tech", "structure", "employees")
                  if k in values}
        if item is None:
            db.session.add(Assessment(enterprise_id=e.id, year=values["year"], **fields))
            db.session.flush()
            return "created"
        return "updated" if update_fields(item, fields) else "unchanged"


def tax_wan(enterprise_id: int, year: int) -> float:
    amount = db.session.scalar(select(TaxRecord.local_retained).where(TaxRecord.enterprise_id == enterprise_id,
                                                                     TaxRecord.year == year - 1))
    return float(amount or 0) / 10000


def propose_all(user, year: int, on: date | None = None) -> int:
    """Score every risk enterprise of the user's scope for `year`; returns how many were proposed.
    A confirmed class stays; the proposal beside it is refreshed."""
    on = on or local_today()
    ids = risk_enterprise_ids(user, on)
    signals = signals_for(ids, on)
    existing = {a.enterprise_id: a for start in range(0, len(ids), 500) for a in db.session.scalars(
        select(Assessment).where(Assessment.year == year, Assessment.enterprise_id.in_(ids[start:start + 500])))}
    for eid in ids:
        item = existing.get(eid)
        if item is None:
            item = Assessment(enterprise_id=eid, year=year, revenue_growth=0.0, rd_ratio=0.0, high_tech=False,
                              structure="neutral", employees=0)
            db.session.add(item)
        keys, notes = signals.get(eid, ([], []))
        _score(item, keys, notes)
    db.session.flush()
    audit.record("finrisk.classify.propose", target=str(year), detail={"count": len(ids)})
    return len(ids)


def _score(item: Assessment, keys: list[str], notes: list[str]) -> None:
    p = core.score(core.Indicators(item.revenue_growth or 0.0, item.rd_ratio or 0.0, bool(item.high_tech),
                                   item.structure or "neutral", item.employees or 0,
                                   tax_wan(item.enterprise_id, item.year), tuple(keys)))
    item.signals, item.signal_notes = ",".join(keys), "；".join(notes)
    item.scores = ";".join(f"{k}={v}" for k, v in p.scores.items())
    item.fundamentals, item.proposed, item.proposed_at = p.fundamentals, p.proposed, utcnow()


def get_assessment(user, assessment_id: int) -> Assessment:
    return get_scoped(Assessment, assessment_id, user)


def update_indicators(user, item: Assessment, values: dict) -> None:
    _county_or_regulator(user, item)
    update_fields(item, values)
    keys, notes = signals_for([item.enterprise_id], local_today()).get(item.enterprise_id, ([], []))
    _score(item, keys, notes)
    audit.record("finrisk.classify.indicators", target=f"finrisk.assessment:{item.id}")


def _county_or_regulator(user, item: Assessment):
    if is_regulator(user):
        return
    county = county_of(user)
    if county is None or county.district != item.enterprise.district:
        raise ClassifyError("只能处理本县（市、区）的企业。")


def confirm(user, item: Assessment, cls: str, reason: str) -> None:
    """The county decides the class (the rule only proposes); the reason is always written."""
    county = county_of(user)
    if county is None or county.district != item.enterprise.district:
        raise ClassifyError("分类由企业所在县（市、区）政府确认。")
    if cls not in core.CLASSES:
        raise ClassifyError("请选择分类。")
    if not reason.strip():
        raise ClassifyError("请填写确认理由。")
    before = item.confirmed
    item.confirmed, item.confirm_reason = cls, reason.strip()
    item.confirmed_at, item.confirmed_by_id = utcnow(), user.id
    audit.record("finrisk.classify.confirm", target=f"finrisk.assessment:{item.id}",
                 detail={"from": before or "", "to": cls, "proposed": item.proposed or ""})


def confirmed_class(enterprise_id: int) -> str | None:
    return db.session.scalar(select(Assessment.confirmed).where(Assessment.enterprise_id == enterprise_id,
                                                                Assessment.confirmed.is_not(None))
                             .order_by(Assessment.year.desc()).limit(1))


def assessment_query(user, *, year: int | None = None, q: str = "", proposed: str = "", confirmed: str = ""):
    stmt = select(Assessment).where(Assessment.proposed.is_not(None))
    stmt = matching(in_district(stmt, user, Assessment.enterprise_id), q, Assessment.enterprise_id)
    if year:
        stmt = stmt.where(Assessment.year == year)
    if proposed:
        stmt = stmt.where(Assessment.proposed == proposed)
    if confirmed == "pending":
        stmt = stmt.where(Assessment.confirmed.is_(None))
    elif confirmed:
        stmt = stmt.where(Assessment.confirmed == confirmed)
    return stmt.order_by(Assessment.year.desc(), Assessment.confirmed.is_not(None), Assessment.fundamentals,
                         Assessment.id)


# -- 一企一策 measures ------------------------------------------------------------------------------
def measures(enterprise_id: int) -> list[Matter]:
    return list(db.session.scalars(select(Matter).where(Matter.module == "finrisk", Matter.kind == "measure",
                                                       Matter.ref == f"finrisk.enterprise:{enterprise_id}")
                                   .order_by(Matter.id)))


def add_measure(user, item: Assessment, title: str, description: str, unit_id: int | None, deadline: date) -> Matter:
    _county_or_regulator(user, item)
    if item.confirmed is None:
        raise ClassifyError("分类确认后才能制定“一企一策”措施。")
    if deadline < local_today():
        raise ClassifyError("完成时限不能早于今天。")
    unit_id = unit_id or (county_for_district(item.enterprise.district).id
                          if county_for_district(item.enterprise.district) else None)
    matter = create_matter(module="finrisk", kind="measure", title=f"一企一策：{item.enterprise.name}：{title}"[:200],
                           description=description, source=f"{core.CLASSES[item.confirmed]}类企业帮扶",
                           ref=f"finrisk.enterprise:{item.enterprise_id}", deadline=deadline, user=user)
    if unit_id is not None:
        move(matter, workflow.ASSIGNED, user=user, responsible_unit_id=unit_id)
    return matter


# -- 市领导"一对一" ---------------------------------------------------------------------------------
LEADER_TOP = 10


def largest_risk_enterprises(limit: int = LEADER_TOP) -> list[tuple[Enterprise, Decimal, Assessment]]:
    """Confirmed risk enterprises by their outstanding bank loans (all banks), largest first."""
    owed = (select(Loan.enterprise_id, func.sum(Loan.amount).label("owed")).where(Loan.status != "repaid")
            .group_by(Loan.enterprise_id).subquery())
    rows = db.session.execute(select(Assessment, owed.c.owed).join(owed, owed.c.enterprise_id == Assessment.enterprise_id)
                              .where(Assessment.confirmed.is_not(None))
                              .order_by(owed.c.owed.desc(), Assessment.enterprise_id, Assessment.year.desc()))
    out, seen = [], set()
    for item, amount in rows:
        if item.enterprise_id in seen:
            continue
        seen.add(item.enterprise_id)
        out.append((item.enterprise, Decimal(amount), item))
        if len(out) == limit:
            break
    return out


def assign_leader(user, enterprise: Enterprise, leader_user_id: int | None, name: str, post: str, note: str) -> LeaderLink:
    if not is_regulator(user):
        raise ClassifyError("市领导“一对一”联系由金融监管局安排。")
    if not name.strip():
        raise ClassifyError("请填写联系市领导姓名。")
    link = db.session.scalar(select(LeaderLink).where(LeaderLink.enterprise_id == enterprise.id))
    if link is None:
        link = LeaderLink(enterprise_id=enterprise.id, leader_name=name.strip())
        db.session.add(link)
    link.leader_user_id, link.leader_name, link.leader_post, link.note = leader_user_id, name.strip(), post.strip(), note
    link.assigned_at = utcnow()
    db.session.flush()
    audit.record("finrisk.leader.assign", target=f"enterprise:{enterprise.id}", detail={"leader": name.strip()})
    return link
