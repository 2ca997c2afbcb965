"""The one next step of an inspection plan, and who must take it (issue 10 item 14): every plan
page says it in a 下一步 box, with the button when the step is the reader's own. The way up is
county unit → its system's city unit → the justice bureau (seed 002: 区县部门报市级部门汇总，
市级部门报市司法局备案)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from govsvc.auth import roles as R
from govsvc.inspections.models import ACCEPTED, DRAFT, FILED, RETURNED, SUBMITTED

JUSTICE_NAME = "市司法局"


@dataclass
class NextStep:
    what: str                       # the step, e.g. "汇总报司法局备案"
    who: str                        # the unit or role that takes it
    mine: bool                      # the reader takes it
    detail: str = ""
    label: str = ""                 # the button (when mine)
    url: str = ""
    post: bool = False              # the button posts a form (CSRF) rather than links


def period_key(plan) -> str:
    return f"{plan.period}:{plan.year}:{plan.number or ''}"


def _ids(ids: list[int]) -> str:
    return "、".join(f"#{i}" for i in ids)


def next_step(plan, user, *, own: bool, city_of: bool, refused: list[int]) -> NextStep:
    unit = plan.unit
    county = unit.level == "county"
    city = unit.system if county and unit.system else None
    city_name = city.name if city else unit.name
    if plan.status in (DRAFT, RETURNED):
        if not plan.items:
            return NextStep("添加检查事项", unit.name, own, "计划中还没有检查事项；添加后才能报送。",
                            "添加事项", "#add-item")
        warning = (f" 事项 {_ids(refused)} 按今天已公布的评级预审不予备案：可先删除或修改；照报的，"
                   "备案时不予备案，不得实施。" if refused else "")
        if county:
            return NextStep(f"报送{city_name}", unit.name, own,
                            f"报送后由{city_name}汇总报市司法局备案。" + warning, f"报送{city_name}",
                            url_for("inspections.submit_plan", plan_id=plan.id), post=True)
        return NextStep("完成编制", unit.name, own, "完成编制后，再由本单位汇总报市司法局备案。" + warning,
                        "完成编制，待报司法局", url_for("inspections.submit_plan", plan_id=plan.id), post=True)
    if plan.status == SUBMITTED:
        mine = (city_of if county else own) and user.has_role(R.DEPARTMENT)
        detail = (f"{unit.name}已报送；由{city_name}在“汇总报司法局备案”中与本系统其他计划一并报备，或退回修改。"
                  if county else "本计划已完成编制；请在“汇总报司法局备案”中选中它报市司法局。")
        if refused and own:
            detail += f" 预审不予备案的事项 {_ids(refused)} 仍可删除。"
        return NextStep("汇总报司法局备案", city_name, mine, detail, "汇总报司法局",
                        url_for("inspections.new_filing", period=period_key(plan)))
    if plan.status == FILED and plan.filing:
        return NextStep("审核报备", JUSTICE_NAME, user.has_role(R.JUSTICE),
                        f"已在报备 #{plan.filing.id} 中报市司法局，等待审核（予以备案或退回修改）。", "前往审核",
                        url_for("inspections.filing", filing_id=plan.filing.id))
    if plan.status == ACCEPTED:
        return NextStep("按计划实施检查并登记检查结果", unit.name, own,
                        "审核通过的事项可以实施检查，检查后登记检查结果；不予备案的事项不得实施。", "登记检查结果",
                        url_for("inspections.new_result"))
    return NextStep("等待办理", unit.name, own)
