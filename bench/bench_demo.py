"""Demo start (issue 11): `govsvc serve --demo` on a fresh database, timed from the process start
to the first 200 from /healthz (a script polling every 50 ms) — migrations, every module's demo
data, gunicorn's start. Beside it in the same run, the baseline: the same server without demo
data (`govsvc db upgrade`, then `govsvc serve`, to its first 200 on /healthz), i.e. what the demo
costs on top of an ordinary start.

The note gives the SQL statements and ORM flushes the seeding issues (counted in-process with
SQLAlchemy events, one extra seeding outside the timed runs).

    python bench/run.py --only demo            # SQLite best of 3, then PostgreSQL when reachable
    python bench/run.py --only demo --quick    # SQLite once (PostgreSQL when GOVSVC_BENCH_DATABASE_URL is set)
"""
from __future__ import annotations

import http.client
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_burst import _free_port, fresh_postgres
from bench.common import Result

SECRET_KEY = "bench-demo-secret-" + "k" * 40
HASH_KEY = "bench-demo-hash-key"
ROOT = Path(__file__).resolve().parent.parent


def _env(url: str, folder: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "GOVSVC_INSTANCE_PATH": str(folder), "GOVSVC_HASH_KEY": HASH_KEY,
           "GOVSVC_COOKIE_SECURE": "0", "SECRET_KEY": SECRET_KEY}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _exe() -> str:
    return os.path.join(os.path.dirname(sys.executable), "govsvc")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_to_first_200(args: list[str], env: dict, log_path: Path, before: list[str] | None = None,
                      timeout: float = 240) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from starting `govsvc <before>` (if any) then `govsvc serve <args>`
    to the first 200 on /healthz. The CPU seconds (the processes' user + system time, gunicorn's
    workers included, until they are stopped right after) do not grow when other work shares the
    machine, as the wall time does."""
    port = _free_port()
    cpu_before = _children_cpu()
    began = time.perf_counter()
    with open(log_path, "a") as log:
        if before:
            subprocess.run([_exe(), *before], env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
        proc = subprocess.Popen([_exe(), "serve", "--port", str(port), "--workers", "2", *args], env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + timeout
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    wall = time.perf_counter() - began
                    break
            except (OSError, http.client.HTTPException):
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start: " + log_path.read_text()[-2000:])
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return wall, _children_cpu() - cpu_before


def count_statements(url: str) -> tuple[int, int]:
    """(SQL statements, ORM flushes) of migrating and seeding the demo into the empty database `url`."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from govsvc import create_app
    from govsvc.demo import prepare_demo
    from govsvc.extensions import db

    app = create_app({"DEMO": True, "SECRET_KEY": SECRET_KEY, "HASH_KEY": HASH_KEY, "SQLALCHEMY_DATABASE_URI": url,
                      "SESSION_COOKIE_SECURE": False})
    counts = [0, 0]

    def on_statement(*_):
        counts[0] += 1

    def on_flush(*_):
        counts[1] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", on_statement)
    event.listen(Session, "after_flush", on_flush)
    try:
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            prepare_demo(app, password="demo-password")
    finally:
        event.remove(Session, "after_flush", on_flush)
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", on_statement)
            db.session.remove()
            db.engine.dispose()
    return counts[0], counts[1]


def measure(label: str, fresh_url, repeat: int) -> list[Result]:
    demo, plain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        log = folder / "server.log"
        for i in range(repeat):
            url = fresh_url(folder / f"demo{i}.db")
            demo.append(time_to_first_200(["--demo"], _env(url, folder), log))
            url = fresh_url(folder / f"plain{i}.db")
            plain.append(time_to_first_200([], _env(url, folder), log, before=["db", "upgrade"]))
        statements, flushes = count_statements(fresh_url(folder / "count.db"))
    (demo_wall, demo_cpu), (plain_wall, plain_cpu) = min(demo), min(plain)
    note = (f"seeding the demo issues {statements:,} SQL statements, {flushes:,} ORM flushes; "
            f"best of {repeat}: demo {demo_wall:.2f} s ({demo_cpu:.2f} s CPU), "
            f"empty start {plain_wall:.2f} s ({plain_cpu:.2f} s CPU)")
    return [Result(f"demo start ({label})", "fresh database → first 200 on /healthz",
                   "serve --demo", demo_wall, "db upgrade + serve (no data)", plain_wall, note)]


def run(quick: bool) -> list[Result]:
    repeat = 1 if quick else 3
    results = measure("SQLite", lambda path: f"sqlite:///{path}", repeat)
    if quick and not os.environ.get("GOVSVC_BENCH_DATABASE_URL"):
        print("   bench_demo: PostgreSQL skipped in --quick (set GOVSVC_BENCH_DATABASE_URL to include it)",
              file=sys.stderr)
        return results
    if fresh_postgres():
        results += measure("PostgreSQL", lambda _path: fresh_postgres(), repeat)
    return results


if __name__ == "__main__":
    from bench.run import print_table

    print_table(run("--quick" in sys.argv))
