"""`govsvc grading compute`: the offline grading of SPEC.md, same core as the web."""
import csv
import io
import os
import subprocess
import sys

import pytest

from tests.factories import make_credit_code

C = [make_credit_code(n) for n in range(1, 8)]
ENTERPRISES = (
    "credit_code,name,industry,above_scale,status\n"
    f"{C[2]},丙工业有限公司,工业,1,存续\n"
    f"{C[0]},甲工业有限公司,工业,是,存续\n"
    f"{C[1]},乙服务有限公司,服务业,1,存续\n"
    f"{C[3]},丁置业有限公司,房地产开发,1,存续\n"
    f"{C[4]},戊小微企业,工业,0,存续\n"
    f"{C[5]},己已注销公司,服务业,1,注销\n"
)
RECORDS = (
    "credit_code,unit_code,date,outcome,fine\n"
    f"{C[0]},SCJ,2023-01-01,minor,100\n"
    f"{C[0]},SCJ,2024-06-01,minor,100\n"
    f"{C[0]},SCJ,2025-12-31,minor,100\n"
    f"{C[1]},FGW,2024-01-01,minor,\n"
    f"{C[1]},SWJ,2024-01-01,一般违法,50\n"
    f"{C[1]},SCJ,2026-01-01,serious,100000\n"      # grading year 2026: out of the window
    f"{C[3]},SCJ,2024-01-01,serious,1\n"           # out of scope
    f"{C[6]},YJJ,2024-01-01,serious,1\n"           # not in E.csv: ignored (but YJJ is a unit of R.csv)
    f"{C[2]},SHJ,2024-01-01,none,\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "E.csv").write_text(ENTERPRISES, encoding="utf-8")
    (tmp_path / "R.csv").write_text(RECORDS, encoding="utf-8")
    return tmp_path


def run(runner, folder, *extra):
    args = ["grading", "compute", "--enterprises", str(folder / "E.csv"), "--records", str(folder / "R.csv"),
            "--year", "2026", "--out", str(folder / "G.csv"), *extra]
    return runner.invoke(args=args)


def test_compute_writes_the_specified_file(runner, files):
    result = run(runner, files)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((files / "G.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["credit_code", "name", "grade", "unit_grades", "reason"]
    body = [r[:4] for r in rows[1:]]
    assert body == [
        [C[0], "甲工业有限公司", "C", "FGW:A;SCJ:C;SHJ:A;SWJ:A;YJJ:A"],
        [C[1], "乙服务有限公司", "B", "FGW:B;SCJ:A;SHJ:A;SWJ:B;YJJ:A"],
        [C[2], "丙工业有限公司", "A", "FGW:A;SCJ:A;SHJ:A;SWJ:A;YJJ:A"],
    ]
    reasons = {r[0]: r[4] for r in rows[1:]}
    assert reasons[C[0]] == "C类：SCJ评C类（一般违法3次（2023-01-01；2024-06-01；2025-12-31））"
    assert reasons[C[1]] == "B类：FGW评B类（一般违法1次（2024-01-01））；SWJ评B类（一般违法1次（2024-01-01））"
    assert reasons[C[2]] == "2023–2025年各评级单位均评A类（无一般或严重违法记录）"
    assert "A 类 1，B 类 1，C 类 1" in result.stdout


def test_rules_file(runner, files):
    (files / "rules.toml").write_text("[units.SCJ]\nc_minor = 4\n\n[combined]\nc_when_b_units = 2\n", encoding="utf-8")
    assert run(runner, files, "--rules", str(files / "rules.toml")).exit_code == 0
    grades = {r[0]: r[2] for r in csv.reader(io.StringIO((files / "G.csv").read_text(encoding="utf-8")))}
    assert grades[C[0]] == "B" and grades[C[1]] == "C"


@pytest.mark.parametrize("which,content,fragment", [
    ("E.csv", "credit_code,name,industry,status\n", "above_scale"),
    ("R.csv", "credit_code,unit,date,outcome,fine\n", "unit_code"),
    ("R.csv", f"credit_code,unit_code,date,outcome,fine\n{C[0]},SCJ,2024-02-30,minor,\n", "第 2 行 date"),
    ("R.csv", f"credit_code,unit_code,date,outcome,fine\n{C[0]},SCJ,20240201,minor,\n", "第 2 行 date"),
    ("R.csv", f"credit_code,unit_code,date,outcome,fine\n{C[0][:-1]}0,SCJ,2024-02-01,minor,\n", "第 18 位"),
    ("E.csv", f"credit_code,name,industry,above_scale,status\n{C[0][:-1]}0,甲,工业,1,存续\n", "credit_code"),
    ("E.csv", f"credit_code,name,industry,above_scale,status\n{C[0]},甲,工业,maybe,存续\n", "above_scale"),
    ("E.csv", f"credit_code,name,industry,above_scale,status\n{C[0]},甲,农业,1,存续\n", "industry"),
    ("R.csv", f"credit_code,unit_code,date,outcome,fine\n{C[0]},SCJ,2024-02-01,terrible,\n", "outcome"),
    ("R.csv", f"credit_code,unit_code,date,outcome,fine\n{C[0]},SCJ,2024-02-01,minor,-5\n", "fine"),
    ("rules.toml", "[default]\nc_minor = 0\n", "c_minor"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(runner, files, which, content, fragment):
    (files / which).write_text(content, encoding="utf-8")
    extra = ["--rules", str(files / "rules.toml")] if which == "rules.toml" else []
    result = run(runner, files, *extra)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and fragment in result.stderr
    assert not (files / "G.csv").exists()


def test_a_missing_file_or_folder_is_bad_input(runner, files):
    result = runner.invoke(args=["grading", "compute", "--enterprises", str(files / "none.csv"), "--records",
                                 str(files / "R.csv"), "--year", "2026", "--out", str(files / "G.csv")])
    assert result.exit_code == 2 and "无法读取" in result.stderr
    result = runner.invoke(args=["grading", "compute", "--enterprises", str(files / "E.csv"), "--records",
                                 str(files / "R.csv"), "--year", "2026", "--out", str(files / "no" / "G.csv")])
    assert result.exit_code == 2 and "文件夹不存在" in result.stderr


def test_the_installed_command_exits_2_with_one_line(files):
    (files / "R.csv").write_text(f"credit_code,unit_code,date,outcome,fine\n{C[0]},SCJ,2024-99-01,minor,\n",
                                 encoding="utf-8")
    exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
    result = subprocess.run([exe, "grading", "compute", "--enterprises", str(files / "E.csv"), "--records",
                             str(files / "R.csv"), "--year", "2026", "--out", str(files / "G.csv")],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "DATABASE_URL": "sqlite://"})
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "date" in result.stderr
    assert not (files / "G.csv").exists()
