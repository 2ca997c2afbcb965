"""`govsvc integrity check`: the candidate list check, same rules as the web, audited, and bad
input refused with one line and exit status 2, nothing written."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.registry.imports import person_id_hash
from tests.factories import make_id_number
from tests.integrity.conftest import file_stain


@pytest.fixture
def numbers(city):
    """ID numbers for alice and bob (the factory's numbers are not kept), and one unknown."""
    out = {}
    for n, person in enumerate((city.alice, city.bob), start=500):
        number = make_id_number(n)
        person.id_hash = person_id_hash(number)
        out[person.name] = number
    db.session.commit()
    out["unknown"] = make_id_number(777)
    return out


def run(runner, tmp_path, rows, *extra, header="id_number"):
    source = tmp_path / "candidates.csv"
    source.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["integrity", "check", str(source), "--out", str(out), *extra])
    return result, out


def test_check_a_candidate_list(runner, tmp_path, city, city_user, numbers):
    file_stain(city_user, city.alice, date(2024, 2, 29))
    db.session.commit()
    rows = [numbers[city.alice.name], numbers[city.bob.name].lower(), numbers["unknown"]]
    result, out = run(runner, tmp_path, rows, "--on", "2027-02-28", "--purpose", "干部选拔任用考察")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["row"] for r in table] == ["2", "3", "4"]
    alice, bob, unknown = table
    assert (alice["name"], alice["found"], alice["restricted"], alice["restricted_until"], alice["stains"]) == (
        city.alice.name, "1", "1", "2027-02-28", "1")
    assert "不得提拔重用" in alice["restrictions"]
    assert (bob["found"], bob["restricted"], bob["restrictions"]) == ("1", "0", "")
    assert (unknown["found"], unknown["name"]) == ("0", "")
    assert numbers[city.alice.name] not in out.read_text(encoding="utf-8")  # masked only
    assert alice["id_masked"] == numbers[city.alice.name][:4] + "*" * 10 + numbers[city.alice.name][-4:]
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "integrity.file.read")).all()
    assert {e.target for e in entries} == {f"person:{city.alice.id}", f"person:{city.bob.id}"}
    assert {e.purpose for e in entries} == {"干部选拔任用考察"}


def test_the_day_after_the_window_is_free(runner, tmp_path, city, city_user, numbers):
    file_stain(city_user, city.alice, date(2024, 2, 29))
    db.session.commit()
    result, out = run(runner, tmp_path, [numbers[city.alice.name]], "--on", "2027-03-01", "--purpose", "考察",
                      header="身份证号")
    assert result.exit_code == 0
    assert list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))[0]["restricted"] == "0"


@pytest.mark.parametrize("rows,extra,header,message", [
    (["370303198001010011"], ["--on", "2026-13-01", "--purpose", "x"], "id_number", "--on 应为"),
    (["370303198001010011"], ["--on", "2026-01-01", "--purpose", " "], "id_number", "--purpose 不能为空"),
    (["370303198001010011"], ["--on", "2026-01-01", "--purpose", "x"], "name", "缺少 id_number"),
    (["12345"], ["--on", "2026-01-01", "--purpose", "x"], "id_number", "第 2 行 身份证号：身份证号应为 18 位"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(runner, tmp_path, city, rows, extra, header, message):
    result, out = run(runner, tmp_path, rows, *extra, header=header)
    assert result.exit_code == 2 and message in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("错误")]) == 1
    assert not out.exists()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "integrity.file.read")) is None


def test_unreadable_file(runner, tmp_path, city):
    result = runner.invoke(args=["integrity", "check", str(tmp_path / "missing.csv"), "--on", "2026-01-01",
                                 "--purpose", "x", "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "无法读取文件" in result.output
