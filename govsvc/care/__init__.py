"""Module 5 — enterprise care (seed 002's other measures): leader liaison and appeals, 站台
invitations, 容错纠错, the green channel for excellent entrepreneurs, honours. Issue 13."""
