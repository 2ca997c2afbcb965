"""URL rules that compile their URL builders when first used, not when the app is built.

Werkzeug compiles two Python functions per rule (`url_for` with and without unknown arguments)
as each rule is added: with about 380 rules that was most of `create_app` (0.3–0.8 s on the CI
machine), paid by every test, every CLI start and every gunicorn worker, although a worker builds
URLs for a few dozen endpoints. `LazyRule` defers each builder to its first call; the builder is
werkzeug's own, so the URLs are the same (tests/test_app.py builds every rule both ways).
Flask's documented hook for this is `Flask.url_rule_class`.
"""
from __future__ import annotations

from werkzeug.routing import Rule


class LazyRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule: Rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)

        return build
