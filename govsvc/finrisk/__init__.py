"""Module 7 — key-enterprise financial risk and guarantee circles (seed 003, seed 002's rescue plan).
Issue 15."""
