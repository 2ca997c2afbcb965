"""Web pages on the real server: `/healthz` and the main logged-in pages, each as requests per
second beside a Flask hello-world on the same gunicorn settings (`govsvc serve`'s: CPU + 1
workers × 4 gthreads, access log on), in the same run. Ratio = ours ÷ hello-world throughput
(the issue's targets: `/healthz` ≥ 0.8×, every logged-in page ≥ 0.15×).

The database is the demo's (`govsvc serve --demo`: the seed's units, enterprises and accounts,
a tallied survey awaiting approval, inspection plans, integrity records) on a SQLite WAL file.
Pages are fetched by the account that uses them: the dashboard by the leader (with its
等待您审定 panel) and the administrator, survey results by the leader, the integrity overview by
the discipline commission, the inspections plan list by the justice bureau.

    python bench/run.py --only web
    python bench/run.py --only web --quick
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench.bench_burst import BurstFailure, Server, log_in, throughput
from bench.common import Result

DEMO_PASSWORD = "demo-password"


def prepare(url: str) -> int | None:
    """The demo database; returns the id of a tallied survey campaign (or None)."""
    import contextlib
    import io

    from sqlalchemy import select

    from bench.bench_burst import HASH_KEY, SECRET_KEY
    from govsvc import create_app
    from govsvc.demo import prepare_demo
    from govsvc.extensions import db
    from govsvc.survey.models import DepartmentScore

    app = create_app({"SECRET_KEY": SECRET_KEY, "HASH_KEY": HASH_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with contextlib.redirect_stdout(io.StringIO()):
        prepare_demo(app, DEMO_PASSWORD)
    with app.app_context():
        campaign_id = db.session.scalar(select(DepartmentScore.campaign_id).limit(1))
        db.session.remove()
        db.engine.dispose()
    return campaign_id


def run(quick: bool) -> list[Result]:
    from bench.bench_login import HelloServer

    workers = (os.cpu_count() or 1) + 1  # `govsvc serve`'s default
    clients = 8 if quick else 16
    per_client = 5 if quick else 25
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = f"sqlite:///{tmp / 'web.db'}"
        campaign_id = prepare(url)
        server = Server(url, tmp, workers)
        results = []
        try:
            server.start()
            with HelloServer(tmp, workers) as hello:
                def hello_rate(n: int = clients, k: int = per_client) -> float:
                    return throughput(hello.port, "/", n, k)

                throughput(server.port, "/healthz", workers * 4, 2)  # every worker has built its app
                hello_rate(workers * 4, 2)
                n_health = 32
                k_health = 20 if quick else 100
                base = hello_rate(n_health, k_health)
                ours = throughput(server.port, "/healthz", n_health, k_health)
                base = (base + hello_rate(n_health, k_health)) / 2
                results.append(Result("web", f"/healthz, {n_health} clients, {workers} workers × 4 threads",
                                      "1 / req/s", 1 / ours, "1 / hello-world req/s", 1 / base,
                                      f"/healthz {ours:,.0f} req/s vs hello-world {base:,.0f} req/s = "
                                      f"{ours / base:.2f}× (target ≥ 0.8×)"))
                cookies = {name: log_in(server.port, name, DEMO_PASSWORD) for name in ("leader", "admin", "discipline", "justice")}
                pages = [("dashboard (leader)", "/", "leader"), ("dashboard (admin)", "/", "admin"),
                         ("integrity overview", "/integrity/", "discipline"),
                         ("inspections plan list", "/inspections/", "justice")]
                if campaign_id is not None:
                    pages.insert(2, ("survey results", f"/survey/{campaign_id}/results", "leader"))
                for label, path, who in pages:
                    throughput(server.port, path, workers * 2, 1, cookies[who])  # templates compiled everywhere
                    base = hello_rate()
                    ours = throughput(server.port, path, clients, per_client, cookies[who])
                    base = (base + hello_rate()) / 2
                    results.append(Result("web", f"{label}, {clients} clients", f"1 / GET {path.split('?')[0]} req/s",
                                          1 / ours, "1 / hello-world req/s", 1 / base,
                                          f"{ours:,.0f} vs {base:,.0f} req/s = {ours / base:.3f}× (target ≥ 0.15×)"))
            errors = server.errors_in_log()
        finally:
            server.stop()
        if errors:
            raise BurstFailure(f"server log: {errors[:3]}")
    return results
