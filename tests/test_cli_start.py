"""The `govsvc` script starts light: its --help and the offline commands (survey tally, grading
compute) import their own modules only, never the application, its models, SQLAlchemy or the
plotting libraries; the lazy list of commands is the application's list."""
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from govsvc import cli

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sqlalchemy", "flask_sqlalchemy", "flask_migrate", "alembic", "matplotlib", "scipy", "openpyxl",
         "govsvc.models", "govsvc.extensions", "govsvc.demo")
PROBE = (
    "import sys, atexit\n"
    "atexit.register(lambda: print('HEAVY:' + ','.join(sorted(m for m in sys.modules if m in {heavy!r} "
    "or m.split('.')[0] in {heavy!r})), file=sys.stderr))\n"
    "sys.argv[0] = 'govsvc'\n"
    "from govsvc.cli import main\n"
    "main()\n"
).format(heavy=HEAVY)


def run_script(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env)


def heavy_modules(stderr: str) -> str:
    return stderr.rsplit("HEAVY:", 1)[1].strip()


def test_help_lists_every_command_without_the_app(tmp_path):
    run = run_script("--help", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for name in cli.LAZY_COMMANDS:
        assert f"  {name} " in run.stdout
    assert heavy_modules(run.stderr) == ""


def test_offline_commands_import_no_model(tmp_path):
    from tests.grading.test_cli import ENTERPRISES, RECORDS
    from tests.survey.test_cli import B_CSV, D_CSV

    for name, text in (("D.csv", D_CSV), ("B.csv", B_CSV), ("E.csv", ENTERPRISES), ("R.csv", RECORDS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    tally = run_script("survey", "tally", "--departments", "D.csv", "--ballots", "B.csv", "--out", "X.csv",
                       cwd=tmp_path)
    assert tally.returncode == 0 and (tmp_path / "X.csv").exists(), tally.stderr
    compute = run_script("grading", "compute", "--enterprises", "E.csv", "--records", "R.csv", "--year", "2026",
                         "--out", "G.csv", cwd=tmp_path)
    assert compute.returncode == 0 and (tmp_path / "G.csv").exists(), compute.stderr
    bad = run_script("grading", "compute", "--enterprises", "E.csv", "--records", "missing.csv", "--year", "2026",
                     "--out", "G2.csv", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("错误：") and not (tmp_path / "G2.csv").exists()
    for run in (tally, compute, bad):
        assert heavy_modules(run.stderr) == ""


def test_lazy_commands_are_the_applications(app):
    script = set(cli.LAZY_COMMANDS) | {"serve", "routes", "shell"}
    assert set(app.cli.commands) <= script
    for name, (_, _, summary) in cli.LAZY_COMMANDS.items():
        command = cli.lazy_command(name)
        assert command is app.cli.commands[name] or name == "db"
        if summary is None:
            assert cli.GROUP_HELP[name] == command.help
    assert "grant" in cli.lazy_command("db").commands


@pytest.mark.parametrize("args", [["grading", "--help"], ["survey", "tally", "--help"], ["db", "--help"]])
def test_subcommand_help_still_works(args, tmp_path):
    run = run_script(*args, cwd=tmp_path)
    assert run.returncode == 0 and "Usage: govsvc" in run.stdout, run.stderr


def test_an_unknown_command_is_one_line_and_status_2(tmp_path):
    run = run_script("nonsense", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.startswith("错误：") and run.stderr.count("\n") == 2  # + the probe line
    assert isinstance(cli.lazy_command("nonsense"), type(None)) and issubclass(cli.GovsvcGroup, click.Group)


@pytest.mark.parametrize("command", [["db", "upgrade"], ["registry", "top", "--year", "2026"]])
def test_a_database_that_cannot_be_opened_is_one_line_and_status_2(tmp_path, command):
    """A fresh machine without DATABASE_URL's folder (or a stopped server): one line, no traceback,
    for our commands and Flask-Migrate's alike; nothing is created."""
    env_url = f"sqlite:///{tmp_path / 'missing-folder' / 'govsvc.db'}"
    run = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'govsvc'\nfrom govsvc.cli import main\nmain()",
                          *command], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": env_url,
                              "SECRET_KEY": "k" * 40, "GOVSVC_HASH_KEY": "h"})
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：无法使用数据库（") and "DATABASE_URL" in lines[0], run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "missing-folder").exists()
