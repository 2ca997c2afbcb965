"""Navigation by role. Each module adds its entries when its views are imported."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str] | None  # None: every logged-in user
    order: int = 100


NAV: list[NavItem] = []
# What a visitor who is not logged in sees: the public pages (published lists, complaints, checks).
PUBLIC_NAV: list[NavItem] = []


def add(label: str, endpoint: str, roles=None, order: int = 100) -> None:
    if not any(item.endpoint == endpoint for item in NAV):
        NAV.append(NavItem(label, endpoint, frozenset(roles) if roles else None, order))


def nav_for(user_roles) -> list[NavItem]:
    return sorted((i for i in NAV if i.roles is None or i.roles & set(user_roles)), key=lambda i: (i.order, i.label))


def add_public(label: str, endpoint: str, order: int = 100) -> None:
    if not any(item.endpoint == endpoint for item in PUBLIC_NAV):
        PUBLIC_NAV.append(NavItem(label, endpoint, None, order))


def public_nav() -> list[NavItem]:
    return sorted(PUBLIC_NAV, key=lambda i: (i.order, i.label))
