"""Flags other modules keep on enterprises, read across modules without importing each other:
the financial-risk module's evasion blacklist (逃废债), the bankruptcy module's periodic lists
(吊销未注销, 欠税, 停产 …), a court's 失信 list. A module registers a source once; a reader asks
for the flags of some enterprises on a day, e.g. the honours check ("no one on a blacklist") or the
保/帮/关 classification's risk signals.

    @flag_source("finrisk.evasion")
    def _evasion_flags(enterprise_ids, on): -> {enterprise_id: [Flag(...), ...]}
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable


@dataclass(frozen=True)
class Flag:
    source: str              # the registering source, e.g. "finrisk.evasion"
    kind: str                # the source's own kind, e.g. "evasion", "tax_arrears"
    label: str               # Chinese, shown to users, e.g. "恶意逃废银行债务"
    reason: str = ""         # what was found, e.g. "2026-05 金融监管局认定"
    since: date | None = None
    until: date | None = None
    bars_honours: bool = False   # excludes from honours and nominations (联合惩戒)
    risk_signal: bool = False    # counts as a risk signal (e.g. in 保/帮/关)


FLAG_SOURCES: dict[str, Callable[[list[int], date], dict[int, list[Flag]]]] = {}


def flag_source(name: str):
    def register(fn):
        FLAG_SOURCES[name] = fn
        return fn

    return register


def flags_for(enterprise_ids: Iterable[int], on: date) -> dict[int, list[Flag]]:
    """Every source's flags in force on `on` for these enterprises (absent: none)."""
    ids = sorted(set(enterprise_ids))
    found: dict[int, list[Flag]] = {}
    for name in sorted(FLAG_SOURCES):
        for enterprise_id, flags in FLAG_SOURCES[name](ids, on).items():
            found.setdefault(enterprise_id, []).extend(flags)
    return found
