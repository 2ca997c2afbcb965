"""Issue 11's targets: for each benchmark line that has one, what it must reach and whether this run
reached it. `bench/run.py` prints them beside the figures, and the README's table carries them, so
a regenerated table says by itself which targets are met and which are missed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from bench.common import Result


@dataclass(frozen=True)
class Target:
    text: str                          # as printed, e.g. "≥ 0.15×"
    applies: Callable[[Result], bool]  # which lines it is the target of
    met: Callable[[Result], bool]


def rows(result: Result) -> int:
    """The leading count of a line's case ("1,000,000 rows", "100,000 enterprises, …")."""
    match = re.match(r"([\d,]+)", result.case)
    return int(match.group(1).replace(",", "")) if match else 0


def _named(benchmark: str, ours: str = "", case: str = "", baseline: str = "") -> Callable[[Result], bool]:
    return lambda r: (r.benchmark.startswith(benchmark) and ours in r.ours and r.case.startswith(case)
                      and r.baseline.startswith(baseline))


def _ratio(at_least: float) -> Callable[[Result], bool]:
    return lambda r: r.ratio >= at_least


def _under(seconds: float) -> Callable[[Result], bool]:
    return lambda r: r.ours_s < seconds


def _rate(per_second: int) -> Callable[[Result], bool]:
    return lambda r: r.ours_s > 0 and rows(r) / r.ours_s >= per_second


TARGETS = (
    Target("≥ 50,000 rows/s", _named("import "), _rate(50_000)),
    # served by `govsvc serve` beside a hello-world on the same gunicorn settings (the in-process
    # lines show where the time goes, without a target)
    Target("≥ 0.25×", _named("public list", ours="1 / GET /grading/public"), _ratio(0.25)),
    Target("≥ 200,000 rows/s", _named("public list", ours="file built"), _rate(200_000)),
    Target("< 30 ms", _named("inspections plan list"), _under(0.030)),
    Target("≥ 0.8×", _named("web", case="/healthz"), _ratio(0.8)),
    Target("≥ 0.8×", _named("healthz"), _ratio(0.8)),
    Target("≥ 0.15×", lambda r: r.benchmark == "web" and not r.case.startswith("/healthz"), _ratio(0.15)),
    Target("< 3 s", _named("survey tally CLI", baseline="scoring core alone"), _under(3.0)),
    Target("< 3 s", _named("grading compute CLI", baseline="scoring core alone"), _under(3.0)),
    Target("≥ 0.6×", _named("survey tally", ours="validate + count + rank"), _ratio(0.6)),
    Target("< 1 s", _named("ballot burst", ours="p99"), _under(1.0)),
    Target("≥ 0.15×", _named("ballot burst", ours="ballots per s"), _ratio(0.15)),
    Target("< 3 s", _named("login burst", ours="p95"), _under(3.0)),
    Target("< 0.5 s", _named("CLI start"), _under(0.5)),
    Target("< 5 s", _named("demo start"), _under(5.0)),
    Target("≥ 1×", _named("integrity candidate check"), _ratio(1.0)),
    Target("≥ 1×", _named("integrity certificate verify"), _ratio(1.0)),
    Target("≥ 1×", _named("registry top-200"), _ratio(1.0)),
)


def target_of(result: Result) -> Target | None:
    return next((t for t in TARGETS if t.applies(result)), None)


def verdict(result: Result) -> str:
    """"≥ 0.15×: met", "< 5 s: missed", or "—" for a line without a target."""
    target = target_of(result)
    if target is None:
        return "—"
    return f"{target.text}: {'met' if target.met(result) else 'missed'}"


def summary(results: list[Result]) -> str:
    judged = [(r, target_of(r)) for r in results]
    judged = [(r, t) for r, t in judged if t is not None]
    missed = [f"{r.benchmark} ({r.case}, {r.ours}: {t.text})" for r, t in judged if not t.met(r)]
    line = f"Targets met: {len(judged) - len(missed)} of {len(judged)}."
    return line + (" Missed: " + "; ".join(missed) + "." if missed else "")
