"""Navigation by role. Each module adds its entries when its views are imported."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str] | None  # None: every logged-in user
    order: int = 100
    # Some pages are for some users of a role only (金融风险: a department that is a county
    # government); `when(user)` says whether this user gets the link, so no link leads to a 403.
    when: Callable | None = None


NAV: list[NavItem] = []
# What a visitor who is not logged in sees: the public pages (published lists, complaints, checks).
PUBLIC_NAV: list[NavItem] = []


def add(label: str, endpoint: str, roles=None, order: int = 100, when: Callable | None = None) -> None:
    if not any(item.endpoint == endpoint for item in NAV):
        NAV.append(NavItem(label, endpoint, frozenset(roles) if roles else None, order, when))


def nav_for(user_roles, user=None) -> list[NavItem]:
    roles = set(user_roles)
    return sorted((i for i in NAV if (i.roles is None or i.roles & roles)
                   and (i.when is None or (user is not None and i.when(user)))), key=lambda i: (i.order, i.label))


def add_public(label: str, endpoint: str, order: int = 100) -> None:
    if not any(item.endpoint == endpoint for item in PUBLIC_NAV):
        PUBLIC_NAV.append(NavItem(label, endpoint, None, order))


def public_nav() -> list[NavItem]:
    return sorted(PUBLIC_NAV, key=lambda i: (i.order, i.label))
