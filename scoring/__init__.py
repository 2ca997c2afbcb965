"""The computing core: pure rules on numpy arrays and plain data (no Flask, no database).

The web app and the CLI both call it, so a result on the web and offline is the same code.
"""
