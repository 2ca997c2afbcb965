"""Sections other modules add to an enterprise's page (its liaison leader, appeals, honours, loans,
bankruptcy case …). A module registers `fn(enterprise, user) -> Section | None`; the page shows each
section that is not None, in order. The function decides by the user's roles what to show: a
section must never show more than that user may read elsewhere."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    link: str | None = None
    link_label: str = "查看详情"
    order: int = 100


ENTERPRISE_SECTIONS: list[Callable] = []


def enterprise_section(fn: Callable) -> Callable:
    """Decorator: add a section to every enterprise page (the registry's and the enterprise portal's)."""
    if fn not in ENTERPRISE_SECTIONS:
        ENTERPRISE_SECTIONS.append(fn)
    return fn


def sections_for(enterprise, user) -> list[Section]:
    found = [s for s in (fn(enterprise, user) for fn in ENTERPRISE_SECTIONS) if s is not None]
    return sorted(found, key=lambda s: s.order)
