"""Static security scan in the test suite: bandit finds no high-severity issue in our code."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_bandit_reports_no_high_severity_issue():
    if shutil.which("bandit") is None and not (Path(sys.executable).parent / "bandit").exists():
        pytest.fail("bandit is part of the test extras: pip install -e '.[test]'")
    exe = str(Path(sys.executable).parent / "bandit")
    result = subprocess.run([exe, "-q", "-r", "govsvc", "scoring", "-f", "json"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    report = json.loads(result.stdout)
    high = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
            for r in report["results"] if r["issue_severity"] == "HIGH"]
    assert not high, "\n".join(high)
