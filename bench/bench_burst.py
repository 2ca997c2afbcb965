"""Ballot burst: the real server (`govsvc serve`, gunicorn, several worker processes) under a
meeting's worth of ballots arriving at once, killed and restarted in the middle.

A campaign with 2,000 printed ballot codes (the paper channel: codes tied to no account, entered
by the organizer's clerks) is prepared through the survey services on a fresh database (SQLite
WAL file; PostgreSQL too when reachable). 200 concurrent clients (threads, stdlib http.client,
keep-alive, one cookie jar each) do the real flow for every code: GET the entry form (CSRF
token), POST the ballot. When 40 % are acknowledged the whole gunicorn process group gets
SIGKILL and a new server starts on the same database; clients retry what was not acknowledged.
Then 200 repeats with used codes must each be refused with the clear message.

Checked afterwards in the database, once voting is closed (ballots wait sealed until then):
every acknowledged ballot is stored exactly once (found by its printed receipt), a retry refused
as "already used" found its earlier ballot stored, stored ballots = credential uses = distinct
codes, no code used twice, no ballot for a code never sent.

Measured in the same run on the same (restarted) server: p50/p99 latency of the ballot POST and
throughput of acknowledged ballots (outage excluded), beside /healthz under the same concurrency.
The ratio (baseline ÷ ours, < 1 here) says how much dearer a ballot is than a trivial request.
"""
from __future__ import annotations

import http.client
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Result

SECRET_KEY = "bench-burst-secret-" + "k" * 40
HASH_KEY = "bench-burst-hash-key"
ORGANIZER, PASSWORD = "burst-clerk", "Burst-bench-2026-paper"
USED = "该投票凭证已经使用过"
N_ENFORCEMENT, N_SERVICE = 40, 19
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
COOKIE = "govsvc_session"
RETRY_FOR_S = 90  # a client gives up on one ballot after this long without an answer


class BurstFailure(AssertionError):
    pass


# -- the database: campaign prepared through the services --------------------------------------
def _credit_code(n: int) -> str:
    from scoring import credit_code

    body = f"{n:08d}"
    first17 = "91370303" + body + credit_code.org_check_char(body)
    return first17 + credit_code.check_char(first17)


