"""Run every benchmark (bench/bench_*.py) and print one table of ratios.

    python bench/run.py            # full sizes (the README's figures)
    python bench/run.py --quick    # small sizes, a minute or so: CI runs this so benchmarks cannot rot
    python bench/run.py --only survey
    python bench/run.py --readme   # full sizes, then the README's table is rewritten from this run
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
from bench.targets import summary, verdict  # noqa: E402


def discover(only: str | None) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    return [n for n in names if not only or only in n]


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_ratio(ratio: float) -> str:
    """Baseline time over ours: 1.5× (ours faster) or 0.048× (ours about 21 times slower), never "0.0×"."""
    return f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2g}×"


def print_table(results: list[Result]) -> None:
    header = ("benchmark", "case", "ours", "time", "baseline", "time", "ratio", "target")
    rows = [(r.benchmark, r.case, r.ours, fmt_seconds(r.ours_s), r.baseline, fmt_seconds(r.baseline_s),
             fmt_ratio(r.ratio), verdict(r)) for r in results]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    line = " | ".join
    print(line(h.ljust(w) for h, w in zip(header, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(str(c).ljust(w) for c, w in zip(row, widths)))
    for r in results:
        if r.note:
            print(f"  {r.benchmark}: {r.note}")
    print(summary(results))


README_BEGIN = "<!-- bench:begin (written by `python bench/run.py --readme`; do not edit by hand) -->"
README_END = "<!-- bench:end -->"


def markdown_table(results: list[Result], when: str, where: str) -> str:
    """The README's block: when and where it ran, one row per result with issue 11's target and
    whether it was met, which targets were missed, then the notes."""
    lines = [f"Run {when} on {where}.", "",
             "| benchmark | case | ours | time | baseline | time | ratio | target |",
             "|---|---|---|---|---|---|---|---|"]
    cell = lambda text: str(text).replace("|", "\\|")  # noqa: E731
    for r in results:
        lines.append("| " + " | ".join(cell(c) for c in (r.benchmark, r.case, r.ours, fmt_seconds(r.ours_s), r.baseline,
                                                           fmt_seconds(r.baseline_s), fmt_ratio(r.ratio),
                                                           verdict(r))) + " |")
    notes = [f"- {r.benchmark}, {r.case}: {r.note}" for r in results if r.note]
    return "\n".join(lines + ["", summary(results)] + ([""] + notes if notes else []))


def replace_block(text: str, block: str) -> str:
    """`text` with what lies between the README's bench markers replaced by `block`."""
    if text.count(README_BEGIN) != 1 or text.count(README_END) != 1 or text.index(README_BEGIN) > text.index(README_END):
        raise ValueError("README.md needs exactly one bench:begin … bench:end block")
    head, rest = text.split(README_BEGIN)
    _, tail = rest.split(README_END)
    return f"{head}{README_BEGIN}\n{block}\n{README_END}{tail}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    parser.add_argument("--only", help="run the benchmarks whose name contains this")
    parser.add_argument("--readme", action="store_true",
                        help="rewrite the README's benchmark table from this run (full sizes, every benchmark)")
    args = parser.parse_args(argv)
    if args.readme and (args.quick or args.only):
        parser.error("--readme writes the figures of one full run of every benchmark: no --quick, no --only")
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
    if failures or not results:
        return 1
    if args.readme:
        import datetime
        import os

        readme = ROOT / "README.md"
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        block = markdown_table(results, when, f"{machine()}, load average {load} at the end")
        readme.write_text(replace_block(readme.read_text(encoding="utf-8"), block), encoding="utf-8")
        print(f"README.md: benchmark table rewritten ({len(results)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
