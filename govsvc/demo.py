"""Demo mode: create the schema, load the seed data through the same imports users use, create
the demo accounts, and let each module add its own demo data (DEMO_STEPS)."""
from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Callable

import click
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from govsvc import resource_dir
from govsvc.auth import roles as R
from govsvc.extensions import db

SEED_FILES = (("units", "units.csv"), ("enterprises", "enterprises.csv"), ("tax", "tax_records.csv"),
              ("persons", "persons.csv"))
STAFF_ACCOUNTS = (
    ("admin", "系统管理员", (R.ADMIN,), None),
    ("organizer", "第三方评价机构", (R.ORGANIZER,), None),
    ("notary", "鲁中公证处", (R.NOTARY,), "GZC"),
    ("justice", "市司法局", (R.JUSTICE,), "SFJ"),
    ("finance", "市财政局", (R.FINANCE,), "CZJ"),
    ("leader", "市政府领导", (R.LEADER,), None),
    ("discipline", "市纪委监委", (R.DISCIPLINE,), None),  # no unit: city-wide
    ("court", "市中级人民法院破产审判庭", (R.COURT,), "ZYFY"),
    ("regulator", "市地方金融监督管理局", (R.FINANCE_REGULATOR,), "JRJ"),
    ("organization", "市委组织部", (R.ORGANIZATION,), "ZZB"),
)

# Modules add functions(password_hash), run after the registry and accounts are loaded, in the
# order of their `order` (then registration): a module whose demo reads another's data (the
# inspections read the published grading) runs after it.
DEMO_STEPS: list[tuple[int, Callable[[str], None]]] = []
# The modules holding demo steps, imported only when the demo is seeded (never by a serving app).
DEMO_MODULES = (
    "govsvc.grading.demo", "govsvc.survey.demo", "govsvc.inspections.demo", "govsvc.integrity.demo",
    "govsvc.portal.demo", "govsvc.care.demo", "govsvc.care.demo_support", "govsvc.bankruptcy.demo", "govsvc.finrisk.demo",
)


def demo_step(fn: Callable[[str], None] | None = None, *, order: int = 100):
    """`@demo_step` or `@demo_step(order=10)`."""

    def register(step: Callable[[str], None]) -> Callable[[str], None]:
        DEMO_STEPS.append((order, step))
        return step

    return register(fn) if fn is not None else register


def _ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        from pathlib import Path

        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def load_seed() -> None:
    from govsvc.imports import KINDS, run_import

    for kind, filename in SEED_FILES:
        path = resource_dir("seed") / filename
        report = run_import(KINDS[kind](), path.read_bytes(), filename)
        if not report.applied:
            raise RuntimeError(f"seed file {filename} has errors: {report.errors[:3]}")


def create_accounts(password_hash: str) -> int:
    """The staff, department and enterprise-head accounts, written together (`create_users`)."""
    from govsvc.auth.service import create_users
    from govsvc.registry.models import Unit
    from govsvc.registry.service import latest_tax_year, top_taxpayers

    units = {u.code: u for u in db.session.scalars(select(Unit))}
    accounts = [dict(username=username, roles=roles, display_name=name,
                     unit_id=units[unit_code].id if unit_code else None)
                for username, name, roles, unit_code in STAFF_ACCOUNTS]
    accounts += [dict(username=f"dept-{unit.code.lower()}", roles=(R.DEPARTMENT,), display_name=unit.name,
                      unit_id=unit.id) for unit in sorted(units.values(), key=lambda u: u.code)]
    year = (latest_tax_year() or 0) + 1
    accounts += [dict(username=f"head{ranked.rank:03d}", roles=(R.EVALUATOR,),
                      display_name=enterprise.head_name or enterprise.name, enterprise_id=enterprise.id)
                 for ranked, enterprise in top_taxpayers(year, 200)]
    return len(create_users(accounts, password_hash=password_hash))


def create_demo_matters() -> None:
    from govsvc.ledger import workflow
    from govsvc.ledger.service import create_matter, move
    from govsvc.registry.models import Unit
    from govsvc.timeutil import local_today

    today = local_today()
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    samples = [
        ("企业反映办理环评手续时间过长", "SHJ", -5, "high", workflow.IN_PROGRESS),
        ("企业反映用电报装流程繁琐", "GDGS" if "GDGS" in units else "SCJ", 10, "normal", workflow.ASSIGNED),
        ("企业反映同一月内被多次检查", "SCJ", -2, "urgent", workflow.ASSIGNED),
        ("企业咨询纳税信用修复", "SWJ", 20, "normal", workflow.CONCLUDED),
    ]
    for title, code, days, priority, status in samples:
        matter = create_matter(module="general", kind="general", title=title, source="企业来电",
                               deadline=today + timedelta(days=days), priority=priority)
        path = {workflow.ASSIGNED: [workflow.ASSIGNED], workflow.IN_PROGRESS: [workflow.ASSIGNED, workflow.IN_PROGRESS],
                workflow.CONCLUDED: [workflow.ASSIGNED, workflow.IN_PROGRESS, workflow.CONCLUDED]}[status]
        for target in path:
            move(matter, target, user=None, note="已按要求办理完毕。" if target == workflow.CONCLUDED else "",
                 responsible_unit_id=units[code].id if target == workflow.ASSIGNED else None)


def is_empty() -> bool:
    from govsvc.registry.models import Enterprise

    return not db.session.scalar(select(func.count()).select_from(Enterprise))


def seed_demo(password: str) -> int:
    """Load all demo data into an empty, migrated database. Returns the number of accounts."""
    from werkzeug.security import generate_password_hash

    # One hash for every demo account (they share the published demo password): hashing ~320
    # accounts one by one with scrypt would take half a minute.
    password_hash = generate_password_hash(password, method="scrypt")
    for name in DEMO_MODULES:
        importlib.import_module(name)  # registers its demo steps (once: modules are cached)
    load_seed()
    create_accounts(password_hash)
    create_demo_matters()
    for _, step in sorted(DEMO_STEPS, key=lambda entry: entry[0]):
        step(password_hash)
    from govsvc.auth.models import User

    return db.session.scalar(select(func.count()).select_from(User))  # modules' demo steps may add accounts


def prepare_demo(app: Flask, password: str) -> None:
    _ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        upgrade(directory=str(resource_dir("migrations")))
        if is_empty():
            click.echo("正在载入演示数据……", err=True)
            count = seed_demo(password)
            db.session.commit()
            click.echo(f"演示数据已载入：{count} 个演示账号。", err=True)
        else:
            click.echo("数据库已有数据，跳过演示数据载入。", err=True)
    click.echo("\n演示账号（密码均为 %s）：" % password)
    click.echo("  admin（系统管理员）  organizer（第三方评价机构）  notary（公证处）  justice（司法局）")
    click.echo("  finance（财政局）  leader（市领导）  discipline（市纪委监委）")
    click.echo("  court（法院）  regulator（地方金融监管局）  organization（市委组织部）")
    click.echo("  dept-<单位代码>（部门账号，如 dept-scj）  head001 … head200（纳税200强企业负责人）")
    click.echo("  ent-001 … ent-005（企业服务门户的企业账号）\n")
