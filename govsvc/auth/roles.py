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
# Modules 5–7 and the enterprise portal (SPEC "Modules 5–7").
ENTERPRISE = "enterprise"
COURT = "court"
BANK = "bank"
FINANCE_REGULATOR = "finance-regulator"
ORGANIZATION = "organization"

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
    ENTERPRISE: "企业用户",
    COURT: "法院",
    BANK: "银行",
    FINANCE_REGULATOR: "地方金融监管局",
    ORGANIZATION: "组织部",
}

ALL_ROLES: tuple[str, ...] = tuple(ROLE_LABELS)

# Roles that only make sense with a link: an evaluator or an enterprise account belongs to an
# enterprise, a department account to a unit, a bank account to its bank (a unit of the registry:
# it sees and submits only that bank's data). A discipline account without a unit is city-wide
# (市纪委市监委); court, regulator and organization accounts may name their unit.
NEEDS_ENTERPRISE = frozenset({EVALUATOR, ENTERPRISE})
NEEDS_UNIT = frozenset({DEPARTMENT, BANK})
# Government staff (every role but the enterprises' and the banks'): may read the unit list.
GOVERNMENT = frozenset({ORGANIZER, NOTARY, DEPARTMENT, JUSTICE, FINANCE, LEADER, DISCIPLINE, ADMIN, COURT,
                        FINANCE_REGULATOR, ORGANIZATION})
