"""Pages of govsvc.bankruptcy (one blueprint, url_prefix /bankruptcy)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bankruptcy", __name__, url_prefix="/bankruptcy")
