"""Guarantee networks from the banks' data: circles (strongly connected components), mutual pairs and
the enterprises whose default would reach most others (scoring.finrisk on arrays), and the picture
of a circle. Only guarantees in force (end date today or later) count. A bank sees the network of
its own guarantees; a county the circles that touch its district; the regulator everything."""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from sqlalchemy import select

from govsvc import charts
from govsvc.extensions import db
from govsvc.finrisk.access import bank_of, district_of
from govsvc.finrisk.models import Guarantee
from govsvc.registry.models import Enterprise
from govsvc.timeutil import local_today
from scoring import finrisk as core


@dataclass
class Graph:
    ids: np.ndarray                  # enterprise id of each node index
    net: core.Network
    edges: list[tuple[int, int, Decimal, int]]   # (guarantor id, borrower id, amount, guarantee id)

    def index(self, enterprise_id: int) -> int | None:
        pos = int(np.searchsorted(self.ids, enterprise_id))
        return pos if pos < len(self.ids) and self.ids[pos] == enterprise_id else None


def load_graph(user) -> Graph:
    stmt = select(Guarantee.guarantor_id, Guarantee.borrower_id, Guarantee.amount, Guarantee.id).where(
        Guarantee.end_date >= local_today())
    bank = bank_of(user)
    if bank is not None:
        stmt = stmt.where(Guarantee.bank_id == bank)
    edges = [tuple(r) for r in db.session.execute(stmt)]
    ids = np.unique(np.array([e[0] for e in edges] + [e[1] for e in edges], dtype=np.int64))
    g = np.searchsorted(ids, np.array([e[0] for e in edges], dtype=np.int64))
    b = np.searchsorted(ids, np.array([e[1] for e in edges], dtype=np.int64))
    net = core.Network.build(len(ids), g, b, [float(e[2]) for e in edges])
    return Graph(ids, net, edges)


@dataclass
class Circle:
    members: list[Enterprise]
    amount: Decimal
    edges: int

    @property
    def key(self) -> int:
        return min(e.id for e in self.members)


def _enterprises(ids) -> dict[int, Enterprise]:
    ids = [int(i) for i in ids]
    found = {}
    for start in range(0, len(ids), 500):
        for e in db.session.scalars(select(Enterprise).where(Enterprise.id.in_(ids[start:start + 500]))):
            found[e.id] = e
    return found


def overview(user, top_k: int = 20) -> dict:
    graph = load_graph(user)
    summary = core.analyse(graph.net, top_k=top_k)
    district = district_of(user)
    wanted = [c for c in summary.circles]
    needed = np.concatenate([*wanted, summary.mutual.ravel(), summary.top, np.zeros(0)]).astype(np.int64)
    names = _enterprises(graph.ids[needed])
    circles = []
    for members in wanted:
        ents = [names[int(graph.ids[i])] for i in members]
        if district is not None and not any(e.district == district for e in ents):
            continue
        member_ids = {e.id for e in ents}
        inner = [e for e in graph.edges if e[0] in member_ids and e[1] in member_ids]
        circles.append(Circle(ents, sum((e[2] for e in inner), Decimal(0)), len(inner)))
    pairs = [(names[int(graph.ids[a])], names[int(graph.ids[b])]) for a, b in summary.mutual.tolist()]
    if district is not None:
        pairs = [p for p in pairs if district in (p[0].district, p[1].district)]
    guaranteed = core.guaranteed_amounts(graph.net)
    top = [{"enterprise": names[int(graph.ids[i])], "exposure": summary.exposure[i], "reach": int(r),
            "guaranteed": guaranteed[i], "circle": int(np.sum(summary.labels == summary.labels[i])) >= 2}
           for i, r in zip(summary.top.tolist(), summary.top_reach.tolist())]
    if district is not None:
        top = [t for t in top if t["enterprise"].district == district]
    return {"circles": circles, "pairs": pairs, "top": top, "nodes": graph.net.n, "edges": len(graph.edges)}


def circle_of(user, enterprise_id: int) -> tuple[Circle, list, dict] | None:
    """The circle (strongly connected component, two or more members) containing this enterprise,
    its guarantees and each member's reach and exposure; None when it is in no circle."""
    graph = load_graph(user)
    pos = graph.index(enterprise_id)
    if pos is None:
        return None
    labels = core.strongly_connected(graph.net)
    members = np.flatnonzero(labels == labels[pos])
    if len(members) < 2:
        return None
    ents = _enterprises(graph.ids[members])
    district = district_of(user)
    if district is not None and not any(e.district == district for e in ents.values()):
        return None
    inner = sorted((e for e in graph.edges if e[0] in ents and e[1] in ents), key=lambda e: (e[0], e[1], e[3]))
    exposure = core.propagated_exposure(graph.net)
    reach = core.reach_counts(graph.net, members)
    stats = {int(graph.ids[i]): {"exposure": exposure[i], "reach": int(r)} for i, r in zip(members, reach)}
    circle = Circle(sorted(ents.values(), key=lambda e: e.id), sum((e[2] for e in inner), Decimal(0)), len(inner))
    rows = [(ents[g], ents[b], amount, gid) for g, b, amount, gid in inner]
    return circle, rows, stats


def circle_svg(circle: Circle, rows) -> str:
    """The circle drawn: members on a ring, arrows guarantor → borrower, amounts in 万元."""
    n = len(circle.members)
    size = min(11.0, 5.0 + 0.25 * n)
    fig, ax = charts.new_figure(size, size * 0.85)
    ax.set_axis_off()
    pos = {e.id: (math.cos(2 * math.pi * k / n + math.pi / 2), math.sin(2 * math.pi * k / n + math.pi / 2))
           for k, e in enumerate(circle.members)}
    pairs = {(g.id, b.id) for g, b, _, _ in rows}
    totals: dict = {}
    for g, b, amount, _ in rows:
        totals[(g.id, b.id)] = totals.get((g.id, b.id), Decimal(0)) + amount
    for (g, b), amount in totals.items():
        (x0, y0), (x1, y1) = pos[g], pos[b]
        bend = 0.18 if (b, g) in pairs else 0.0
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "-|>", "color": charts.RED if bend else charts.BLUE, "lw": 1.3,
                                "shrinkA": 16, "shrinkB": 16, "mutation_scale": 14,
                                "connectionstyle": f"arc3,rad={bend}"})
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if bend:
            mx, my = mx + bend * (y1 - y0) * 0.5, my - bend * (x1 - x0) * 0.5
        ax.text(mx, my, f"{amount / 10000:,.0f}万", fontsize=8, ha="center", va="center", color="#333",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    for e in circle.members:
        x, y = pos[e.id]
        ax.plot([x], [y], "o", ms=14, color=charts.AMBER, zorder=3)
        label = e.name if len(e.name) <= 10 else e.name[:9] + "…"
        ax.text(x * 1.35, y * 1.25, label, fontsize=10, ha="center", va="center")
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.set_title(f"担保圈：{n} 家企业，{circle.edges} 笔担保（蓝：担保方向；红：互保）")
    return charts.to_svg(fig)
