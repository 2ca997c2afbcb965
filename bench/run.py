"""Run every benchmark (bench/bench_*.py) and print one table of ratios.

    python bench/run.py            # full sizes (the README's figures)
    python bench/run.py --quick    # small sizes, a minute or so: CI runs this so benchmarks cannot rot
    python bench/run.py --only survey
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Result, machine  # noqa: E402


def discover(only: str | None) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    return [n for n in names if not only or only in n]


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_ratio(ratio: float) -> str:
    """Baseline time over ours: 1.5× (ours faster) or 0.048× (ours about 21 times slower), never "0.0×"."""
    return f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2g}×"


def print_table(results: list[Result]) -> None:
    header = ("benchmark", "case", "ours", "time", "baseline", "time", "ratio")
    rows = [(r.benchmark, r.case, r.ours, fmt_seconds(r.ours_s), r.baseline, fmt_seconds(r.baseline_s),
             fmt_ratio(r.ratio)) for r in results]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    line = " | ".join
    print(line(h.ljust(w) for h, w in zip(header, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(str(c).ljust(w) for c, w in zip(row, widths)))
    for r in results:
        if r.note:
            print(f"  {r.benchmark}: {r.note}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    parser.add_argument("--only", help="run the benchmarks whose name contains this")
    args = parser.parse_args(argv)
    print(f"govsvc benchmarks ({'quick' if args.quick else 'full'}) on {machine()}")
    results: list[Result] = []
    failures = 0
    for name in discover(args.only):
        start = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        try:
            results.extend(module.run(quick=args.quick))
        except Exception as exc:  # a broken benchmark fails the run loudly
            failures += 1
            print(f"!! {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"   {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    print_table(results)
    return 1 if failures or not results else 0


if __name__ == "__main__":
    sys.exit(main())
