"""Meeting-morning logins: 100 enterprise heads log in at once, against the real server
(`govsvc serve`, gunicorn, its default of CPU + 1 workers × 4 threads), on a fresh SQLite WAL file.

Each head's browser GETs the login form (CSRF token); when all have it, all POST their password at
the same moment. Measured: p50/p95 of the POST, for the configured scrypt parameters
(govsvc.config PASSWORD_HASH_METHOD) beside werkzeug's default scrypt:32768:8:1 (what the issue
measured at p95 21 s) in the same run, each on its own server and database. Every login must
succeed (302); any other answer fails the run.

Also measured on the same server: /healthz (which checks the schema revision, cached per process
for a few seconds) beside a Flask hello-world on the same gunicorn settings — issue 11 wants
/healthz at ≥ 0.8× the hello-world.

    python bench/run.py --only login            # 100 heads
    python bench/run.py --only login --quick    # 10 heads
"""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.bench_burst import BurstFailure, Client, Server, Unreachable, _csrf, _free_port, pct, throughput
from bench.common import Result

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Meeting-morning-2026"
DEFAULT_SCRYPT = "scrypt:32768:8:1"  # werkzeug's default, the baseline


def chosen_method() -> str:
    from govsvc.auth.passwords import method_prefix
    from govsvc.config import DEFAULTS

    return method_prefix(DEFAULTS["PASSWORD_HASH_METHOD"])


def prepare(url: str, n_heads: int, method: str) -> list[str]:
    """Migrate and create the heads (evaluator accounts), all with a password hashed by `method`."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from govsvc import create_app, resource_dir
    from govsvc.auth import roles as R
    from govsvc.auth.service import create_user
    from govsvc.extensions import db
    from govsvc.registry.models import Enterprise
    from bench.bench_burst import HASH_KEY, SECRET_KEY, _credit_code

    app = create_app({"SECRET_KEY": SECRET_KEY, "HASH_KEY": HASH_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        stored = generate_password_hash(PASSWORD, method=method)  # one hash, same cost to check for each
        names = []
        for n in range(1, n_heads + 1):
            enterprise = Enterprise(credit_code=_credit_code(n), name=f"纳税企业{n:03d}", industry="工业")
            db.session.add(enterprise)
            db.session.flush()
            names.append(create_user(f"head{n:03d}", PASSWORD, [R.EVALUATOR], enterprise_id=enterprise.id,
                                     password_hash=stored).username)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return names


def _log_in_at_once(port: int, names: list[str]) -> list[float]:
    """Every head GETs the form, then all POST together; returns the POST latencies."""
    ready = threading.Barrier(len(names))
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def head(name: str) -> None:
        client = Client(port)
        try:
            _, _, html = client.request("GET", "/login")
            token = _csrf(html)
        except (Unreachable, BurstFailure) as exc:
            token = None
            with lock:
                failures.append(f"{name}: form {exc}")
        ready.wait()
        if token is None:
            return
        began = time.perf_counter()
        try:
            status, headers, _ = client.request("POST", "/login", {"username": name, "password": PASSWORD,
                                                                   "csrf_token": token})
        except Unreachable as exc:
            status, headers = str(exc), {}
        elapsed = time.perf_counter() - began
        client.close()
        with lock:
            if status == 302 and headers.get("Location") == "/":
                latencies.append(elapsed)
            else:
                failures.append(f"{name}: {status}")

    threads = [threading.Thread(target=head, args=(n,), daemon=True) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    if failures:
        raise BurstFailure(f"{len(failures)} logins failed: {failures[:5]}")
    return latencies


class HelloServer:
    """A Flask hello-world under gunicorn with the same settings as `govsvc serve`."""

    def __init__(self, folder: Path, workers: int, threads: int = 4):
        self.port, self.folder, self.workers, self.threads = _free_port(), folder, workers, threads
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        app_file = self.folder / "hello_app.py"
        app_file.write_text("from flask import Flask\napp = Flask(__name__)\n\n\n@app.get('/')\n"
                            "def hello():\n    return {'status': 'ok'}\n", encoding="utf-8")
        exe = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        with open(self.folder / "hello.log", "a") as log:
            self.proc = subprocess.Popen([exe, "-w", str(self.workers), "--threads", str(self.threads), "-k", "gthread",
                                          "--access-logfile", "-", "-b", f"127.0.0.1:{self.port}", "hello_app:app"],
                                         cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    return self
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
        raise BurstFailure("hello-world server did not start")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def login_burst(method: str, n_heads: int, workers: int, tmp: Path, *, healthz: bool) -> tuple[list[float], float]:
    url = f"sqlite:///{tmp / (method.replace(':', '-') + '.db')}"
    names = prepare(url, n_heads, method)
    server = Server(url, tmp, workers)
    server.env["GOVSVC_PASSWORD_HASH"] = method  # the server's own method: no re-hash at login
    try:
        server.start()
        throughput(server.port, "/login", workers * 2, 2)  # every worker has built its app
        latencies = _log_in_at_once(server.port, names)
        rate = throughput(server.port, "/healthz", 32, 50 if n_heads >= 100 else 10) if healthz else 0.0
        errors = server.errors_in_log()
    finally:
        server.stop()
    if errors:
        raise BurstFailure(f"server log: {errors[:3]}")
    return latencies, rate


def run(quick: bool) -> list[Result]:
    n_heads = 10 if quick else 100
    workers = (os.cpu_count() or 1) + 1  # `govsvc serve`'s default
    chosen = chosen_method()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        ours, healthz_rate = login_burst(chosen, n_heads, workers, tmp, healthz=True)
        base, _ = login_burst(DEFAULT_SCRYPT, n_heads, workers, tmp, healthz=False)
        with HelloServer(tmp, workers) as hello:
            hello_rate = throughput(hello.port, "/", 32, 50 if not quick else 10)
    case = f"{n_heads} heads at once, {workers} workers × 4 threads, SQLite"
    note = (f"{n_heads}/{n_heads} logged in each time; login POST p50/p95 {pct(ours, 50):.2f}/{pct(ours, 95):.2f} s "
            f"with {chosen} vs {pct(base, 50):.2f}/{pct(base, 95):.2f} s with {DEFAULT_SCRYPT}; "
            f"/healthz {healthz_rate:,.0f} req/s vs hello-world {hello_rate:,.0f} req/s "
            f"= {healthz_rate / hello_rate:.2f}× (32 clients)")
    return [
        Result("login burst", case, f"POST p50 ({chosen})", pct(ours, 50), f"p50 ({DEFAULT_SCRYPT})", pct(base, 50)),
        Result("login burst", case, f"POST p95 ({chosen})", pct(ours, 95), f"p95 ({DEFAULT_SCRYPT})", pct(base, 95),
               note),
        Result("healthz", f"32 clients, {workers} workers × 4 threads", "1 / /healthz per s (schema check cached)",
               1 / healthz_rate, "1 / hello-world per s", 1 / hello_rate),
    ]
