"""The shared matter (事项) ledger: every module's follow-up work, with deadlines and history."""
