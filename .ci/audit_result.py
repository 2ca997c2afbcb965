"""Read what pip-audit said about the locked dependencies and decide CI's answer.

    pip-audit -r requirements.lock --no-deps --disable-pip --format json -o audit.json 2> audit.err
    python .ci/audit_result.py --status $? --report audit.json --stderr audit.err

Exit status: 0 when audited clean, 1 when a locked dependency has a known vulnerability (or
pip-audit failed in a way that is not about reaching its service: a bad lock file must not pass
quietly), 0 with a loud warning on stderr when the vulnerability service could not be asked —
either pip-audit failed to connect (no report, a connection error in its output) or it answered
but audited nothing (every dependency skipped, e.g. a mirror that lacks the per-release data).
The decision comes from pip-audit's own result only: no host is named or probed here.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

PASS, FAIL, UNREACHABLE = "pass", "fail", "unreachable"

# What pip-audit (requests/urllib3 underneath) prints when its vulnerability service cannot be
# reached: connection refused or reset, DNS failure, proxy or TLS failure, time-outs.
UNREACHABLE_PATTERNS = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|Timeout\b|ProxyError|SSLError|NewConnectionError|"
    r"Max retries exceeded|Failed to establish a new connection|Name or service not known|"
    r"Temporary failure in name resolution|Network is unreachable|Connection (refused|reset)|"
    r"ServiceError|HTTP(S)?ConnectionPool",
)


@dataclass
class Verdict:
    outcome: str                                    # PASS, FAIL or UNREACHABLE
    message: str
    vulnerable: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return 1 if self.outcome == FAIL else 0


def interpret(status: int, report_text: str | None, stderr_text: str) -> Verdict:
    """pip-audit's exit status, its JSON report (None when it wrote none) and its stderr."""
    report = None
    if report_text:
        try:
            report = json.loads(report_text)
        except ValueError:
            report = None
    if not isinstance(report, dict) or not isinstance(report.get("dependencies"), list):
        if status != 0 and UNREACHABLE_PATTERNS.search(stderr_text or ""):
            last = _last_line(stderr_text)
            return Verdict(UNREACHABLE, f"pip-audit could not reach its vulnerability service: {last}")
        if status == 0:
            return Verdict(FAIL, "pip-audit exited 0 but wrote no readable report")
        return Verdict(FAIL, f"pip-audit failed (exit {status}): {_last_line(stderr_text)}")
    dependencies = report["dependencies"]
    vulnerable = [f"{d.get('name')} {d.get('version', '')}: "
                  + ", ".join(v.get("id", "?") + (f" (fixed in {', '.join(v['fix_versions'])})"
                                                  if v.get("fix_versions") else "") for v in d["vulns"])
                  for d in dependencies if d.get("vulns")]
    skipped = [f"{d.get('name')}: {d['skip_reason']}" for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    if vulnerable:
        return Verdict(FAIL, f"{len(vulnerable)} locked dependencies have known vulnerabilities", vulnerable, skipped)
    if dependencies and audited == 0:
        return Verdict(UNREACHABLE, f"pip-audit audited none of {len(dependencies)} dependencies (every one skipped: "
                       "its vulnerability service has no data for them from here)", skipped=skipped)
    if status != 0:
        return Verdict(FAIL, f"pip-audit exited {status} without naming a vulnerability: {_last_line(stderr_text)}",
                       skipped=skipped)
    note = f"; {len(skipped)} skipped" if skipped else ""
    return Verdict(PASS, f"no known vulnerabilities in {audited} audited dependencies{note}", skipped=skipped)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--status", type=int, required=True, help="pip-audit's exit status")
    parser.add_argument("--report", type=Path, required=True, help="its JSON report (-o), may be missing")
    parser.add_argument("--stderr", type=Path, required=True, help="its captured stderr")
    args = parser.parse_args(argv)
    report = args.report.read_text(encoding="utf-8") if args.report.is_file() else None
    stderr = args.stderr.read_text(encoding="utf-8", errors="replace") if args.stderr.is_file() else ""
    verdict = interpret(args.status, report, stderr)
    if verdict.outcome == PASS:
        print(f"pip-audit: {verdict.message}")
        for line in verdict.skipped:
            print(f"  skipped {line}")
    elif verdict.outcome == UNREACHABLE:
        print("!" * 78, file=sys.stderr)
        print(f"!! pip-audit NOT effective: {verdict.message}", file=sys.stderr)
        print("!! the locked dependencies were NOT checked for known vulnerabilities in this run", file=sys.stderr)
        print("!" * 78, file=sys.stderr)
    else:
        print(f"!! pip-audit: {verdict.message}", file=sys.stderr)
        for line in verdict.vulnerable:
            print(f"   {line}", file=sys.stderr)
    return verdict.exit_status


if __name__ == "__main__":
    sys.exit(main())
