"""`govsvc registry …` commands."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from govsvc.exports import csv_bytes, neutralise

registry_group = AppGroup("registry", help="共享登记库：企业、单位、纳税排名。")


@registry_group.command("top")
@click.option("--year", type=click.IntRange(1991, 2100), required=True,
              help="名单年度 Y：按 Y−1 年度地方留成税收排名。")
@click.option("--n", "n", default=200, show_default=True, type=click.IntRange(1, 100000))
@click.option("--out", type=click.Path(dir_okay=False), help="写入 CSV 文件（默认输出到屏幕）。")
def top(year: int, n: int, out: str | None) -> None:
    """Top N taxpayers for YEAR (groups ranked together by the group's total)."""
    from govsvc.cli import fail
    from govsvc.registry.service import top_taxpayers

    ranked = top_taxpayers(year, n)
    if not ranked:
        fail(f"{year - 1} 年度没有纳税记录。")
    header = ["rank", "credit_code", "name", "group", "members", "total"]
    rows = [[r.rank, e.credit_code, e.name, r.group, r.members, f"{r.total:.2f}"] for r, e in ranked]
    if out:
        try:
            with open(out, "wb") as fh:
                fh.write(csv_bytes(header, rows, bom=False))
        except OSError as exc:
            fail(f"无法写入 {out}：{exc.strerror or exc}")
        click.echo(f"已写入 {len(rows)} 行到 {out}")
        return
    for row in rows:
        click.echo("\t".join(neutralise(v) for v in row))  # pasted into a sheet, still no formula
