"""The `govsvc` console script: serve (and the demo), db (migrations), import, registry, users,
backup. Bad input exits with status 2 and one clear line on stderr."""
from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import socket
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

DEMO_PASSWORD = "demo-password"


def fail(message: str, code: int = 2):
    """One clear line on stderr, exit status 2 (bad input). Line breaks in the message (from a
    cell or an option that it quotes) are flattened, so that it stays one line."""
    message = " ".join(str(message).splitlines())
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def _create_cli_app():
    from govsvc import create_app

    return create_app(cli=True)


# The commands of the `govsvc` script, imported only when run (or asked for their --help): the
# script's own --help and the offline commands (survey tally, grading compute) neither build the
# Flask application nor import the models. name → (module, attribute, summary for --help).
LAZY_COMMANDS = {
    "backup": ("govsvc.cli", "backup", "用 SQLite 在线备份接口把数据库复制到 DESTINATION（服务运行时也安全）。"),
    "create-admin": ("govsvc.cli", "create_admin", "创建第一个管理员账号。"),
    "db": ("govsvc.cli", "db_group", "数据库迁移（flask-migrate）；db grant：为服务进程的角色授权。"),
    "finrisk": ("govsvc.finrisk.cli", "finrisk_group", None),
    "grading": ("govsvc.grading.cli", "grading_group", None),
    "import": ("govsvc.cli", "import_command", "从 CSV 或 XLSX 文件导入 KIND（enterprises、tax、units、persons…）。"),
    "inspections": ("govsvc.inspections.cli", "inspections_group", None),
    "integrity": ("govsvc.integrity.cli", "integrity_group", None),
    "registry": ("govsvc.registry.cli", "registry_group", None),
    "survey": ("govsvc.survey.cli", "survey_group", None),
}
# Summaries of the groups (their own help text; tests/test_cli_start.py checks that they agree).
GROUP_HELP = {
    "finrisk": "金融风险：“321”到期预警、担保圈。",
    "grading": "免检免扰评级：离线评级计算。",
    "inspections": "涉企检查计划备案：离线审核检查计划事项。",
    "integrity": "廉政档案：批量查询限制措施。",
    "registry": "共享登记库：企业、单位、纳税排名。",
    "survey": "年度评议：离线计票。",
}


def db_group():
    """flask-migrate's `db` group with `db grant` added."""
    from flask_migrate.cli import db as group

    if "grant" not in group.commands:
        group.add_command(grant_command)
    return group


def lazy_command(name: str) -> click.Command | None:
    import importlib

    if name not in LAZY_COMMANDS:
        return None
    module, attribute, _ = LAZY_COMMANDS[name]
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        command = command()
    guard_command(command)
    return command


class GovsvcGroup(FlaskGroup):
    """FlaskGroup whose commands are imported on use (LAZY_COMMANDS); the application is built by
    the commands that need it (flask.cli.with_appcontext), not to list or find commands."""

    def list_commands(self, ctx):
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        command = self.commands.get(name) or lazy_command(name)
        if command is not None:
            return command
        return super().get_command(ctx, name)  # a plugin or an app.cli command added elsewhere

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(formatter.width - 6 - len(name))))
            else:
                rows.append((name, LAZY_COMMANDS[name][2] or GROUP_HELP[name]))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def main() -> None:
    from flask.cli import routes_command, shell_command

    # No `run`: the Flask development server is never the way to serve govsvc.
    cli = GovsvcGroup(create_app=_create_cli_app, add_default_commands=False, add_version_option=False,
                      load_dotenv=False, set_debug_flag=False, help="政企服务平台 govsvc 命令行。")
    for command in (serve, routes_command, shell_command):
        cli.add_command(command)
    try:
        code = cli.main(prog_name="govsvc", standalone_mode=False)
    except click.UsageError as exc:
        # click's own refusals (a missing option, `--year abc`) also get one line and status 2,
        # not its multi-line usage block; the detail is click's (English) message.
        path = exc.ctx.command_path if exc.ctx is not None else "govsvc"
        fail(f"命令行参数有误（{exc.format_message()}）；用法见 {path} --help")
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except click.Abort:
        click.echo("已中止。", err=True)
        sys.exit(1)
    except Exception as exc:
        if not _database_unreachable(exc):
            raise
        fail(f"无法使用数据库（{str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}）："
             "请检查 DATABASE_URL、数据库服务是否在运行、数据库文件所在的文件夹是否存在。")
    sys.exit(code if isinstance(code, int) else 0)


