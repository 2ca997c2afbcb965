"""Append-only audit log: who did what, when, from where.

`record()` adds an entry to the current transaction, so a write and its audit entry commit
or roll back together. `record_committed()` is for events that must be kept although the
request fails (refused access): it discards the transaction's pending work first.
The database refuses UPDATE and DELETE on the table (triggers, see audit/models.py).
Views that take anonymous public submissions carry `@without_address`: their entries keep no
client address.
"""
from govsvc.audit.service import record, record_committed, record_many, without_address  # noqa: F401
