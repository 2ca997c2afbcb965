"""Starting and running background jobs (threads in the web worker; state in the database).

Progress is written through a separate short transaction, so on SQLite the job reads in a
deferred transaction (`read_only`) while it reports progress, then applies its writes in one
BEGIN IMMEDIATE transaction at the end. A job whose worker died shows as interrupted.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from datetime import timedelta
from typing import Callable

from flask import Flask, current_app
from sqlalchemy import update

from govsvc.crypto import random_token
from govsvc.extensions import db
from govsvc.jobs.models import Job, JobInput
from govsvc.timeutil import utcnow

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=5)
RUNNERS: dict[str, Callable[["JobContext", JobInput], dict]] = {}


def runner(kind: str):
    """Register the function that runs jobs of `kind`: fn(ctx, job_input) -> result dict."""

    def decorator(fn):
        RUNNERS[kind] = fn
        return fn

    return decorator


class JobContext:
    def __init__(self, job_id: str):
        self.job_id = job_id
        self._last = 0.0

    def _write(self, **values) -> None:
        values["updated_at"] = utcnow()
        with db.engine.connect() as conn:
            conn = conn.execution_options(govsvc_write=True)
            with conn.begin():
                conn.execute(update(Job).where(Job.id == self.job_id).values(**values))

    def phase(self, status: str, total: int | None = None) -> None:
        values = {"status": status}
        if total is not None:
            values.update(total_units=total, done_units=0)
        self._write(**values)
        self._done = 0

    def tick(self, step: int = 1) -> None:
        self._done = getattr(self, "_done", 0) + step
        now = time.monotonic()
        if now - self._last >= 0.5:
            self._last = now
            self._write(done_units=self._done)


def submit(kind: str, label: str, filename: str, data: bytes, params: dict, user) -> Job:
    """Create the job in this request's transaction; `start()` after the commit."""
    job = Job(id=random_token(16), kind=kind, label=label, created_by_id=user.id)
    db.session.add(job)
    db.session.add(JobInput(job_id=job.id, filename=filename, data=data, params=json.dumps(params)))
    db.session.flush()
    return job


def start(app: Flask, job_id: str) -> threading.Thread:
    thread = threading.Thread(target=_run, args=(app, job_id), name=f"job-{job_id[:8]}", daemon=True)
    thread.start()
    return thread


def _run(app: Flask, job_id: str) -> None:
    with app.app_context():
        ctx = JobContext(job_id)
        try:
            job_input = db.session.get(JobInput, job_id)
            kind = db.session.get(Job, job_id).kind
            db.session.rollback()
            result = RUNNERS[kind](ctx, job_input)
            ctx._write(status="done", result=json.dumps(result, ensure_ascii=False, default=str))
        except Exception as exc:  # the job fails with a message, never silently
            log.exception("job %s failed", job_id)
            db.session.rollback()
            message = str(exc) if isinstance(exc, ValueError) else "系统错误，任务未完成，未写入任何数据。"
            ctx._write(status="failed", message=message)
        finally:
            with db.engine.connect() as conn:
                conn = conn.execution_options(govsvc_write=True)
                with conn.begin():
                    conn.execute(JobInput.__table__.delete().where(JobInput.job_id == job_id))
            db.session.remove()


def is_interrupted(job: Job) -> bool:
    return not job.finished and utcnow() - job.updated_at > STALE_AFTER


def start_after_commit(job_id: str) -> None:
    """Start the job once the request's transaction has committed (the thread must see it)."""
    app = current_app._get_current_object()
    from flask import after_this_request

    @after_this_request
    def _start(response):
        if response.status_code < 400:
            db.session.commit()
            start(app, job_id)
        return response
