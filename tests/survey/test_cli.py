"""`govsvc survey tally` exactly as SPEC.md specifies: D.csv, B.csv, P.csv in; R.csv, X.csv out;
bad input → exit 2, one clear line on stderr, no file written."""
import os
import subprocess
import sys

import pytest

D_CSV = """code,name,category
A,市甲局,enforcement
B,市乙局,执法和综合管理类
C,市丙局,enforcement
D,市丁局,enforcement
E,市戊局,enforcement
F,市己局,enforcement
S1,市服务中心,service
S2,市公积金中心,服务类
S3,市热线办,service
"""

# 6 enforcement departments → cap 2; 3 service departments → cap 1.
B_CSV = """ballot_id,department_code,rating
b1,A,满意
b1,B,satisfied
b1,C,基本满意
b1,D,不满意
b1,E,unknown
b1,S1,satisfied
b2,A,satisfied
b2,B,basic
b2,C,basic
b2,F,dissatisfied
b2,S1,满意
b2,S2,满意
b3,A,satisfied
b3,B,satisfied
b3,C,satisfied
b3,S3,basic
b4,A,basic
b4,A,satisfied
b4,S2,不了解
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def tally(runner, tmp_path, *extra, departments=D_CSV, ballots=B_CSV):
    args = ["survey", "tally", "--departments", write(tmp_path, "D.csv", departments),
            "--ballots", write(tmp_path, "B.csv", ballots), "--out", str(tmp_path / "R.csv"), *extra]
    return runner.invoke(args=args)


def test_tally_writes_r_csv_and_x_csv(runner, tmp_path):
    result = tally(runner, tmp_path, "--rejected", str(tmp_path / "X.csv"))
    assert result.exit_code == 0, result.output
    # b3 is over the enforcement cap (3 满意 of 6, cap 2) and b4 rates A twice: only b1 and b2 count there;
    # b2's service part has 2 满意 of 3 (cap 1). Both service departments are ranked: both are the
    # bottom two, and the bottom outcome wins over commended.
    assert (tmp_path / "R.csv").read_text(encoding="utf-8").splitlines() == [
        "category,rank,code,name,score,satisfied,basic,dissatisfied,unknown,outcome",
        "enforcement,1,A,市甲局,100.00,2,0,0,0,commended",
        "enforcement,2,B,市乙局,90.00,1,1,0,0,commended",
        "enforcement,3,C,市丙局,80.00,0,2,0,0,commended",
        "enforcement,4,D,市丁局,30.00,0,0,1,0,interview",
        "enforcement,4,F,市己局,30.00,0,0,1,0,interview",
        "enforcement,,E,市戊局,,0,0,0,1,",
        "service,1,S1,市服务中心,100.00,1,0,0,0,interview",
        "service,2,S3,市热线办,80.00,0,1,0,0,interview",
        "service,,S2,市公积金中心,,0,0,0,1,",
    ]
    assert (tmp_path / "X.csv").read_text(encoding="utf-8").splitlines() == [
        "ballot_id,category,reason",
        "b3,enforcement,“满意”选了 3 个，超过上限 2 个（6 个部门的三分之一）",
        "b4,enforcement,部门 A 评价了 2 次",
        "b2,service,“满意”选了 2 个，超过上限 1 个（3 个部门的三分之一）",
    ]
    assert "4 张选票" in result.output and "选票链头" in result.output


def test_top_k_and_previous_year_reorganize(runner, tmp_path):
    previous = write(tmp_path, "P.csv", "category,rank,code,name,score,satisfied,basic,dissatisfied,unknown,outcome\n"
                                        "enforcement,6,F,市己局,40.00,0,0,3,0,interview\n"
                                        "service,1,S1,市服务中心,99.00,5,0,0,0,reorganize\n"
                                        "enforcement,1,A,市甲局,99.00,5,0,0,0,commended\n")
    result = tally(runner, tmp_path, "--top", "1", "--previous", previous)
    assert result.exit_code == 0, result.output
    rows = {line.split(",")[2]: line.split(",") for line in (tmp_path / "R.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert rows["A"][9] == "commended" and rows["B"][9] == ""           # K = 1
    assert rows["F"][9] == "reorganize" and rows["D"][9] == "interview"  # bottom two twice running
    assert rows["S1"][9] == "reorganize"                                 # any category last year


BAD = [
    ({"departments": "code,name\nA,市甲局\n"}, "缺少列：category"),
    ({"departments": "code,name,category\nA,市甲局,other\n"}, "第 2 行：类别“other”无效"),
    ({"departments": "code,name,category\nA,市甲局,service\nA,again,service\n"}, "部门代码“A”与第 2 行重复"),
    ({"ballots": "ballot_id,department,rating\nb1,A,满意\n"}, "缺少列：department_code"),
    ({"ballots": "ballot_id,department_code,rating\nb1,A,满意\nb1,ZZ,满意\n"}, "第 3 行：未知的部门代码“ZZ”"),
    ({"ballots": "ballot_id,department_code,rating\n,A,满意\n"}, "ballot_id 为空"),
    ({"ballots": "\x00\x01binary"}, "不是文本格式的 CSV"),
]


@pytest.mark.parametrize("files, message", BAD)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(runner, tmp_path, files, message):
    result = tally(runner, tmp_path, "--rejected", str(tmp_path / "X.csv"), **files)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "R.csv").exists() and not (tmp_path / "X.csv").exists()


def test_bad_options_and_paths(runner, tmp_path):
    for extra, message in ((["--top", "0"], "--top 应为正整数"), (["--previous", str(tmp_path / "nope.csv")], "文件不存在"),
                           (["--rejected", str(tmp_path / "no-such-folder" / "X.csv")], "无法写入")):
        result = tally(runner, tmp_path, *extra)
        assert result.exit_code == 2 and message in result.stderr, (extra, result.stderr)
        assert not (tmp_path / "R.csv").exists(), extra
    previous = write(tmp_path, "P.csv", "code,outcome\nA,excellent\n")
    result = tally(runner, tmp_path, "--previous", previous)
    assert result.exit_code == 2 and "结果“excellent”无效" in result.stderr
    result = runner.invoke(args=["survey", "tally", "--ballots", "B.csv"])
    assert result.exit_code == 2 and "缺少参数 --departments --out" in result.stderr


def test_the_installed_command_exits_2_with_one_line_on_stderr(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "govsvc")
    d = write(tmp_path, "D.csv", D_CSV)
    run = subprocess.run([exe, "survey", "tally", "--departments", d, "--ballots", str(tmp_path / "missing.csv"),
                          "--out", str(tmp_path / "R.csv")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "missing.csv" in run.stderr and "文件不存在" in run.stderr
    assert not (tmp_path / "R.csv").exists()
    b = write(tmp_path, "B.csv", B_CSV)
    run = subprocess.run([exe, "survey", "tally", "--departments", d, "--ballots", b, "--out", str(tmp_path / "R.csv")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stderr == "" and (tmp_path / "R.csv").exists()


def test_gbk_and_bom_files_are_read(runner, tmp_path):
    (tmp_path / "D.csv").write_bytes(D_CSV.encode("gb18030"))
    (tmp_path / "B.csv").write_bytes(("\ufeff" + B_CSV).encode("utf-8"))
    result = runner.invoke(args=["survey", "tally", "--departments", str(tmp_path / "D.csv"), "--ballots",
                                 str(tmp_path / "B.csv"), "--out", str(tmp_path / "R.csv")])
    assert result.exit_code == 0, result.output
    assert "enforcement,1,A,市甲局,100.00" in (tmp_path / "R.csv").read_text(encoding="utf-8")
