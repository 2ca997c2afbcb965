"""`govsvc inspections check`: the SPEC's file formats, the same verdicts as the web check, and
bad input → exit 2, one line on stderr, no file written."""
import csv
import io
import os
import subprocess
import sys
from datetime import date

import pytest

from govsvc.inspections import filings, plans
from tests.factories import make_credit_code
from tests.inspections.conftest import item_values, make_plan

A, B, C, X = (make_credit_code(n) for n in (1, 2, 3, 4))
GRADING = ("credit_code,name,grade,unit_grades,reason\n"
           f"{A},甲,A,SCJ:A,\n{B},乙,B,SCJ:B;SWJ:A,\n{C},丙,C,SCJ:C,\n")
PLANS = ("plan_id,unit_code,item_id,credit_code,category,basis,planned_date\n"
         f"10,SCJ,3,{B},食品安全,random,2027-05-01\n"
         f"9,SWJ,1,{A},税收征管,双随机,2027-01-01\n"
         f"9,SWJ,2,{A},税收征管,complaint,2027-01-02\n"
         f"2,SCJ-ZD,7,{B},食品安全,random,2027-03-01\n"
         f"10,SCJ,1,{B},食品安全,random,2027-03-01\n"
         f"11,SHJ,1,{B},食品安全,safety,2027-02-01\n"
         f"11,SHJ,2,{X},食品安全,random,2027-02-01\n"
         f"10,SCJ,4,{B},食品安全,random,2028-01-01\n")


def run(runner, tmp_path, grading=GRADING, plans_csv=PLANS, out="V.csv"):
    (tmp_path / "G.csv").write_text(grading, encoding="utf-8")
    (tmp_path / "P.csv").write_text(plans_csv, encoding="utf-8")
    return runner.invoke(args=["inspections", "check", "--grading", str(tmp_path / "G.csv"),
                               "--plans", str(tmp_path / "P.csv"), "--out", str(tmp_path / out)])


def test_check_writes_violations_in_the_order_of_the_plans_file(runner, tmp_path):
    result = run(runner, tmp_path)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "V.csv").read_text(encoding="utf-8"))))
    # B's random 食品安全 items in 2027 by date, plan id, item id: (2,7) 03-01, (10,1) 03-01, (10,3) 05-01
    assert rows == [["plan_id", "item_id", "credit_code", "violation"],
                    ["10", "3", B, "b_over_limit"],
                    ["9", "1", A, "a_exempt"]]
    assert "A类免检 1 个" in result.output


@pytest.mark.parametrize("grading, plans_csv, message", [
    (GRADING, PLANS.replace("planned_date", "planned_day"), "缺少列：planned_date"),
    (GRADING.replace(",A,SCJ:A", ",D,SCJ:A"), PLANS, "不是 A、B 或 C"),
    (GRADING.replace(A, A[:-1] + ("0" if A[-1] != "0" else "1")), PLANS, "G.csv 第 2 行 credit_code"),
    (GRADING, PLANS.replace("2027-05-01", "2027-13-01"), "P.csv 第 2 行 planned_date"),
    (GRADING, PLANS.replace("complaint", "随便"), "P.csv 第 4 行 basis"),
    (GRADING, PLANS + f"10,SCJ,3,{C},食品安全,random,2027-05-02\n", "重复"),
    (GRADING + f"{A},甲,B,,\n", PLANS, "重复"),
    (GRADING, "\n", "文件为空"),
    (GRADING, PLANS.replace("10,SCJ,1,", "10,,1,"), "unit_code：不能为空"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(runner, tmp_path, grading, plans_csv, message):
    (tmp_path / "V.csv").write_text("old", encoding="utf-8")
    result = run(runner, tmp_path, grading, plans_csv)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (tmp_path / "V.csv").read_text(encoding="utf-8") == "old"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_missing_input_file_and_missing_output_folder(runner, tmp_path):
    result = runner.invoke(args=["inspections", "check", "--grading", str(tmp_path / "none.csv"),
                                 "--plans", str(tmp_path / "none.csv"), "--out", str(tmp_path / "V.csv")])
    assert result.exit_code == 2 and "无法读取" in result.stderr and not (tmp_path / "V.csv").exists()
    result = run(runner, tmp_path, out="no/such/dir/V.csv")
    assert result.exit_code == 2 and "输出文件夹不存在" in result.stderr


def test_the_real_command_prints_one_line_on_bad_input(tmp_path):
    (tmp_path / "G.csv").write_text("credit_code,grade\n", encoding="utf-8")
    (tmp_path / "P.csv").write_text("plan_id\n1\n", encoding="utf-8")
    exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
    done = subprocess.run([exe, "inspections", "check", "--grading", str(tmp_path / "G.csv"), "--plans",
                           str(tmp_path / "P.csv"), "--out", str(tmp_path / "V.csv")],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "SECRET_KEY": ""})
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "缺少列" in done.stderr
    assert not (tmp_path / "V.csv").exists()


def test_cli_and_web_give_the_same_verdicts(runner, tmp_path, world, factory, grades):
    """Items filed in the web (nothing held before) and the same items through the CLI."""
    ents = [factory.enterprise() for _ in range(4)]
    grades.update({ents[0].id: "A", ents[1].id: "B", ents[2].id: "B"})
    days = [date(2027, m, d) for m in (1, 3, 5) for d in (1, 1, 9)]
    city_plan = make_plan(world.city_user, [item_values(ents[i % 4], days[i % 9], "random" if i % 5 else "complaint",
                                                        category="食品安全" if i % 3 else "产品质量")
                                            for i in range(14)])
    county_plan = make_plan(world.county_user, [item_values(ents[(i * 3) % 4], days[(i * 2) % 9],
                                                            category="食品安全") for i in range(9)])
    plans.submit_plan(world.city_user, city_plan)
    plans.submit_plan(world.county_user, county_plan)
    filings.file_plans(world.city_user, [county_plan.id, city_plan.id])
    web = {(str(i.plan_id), str(i.id), i.violation) for p in (city_plan, county_plan) for i in p.items if i.violation}
    assert web  # the example refuses something
    grading = "credit_code,name,grade,unit_grades,reason\n" + "".join(
        f"{e.credit_code},{e.name},{grades[e.id]},,\n" for e in ents if e.id in grades)
    rows = [f"{p.id},{p.unit.code},{i.id},{i.enterprise.credit_code},{i.category},{i.basis},{i.planned_date},"
            f"{p.unit.level}\n" for p in (city_plan, county_plan) for i in p.items]
    result = run(runner, tmp_path, grading, "plan_id,unit_code,item_id,credit_code,category,basis,planned_date,"
                 "unit_level\n" + "".join(rows))
    assert result.exit_code == 0, result.output
    out = list(csv.DictReader(io.StringIO((tmp_path / "V.csv").read_text(encoding="utf-8"))))
    assert {(r["plan_id"], r["item_id"], r["violation"]) for r in out} == web
