"""Module 6 — bankruptcy government–court coordination (企业破产处置府院联动, seeds 000, 001, 004).
Issue 14."""
