"""Tables of govsvc.bankruptcy."""
from govsvc.auth import roles as R
from govsvc.ledger.service import register_module

# The module's matters on the shared ledger (other modules may hand matters over to it, e.g. a
# rescue handed to the bankruptcy court). The module may refine owners, page and scope.
register_module("bankruptcy", "破产处置", {R.COURT, R.FINANCE_REGULATOR})
