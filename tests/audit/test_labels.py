"""Every action code the source can write to the audit log has a Chinese name (issue 10, item 15).

The test reads every `audit.record(...)` / `audit.record_committed(...)` call in govsvc/ (AST) and
works out the codes it can write: a literal; both sides of `a if c else b`; "prefix." + …; an
f-string or a parameter of the enclosing function, followed to the function's callers where they
pass literals. A code that stays open at run time (f"import.{kind.name}") must have a prefix rule.
Adding a new code without a name in govsvc/audit/labels.py makes this test fail.
"""
from __future__ import annotations

import ast
from pathlib import Path

from govsvc.audit import labels

ROOT = Path(__file__).resolve().parents[2]


def _trees() -> dict[Path, ast.Module]:
    trees = {}
    for path in sorted((ROOT / "govsvc").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node  # type: ignore[attr-defined]
        trees[path] = tree
    return trees


def _enclosing(node):
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        node = getattr(node, "parent", None)
    return node


def _callers(trees, name: str):
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                if (isinstance(f, ast.Name) and f.id == name) or (isinstance(f, ast.Attribute) and f.attr == name):
                    yield node


def _param_values(trees, func, param: str):
    """The values callers pass for `param` of `func`: a list of literals, or None when one is not
    a literal (or nobody calls it)."""
    names = [a.arg for a in func.args.args]
    index = names.index(param) if param in names else None
    values = []
    for call in _callers(trees, func.name):
        arg = next((k.value for k in call.keywords if k.arg == param), None)
        if arg is None and index is not None:
            offset = 1 if names and names[0] in ("self", "cls") and isinstance(call.func, ast.Attribute) else 0
            if index - offset < len(call.args):
                arg = call.args[index - offset]
        if arg is None:
            continue
        found = _resolve(trees, arg, func=_enclosing(call))
        if found is None:
            return None
        values += found
    return values or None


def _resolve(trees, expr, func):
    """Possible string values of `expr`: a list of str, or None when not knowable statically."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        a, b = _resolve(trees, expr.body, func), _resolve(trees, expr.orelse, func)
        return None if a is None or b is None else a + b
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        a, b = _resolve(trees, expr.left, func), _resolve(trees, expr.right, func)
        return None if a is None or b is None else [x + y for x in a for y in b]
    if isinstance(expr, ast.JoinedStr):
        values = [""]
        for part in expr.values:
            found = _resolve(trees, part.value if isinstance(part, ast.FormattedValue) else part, func)
            if found is None:
                return None
            values = [v + f for v in values for f in found]
        return values
    if isinstance(expr, ast.Name) and func is not None and expr.id in {
            a.arg for a in func.args.args + func.args.kwonlyargs}:
        return _param_values(trees, func, expr.id)
    return None


def _static_prefix(expr) -> str:
    """The constant start of a code built at run time ("import." of f"import.{kind.name}")."""
    if isinstance(expr, ast.JoinedStr):
        text = ""
        for part in expr.values:
            if not isinstance(part, ast.Constant):
                break
            text += part.value
        return text
    if isinstance(expr, ast.BinOp) and isinstance(expr.left, ast.Constant):
        return expr.left.value
    return ""


def audit_codes():
    """(where, codes, prefix): the codes each call can write, or the prefix of an open code."""
    trees = _trees()
    found = []
    for path, tree in trees.items():
        if path.parent.name == "audit" and path.name == "service.py":
            continue  # record_committed passes its own argument on
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"
                    and node.func.attr in ("record", "record_committed")):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            expr = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "action")
            codes = _resolve(trees, expr, _enclosing(node))
            found.append((where, codes, None if codes is not None else _static_prefix(expr)))
    return found


def test_the_walk_finds_the_calls_and_follows_the_built_codes():
    found = audit_codes()
    codes = {c for _, cs, _ in found for c in cs or ()}
    assert len(found) > 150 and len(codes) > 150
    # followed through a parameter (survey.ballots._commit_cast) and an f-string (plans.log_event)
    assert {"survey.ballot.cast", "survey.ballot.paper", "inspections.plan.submitted",
            "inspections.filing.returned", "portal.account.opened", "grading.downgrade"} <= codes
    assert any(prefix == "import." for _, _, prefix in found)


def test_every_audit_code_in_the_source_has_a_chinese_name():
    missing = []
    for where, codes, prefix in audit_codes():
        if codes is not None:
            missing += [f"{where}: {code}" for code in codes if not labels.has_label(code)]
        elif not prefix or labels._prefix_rule(prefix + "x") is None or labels._prefix_rule(prefix + "x")[0] != prefix:
            missing += [f"{where}: a code built at run time from {prefix!r}… needs a prefix rule in PREFIXES"]
    assert not missing, "add a Chinese name to govsvc/audit/labels.py:\n" + "\n".join(missing)


def test_every_import_kind_has_a_name(app):
    from govsvc.imports import ImportKind

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = {getattr(k, "name", None) for k in subclasses(ImportKind)} - {None, ""}
    assert names and not names - set(labels.IMPORT_KINDS), sorted(names - set(labels.IMPORT_KINDS))
    assert labels.action_label("import.enterprises") == "数据导入：企业"


def test_unknown_codes_show_as_they_are():
    assert labels.action_label("survey.close") == "结束评议（封箱）"
    assert labels.action_label("no.such.code") == "no.such.code"
    assert labels.action_label("") == ""
    assert labels.action_label("import.new_kind") == "数据导入：new_kind"
    assert labels.action_label("care.invitation.accepted") == "站台邀请：领导确认出席"
