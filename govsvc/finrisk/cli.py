"""`govsvc finrisk sweep [--on DATE]`: the daily "321" run (cron), and `govsvc finrisk network`: the
guarantee circles of all banks' data as CSV."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from govsvc.cli import fail


@click.group("finrisk", help="金融风险：“321”到期预警、担保圈。")
def finrisk_group():
    pass


@finrisk_group.command("sweep", help="按日期更新“321”到期台账（每日运行）。")
@click.option("--on", "on", default="", help="日期 YYYY-MM-DD，默认今天")
@with_appcontext
def sweep_command(on: str):
    from govsvc.extensions import db
    from govsvc.finrisk import maturity

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        fail(f"“{on}”不是日期（应为 YYYY-MM-DD）。")
    counts = maturity.sweep(day)
    db.session.commit()
    click.echo(f"新纳入台账 {counts['entered']} 笔，新发现未按期落实 {counts['missed']} 项，退出台账 {counts['closed']} 笔。")


@finrisk_group.command("circles", help="输出担保圈（全部银行数据）为 CSV。")
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def circles_command(out: str):
    from govsvc.exports import csv_bytes
    from govsvc.finrisk import network
    from govsvc.outputs import write_all

    class Everyone:  # the CLI reads all banks' data, like the regulator
        roles = frozenset({"finance-regulator"})
        unit_id = None

        def has_role(self, *roles):
            return bool(self.roles.intersection(roles))

    data = network.overview(Everyone(), top_k=0)
    rows = [[n, e.credit_code, e.name, len(c.members), c.amount] for n, c in enumerate(data["circles"], 1)
            for e in c.members]
    try:
        write_all([(out, csv_bytes(["circle", "credit_code", "name", "members", "amount"], rows, bom=False))])
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"担保圈 {len(data['circles'])} 个，已写入 {out}。")
