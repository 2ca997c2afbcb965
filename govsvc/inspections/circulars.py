"""Quarterly circulars (季度通报): per enforcement unit, the quarter's plans on time / late /
not filed, inspections, unfiled inspections, exemption breaches, repeated or cross inspections
and fines, with charts and an XLSX export. An issued circular keeps its figures frozen.

Counting rules:
* plans: those whose due date falls in the quarter, by their owner unit; on time / late by the
  day they first reached justice; "not filed" when the due date has passed without a filing;
* inspections: filed results whose inspection day falls in the quarter, by inspecting unit;
* exemption breaches: random inspections of an A enterprise, or the third or later random
  inspection of a category on a B enterprise in the calendar year (the grade in force on the
  inspection day, counted over all filed results of the year in order of date);
* repeated or cross: the enterprise was inspected by another unit within 30 days.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from govsvc import audit
from govsvc.charts import AMBER, BLUE, GREEN, GREY, RED, new_figure, to_png, to_svg
from govsvc.exports import SafeWorkbook
from govsvc.extensions import db
from govsvc.inspections.access import ServiceError
from govsvc.inspections.models import Circular, InspectionPlan, InspectionResult
from govsvc.inspections.plans import local_day
from govsvc.registry.models import Unit
from govsvc.timeutil import local_today, utcnow
from scoring import inspections as core

FIGURES = (  # key, column header
    ("plans_due", "应报计划"), ("plans_on_time", "按时报备"), ("plans_late", "逾期报备"), ("plans_missing", "逾期未报"),
    ("inspections", "检查次数"), ("unfiled", "未备案检查"), ("breaches", "违反免检规定"), ("cross", "重复交叉检查"),
    ("penalties", "罚款决定"), ("fines", "罚款金额（元）"),
)
ZERO = Decimal("0.00")


def _filed_results(start: date, end: date) -> list[InspectionResult]:
    return list(db.session.scalars(
        select(InspectionResult).where(InspectionResult.status == "filed", InspectionResult.inspected_on >= start,
                                       InspectionResult.inspected_on <= end)
        .order_by(InspectionResult.inspected_on, InspectionResult.id)))


def _breaches(year: int, end: date) -> dict[int, str]:
    """Result id → violation, over the year's filed results up to `end`."""
    from govsvc.inspections.grades import current_policy

    results = [r for r in _filed_results(date(year, 1, 1), end) if r.basis == core.RANDOM]
    rows = [core.PlanItem(0, r.id, r.enterprise_id, r.category, r.basis, r.inspected_on, level=r.unit.level)
            for r in results]
    violations = core.check_graded(rows, [r.grade or None for r in results], a_scope=current_policy(end).a_scope)
    return {r.id: v for r, v in zip(results, violations) if v}


