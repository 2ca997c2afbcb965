"""Large imports from the web run as background jobs: check every row (with progress) in a
read transaction, then apply everything in one write transaction. Bulk kinds (enterprises, tax,
records) stream the file in both passes (never the whole table in memory)."""
from __future__ import annotations

import json

from govsvc.auth.models import User
from govsvc.database import read_only
from govsvc.extensions import db
from govsvc.imports import KINDS, run_import
from govsvc.jobs.models import Job, JobInput
from govsvc.jobs.service import JobContext, runner
from govsvc.tables import row_estimate


@runner("import")
def import_job(ctx: JobContext, job_input: JobInput) -> dict:
    params = json.loads(job_input.params)
    kind = KINDS[params["kind"]]
    data, filename = job_input.data, job_input.filename
    valid_only, dry_run = params.get("mode") == "valid", params.get("mode") == "check"
    job = db.session.get(Job, ctx.job_id)
    user = db.session.get(User, job.created_by_id) if job.created_by_id else None
    actor = (user.id, user.username) if user else None
    db.session.rollback()
    with read_only():
        if kind.bulk:
            table = None
            ctx.phase("checking", total=row_estimate(data, filename))
        else:
            table = kind().read(data, filename)
            ctx.phase("checking", total=len(table.rows))
        report = run_import(kind(), data, filename, valid_only=valid_only, dry_run=True, progress=ctx.tick, table=table)
        db.session.rollback()
    if dry_run or (report.errors and not valid_only):
        return report.as_dict()
    ctx.phase("writing")
    report = run_import(kind(), data, filename, valid_only=valid_only, actor=actor, table=table)
    db.session.commit()
    return report.as_dict()
