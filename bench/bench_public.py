"""The public A/B/C list (`/grading/public`) with a city's published grading: the first page, a
page deep in the list, a grade filter, a district filter and a name search, each timed through
the whole Flask app in this process (routing, the queries, the template), beside a Flask
hello-world app answered the same way in the same run. Ratio = hello-world time ÷ ours (the
issue's target for this page is 0.25× a hello-world).

The deep page is three pages before the end, addressed as its 下一页 link addresses it, so it
measures what the list costs at its end rather than at its start."""
from __future__ import annotations

import random
import re

from bench.common import Result, median_of, migrated_app


def _populate(n: int) -> None:
    from govsvc.extensions import db
    from govsvc.grading.models import PUBLISHED, GradingResult, GradingRound
    from govsvc.registry.models import Enterprise
    from govsvc.timeutil import utcnow
    from tests.factories import make_credit_code

    rng = random.Random(20261205)
    industries = ("工业", "服务业", "房地产开发", "建筑业", "批发零售")
    for k in range(0, n, 50_000):
        db.session.execute(Enterprise.__table__.insert(), [
            {"credit_code": make_credit_code(i + 1), "name": f"淄博{('清泉', '华信', '明德')[i % 3]}企业{i}有限公司",
             "industry": industries[i % 5], "above_scale": True, "status": "存续", "legal_rep": "",
             "head_name": "", "head_phone": "", "district": f"区{i % 8}", "new_format": False,
             "group_name": "", "group_head": False} for i in range(k, min(n, k + 50_000))])
    round_id = db.session.execute(GradingRound.__table__.insert().values(
        year=2026, status=PUBLISHED, rules_toml="", note="", published_at=utcnow(), created_at=utcnow(),
        return_note="")).inserted_primary_key[0]
    ids = db.session.execute(db.select(Enterprise.id)).scalars().all()
    rows = []
    for eid in ids:
        g = "A" if rng.random() < 0.8 else "B" if rng.random() < 0.8 else "C"
        rows.append({"round_id": round_id, "enterprise_id": eid, "computed_grade": g, "grade": g,
                     "published_grade": g, "unit_grades": "", "unit_reasons": "{}", "reason": ""})
    for k in range(0, len(rows), 50_000):
        db.session.execute(GradingResult.__table__.insert(), rows[k:k + 50_000])
    db.session.commit()


def _deep_url(client, n: int, per_page: int) -> str:
    """The address of a page three pages before the end, as its 下一页 link would give it."""
    from govsvc.extensions import db
    from govsvc.registry.models import Enterprise

    html = client.get("/grading/public").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    if "after=" in link:  # keyset paging: the key of the last row of the page before
        code = db.session.scalars(db.select(Enterprise.id).order_by(Enterprise.id)
                                  .offset(n - 3 * per_page - 1).limit(1)).one()
        return re.sub(r"after=[^&]*", f"after={code}", link)
    return re.sub(r"page=\d+", f"page={n // per_page - 3}", link)


def run(quick: bool) -> list[Result]:
    from flask import Flask

    n = 5_000 if quick else 100_000
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, World!")
    hello_client = hello.test_client()
    results = []
    with migrated_app() as app:
        _populate(n)
        client = app.test_client()
        assert client.get("/grading/public").status_code == 200
        cases = [("first page", "/grading/public"), ("grade C", "/grading/public?grade=C"),
                 ("one district", "/grading/public?district=区3"), ("name search", "/grading/public?q=清泉"),
                 ("search, no match", "/grading/public?q=不存在")]
        cases.append(("deep page", _deep_url(client, n, app.config["PAGE_SIZE"])))
        results += _served(app.config["SQLALCHEMY_DATABASE_URI"], n, [cases[0], cases[-1]], quick)
        base = median_of(lambda: hello_client.get("/"), repeat=200)
        for label, url in cases:
            assert client.get(url).status_code == 200, url
            ours = median_of(lambda: client.get(url), repeat=15)
            results.append(Result("public list", f"{n:,} enterprises, {label}", "GET /grading/public (in-process)",
                                  ours, "Flask hello-world (in-process)", base))
        results += _files(client, n)
    return results


def _served(url: str, n: int, cases: list[tuple[str, str]], quick: bool) -> list[Result]:
    """The issue's measure of this page: `govsvc serve` (its default workers × 4 threads) on the same
    database, 32 keep-alive clients, beside a Flask hello-world on the same gunicorn settings."""
    import os
    import tempfile
    from pathlib import Path

    from bench.bench_burst import BurstFailure, Server, throughput
    from bench.bench_login import HelloServer

    workers = (os.cpu_count() or 1) + 1
    clients, per_client = 32, 5 if quick else 25
    results = []
    with tempfile.TemporaryDirectory() as folder:
        server = Server(url, Path(folder), workers)
        try:
            server.start()
            with HelloServer(Path(folder), workers) as hello:
                throughput(server.port, cases[0][1], workers * 4, 2)  # every worker has built its app
                throughput(hello.port, "/", workers * 4, 2)
                for label, path in cases:
                    base = throughput(hello.port, "/", clients, per_client)
                    ours = throughput(server.port, path, clients, per_client)
                    base = (base + throughput(hello.port, "/", clients, per_client)) / 2
                    results.append(Result("public list", f"{n:,} enterprises, {label}, served to {clients} clients",
                                          "1 / GET /grading/public req/s", 1 / ours, "1 / hello-world req/s", 1 / base,
                                          f"{ours:,.0f} vs {base:,.0f} req/s = {ours / base:.3f}×, {workers} workers "
                                          "× 4 threads"))
            errors = server.errors_in_log()
        finally:
            server.stop()
    if errors:
        raise BurstFailure(f"server log: {errors[:3]}")
    return results


def _files(client, n: int) -> list[Result]:
    """The whole list as CSV: built (the worker's kept file dropped first) and kept, beside one SQL
    statement of the same five columns written by csv.writer in the same process."""
    import csv
    import io

    from sqlalchemy import text

    from govsvc.extensions import db
    from govsvc.grading import service

    def baseline():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerows(db.session.execute(text(
            "SELECT e.credit_code, e.name, e.district, e.industry, r.grade FROM grading_results r "
            "JOIN enterprises e ON e.id = r.enterprise_id ORDER BY e.credit_code")))
        return out.getvalue().encode()

    def built():
        service._public_files.clear()
        return client.get("/grading/public?format=csv").data

    rows = built().count(b"\n") - 1
    assert rows == n, rows
    base_s, built_s = median_of(baseline, repeat=3), median_of(built, repeat=3)
    kept_s = median_of(lambda: client.get("/grading/public?format=csv"), repeat=5)
    case = f"{n:,} enterprises, whole list as CSV"
    return [Result("public list", case, "GET ?format=csv (file built)", built_s, "one SQL SELECT + csv.writer",
                   base_s, f"CSV built at {n / built_s:,.0f} rows/s, served kept at {n / kept_s:,.0f} rows/s"),
            Result("public list", case, "GET ?format=csv (file kept)", kept_s, "one SQL SELECT + csv.writer", base_s)]
