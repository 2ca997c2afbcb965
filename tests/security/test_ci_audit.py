"""CI's dependency audit (issue 10, item 10): no package registry host name anywhere in the
repository, and "cannot reach the vulnerability service" is read from pip-audit's own result
(.ci/audit_result.py), never found by probing a named host."""
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "audit_result.py"
spec = importlib.util.spec_from_file_location("audit_result", SCRIPT)
audit_result = importlib.util.module_from_spec(spec)
sys.modules.setdefault("audit_result", audit_result)  # (dataclasses look their module up)
spec.loader.exec_module(audit_result)

# Registry hosts, spelled so that this file does not contain them either.
REGISTRIES = ["pypi" + r"\.org", "python" + "hosted", "debian" + r"\.(org|net)", "npm" + "js", "registry" + r"\.npm"]
HOST_RE = re.compile(r"(https?://|//)[^\s\"'<>]*(" + "|".join(REGISTRIES) + ")", re.IGNORECASE)
BARE_RE = re.compile(r"\b(" + "|".join(REGISTRIES) + r")\b", re.IGNORECASE)

# pip-audit 2.10's answers, as seen on this project's machines.
MIRROR_REPORT = json.dumps({"dependencies": [
    {"name": "alembic", "skip_reason": "Dependency not found on PyPI and could not be audited: alembic (1.20.1)"},
    {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited: flask (3.1.3)"},
], "fixes": []})
CONNECTION_STDERR = """Traceback (most recent call last):
  File ".../requests/adapters.py", line 723, in send
    raise ProxyError(e, request=request)
requests.exceptions.ProxyError: HTTPSConnectionPool(host='vulns.invalid', port=443): Max retries exceeded with url:
/pypi/alembic/1.20.1/json (Caused by NewConnectionError("Failed to establish a new connection: [Errno 111] Connection refused"))
"""
DNS_STDERR = "requests.exceptions.ConnectionError: ... [Errno -3] Temporary failure in name resolution\n"
CLEAN_REPORT = json.dumps({"dependencies": [{"name": "alembic", "version": "1.20.1", "vulns": []},
                                            {"name": "flask", "version": "3.1.3", "vulns": []}], "fixes": []})
VULN_REPORT = json.dumps({"dependencies": [
    {"name": "alembic", "version": "1.20.1", "vulns": []},
    {"name": "werkzeug", "version": "3.0.0", "vulns": [
        {"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": ["3.0.6"], "aliases": ["CVE-2024-0001"], "description": "…"}]},
], "fixes": []})


def test_no_registry_host_name_in_the_repository():
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".xlsx", ".db", ".ttf", ".otf"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for n, line in enumerate(text.splitlines(), start=1):
            if HOST_RE.search(line) or (name.startswith(".ci/") and BARE_RE.search(line)):
                found.append(f"{name}:{n}: {line.strip()[:120]}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("status,report,stderr,outcome", [
    (0, CLEAN_REPORT, "", "pass"),
    (1, VULN_REPORT, "", "fail"),
    (0, MIRROR_REPORT, "", "unreachable"),        # answered, audited nothing: said loudly, not "no vulnerabilities"
    (1, None, CONNECTION_STDERR, "unreachable"),  # refused / proxy / TLS: no report at all
    (1, None, DNS_STDERR, "unreachable"),
    (1, "", "ERROR: Invalid requirement: 'alembic=1.20.1'\n", "fail"),  # a broken lock file must not pass
    (2, None, "usage: pip-audit [-h] ...\npip-audit: error: unrecognized arguments: --bogus\n", "fail"),
    (0, "not json", "", "fail"),
])
def test_interpretation(status, report, stderr, outcome):
    verdict = audit_result.interpret(status, report, stderr)
    assert verdict.outcome == outcome, verdict.message
    assert verdict.exit_status == (1 if outcome == "fail" else 0)


def test_a_vulnerability_is_named_with_its_fix():
    verdict = audit_result.interpret(1, VULN_REPORT, "")
    assert verdict.vulnerable == ["werkzeug 3.0.0: GHSA-xxxx-yyyy-zzzz (fixed in 3.0.6)"]


def test_some_skipped_but_the_rest_audited_passes_and_lists_them():
    report = json.dumps({"dependencies": json.loads(CLEAN_REPORT)["dependencies"]
                         + [{"name": "local-thing", "skip_reason": "Dependency not found on PyPI"}]})
    verdict = audit_result.interpret(0, report, "")
    assert verdict.outcome == "pass" and verdict.skipped == ["local-thing: Dependency not found on PyPI"]


@pytest.mark.parametrize("report,stderr,status,exit_status,stream,words", [
    (VULN_REPORT, "", 1, 1, "stderr", "GHSA-xxxx-yyyy-zzzz"),
    (None, CONNECTION_STDERR, 1, 0, "stderr", "NOT effective"),
    (MIRROR_REPORT, "", 0, 0, "stderr", "NOT checked"),
    (CLEAN_REPORT, "", 0, 0, "stdout", "no known vulnerabilities in 2 audited"),
])
def test_the_script_as_ci_runs_it(tmp_path, report, stderr, status, exit_status, stream, words):
    if report is not None:
        (tmp_path / "report.json").write_text(report, encoding="utf-8")
    (tmp_path / "stderr.txt").write_text(stderr, encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "--status", str(status), "--report",
                             str(tmp_path / "report.json"), "--stderr", str(tmp_path / "stderr.txt")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == exit_status
    assert words in getattr(result, stream)


def test_ci_runs_the_audit_through_the_interpreter():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip-audit -r requirements.lock" in run and ".ci/audit_result.py" in run
    assert "curl" not in run  # no probe of a named host
