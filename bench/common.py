"""Shared helpers for benchmarks: timing, a result row, a temporary migrated database.

A benchmark module `bench/bench_<name>.py` exposes `run(quick: bool) -> list[Result]`; every
result compares our path with a baseline measured side by side in the same run, as a ratio.
Timed assertions do not belong in tests: numbers live here.
"""
from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass
class Result:
    benchmark: str
    case: str            # the size measured, e.g. "100,000 ballots × 59 departments"
    ours: str            # what "ours" is, e.g. "scoring core"
    ours_s: float
    baseline: str        # what it is compared with, e.g. "SQL GROUP BY"
    baseline_s: float
    note: str = ""

    @property
    def ratio(self) -> float:
        """How many times faster ours is than the baseline (> 1: faster)."""
        return self.baseline_s / self.ours_s if self.ours_s else float("inf")


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The best wall time of `repeat` runs (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


ROOT = Path(__file__).resolve().parent.parent
# The `govsvc` console script, as installed (govsvc.cli:main), run from this checkout; at exit it
# writes its own peak memory (VmHWM) where run_process asks: a forked child's ru_maxrss counts the
# parent's pages at the fork, so wait4 alone would report this benchmark process's size.
_PEAK = ("import atexit, os\n"
         "def _peak():\n"
         "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
         "    open(os.environ['BENCH_PEAK_FILE'], 'w').write(hwm.split()[1])\n"
         "if os.path.exists('/proc/self/status') and os.environ.get('BENCH_PEAK_FILE'):\n"
         "    atexit.register(_peak)\n")
GOVSVC = [sys.executable, "-c", _PEAK + "import sys; sys.argv[0] = 'govsvc'; from govsvc.cli import main; main()"]
PYTHON_PASS = [sys.executable, "-c", _PEAK]


def run_process(args: list[str], cwd: str | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process: its own VmHWM when it reports it
    (GOVSVC, PYTHON_PASS), else wait4's ru_maxrss. A failing command raises."""
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_PEAK_FILE": str(peak_file)}
        with open(Path(tmp) / "err", "w+b") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err.seek(0)
                raise RuntimeError(f"{' '.join(args[3:])}: exit {proc.returncode}: "
                                   f"{err.read().decode(errors='replace')[-500:]}")
        peak_kb = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
    return wall, peak_kb / 1024


def best_process(args: list[str], repeat: int = 3, cwd: str | None = None) -> tuple[float, float]:
    """The best wall time of `repeat` runs of a command, and the largest peak MB among them."""
    runs = [run_process(args, cwd) for _ in range(repeat)]
    return min(w for w, _ in runs), max(m for _, m in runs)


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform(terse=True)}"


@contextlib.contextmanager
def migrated_app(url: str | None = None):
    """A govsvc app on a fresh migrated SQLite file (or `url`), inside an app context."""
    from flask_migrate import upgrade

    from govsvc import create_app, resource_dir
    from govsvc.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-" + "x" * 40, "HASH_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(directory=str(resource_dir("migrations")))
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()
