"""The roles of SPEC.md ("Who uses it"). A user may hold several."""
from __future__ import annotations

EVALUATOR = "evaluator"
ORGANIZER = "organizer"
NOTARY = "notary"
DEPARTMENT = "department"
JUSTICE = "justice"
FINANCE = "finance"
LEADER = "leader"
DISCIPLINE = "discipline"
ADMIN = "admin"

ROLE_LABELS: dict[str, str] = {
    EVALUATOR: "评议企业负责人",
    ORGANIZER: "第三方评价机构",
    NOTARY: "公证处",
    DEPARTMENT: "部门（单位）",
    JUSTICE: "司法局",
    FINANCE: "财政局",
    LEADER: "市委市政府领导",
    DISCIPLINE: "纪检监察",
    ADMIN: "系统管理员",
}

ALL_ROLES: tuple[str, ...] = tuple(ROLE_LABELS)

# Roles that only make sense with a link: an evaluator heads an enterprise, a department
# account belongs to a unit. A discipline account without a unit is city-wide (市纪委市监委).
NEEDS_ENTERPRISE = frozenset({EVALUATOR})
NEEDS_UNIT = frozenset({DEPARTMENT})
