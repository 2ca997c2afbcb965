"""Two database roles on PostgreSQL (issue 10, item 9): the owner role creates and migrates the
schema (`govsvc db upgrade`); the application role that serves requests gets only data rights
(`govsvc db grant --app-role NAME`, run as the owner). Only a table's owner (or a superuser) may
ALTER it — disable its triggers, drop it — so the app role cannot switch off the append-only
triggers of the audit log and the integrity records; on those tables it is also refused the
UPDATE/DELETE that the triggers refuse (defence in depth), and TRUNCATE on every table.

Protected tables are found in the database, not listed here: every table with a trigger whose
function's name contains "refuse" (audit_log_refuse_change, integrity_refuse_change, and any
later module that follows the convention) loses the rights its BEFORE triggers refuse."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Connection

DML = "SELECT, INSERT, UPDATE, DELETE"
# The only TRUNCATE the application needs: closing a survey destroys its sealed-ballot inbox with
# TRUNCATE so that no dead row version (with its transaction id) survives (README, Ballot secrecy).
TRUNCATED_BY_APP = ("survey_ballot_inbox",)
# pg_trigger.tgtype bits of the events a trigger fires on
_DELETE, _UPDATE = 8, 16


class RoleError(ValueError):
    """A grant that cannot be made; the message is one line for the operator (Chinese)."""


@dataclass
class GrantReport:
    statements: list[str] = field(default_factory=list)
    protected: dict[str, list[str]] = field(default_factory=dict)   # table → refused rights
    warnings: list[str] = field(default_factory=list)


def protected_tables(conn: Connection) -> dict[str, list[str]]:
    """{table: ["DELETE", "UPDATE", …]} from the refusing triggers in the current schema."""
    rows = conn.execute(text(
        "SELECT c.relname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema() AND p.proname LIKE '%refuse%'"))
    out: dict[str, set[str]] = {}
    for table, tgtype in rows:
        rights = out.setdefault(table, set())
        if tgtype & _DELETE:
            rights.add("DELETE")
        if tgtype & _UPDATE:
            rights.add("UPDATE")
    return {table: sorted(rights) for table, rights in sorted(out.items()) if rights}


def grant_app_role(conn: Connection, role: str) -> GrantReport:
    """Give `role` data rights on every table and sequence of the current schema (now and, through
    default privileges, on what later migrations by this owner create), minus what the refusing
    triggers refuse; no DDL, no TRUNCATE but on the sealed-ballot inbox. Idempotent: run it again after every `db upgrade`."""
    if conn.dialect.name != "postgresql":
        raise RoleError("两个数据库角色（属主 / 应用）只适用于 PostgreSQL；SQLite 没有角色。")
    found = conn.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if found is None:
        raise RoleError(f"数据库角色 {role} 不存在：请先由管理员创建，例如 CREATE ROLE {role} LOGIN PASSWORD '…'。")
    owner = conn.execute(text("SELECT current_user")).scalar()
    if role == owner:
        raise RoleError(f"应用角色不能是执行迁移的属主角色 {owner}：请用另一个角色运行服务。")
    if found.rolsuper:
        raise RoleError(f"角色 {role} 是超级用户，不受任何权限限制：应用角色必须是普通角色。")
    q = conn.dialect.identifier_preparer.quote
    app, me = q(role), q(owner)
    database = q(conn.execute(text("SELECT current_database()")).scalar())
    schema = q(conn.execute(text("SELECT current_schema()")).scalar())
    report = GrantReport(protected=protected_tables(conn))
    statements = [
        f"GRANT CONNECT ON DATABASE {database} TO {app}",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {app}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"GRANT {DML} ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {me} IN SCHEMA {schema} GRANT {DML} ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {me} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        # The schema version is the owner's: the app reads it (/healthz), never writes it.
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {app}",
    ]
    for table, rights in report.protected.items():
        statements.append(f"REVOKE {', '.join(rights)} ON {q(table)} FROM {app}")
    present = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    for table in TRUNCATED_BY_APP:
        if table in present:
            statements.append(f"GRANT TRUNCATE ON {q(table)} TO {app}")
    for statement in statements:
        conn.execute(text(statement))
    report.statements = statements
    can_create = conn.execute(text("SELECT has_schema_privilege(:r, current_schema(), 'CREATE')"), {"r": role}).scalar()
    if can_create:
        report.warnings.append(
            f"角色 {role} 仍可在模式 {schema} 中建表（经由 PUBLIC 授权，PostgreSQL 15 之前的默认值）："
            f"请以超级用户执行 REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC。")
    if found.rolbypassrls:
        report.warnings.append(f"角色 {role} 带有 BYPASSRLS 属性，建议去掉。")
    return report
