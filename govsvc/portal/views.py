"""Pages of govsvc.portal (one blueprint, url_prefix /portal)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")
