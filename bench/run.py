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
from bench.targets import rows, summary, verdict  # noqa: E402


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


SCALE_BEGIN = "<!-- scale:begin (written by `python bench/run.py --readme` from the same run; do not edit by hand) -->"
SCALE_END = "<!-- scale:end -->"


def replace_block(text: str, block: str, begin: str = README_BEGIN, end: str = README_END) -> str:
    """`text` with what lies between the README's markers `begin` and `end` replaced by `block`."""
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(f"README.md needs exactly one {begin[5:16]}… block")
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    return f"{head}{begin}\n{block}\n{end}{tail}"


def scale_lines(results: list[Result]) -> str:
    """What one server carries, in words, from the same run's figures (the README's *Scale*)."""
    def first(benchmark: str, ours: str = "", case: str = "") -> Result | None:
        return next((r for r in results if r.benchmark.startswith(benchmark) and ours in r.ours
                     and r.case.startswith(case)), None)

    def span(times: list[float]) -> str:
        low, high = fmt_seconds(min(times)), fmt_seconds(max(times))
        return low if low == high else f"{low}–{high}"

    lines = []
    if (full := first("grading", "full path")) is not None:
        core = first("grading", "scoring core")
        lines.append(f"- Grading: {full.case} graded end to end (load, grade, write the results, commit) in "
                     f"{fmt_seconds(full.ours_s)}" + (f"; the core alone {fmt_seconds(core.ours_s)}." if core else "."))
    pages = [r for r in results if r.benchmark == "public list" and "GET /grading/public" in r.ours]
    if pages:
        lines.append(f"- Public A/B/C list of {pages[0].case.split(',')[0]}: a page (first, deep, filtered, searched) "
                     f"in {span([r.ours_s for r in pages])} of server time in-process.")
    if (built := first("public list", "file built")) is not None:
        lines.append(f"- The whole public list as CSV: built at {rows(built) / built.ours_s:,.0f} rows/s, then kept.")
    if (tally := first("survey tally", "full path")) is not None:
        lines.append(f"- Survey: {tally.case} tallied from the database in {fmt_seconds(tally.ours_s)}.")
    imports = [r for r in results if r.benchmark.startswith("import ")]
    if imports:
        lines.append("- Imports (checked, upserted, streamed in batches): " + "; ".join(
            f"{r.benchmark[len('import '):]} {rows(r) / r.ours_s:,.0f} rows/s" for r in imports) + ".")
    web = [r for r in results if r.benchmark == "web"]
    if web:
        health = [r for r in web if r.case.startswith("/healthz")]
        logged = [r for r in web if not r.case.startswith("/healthz")]
        parts = []
        if logged:
            parts.append(f"logged-in pages {min(1 / r.ours_s for r in logged):,.0f}–{max(1 / r.ours_s for r in logged):,.0f} "
                         f"req/s")
        if health:
            parts.append(f"`/healthz` {1 / health[0].ours_s:,.0f} req/s")
        lines.append(f"- Web ({web[0].case.split(', ', 1)[-1]}): " + ", ".join(parts) + ".")
    for label in ("SQLite", "PostgreSQL"):
        rate, p99 = first(f"ballot burst ({label})", "ballots per s"), first(f"ballot burst ({label})", "p99")
        if rate is not None and p99 is not None:
            lines.append(f"- Ballots ({label}, {rate.case}): {1 / rate.ours_s:,.0f} ballots/s, POST p99 "
                         f"{fmt_seconds(p99.ours_s)}.")
    if (login := first("login burst", "p95")) is not None:
        lines.append(f"- Logins ({login.case}): p95 {fmt_seconds(login.ours_s)}.")
    if (top := first("registry top-200")) is not None:
        lines.append(f"- Top-200 taxpayers of {top.case}: {fmt_seconds(top.ours_s)}.")
    if (plans := first("inspections plan list")) is not None:
        lines.append(f"- Inspection plan list with {plans.case}: {fmt_seconds(plans.ours_s)} a page.")
    if (network := first("finrisk network")) is not None:
        lines.append(f"- Guarantee network of {network.case}: analysed in {fmt_seconds(network.ours_s)}.")
    for r in results:
        if r.benchmark.startswith("demo start"):
            lines.append(f"- {r.benchmark[0].upper()}{r.benchmark[1:]}: first page {fmt_seconds(r.ours_s)} after start.")
    return "\n".join(lines)


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
        text = replace_block(readme.read_text(encoding="utf-8"), block)
        text = replace_block(text, f"Figures of the run of {when} (*Benchmarks*):\n\n{scale_lines(results)}",
                             SCALE_BEGIN, SCALE_END)
        readme.write_text(text, encoding="utf-8")
        print(f"README.md: benchmark table rewritten ({len(results)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
