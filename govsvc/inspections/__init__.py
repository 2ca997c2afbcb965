"""Module 3: the inspection-plan and fine pre-registration ledger (涉企检查罚款一口登记备案, 双备案).

Rules live in `scoring/inspections.py`; this package loads rows, calls them and keeps records.
"""
