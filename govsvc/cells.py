"""Cell parsers with no database, Flask or model import: what the offline CLIs (`govsvc grading
compute`) need, so that they start fast. govsvc.imports, govsvc.registry.imports and
govsvc.grading.records re-export them (same functions, same CellError)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Iterable

from scoring import credit_code
from scoring import grading as grading_core

# The registry's vocabularies (govsvc.registry.models re-exports them).
INDUSTRIES = ("工业", "服务业", "房地产开发", "建筑业", "其他")
STATUSES = ("存续", "注销", "吊销")

TRUE_WORDS = {"1", "是", "y", "yes", "true", "t", "√"}
FALSE_WORDS = {"0", "否", "n", "no", "false", "f", ""}


class CellError(ValueError):
    """A cell's value is wrong; the message says how, in Chinese."""


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise CellError(f"“{raw}”不是是/否值（可填 1/0 或 是/否）。")


def parse_choice(options: Iterable[str], aliases: dict[str, str] | None = None, blank=None):
    options = tuple(options)
    aliases = aliases or {}

    def parse(raw: str):
        if raw == "" and blank is not None:
            return blank
        value = aliases.get(raw, raw)
        if value not in options:
            allowed = "、".join(list(options) + [a for a in aliases if a not in options])
            raise CellError(f"“{raw}”无效，应为：{allowed}。")
        return value

    return parse


def parse_money(raw: str) -> Decimal:
    text = raw.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{raw}”不是金额。") from None
    if not value.is_finite():
        raise CellError(f"“{raw}”不是金额。")
    if value < 0:
        raise CellError("金额不能为负数。")
    if value >= Decimal("1e16"):  # before quantize, which fails on values beyond 28 digits (e.g. 1e100)
        raise CellError("金额过大。")
    if value != value.quantize(Decimal("0.01")):
        raise CellError("金额最多两位小数（精确到分）。")
    return value.quantize(Decimal("0.01"))


def parse_credit_code(raw: str) -> str:
    try:
        return credit_code.validate(raw)
    except credit_code.CreditCodeError as exc:
        raise CellError(str(exc)) from None


def parse_unit_code(raw: str) -> str:
    code = raw.strip().upper()
    if not code or len(code) > 32 or not all(c.isalnum() or c in "-_" for c in code):
        raise CellError("单位代码只能包含字母、数字、“-”和“_”，最长 32 位。")
    return code


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(raw: str) -> date:
    """A calendar date: 2024-05-03 (also 2024/5/3)."""
    match = _DATE.match(raw.strip())
    if not match:
        raise CellError(f"“{raw}”不是日期（应为 YYYY-MM-DD，如 2024-05-03）。")
    try:
        return date(*(int(x) for x in match.groups()))
    except ValueError:
        raise CellError(f"“{raw}”不是有效的日期。") from None


parse_outcome = parse_choice(grading_core.OUTCOMES, grading_core.OUTCOME_ALIASES)