def _database_unreachable(exc: BaseException) -> bool:
    """SQLAlchemy's OperationalError (a missing folder, a stopped server, a wrong password, a
    locked file): every command, Flask-Migrate's `db upgrade` too, says so in one line, not a
    traceback. (SQLAlchemy is looked at only when a command has imported it.)"""
    if "sqlalchemy" not in sys.modules:
        return False
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError)


# -- serve ----------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except (socket.gaierror, ValueError):
            return False


@click.command("serve")
@click.option("--demo", is_flag=True, help="演示模式：数据库为空时创建并载入演示数据。")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="gunicorn 工作进程数（默认 CPU 数 + 1，演示模式 2）。")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option("--allow-remote", is_flag=True, help="演示模式下允许监听非本机地址。")
def serve(demo: bool, host: str, port: int, workers: int | None, threads: int, allow_remote: bool) -> None:
    """Serve the application with gunicorn (several worker processes)."""
    from govsvc import create_app
    from govsvc.config import check_secret_key

    overrides: dict = {}
    if demo:
        if not is_loopback(host) and not allow_remote:
            fail(f"演示模式只监听本机地址；要在 {host} 上监听请加 --allow-remote（演示账号的密码是公开的）。")
        overrides["DEMO"] = True
        overrides["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48)
        if "GOVSVC_COOKIE_SECURE" not in os.environ:
            overrides["SESSION_COOKIE_SECURE"] = False  # the demo is plain HTTP
        if not os.environ.get("DATABASE_URL"):
            instance = Path(os.environ.get("GOVSVC_INSTANCE_PATH") or Path.cwd() / "instance")
            overrides["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str((instance / "demo.db").resolve())
    else:
        try:
            check_secret_key({**current_config_from_env(), **overrides})
        except RuntimeError as exc:
            fail(str(exc))
    app = create_app(overrides)
    if demo:
        from govsvc.demo import prepare_demo

        prepare_demo(app, password=DEMO_PASSWORD)
    with app.app_context():
        from govsvc.extensions import db

        db.engine.dispose()  # workers open their own connections after fork
    run_gunicorn(overrides, host, port, workers or (2 if demo else (os.cpu_count() or 1) + 1), threads)


def current_config_from_env() -> dict:
    from govsvc.config import from_environment

    return from_environment()


def run_gunicorn(overrides: dict, host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class GovsvcServer(BaseApplication):
        def load_config(self):
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            for key, value in {"bind": bind, "workers": workers, "threads": threads, "accesslog": "-",
                               "timeout": 120, "graceful_timeout": 20, "worker_class": "gthread"}.items():
                self.cfg.set(key, value)

        def load(self):
            from govsvc import create_app

            return create_app(overrides)

    GovsvcServer().run()


# -- commands that need the application ---------------------------------------------------
def register_commands(app: Flask) -> None:
    from govsvc.integrity.cli import integrity_group
    from govsvc.grading.cli import grading_group
    from govsvc.inspections.cli import inspections_group
    from govsvc.registry.cli import registry_group
    from govsvc.survey.cli import survey_group
    from govsvc.finrisk.cli import finrisk_group

    app.cli.add_command(import_command)
    app.cli.add_command(registry_group)
    app.cli.add_command(integrity_group)
    app.cli.add_command(grading_group)
    app.cli.add_command(survey_group)
    app.cli.add_command(inspections_group)
    app.cli.add_command(finrisk_group)
    app.cli.add_command(create_admin)
    app.cli.add_command(backup)
    app.cli.add_command(db_group())  # (also a plugin of the `govsvc` script; here for app.cli users)
    refuse_ephemeral_keys(app.cli)


def refuse_ephemeral_keys(group: click.Group) -> None:
    """Every command (of every module, present and future) that asks for a keyed hash on a key
    that exists only in this process stops with exit status 2 and one line naming the variable
    to set; its transaction is rolled back, so nothing is written (govsvc.crypto)."""
    for command in group.commands.values():
        guard_command(command)


def guard_command(command: click.Command) -> None:
    """refuse_ephemeral_keys for one command (a group: each of its commands)."""
    if isinstance(command, click.Group):
        refuse_ephemeral_keys(command)
    elif command.callback is not None and not getattr(command.callback, "_govsvc_key_guard", False):
        command.callback = _key_guard(command.callback)


def _key_guard(callback):
    import functools

    @functools.wraps(callback)
    def guarded(*args, **kwargs):
        from govsvc.crypto import EphemeralKeyError  # (here: the offline commands never import it)

        try:
            return callback(*args, **kwargs)
        except EphemeralKeyError as exc:
            from flask import has_app_context

            if has_app_context():
                from govsvc.extensions import db

                db.session.rollback()
            fail(str(exc))

    guarded._govsvc_key_guard = True
    return guarded


@contextlib.contextmanager
def progress_bar(label: str):
    """A progress callback(step) drawing a bar on a terminal; silent when stderr is not one, so
    scripts see only the result (and on bad input exactly one line)."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        done = [0]

        def progress(step: int) -> None:
            done[0] += step
            bar.length = max(bar.length, done[0] + 1)
            bar.update(step)

        yield progress


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        fail(f"无法读取文件 {path}：{exc.strerror or exc}")


@click.command("import")
@click.argument("kind")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--valid-only", is_flag=True, help="跳过有错误的行，只导入正确的行。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
@with_appcontext
def import_command(kind: str, file: str, valid_only: bool, dry_run: bool) -> None:
    """Import KIND (enterprises, tax, units, persons, …) from a CSV or XLSX FILE."""
    from govsvc.extensions import db
    from govsvc.imports import KINDS, run_import
    from govsvc.tables import TableError

    if kind not in KINDS:
        fail(f"未知的数据类型“{kind}”，可用：{', '.join(KINDS)}")
    data = _read_file(file)
    try:
        with progress_bar("校验并导入") as progress:
            report = run_import(KINDS[kind](), data, os.path.basename(file), valid_only=valid_only,
                                dry_run=dry_run, progress=progress)
    except TableError as exc:
        db.session.rollback()
        fail(str(exc))
    for error in report.errors:
        click.echo(f"第 {error.row} 行 {error.column}：{error.message}", err=True)
    if report.errors and not report.applied:
        db.session.rollback()
        fail(f"{report.error_rows} 行有错误（共 {report.total} 行），未导入任何数据；可用 --valid-only 只导入正确的行。")
    if not report.applied:
        click.echo(f"校验通过：共 {report.total} 行（未导入）。")
        return
    db.session.commit()
    click.echo(f"已导入：新增 {report.created}，更新 {report.updated}，未变化 {report.unchanged}"
               + (f"，跳过 {report.skipped} 行" if report.skipped else "") + "。")


@click.command("create-admin")
@click.option("--username", default="admin", show_default=True)
@click.password_option("--password", prompt="新管理员密码", confirmation_prompt="再次输入")
@with_appcontext
def create_admin(username: str, password: str) -> None:
    """Create the first administrator account."""
    from govsvc.auth import roles, service
    from govsvc.extensions import db

    try:
        service.create_user(username, password, [roles.ADMIN], display_name="系统管理员")
    except service.AccountError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    click.echo(f"管理员账号 {username} 已创建。")


@click.command("grant")
@click.option("--app-role", required=True, help="服务进程连接数据库所用的角色（须已存在，且不是属主）。")
@with_appcontext
def grant_command(app_role: str) -> None:
    """PostgreSQL: give the application role data rights only (run as the owner, after every upgrade)."""
    from govsvc.dbroles import RoleError, grant_app_role
    from govsvc.extensions import db

    try:
        with db.engine.begin() as conn:
            report = grant_app_role(conn, app_role)
    except RoleError as exc:
        fail(str(exc))
    for table, rights in report.protected.items():
        click.echo(f"{table}：拒绝 {'、'.join(rights)}（只追加）")
    for warning in report.warnings:
        click.echo(f"警告：{warning}", err=True)
    click.echo(f"已授权：角色 {app_role} 可读写数据（{len(report.statements)} 条语句），不能修改表结构或停用触发器。")


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False))
@with_appcontext
def backup(destination: str) -> None:
    """Copy the SQLite database to DESTINATION with SQLite's online backup API (safe while serving)."""
    import sqlite3

    from sqlalchemy.engine import make_url

    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        fail("PostgreSQL 数据库请用 pg_dump 备份，例如：pg_dump --format=custom --file=govsvc.dump \"$DATABASE_URL\"")
    source_path = url.database
    if not source_path or not Path(source_path).is_file():
        fail(f"数据库文件不存在：{source_path}")
    target = Path(destination)
    if target.exists():
        fail(f"目标文件已存在：{destination}（不会覆盖）")
    try:
        with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        fail(f"备份失败：{exc}")
    click.echo(f"已备份到 {destination}")
