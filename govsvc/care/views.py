"""Pages of govsvc.care (one blueprint, url_prefix /care)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("care", __name__, url_prefix="/care")


# The second half of the module's pages (tolerance, green channel, honours) on the same blueprint.
from govsvc.care import views_support  # noqa: E402,F401
