"""Grading charts: grade distribution by district and industry, and how grades moved since the
previous published grading. Drawn with govsvc.charts (SVG on pages, PNG for downloads)."""
from __future__ import annotations

import numpy as np
from sqlalchemy import func, select

from govsvc import charts
from govsvc.extensions import db
from govsvc.grading.models import PUBLISHED, GradingResult, GradingRound
from govsvc.registry.models import Enterprise
from scoring import grading as core

COLOURS = {"A": charts.GREEN, "B": charts.AMBER, "C": charts.RED}
KINDS = {"district": "按区县", "industry": "按行业", "movement": "与上年相比"}
NEW_ENTRY = "新列入"


def distribution(grading_round: GradingRound, by: str) -> dict[str, dict[str, int]]:
    """{district or industry: {grade: count}} of the grades in force."""
    column = Enterprise.district if by == "district" else Enterprise.industry
    rows = db.session.execute(select(column, GradingResult.grade, func.count())
                              .join(GradingResult, GradingResult.enterprise_id == Enterprise.id)
                              .where(GradingResult.round_id == grading_round.id)
                              .group_by(column, GradingResult.grade))
    out: dict[str, dict[str, int]] = {}
    for key, grade, count in rows:
        out.setdefault(key or "未填", {g: 0 for g in core.GRADES})[grade] = count
    return dict(sorted(out.items()))


def previous_round(grading_round: GradingRound) -> GradingRound | None:
    return db.session.scalar(select(GradingRound).where(GradingRound.status == PUBLISHED,
                                                        GradingRound.year < grading_round.year)
                             .order_by(GradingRound.year.desc()).limit(1))


def movement(grading_round: GradingRound) -> tuple[GradingRound | None, dict[str, dict[str, int]]]:
    """How grades moved since the previous published grading: {last grade or 新列入: {grade: count}}."""
    before = previous_round(grading_round)
    previous = {}
    if before is not None:
        previous = dict(db.session.execute(select(GradingResult.enterprise_id, GradingResult.grade)
                                           .where(GradingResult.round_id == before.id)).all())
    table = {key: {g: 0 for g in core.GRADES} for key in (*core.GRADES, NEW_ENTRY)}
    for enterprise_id, grade in db.session.execute(select(GradingResult.enterprise_id, GradingResult.grade)
                                                   .where(GradingResult.round_id == grading_round.id)):
        table[previous.get(enterprise_id, NEW_ENTRY)][grade] += 1
    return before, table


def _stacked(table: dict[str, dict[str, int]], title: str, ylabel_of_rows: str, legend_prefix: str = ""):
    labels = list(table)
    fig, ax = charts.new_figure(7.0, max(2.8, 0.5 * len(labels) + 1.6))
    left = np.zeros(len(labels))
    y = np.arange(len(labels))
    widest = max((sum(row.values()) for row in table.values()), default=0)
    for grade, colour in COLOURS.items():
        values = np.array([table[k][grade] for k in labels], dtype=float)
        bars = ax.barh(y, values, left=left, color=colour, label=f"{legend_prefix}{grade}类", height=0.6)
        # Counts inside the bars that are wide enough to hold them.
        ax.bar_label(bars, labels=[str(int(v)) if v >= 0.04 * widest else "" for v in values], label_type="center",
                     color="white", fontsize=9)
        left += values
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("企业数")
    ax.set_ylabel(ylabel_of_rows)
    ax.set_title(title)
    fig.legend(loc="outside upper right", ncols=3, frameon=False)
    return fig


def figure(grading_round: GradingRound, kind: str):
    if kind == "movement":
        before, table = movement(grading_round)
        rows = {(f"上年{k}类" if k in COLOURS else k): v for k, v in table.items() if sum(v.values())}
        since = f"（与 {before.year} 年度相比）" if before else "（无上年度公布名单）"
        return _stacked(rows or {"—": {g: 0 for g in COLOURS}}, f"{grading_round.year} 年度评级变化{since}", "上年评级",
                        legend_prefix="本年")
    table = distribution(grading_round, kind)
    what = "区县" if kind == "district" else "行业"
    return _stacked(table or {"—": {g: 0 for g in COLOURS}}, f"{grading_round.year} 年度评级分布（{KINDS[kind]}）", what)
