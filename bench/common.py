"""Shared helpers for benchmarks: timing, a result row, a temporary migrated database.

A benchmark module `bench/bench_<name>.py` exposes `run(quick: bool) -> list[Result]`; every
result compares our path with a baseline measured side by side in the same run, as a ratio.
Timed assertions do not belong in tests: numbers live here.
"""
from __future__ import annotations

import contextlib
import platform
import statistics
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
