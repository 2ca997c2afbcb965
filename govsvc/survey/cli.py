"""`govsvc survey tally`: the offline tally for the third party and the notary (SPEC.md), on the
same code path as the web tally (scoring.survey.tally, files.results_csv)."""
from __future__ import annotations

import contextlib
import os
import sys

import click
from flask.cli import AppGroup

@contextlib.contextmanager
def _progress(path: str):
    """A progress bar on a terminal (rows read, estimated from the file size); silent otherwise,
    so that bad input leaves exactly one line on stderr."""
    if not sys.stderr.isatty() or not os.path.isfile(path):
        yield None
        return
    with click.progressbar(length=os.path.getsize(path) // 30 + 1, label="读取选票", file=sys.stderr) as bar:
        yield bar.update


survey_group = AppGroup("survey", help="年度评议：离线计票。")


@survey_group.command("tally", with_appcontext=False)
@click.option("--departments", "departments_path", metavar="D.csv", help="被评议部门：code,name,category")
@click.option("--ballots", "ballots_path", metavar="B.csv", help="选票：ballot_id,department_code,rating")
@click.option("--previous", "previous_path", metavar="P.csv", help="上一年度的结果（R.csv 格式），用于“连续两年排名后两位”")
@click.option("--top", "top_text", metavar="K", help="表扬名额 K（默认 3）")
@click.option("--out", "out_path", metavar="R.csv", help="写入结果")
@click.option("--rejected", "rejected_path", metavar="X.csv", help="写入废票（每个无效的评议表部分一行）")
def tally_command(departments_path, ballots_path, previous_path, top_text, out_path, rejected_path) -> None:
    """Tally B.csv against D.csv and write R.csv (and X.csv). Bad input: exit 2, nothing written."""
    from govsvc.cli import fail
    from govsvc.survey import files
    from scoring import survey as core

    missing = [name for name, value in (("--departments", departments_path), ("--ballots", ballots_path),
                                        ("--out", out_path)) if not value]
    if missing:
        fail(f"缺少参数 {' '.join(missing)}。用法：govsvc survey tally --departments D.csv --ballots B.csv "
             "[--previous P.csv] [--top K] --out R.csv [--rejected X.csv]")
    top = core.DEFAULT_TOP
    if top_text is not None:
        digits = top_text.strip()  # str.strip also drops "\x1f" and the like, which int() refuses
        if not (digits.isascii() and digits.isdigit()) or int(digits) < 1:
            fail(f"--top 应为正整数，而不是“{top_text}”。")
        top = int(digits)
    try:
        departments = files.read_departments(files.read_bytes(departments_path, os.path.basename(departments_path)),
                                             os.path.basename(departments_path))
        with _progress(ballots_path) as update:
            rows = files.read_ballots(ballots_path, departments, os.path.basename(ballots_path), update)
        previous = set()
        if previous_path:
            previous = files.read_previous_bottom(files.read_bytes(previous_path, os.path.basename(previous_path)),
                                                  os.path.basename(previous_path))
        arrays = (departments, rows.ids, rows.ballot, rows.department, rows.rating)
        result = core.tally(departments, core.parts_from_arrays(*arrays), top=top, previous_bottom=previous)
        digests = core.digests_from_arrays(*arrays)
        outputs = [(out_path, files.results_csv(result.results))]
        if rejected_path:
            outputs.append((rejected_path, files.rejected_csv(result.rejected)))
        files.write_all(outputs)
    except (files.FileError, core.InputError) as exc:
        fail(str(exc))
    click.echo(f"已写入 {out_path}：{len(departments)} 个部门，{len(digests)} 张选票，"
               f"无效部分 {len(result.rejected)} 个。选票链头 {core.chain_head(digests)}")