def quarter_figures(year: int, quarter: int, today: date | None = None) -> dict:
    """The circular's content as plain data (JSON-serialisable; money as text)."""
    today = today or local_today()
    start, end = core.quarter_bounds(year, quarter)
    window = timedelta(days=core.CROSS_WINDOW_DAYS)
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    rows: dict[int, dict] = {}

    def row(unit_id: int) -> dict:
        if unit_id not in rows:
            unit = units[unit_id]
            rows[unit_id] = {"unit": unit.name, "code": unit.code, "level": unit.level,
                             "system": unit.system.code if unit.system else unit.code,
                             **{k: 0 for k, _ in FIGURES}, "fines": ZERO}
        return rows[unit_id]

    for unit in units.values():
        if unit.enforcement:
            row(unit.id)
    late_plans = []
    plans = db.session.scalars(select(InspectionPlan).where(InspectionPlan.due_date >= start,
                                                            InspectionPlan.due_date <= end))
    for plan in plans:
        r = row(plan.unit_id)
        r["plans_due"] += 1
        if plan.first_filed_on is None:
            if plan.due_date < today:
                r["plans_missing"] += 1
                late_plans.append({"unit": plan.unit.name, "plan": plan.title, "due": plan.due_date.isoformat(),
                                   "filed": "", "status": "逾期未报"})
        elif plan.late:
            r["plans_late"] += 1
            late_plans.append({"unit": plan.unit.name, "plan": plan.title, "due": plan.due_date.isoformat(),
                               "filed": plan.first_filed_on.isoformat(), "status": "逾期报备"})
        else:
            r["plans_on_time"] += 1

    nearby = _filed_results(start - window, end + window)
    groups = core.cross_inspections(core.Inspection(r.id, r.enterprise_id, r.unit_id, r.inspected_on) for r in nearby)
    cross = {i.key for g in groups for i in g}
    breaches = _breaches(year, end)
    by_id = {r.id: r for r in nearby}
    details = {"unfiled": [], "breaches": [], "cross": []}
    for result in nearby:
        if not start <= result.inspected_on <= end:
            continue
        r = row(result.unit_id)
        r["inspections"] += 1
        described = {"date": result.inspected_on.isoformat(), "unit": result.unit.name,
                     "enterprise": result.enterprise.name}
        if result.unfiled:
            r["unfiled"] += 1
            details["unfiled"].append({**described, "reason": result.unfiled_reason})
        if result.id in breaches:
            r["breaches"] += 1
            details["breaches"].append({**described, "reason": core.VIOLATION_LABELS[breaches[result.id]],
                                        "category": result.category})
        if result.id in cross:
            r["cross"] += 1
        if result.fine > 0:
            r["penalties"] += 1
            r["fines"] += result.fine
    for group in groups:
        if any(start <= i.day <= end for i in group):
            first = by_id[group[0].key]
            details["cross"].append({"enterprise": first.enterprise.name, "visits": [
                {"date": i.day.isoformat(), "unit": by_id[i.key].unit.name} for i in group]})
    ordered = sorted(rows.values(), key=lambda r: (r["system"], r["level"] != "city", r["code"]))
    totals = {k: sum((r[k] for r in ordered), ZERO if k == "fines" else 0) for k, _ in FIGURES}
    for r in ordered:
        r["fines"] = f"{r['fines']:.2f}"
    totals["fines"] = f"{totals['fines']:.2f}"
    from govsvc.portal.feedback import circular_figures

    return {"year": year, "quarter": quarter, "start": start.isoformat(), "end": end.isoformat(),
            "computed_on": today.isoformat(), "rows": ordered, "totals": totals, "late_plans": late_plans,
            **details, "portal": circular_figures(start, end)}


def split_rows(data: dict) -> tuple[list[dict], list[dict]]:
    """Units with something to report, and enforcement units with no plan or inspection at all."""
    active = [r for r in data["rows"] if any(r[k] not in (0, "0.00") for k, _ in FIGURES)]
    return active, [r for r in data["rows"] if r not in active]


def issue(user, year: int, quarter: int, remarks: str = "", at: datetime | None = None) -> Circular:
    at = at or utcnow()
    today = local_day(at)
    _, end = core.quarter_bounds(year, quarter)
    if today <= end:
        raise ServiceError("季度结束后才能印发本季度通报。", "quarter")
    if db.session.scalar(select(Circular.id).where(Circular.year == year, Circular.quarter == quarter)):
        raise ServiceError(f"{year} 年第 {quarter} 季度的通报已经印发。", "quarter")
    data = quarter_figures(year, quarter, today)
    circular = Circular(year=year, quarter=quarter, remarks=remarks.strip(), issued_at=at, issued_by_id=user.id,
                        data=json.dumps(data, ensure_ascii=False))
    db.session.add(circular)
    db.session.flush()
    audit.record("inspections.circular.issued", target=f"inspection_circular:{circular.id}",
                 detail={"year": year, "quarter": quarter})
    return circular


def circulars() -> list[Circular]:
    return list(db.session.scalars(select(Circular).order_by(Circular.year.desc(), Circular.quarter.desc())))


def data_of(circular: Circular) -> dict:
    return json.loads(circular.data)


def title_of(data: dict) -> str:
    return f"{data['year']}年第{data['quarter']}季度涉企执法检查情况通报"


# -- charts and export ------------------------------------------------------------------------
def _active(data: dict, keys: tuple[str, ...], limit: int = 20) -> list[dict]:
    rows = [r for r in data["rows"] if any(r[k] for k in keys)]
    return sorted(rows, key=lambda r: (-sum(r[k] for k in keys), r["code"]))[:limit]