def prepare(url: str, n_codes: int) -> tuple[int, list[str]]:
    """Migrate, create the organizer's clerk account and an open campaign with n printed codes."""
    from flask_migrate import upgrade

    from govsvc import create_app, resource_dir
    from govsvc.auth import roles as R
    from govsvc.auth.service import create_user
    from govsvc.extensions import db
    from govsvc.registry.models import Enterprise, Unit
    from govsvc.survey import ballots, campaigns

    app = create_app({"SECRET_KEY": SECRET_KEY, "HASH_KEY": HASH_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        for category, size, prefix in (("enforcement", N_ENFORCEMENT, "E"), ("service", N_SERVICE, "S")):
            for i in range(size):
                db.session.add(Unit(code=f"{prefix}{i:02d}", name=f"评议部门{prefix}{i:02d}", level="city",
                                    survey_category=category))
        enterprise = Enterprise(credit_code=_credit_code(1), name="压测纳税企业", industry="工业")
        db.session.add(enterprise)
        db.session.flush()
        create_user(ORGANIZER, PASSWORD, [R.ORGANIZER], display_name="录入员")
        campaign = campaigns.create_campaign(year=2026)
        campaigns.load_departments(campaign)
        campaigns.add_evaluator(campaign, enterprise.credit_code)
        campaigns.confirm_lists(campaign)
        campaigns.open_voting(campaign)
        codes: list[str] = []
        while len(codes) < n_codes:
            _, printed = ballots.issue_paper_codes(campaign, min(500, n_codes - len(codes)))
            codes += [p.code for p in printed]
        db.session.commit()
        campaign_id = campaign.id
        db.session.remove()
        db.engine.dispose()
    return campaign_id, codes


def verify(url: str, campaign_id: int, codes: list[str], acked: set[str], stored_unacked: set[str]) -> dict:
    """What the database holds against what the clients were told, after voting closed (the
    ballots wait sealed until then: closing opens, shuffles and writes them)."""
    from sqlalchemy import func, select

    from govsvc import create_app
    from govsvc.extensions import db
    from govsvc.survey import ballots
    from govsvc.survey.models import Ballot, BallotCredential, Campaign, CredentialUse

    app = create_app({"SECRET_KEY": SECRET_KEY, "HASH_KEY": HASH_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        ballots.close_voting(db.session.get(Campaign, campaign_id))
        db.session.commit()
        stored = Counter(db.session.scalars(select(Ballot.receipt_hash).where(Ballot.campaign_id == campaign_id)))
        used = db.session.execute(select(func.count(), func.count(func.distinct(CredentialUse.credential_id)))
                                  .select_from(CredentialUse).join(BallotCredential)
                                  .where(BallotCredential.campaign_id == campaign_id)).one()
        hash_of = {c: ballots.receipt_hash(ballots.paper_receipt(c)) for c in codes}
        db.session.remove()
        db.engine.dispose()
    by_hash = {h: c for c, h in hash_of.items()}
    problems = []
    lost = [c for c in acked if stored[hash_of[c]] == 0]
    doubled = [h for h, n in stored.items() if n > 1]
    missing_earlier = [c for c in stored_unacked if stored[hash_of[c]] != 1]
    strangers = [h for h in stored if h not in by_hash or by_hash[h] not in acked | stored_unacked]
    if lost:
        problems.append(f"{len(lost)} acknowledged ballots not stored")
    if doubled:
        problems.append(f"{len(doubled)} ballots stored more than once")
    if missing_earlier:
        problems.append(f"{len(missing_earlier)} codes refused as used without a stored ballot")
    if strangers:
        problems.append(f"{len(strangers)} stored ballots for codes never acknowledged")
    total = sum(stored.values())
    if not total == used[0] == used[1] == len(acked | stored_unacked):
        problems.append(f"ballots {total}, credential uses {used[0]} ({used[1]} distinct), "
                        f"codes answered {len(acked | stored_unacked)}")
    if problems:
        raise BurstFailure("; ".join(problems))
    return {"ballots": total, "uses": used[0]}


# -- the server -----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`govsvc serve` in its own process group (gunicorn master + workers), restartable."""

    def __init__(self, url: str, folder: Path, workers: int):
        self.port = _free_port()
        self.workers = workers
        self.env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "GOVSVC_HASH_KEY": HASH_KEY,
                    "GOVSVC_COOKIE_SECURE": "0", "GOVSVC_INSTANCE_PATH": str(folder)}
        self.log_path = folder / "server.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 60) -> float:
        """Start and wait until /healthz answers; returns the seconds it took."""
        exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
        began = time.perf_counter()
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen([exe, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                                         env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1
        deadline = time.time() + timeout
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return time.perf_counter() - began
            except (OSError, http.client.HTTPException):
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                raise BurstFailure("server did not start: " + self.log_path.read_text()[-2000:])
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL the whole process group: master and every worker, no clean-up at all."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGINT)  # gunicorn's quick shutdown: every request has been answered
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def errors_in_log(self) -> list[str]:
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if "database is locked" in line or "Traceback" in line]


# -- a client: one clerk's browser ------------------------------------------------------------------
class Unreachable(Exception):
    """No HTTP answer (connection refused, reset, closed mid-response)."""


class Client:
    def __init__(self, port: int, cookie: str = ""):
        self.port = port
        self.cookie = cookie
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise Unreachable(str(exc)) from None
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith(COOKIE + "="):
                self.cookie = value.split(";", 1)[0][len(COOKIE) + 1:]
        if response.will_close:
            self.close()
        return response.status, dict(response.getheaders()), data.decode("utf-8", "replace")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    if not match:
        raise BurstFailure("no CSRF token in the form")
    return match.group(1) or match.group(2)


def log_in(port: int, username: str, password: str) -> str:
    """The session cookie of `username` logged in through the login form."""
    client = Client(port)
    _, _, html = client.request("GET", "/login")
    status, _, _ = client.request("POST", "/login", {"username": username, "password": password,
                                                     "csrf_token": _csrf(html)})
    client.close()
    if status != 302:
        raise BurstFailure(f"login of {username} failed ({status})")
    return client.cookie


def login(port: int) -> str:
    return log_in(port, ORGANIZER, PASSWORD)


def throughput(port: int, path: str, n_clients: int, per_client: int, cookie: str = "") -> float:
    """Requests per second for `path` from n_clients keep-alive clients (every answer must be 200)."""
    errors = []

    def fetch():
        client = Client(port, cookie)
        for _ in range(per_client):
            try:
                status, _, _ = client.request("GET", path)
            except Unreachable as exc:
                status = str(exc)
            if status != 200:
                errors.append(status)
        client.close()

    threads = [threading.Thread(target=fetch, daemon=True) for _ in range(n_clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    wall = time.perf_counter() - began
    if errors:
        raise BurstFailure(f"GET {path}: {len(errors)} failures, e.g. {errors[:3]}")
    return n_clients * per_client / wall


def paper_ballot(rng: random.Random) -> dict[str, str]:
    """A filled-in paper form within the caps (1 满意 2 基本满意 3 不满意 4 不了解 0 空白)."""
    def part(n: int) -> str:
        cap = n // 3
        keys = ["1"] * rng.randint(0, cap) + ["3"] * rng.randint(0, cap // 2)
        keys += rng.choices("22224400", k=n - len(keys))
        rng.shuffle(keys)
        return "".join(keys)

    form = {"enforcement": part(N_ENFORCEMENT), "service": part(N_SERVICE), "opinions": ""}
    if rng.random() < 0.1:
        form["opinions"] = f"E{rng.randrange(N_ENFORCEMENT):02d} 办事效率有待提高，希望进一步简化材料。"
    return form


# -- the burst --------------------------------------------------------------------------------------
@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: set = field(default_factory=set)
    stored_unacked: set = field(default_factory=set)
    latencies: list = field(default_factory=list)    # seconds, POSTs that got an answer
    refused: int = 0                                 # repeats refused with the clear message
    refusal_latencies: list = field(default_factory=list)
    connection_errors: int = 0
    errors: list = field(default_factory=list)       # any other answer: the app failed
    kill_at: int = 0
    killed: threading.Event = field(default_factory=threading.Event)
    server_up: threading.Event = field(default_factory=threading.Event)


def _submit(client: Client, path: str, code: str, form: dict, tally: Tally, *, repeat: bool = False) -> None:
    """GET the form, POST the ballot; retry on no answer until a definitive one."""
    retried = False
    give_up = time.monotonic() + RETRY_FOR_S
    while True:
        try:
            status, _, html = client.request("GET", path)
            if status != 200:
                raise _Unexpected(f"GET form: HTTP {status}")
            began = time.perf_counter()
            status, headers, html = client.request("POST", path, {**form, "code": code, "csrf_token": _csrf(html)})
            elapsed = time.perf_counter() - began
        except Unreachable:
            with tally.lock:
                tally.connection_errors += 1
            retried = True
            if time.monotonic() > give_up:
                with tally.lock:
                    tally.errors.append(f"{code[:4]}…: no answer for {RETRY_FOR_S} s")
                return
            if tally.killed.is_set():
                tally.server_up.wait(120)
            time.sleep(0.05)
            continue
        except _Unexpected as exc:
            with tally.lock:
                tally.errors.append(str(exc))
            return
        with tally.lock:
            if repeat:
                if status == 422 and USED in html:
                    tally.refused += 1
                    tally.refusal_latencies.append(elapsed)
                else:
                    tally.errors.append(f"repeat: HTTP {status}, clear refusal {'shown' if USED in html else 'missing'}")
            elif status == 302 and headers.get("Location", "").endswith(path):
                tally.acked.add(code)
                tally.latencies.append(elapsed)
                if len(tally.acked) == tally.kill_at:
                    tally.killed.set()
            elif status == 422 and USED in html and retried:
                tally.stored_unacked.add(code)  # committed just before the kill; the answer was lost
            else:
                tally.errors.append(f"ballot: HTTP {status}" + (" (refused as used without a retry)" if USED in html else ""))
        return


class _Unexpected(Exception):
    pass


def _run_clients(n_clients: int, port: int, cookie: str, jobs: list, fn) -> float:
    """n_clients threads share the job queue; returns the wall time."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)

    def worker():
        client = Client(port, cookie)
        while True:
            try:
                job = work.get_nowait()
            except queue.Empty:
                break
            fn(client, *job)
        client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(n_clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began


def _healthz(n_clients: int, per_client: int, port: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    failures = []
    lock = threading.Lock()

    def fetch(client: Client):
        began = time.perf_counter()
        try:
            status, _, _ = client.request("GET", "/healthz")
        except Unreachable as exc:
            status = str(exc)
        elapsed = time.perf_counter() - began
        with lock:
            if status == 200:
                latencies.append(elapsed)
            else:
                failures.append(status)

    wall = _run_clients(n_clients, port, "", [()] * (n_clients * per_client), fetch)
    return latencies, wall, len(failures)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def burst(url: str, label: str, *, n_codes: int, n_clients: int, n_repeats: int, workers: int) -> list[Result]:
    began = time.perf_counter()

    def say(what: str) -> None:
        print(f"   bench_burst {label}: {what} ({time.perf_counter() - began:.1f} s)", file=sys.stderr)

    campaign_id, codes = prepare(url, n_codes)
    say(f"campaign with {n_codes:,} codes prepared")
    path = f"/survey/{campaign_id}/paper"
    rng = random.Random(2026)
    forms = {code: paper_ballot(rng) for code in codes}
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(url, Path(tmp), workers)
        try:
            server.start()
            say("server up")
            cookie = login(server.port)
            tally = Tally(kill_at=int(n_codes * 0.4))
            outage = {}

            def killer():
                tally.killed.wait()
                outage["kill"] = time.perf_counter()
                server.kill()
                outage["restart_s"] = server.start()
                outage["up"] = time.perf_counter()
                tally.server_up.set()

            thread = threading.Thread(target=killer, daemon=True)
            thread.start()
            wall = _run_clients(n_clients, server.port, cookie, [(c,) for c in codes],
                                lambda client, code: _submit(client, path, code, forms[code], tally))
            if not tally.killed.is_set():
                raise BurstFailure(f"the kill never happened ({len(tally.acked)} acknowledged)")
            thread.join(120)
            say(f"burst done, killed and restarted once ({wall:.1f} s)")
            down_s = outage["up"] - outage["kill"]
            burst_acked = len(tally.acked)
            # Repeats: used codes again (acknowledged ones and ones whose answer the kill lost).
            used = sorted(tally.acked | tally.stored_unacked)
            repeats = random.Random(7).sample(used, min(n_repeats, len(used)))
            _run_clients(n_clients, server.port, cookie, [(c,) for c in repeats],
                         lambda client, code: _submit(client, path, code, forms[code], tally, repeat=True))
            say("repeats refused")
            health, health_wall, health_failures = _healthz(n_clients, 20, server.port)
            say("/healthz measured")
            log_errors = server.errors_in_log()
        finally:
            server.stop()
            kept = Path(tempfile.gettempdir()) / f"govsvc-burst-{label.split()[0].lower()}.log"
            kept.write_bytes(server.log_path.read_bytes())  # for a look after a failure
    if tally.errors or health_failures or log_errors:
        shown = Counter(tally.errors).most_common(5)
        raise BurstFailure(f"{label}: {len(tally.errors)} failed requests {shown}, {health_failures} /healthz failures, "
                           f"server log ({kept}): {log_errors[:3]}")
    if tally.refused != len(repeats):
        raise BurstFailure(f"{label}: {tally.refused} of {len(repeats)} repeats refused")
    if burst_acked + len(tally.stored_unacked) != n_codes:
        raise BurstFailure(f"{label}: {burst_acked} acknowledged + {len(tally.stored_unacked)} stored unacknowledged "
                           f"≠ {n_codes} codes")
    say("server stopped")
    checked = verify(url, campaign_id, codes, tally.acked, tally.stored_unacked)
    say("database checked")

    ballots_per_s = burst_acked / (wall - down_s)
    health_per_s = len(health) / health_wall
    case = f"{n_codes:,} codes, {n_clients} clients, {workers} workers"
    note = (f"{label}: {burst_acked:,} acknowledged, {len(tally.stored_unacked)} stored before the kill with the answer "
            f"lost (the retry was refused as used), {checked['ballots']:,} ballots = {checked['uses']:,} credential "
            f"uses, 0 lost, 0 twice; SIGKILL at {tally.kill_at:,}, server back in {outage['restart_s']:.1f} s "
            f"({tally.connection_errors} requests without answer, retried); {tally.refused}/{len(repeats)} repeats "
            f"refused with “{USED}…” (p50 {pct(tally.refusal_latencies, 50) * 1000:.0f} ms); "
            f"throughput {ballots_per_s:,.0f} ballots/s (outage excluded) vs /healthz {health_per_s:,.0f} req/s")
    bench = f"ballot burst ({label})"
    return [
        Result(bench, case, "ballot POST p50", pct(tally.latencies, 50), "/healthz p50", pct(health, 50)),
        Result(bench, case, "ballot POST p99", pct(tally.latencies, 99), "/healthz p99", pct(health, 99)),
        Result(bench, case, "1 / ballots per s", 1 / ballots_per_s, "1 / /healthz per s", 1 / health_per_s, note),
    ]


# -- PostgreSQL when reachable --------------------------------------------------------------------
def fresh_postgres() -> str | None:
    """A fresh, empty database (dropped and created), or None when the server is unreachable."""
    url = os.environ.get("GOVSVC_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/govsvc_burst_bench")
    try:
        import psycopg
    except ImportError:
        print("   bench_burst: PostgreSQL skipped (psycopg not installed)", file=sys.stderr)
        return None
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"   bench_burst: PostgreSQL skipped ({url} unreachable: {str(exc).strip().splitlines()[0]})",
              file=sys.stderr)
        return None
    return url


def run(quick: bool) -> list[Result]:
    sizes = (dict(n_codes=40, n_clients=20, n_repeats=20, workers=4) if quick
             else dict(n_codes=2000, n_clients=200, n_repeats=200, workers=4))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += burst(f"sqlite:///{Path(tmp) / 'burst.db'}", "SQLite WAL", **sizes)
    if quick and not os.environ.get("GOVSVC_BENCH_DATABASE_URL"):
        # Four server starts do not fit the quick run's minute: PostgreSQL runs in the full run, or
        # in the quick one when GOVSVC_BENCH_DATABASE_URL names a database.
        print("   bench_burst: PostgreSQL skipped in --quick (set GOVSVC_BENCH_DATABASE_URL to include it)",
              file=sys.stderr)
        return results
    pg = fresh_postgres()
    if pg:
        results += burst(pg, "PostgreSQL", **sizes)
    return results
