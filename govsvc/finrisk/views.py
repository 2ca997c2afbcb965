"""Pages of govsvc.finrisk (one blueprint, url_prefix /finrisk)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("finrisk", __name__, url_prefix="/finrisk")
