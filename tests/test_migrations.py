"""Migrations are the schema: the models match them, and they run down and up again."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from govsvc import resource_dir
from govsvc.extensions import db


def _bare(default: str | None) -> str | None:
    """A server default as its bare value, without the parentheses, casts and quotes the databases
    add when they report it (SQLite "('')", PostgreSQL "'all'::character varying")."""
    if default is None:
        return None
    text = default.strip().split("::")[0]
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1].replace("''", "'")
    return text


def _defaults_differ(context, inspected_column, metadata_column, inspected, metadata, rendered):
    return _bare(inspected) != _bare(rendered)


def test_models_match_the_migrations(app):
    """Columns, types and server defaults (a column a migration gave a default to backfill its rows
    has it in the model too, so a table made from the models is the table the migrations make)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": _defaults_differ})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `govsvc db migrate`: {diff}"


def test_migration_file_names_are_date_prefixed():
    names = [p.name for p in (resource_dir("migrations") / "versions").glob("*.py")]
    assert names and all(n[:8].isdigit() and n[8] == "_" for n in names), names


def test_downgrade_and_upgrade_again(app):
    directory = str(resource_dir("migrations"))
    db.session.remove()
    downgrade(directory=directory, revision="base")
    upgrade(directory=directory)
    with db.engine.connect() as conn:
        triggers = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'" if db.engine.dialect.name == "sqlite"
            else "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audit_log_%%'").scalar()
    assert triggers >= 2
