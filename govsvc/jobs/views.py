"""The status page of a background job (its creator and admins only)."""
from __future__ import annotations

import json

from flask import Blueprint, abort, render_template
from flask_login import current_user

from govsvc.auth import roles as R
from govsvc.auth.access import authenticated, refuse
from govsvc.extensions import db
from govsvc.jobs.models import Job
from govsvc.jobs.service import is_interrupted

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.route("/<job_id>")
@authenticated
def status(job_id: str):
    job = db.session.get(Job, job_id) or abort(404)
    if job.created_by_id != current_user.id and not current_user.has_role(R.ADMIN):
        refuse("not the job's owner")
    result = json.loads(job.result) if job.result else None
    return render_template("jobs/status.html", job=job, result=result, interrupted=is_interrupted(job))
