"""The real demo server (`govsvc serve --demo`, gunicorn) on a free port and a fresh SQLite
database, for tests that talk to it over HTTP or drive a browser against it."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def demo_server(folder: Path, *, database: Path | None = None, workers: int = 2, timeout: float = 240):
    """Yield the base URL once /healthz answers; stop the server afterwards. Seeding the demo
    takes a while (every module's demo data), hence the generous timeout."""
    port = free_port()
    database = database or folder / "demo.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "GOVSVC_INSTANCE_PATH": str(folder)}
    env.pop("SECRET_KEY", None)
    log_path = folder / "server.log"
    exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([exe, "serve", "--demo", "--port", str(port), "--workers", str(workers)], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + timeout
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except OSError:  # URLError, refused, or a read timing out on a busy machine
                    if proc.poll() is not None or time.time() > deadline:
                        raise RuntimeError("demo server did not start: " + log_path.read_text()[-2000:]) from None
                    time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
