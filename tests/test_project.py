"""The README's promises and the package layout."""
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_quick_start_is_two_commands_and_ci_runs_the_second():
    commands = _quick_start()
    assert len(commands) == 2
    assert commands[0].endswith("govsvc serve --demo")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_package_is_listed_in_pyproject():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in ROOT.glob("govsvc/**/__init__.py")}
    found |= {"scoring"}
    assert found <= listed, f"add to pyproject [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.mark.slow
def test_wheel_contains_templates_migrations_and_seed(tmp_path):
    # Build from a clean copy: an in-tree build leaves build/ behind, whose stale files would
    # end up in later wheels.
    import shutil

    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "instance", "test-artifacts", "__pycache__", "*.egg-info", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("govsvc-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "govsvc/_templates/base.html" in names
    assert any(n.startswith("govsvc/_migrations/versions/") for n in names)
    assert "govsvc/_migrations/env.py" in names and "govsvc/_migrations/alembic.ini" in names
    assert "govsvc/_seed/enterprises.csv" in names
    assert "govsvc/static/app.css" in names and "govsvc/auth/common_passwords.txt" in names


def test_stylesheet_braces_balance():
    """Every module appends its section to app.css; an unclosed block silently drops the rest."""
    css = (ROOT / "govsvc" / "static" / "app.css").read_text(encoding="utf-8")
    depth = 0
    for number, line in enumerate(css.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"app.css line {number}: '}}' without '{{'"
        if line.startswith("/* ") and "==" in line:
            assert depth == 0, f"app.css line {number}: a section starts inside an unclosed block"
    assert depth == 0


def test_the_lock_file_pins_every_runtime_dependency():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["postgres"]
    names = {re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-") for d in wanted}
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    pinned = {line.split("==")[0].lower().replace("_", "-") for line in lines if "==" in line}
    assert names <= pinned, f"regenerate requirements.lock: missing {sorted(names - pinned)}"


def test_no_two_models_share_a_class_name(app):
    """Relationships name their targets by class name ("Assessment"): two modules each defining one
    made every mapper fail to configure once both were merged. Names must be unique across modules."""
    from collections import Counter

    from govsvc.extensions import db

    names = Counter(mapper.class_.__name__ for mapper in db.Model.registry.mappers)
    assert not [n for n, count in names.items() if count > 1], names.most_common(3)


def test_the_cli_app_starts_without_the_heavy_libraries(tmp_path):
    """`govsvc --help` and every command build the app: matplotlib (~0.5 s), scipy and the demo
    seeding code are imported only when a chart, a guarantee graph or the demo needs them."""
    code = ("import sys; from govsvc import create_app; create_app(cli=True); "
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'scipy') "
            "or m == 'govsvc.demo' or m.endswith('.demo'))))")
    env = {"PATH": "/usr/bin:/bin", "GOVSVC_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
           "SECRET_KEY": "k" * 32, "GOVSVC_HASH_KEY": "h" * 32}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_the_readme_benchmark_table_is_written_by_the_benchmark_runner():
    """The figures come from one `bench/run.py --readme` run: the README has exactly one block
    between the runner's markers, and the runner rewrites that block and nothing else."""
    sys.path.insert(0, str(ROOT))
    from bench.common import Result
    from bench.run import README_BEGIN, README_END, SCALE_BEGIN, SCALE_END, markdown_table, replace_block

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(README_BEGIN) == 1 and text.count(README_END) == 1
    results = [Result("public list", "100,000 enterprises, first page", "GET a|b", 0.0037, "hello", 0.0001, "a note"),
               Result("grading", "same", "core", 2.5, "ORM loop", 500.0)]
    block = markdown_table(results, "2026-12-05 03:00 UTC", "x86_64, 2 cores")
    assert ("| public list | 100,000 enterprises, first page | GET a\\|b | 3.7 ms | hello | 0.1 ms | 0.027× | — |"
            in block)
    assert "| grading | same | core | 2.50 s | ORM loop | 500.00 s | 200.0× | — |" in block
    assert "- public list, 100,000 enterprises, first page: a note" in block
    rewritten = replace_block(text, block)
    before, after = text.split(README_BEGIN)[0], text.split(README_END)[1]
    assert rewritten.startswith(before) and rewritten.endswith(after) and block in rewritten
    with pytest.raises(ValueError):
        replace_block("no markers here", block)
    assert text.count(SCALE_BEGIN) == 1 and text.count(SCALE_END) == 1
    scaled = replace_block(rewritten, "- a figure", SCALE_BEGIN, SCALE_END)
    assert f"{SCALE_BEGIN}\n- a figure\n{SCALE_END}" in scaled and block in scaled


def test_the_scale_figures_are_sentences_of_the_same_runs_results():
    sys.path.insert(0, str(ROOT))
    from bench.common import Result
    from bench.run import scale_lines

    results = [Result("grading", "100,000 enterprises × 1,000,000 records", "scoring core (arrays in memory)", 0.5,
                      "one SQL statement", 2.0),
               Result("grading", "100,000 enterprises × 1,000,000 records", "full path: load + grade + write + commit",
                      7.25, "one SQL statement", 2.0),
               Result("import records (sqlite)", "1,000,000 rows", "run_import (check + upsert)", 25.0, "executemany", 9.0),
               Result("web", "dashboard (leader), 16 clients", "1 / GET / req/s", 1 / 40, "1 / hello-world req/s", 0.002),
               Result("web", "survey results, 16 clients", "1 / GET /survey/3/results req/s", 1 / 25, "hello", 0.002),
               Result("web", "/healthz, 32 clients, 3 workers × 4 threads", "1 / req/s", 1 / 900, "hello", 0.001)]
    text = scale_lines(results)
    assert ("- Grading: 100,000 enterprises × 1,000,000 records graded end to end (load, grade, write the results, "
            "commit) in 7.25 s; the core alone 500.0 ms.") in text
    assert "- Imports (checked, upserted, streamed in batches): records (sqlite) 40,000 rows/s." in text
    assert "logged-in pages 25–40 req/s, `/healthz` 900 req/s." in text
    assert "Ballots" not in text  # no burst in this run: no sentence about it


def test_each_benchmark_line_is_judged_against_issue_11s_target():
    """The table says by itself which targets are met: a line with a target carries it and
    met/missed by this run's figure (both sides of each threshold); the rest carry "—"."""
    import dataclasses

    sys.path.insert(0, str(ROOT))
    from bench.common import Result
    from bench.run import markdown_table
    from bench.targets import summary, verdict

    def page(ratio):
        return Result("web", "dashboard (leader), 16 clients", "1 / GET / req/s", 1.0, "1 / hello-world req/s", ratio)

    assert verdict(page(0.15)) == "≥ 0.15×: met" and verdict(page(0.149)) == "≥ 0.15×: missed"
    healthz = Result("web", "/healthz, 32 clients, 3 workers × 4 threads", "1 / req/s", 1.0, "1 / hello", 0.79)
    assert verdict(healthz) == "≥ 0.8×: missed"
    fast = Result("import records (sqlite)", "1,000,000 rows", "run_import (check + upsert)", 20.0, "executemany", 9.0)
    slow = dataclasses.replace(fast, ours_s=20.1)
    assert verdict(fast) == "≥ 50,000 rows/s: met" and verdict(slow) == "≥ 50,000 rows/s: missed"
    demo = Result("demo start (SQLite)", "fresh database → first 200 on /healthz", "serve --demo", 4.9, "plain", 1.0)
    assert verdict(demo) == "< 5 s: met" and verdict(dataclasses.replace(demo, ours_s=5.0)) == "< 5 s: missed"
    cli = Result("survey tally CLI", "100,000 ballots", "govsvc survey tally (whole process)", 2.9,
                 "scoring core alone (tally of the parts in memory)", 0.1)
    numpy_side = Result("survey tally CLI", "100,000 ballots", "govsvc survey tally (whole process)", 2.9,
                        "plain numpy split", 0.5)
    assert verdict(cli) == "< 3 s: met" and verdict(numpy_side) == "—"  # one target, on one of its two lines
    core = Result("grading", "same", "scoring core (arrays in memory)", 0.5, "one SQL statement", 2.0)
    assert verdict(core) == "—"
    line = summary([page(0.1), fast, core])
    assert line.startswith("Targets met: 1 of 2. Missed: web (dashboard (leader), 16 clients, 1 / GET / req/s: ≥ 0.15×)")
    assert line in markdown_table([page(0.1), fast, core], "2026-12-05", "x86_64")