def chart(data: dict, kind: str):
    """'plans': on time / late / not filed per unit; 'inspections': inspections and problems."""
    if kind == "plans":
        keys = ("plans_on_time", "plans_late", "plans_missing")
        colours, labels, title = (GREEN, AMBER, RED), ("按时报备", "逾期报备", "逾期未报"), "检查计划报备情况"
    else:
        keys = ("inspections", "unfiled", "breaches", "cross")
        colours, labels, title = (BLUE, RED, AMBER, GREY), ("检查次数", "未备案检查", "违反免检规定", "重复交叉检查"), "执法检查情况"
    rows = list(reversed(_active(data, keys)))
    fig, ax = new_figure(8, max(2.4, 0.42 * len(rows) + 1.4))
    ax.set_title(f"{data['year']}年第{data['quarter']}季度{title}")
    if not rows:
        ax.text(0.5, 0.5, "本季度无数据", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    names = [r["unit"] for r in rows]
    if kind == "plans":
        left = [0] * len(rows)
        for key, colour, label in zip(keys, colours, labels):
            values = [r[key] for r in rows]
            ax.barh(names, values, left=left, color=colour, label=label)
            left = [a + b for a, b in zip(left, values)]
    else:
        # One group per unit: the inspections bar on top, its problems below it, values at the ends.
        height = 0.8 / len(keys)
        for n, (key, colour, label) in enumerate(zip(keys, colours, labels)):
            values = [r[key] for r in rows]
            bars = ax.barh([i + (1.5 - n) * height for i in range(len(rows))], values, height=height * 0.9,
                           color=colour, label=label)
            ax.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=7)
        ax.set_yticks(range(len(rows)), names)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.tick_params(axis="y", labelsize=8)
    return fig


def chart_svg(data: dict, kind: str) -> str:
    return to_svg(chart(data, kind))


def xlsx(data: dict, remarks: str = "") -> bytes:
    """The circular as a workbook, through the exports module's neutralising writer (an
    enterprise or unit name starting with "=" stays text)."""
    book = SafeWorkbook()
    sheet = book.sheet("季度通报")
    sheet.column_width("B", 34)
    sheet.append([title_of(data)], bold=True, size=14)
    sheet.append([f"统计期间：{data['start']} 至 {data['end']}；数据截至 {data['computed_on']}"])
    if remarks:
        sheet.append([remarks])
    sheet.append([])
    sheet.append(["单位代码", "单位"] + [label for _, label in FIGURES])
    for r in data["rows"] + [{"code": "", "unit": "合计", **data["totals"]}]:
        sheet.append([r["code"], r["unit"]] + [Decimal(r[k]) if k == "fines" else r[k] for k, _ in FIGURES])
    for title, key, header in (("未备案检查", "unfiled", ("日期", "单位", "企业", "原因")),
                               ("违反免检规定", "breaches", ("日期", "单位", "企业", "原因"))):
        detail = book.sheet(title)
        detail.append(list(header))
        for d in data[key]:
            detail.append([d["date"], d["unit"], d["enterprise"], d["reason"]])
    cross = book.sheet("重复交叉检查")
    cross.append(["企业", "检查日期与单位"])
    for g in data["cross"]:
        cross.append([g["enterprise"], "；".join(f"{v['date']} {v['unit']}" for v in g["visits"])])
    if data.get("portal"):  # circulars issued before the enterprise portal have no such figures
        from govsvc.portal.feedback import FIGURES as PORTAL_FIGURES

        door = book.sheet("扫码入企")
        door.append(["单位代码", "单位"] + [label for _, label in PORTAL_FIGURES])
        for r in data["portal"]["rows"] + [{"code": "", "unit": "合计", **data["portal"]["totals"]}]:
            door.append([r["code"], r["unit"]] + [r[k] for k, _ in PORTAL_FIGURES])
    late = book.sheet("计划逾期")
    late.append(["单位", "计划", "应报日期", "报备日期", "情况"])
    for p in data["late_plans"]:
        late.append([p["unit"], p["plan"], p["due"], p["filed"], p["status"]])
    charts = book.sheet("图表")
    for anchor, kind in (("A1", "plans"), ("A40", "inspections")):
        charts.add_png(to_png(chart(data, kind), dpi=110), anchor)
    return book.to_bytes()
