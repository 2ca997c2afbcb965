"""Survey charts (matplotlib through govsvc.charts): the ranking of a category as horizontal bars
(commended green, bottom two red), and a department's scores year by year."""
from __future__ import annotations

from govsvc.charts import BLUE, GREEN, GREY, RED, new_figure
from scoring import survey as core


def ranking_figure(results, title: str):
    """Ranked departments top to bottom; the axis starts at 30, the lowest possible score."""
    ranked = [r for r in results if r.rank is not None]
    height = max(2.6, 0.5 + 0.27 * len(ranked))
    fig, ax = new_figure(8.5, height)
    if not ranked:
        ax.text(0.5, 0.5, "暂无得分", ha="center", va="center", transform=ax.transAxes, color=GREY)
        ax.set_axis_off()
        return fig
    labels = [f"{r.rank}. {r.name}" for r in ranked]
    scores = [float(r.score) for r in ranked]
    colours = [RED if r.bottom_two else GREEN if r.commended else BLUE for r in ranked]
    positions = list(range(len(ranked)))[::-1]
    ax.barh(positions, [s - 30 for s in scores], left=30, color=colours, height=0.7)
    for y, r, s in zip(positions, ranked, scores):
        ax.text(s + 0.4, y, r.score_text, va="center", fontsize=8)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlim(30, 104)
    ax.set_xlabel("得分（满意 100、基本满意 80、不满意 30；横轴自最低分 30 起）")
    ax.set_title(title)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=GREEN, label="表扬（排名前列）"), Patch(color=RED, label="排名后两位（约谈或组织调整）"),
                       Patch(color=BLUE, label="其他")], loc="lower right", fontsize=8, frameon=False)
    return fig


def history_figure(points, title: str):
    fig, ax = new_figure(7.5, 3.2)
    scored = [p for p in points if p.score is not None]
    if not scored:
        ax.text(0.5, 0.5, "暂无得分", ha="center", va="center", transform=ax.transAxes, color=GREY)
        ax.set_axis_off()
        return fig
    years = [p.year for p in scored]
    ax.plot(years, [float(p.score) for p in scored], marker="o", color=BLUE)
    for p in scored:
        colour = RED if p.outcome in (core.INTERVIEW, core.REORGANIZE) else GREEN if p.outcome else GREY
        ax.annotate(f"{core.format_score(p.score)}（第{p.rank}/{p.ranked}名）", (p.year, float(p.score)),
                    textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8, color=colour)
    ax.set_xticks(years, [f"{y}年" for y in years])
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.set_ylim(30, 105)
    ax.set_ylabel("得分")
    ax.set_title(title)
    return fig
