"""Guarantee networks: a province's guarantees (1,000,000 enterprises, 5,000,000 guarantees) through
scoring.finrisk.analyse — strongly connected components (scipy.sparse.csgraph), circles, mutual pairs,
propagated exposure of every enterprise and the exact reach of the 20 largest — beside networkx on the
same graph (strongly_connected_components, mutual pairs by has_edge, descendants of the same 20).

Both run on the full graph in the same run (networkx needs about 8 minutes and 2 GiB there). The graph: enterprises in localities of 50 (an industrial park) and counties of 1,000;
90 % of guarantees inside the locality, 10 % elsewhere in the county (circles stay regional); amounts 1–30 million yuan. Both sides must find the same
components, circles and mutual pairs and the same reach counts (checked, the run fails otherwise).
--quick: 20,000 / 100,000 for both.
"""
from __future__ import annotations

import time

import numpy as np

from bench.common import Result
from scoring import finrisk as core


def graph(n: int, m: int, seed: int = 15) -> core.Network:
    rng = np.random.default_rng(seed)
    local = rng.random(m) < 0.9
    g = rng.integers(0, n, m)
    offset = rng.integers(-25, 25, m)
    near = np.clip((g // 1000) * 1000 + rng.integers(0, 1000, m), 0, n - 1)   # the same county (1,000)
    b = np.where(local, np.clip((g // 50) * 50 + (g % 50 + offset) % 50, 0, n - 1),
                 near)
    amount = rng.integers(100, 3000, m).astype(np.float64) * 10000
    return core.Network.build(n, g, b, amount)


def ours(net: core.Network):
    return core.analyse(net, top_k=20)


def with_networkx(net: core.Network, top: np.ndarray):
    import networkx as nx

    d = nx.DiGraph()
    d.add_nodes_from(range(net.n))
    d.add_edges_from(zip(net.guarantor.tolist(), net.borrower.tolist()))
    comps = list(nx.strongly_connected_components(d))
    circles = [c for c in comps if len(c) >= 2]
    mutual = {(min(u, v), max(u, v)) for u, v in d.edges() if d.has_edge(v, u)}
    reverse = d.reverse(copy=False)   # a default travels borrower → guarantor
    reach = [len(nx.descendants(reverse, int(x))) for x in top]
    return comps, circles, mutual, reach


def _check(summary: core.NetworkSummary, nx_result) -> None:
    comps, circles, mutual, reach = nx_result
    assert len(comps) == len(np.unique(summary.labels)), "component counts differ"
    assert sorted(len(c) for c in circles) == sorted(len(c) for c in summary.circles), "circles differ"
    assert mutual == {tuple(p) for p in summary.mutual.tolist()}, "mutual pairs differ"
    assert reach == summary.top_reach.tolist(), "reach counts differ"


def _timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def run(quick: bool = False) -> list[Result]:
    n, m = (20_000, 100_000) if quick else (1_000_000, 5_000_000)
    net = graph(n, m)
    summary, ours_s = _timed(ours, net)
    nx_result, nx_s = _timed(with_networkx, net, summary.top)
    _check(summary, nx_result)
    case = f"{n:,} enterprises × {m:,} guarantees"
    note = (f"{case}: {len(summary.circles):,} circles (largest {len(summary.circles[0]) if summary.circles else 0:,}), "
            f"{len(summary.mutual):,} mutual pairs; networkx agrees on components, circles, pairs and reach "
            "(it has no exposure propagation: ours computes it besides)")
    return [Result("finrisk network", case, "analyse (SCC, circles, pairs, exposure, top-20 reach)", ours_s,
                   "networkx (SCC, pairs, top-20 descendants)", nx_s, note)]
