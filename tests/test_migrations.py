"""Migrations are the schema: the models match them, and they run down and up again."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from govsvc import resource_dir
from govsvc.extensions import db


def test_models_match_the_migrations(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
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
