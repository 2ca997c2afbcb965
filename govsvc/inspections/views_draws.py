"""The random draw: a unit prepares and runs it; anyone sees it and can re-run it (一公开)."""
from __future__ import annotations

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for

from govsvc.auth import roles as R
from govsvc.auth.access import public, role_required
from govsvc.exports import csv_bytes, file_response
from govsvc.extensions import db
from govsvc.inspections import draws as service
from govsvc.inspections.access import NotAllowed, ServiceError, department_unit
from govsvc.inspections.grades import current_policy
from govsvc.timeutil import local_today
from govsvc.inspections.forms import ConfirmForm, DrawForm, PublicDrawFilterForm, VerifyForm
from govsvc.inspections.models import Draw, PlanItem
from govsvc.inspections.views import bp, form_error, user
from govsvc.lists import list_or_export
from govsvc.registry.service import districts
from scoring import inspections as core

SEED_RE = re.compile(r"^[0-9a-f]{1,64}$")


@bp.route("/items/<int:item_id>/draw", methods=["GET", "POST"])
@role_required(R.DEPARTMENT)
def new_draw(item_id: int):
    item = db.session.get(PlanItem, item_id) or abort(404)
    unit = department_unit(user())
    if item.plan.unit_id != unit.id:
        raise NotAllowed("draw for another unit's plan")
    if item.draw is not None:
        return redirect(url_for("inspections.public_draw", draw_id=item.draw.id))
    form = DrawForm()
    form.district.choices = [("", "全市")] + [(d, d) for d in districts()]
    if request.method == "GET":
        form.district.data = unit.district or ""
    if form.validate_on_submit():
        try:
            draw = service.prepare_draw(user(), item, district=form.district.data or "",
                                        industry=form.industry.data or "", per_team=form.per_team.data,
                                        max_load=form.max_load.data)
        except ServiceError as exc:
            form_error(form, exc, "district")
        else:
            flash("抽取名单和种子承诺值已公布。确认无误后点击“执行抽取”。", "success")
            return redirect(url_for("inspections.public_draw", draw_id=draw.id))
    pool = len(service.inspector_pool(unit))
    return render_template("inspections/draw_new.html", item=item, form=form, pool=pool,
                           policy=current_policy(local_today()),
                           default_load=core.even_load(item.draw_count, form.per_team.data or 2, pool))


@bp.route("/draws/<int:draw_id>/run", methods=["POST"])
@role_required(R.DEPARTMENT)
def run_draw(draw_id: int):
    draw = db.session.get(Draw, draw_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            service.run_draw(user(), draw)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash(f"已抽取 {draw.count} 家企业并公布结果。", "success")
    return redirect(url_for("inspections.public_draw", draw_id=draw_id))


DRAW_COLUMNS = [
    ("编号", lambda d: d.id), ("单位", lambda d: d.unit.name), ("检查类别", lambda d: d.category),
    ("抽取范围", lambda d: d.scope), ("抽取家数", lambda d: d.count), ("公布时间", lambda d: d.prepared_at),
    ("抽取时间", lambda d: d.drawn_at), ("种子承诺值", lambda d: d.commitment), ("种子", lambda d: d.revealed_seed or ""),
]


@bp.route("/public/draws")
@public
def public_draws():
    form = PublicDrawFilterForm(request.args)
    return list_or_export(service.public_draws_query(form.q.data or ""), template="inspections/public_draws.html",
                          export_stem="双随机抽取公示", columns=DRAW_COLUMNS, form=form)


@bp.route("/public/draws/<int:draw_id>")
@public
def public_draw(draw_id: int):
    draw = db.session.get(Draw, draw_id) or abort(404)
    form = VerifyForm(request.args)
    verification = None
    seed = (form.seed.data or "").strip().lower()
    if seed:
        if not SEED_RE.match(seed):
            form.seed.errors = ["种子应为十六进制字符（0–9、a–f）。"]
        else:
            outcome = service.outcome_of(draw, seed)
            published = [(c.credit_code, tuple(c.team.split(service.TEAM_SEPARATOR))) for c in service.picks(draw)]
            verification = {"commitment_ok": core.seed_commitment(seed) == draw.commitment,
                            "same": draw.drawn and [(o.enterprise, o.inspectors) for o in outcome] == published,
                            "outcome": outcome, "names": {c.credit_code: c.name for c in draw.candidates}}
    if not seed and draw.drawn:
        form.seed.data = draw.seed  # offered for the server's re-run
    u = user()
    own = u.is_authenticated and u.has_role(R.DEPARTMENT) and u.unit_id == draw.unit_id
    return render_template("inspections/public_draw.html", draw=draw, form=form, verification=verification,
                           picks=service.picks(draw), team_names=service.team_names, own=own, confirm=ConfirmForm(),
                           eligible=[c for c in draw.candidates if not c.excluded],
                           excluded=[c for c in draw.candidates if c.excluded], core=core,
                           weighted=[c for c in draw.candidates if not c.excluded and c.weight != 1],
                           rerun=rerun_script(draw))


def rerun_script(draw: Draw) -> str:
    """The Python shown on the draw page that re-runs the draw from the published seed and files
    (tests run it and compare with the server's draw)."""
    limit = draw.max_load if draw.max_load is not None else len(draw.inspectors) * max(draw.count, 1)
    return "\n".join([
        "import csv, hashlib",
        "h = lambda s: hashlib.sha256(s.encode()).hexdigest()",
        'seed = "（公开的种子）"',
        f'rows = [r for r in csv.DictReader(open("draw-{draw.id}-enterprises.csv")) if not r["excluded"]]',
        "key = lambda r: min(h(f\"{seed}:E:{t}\") for t in [r['credit_code']]"
        " + [f\"{r['credit_code']}:{k}\" for k in range(2, int(r['weight']) + 1)])",
        f'people = [r["code"] for r in csv.DictReader(open("draw-{draw.id}-inspectors.csv"))]',
        f'recused = {{(r["code"], r["credit_code"]) for r in csv.DictReader(open("draw-{draw.id}-recusals.csv"))}}',
        "load = dict.fromkeys(people, 0)",
        f"for c in [r['credit_code'] for r in sorted(rows, key=key)][:{draw.count}]:",
        f"    team = sorted((p for p in people if (p, c) not in recused), key=lambda p: (load[p] >= {limit}, h(f\"{{seed}}:P:{{c}}:{{p}}\")))[:{draw.per_team}]",
        "    for p in team: load[p] += 1",
        "    print(c, team)",
    ])


DRAW_FILES = {"enterprises": "检查对象库", "inspectors": "执法人员库", "recusals": "回避名单", "result": "抽取结果"}


@bp.route("/public/draws/<int:draw_id>/<any(enterprises, inspectors, recusals, result):kind>.csv")
@public
def public_draw_csv(draw_id: int, kind: str):
    """For people: Chinese headers and values, with a BOM (Excel). ?format=machine: the files the
    re-run script and the browser check read (English headers, codes, no BOM) — their contract."""
    draw = db.session.get(Draw, draw_id) or abort(404)
    if kind == "result" and not draw.drawn:
        abort(404)
    machine = request.args.get("format") == "machine"
    if kind == "enterprises":
        header = ["position", "credit_code", "name", "grade", "excluded", "weight"]
        chinese = ["序号", "统一社会信用代码", "企业名称", "评级", "排除原因", "权重"]
        rows = [[c.position, c.credit_code, c.name, c.grade,
                 c.excluded if machine else core.VIOLATION_LABELS.get(c.excluded, c.excluded), c.weight]
                for c in draw.candidates]
    elif kind == "recusals":
        header, chinese = ["code", "credit_code"], ["人员编号", "统一社会信用代码"]
        rows = [[r.code, r.credit_code] for r in sorted(draw.recusals, key=lambda r: (r.code, r.credit_code))]
    elif kind == "inspectors":
        header, chinese = ["position", "code", "name", "unit"], ["序号", "人员编号", "姓名", "单位"]
        rows = [[p.position, p.code, p.name, p.unit_name] for p in draw.inspectors]
    else:
        header, chinese = ["rank", "credit_code", "name", "inspectors"], ["名次", "统一社会信用代码", "企业名称", "检查组（人员编号）"]
        rows = [[c.pick_rank, c.credit_code, c.name, c.team] for c in service.picks(draw)]
    if not machine:
        return file_response(csv_bytes(chinese, rows), f"随机抽取{draw.id}-{DRAW_FILES[kind]}.csv")
    response = Response(csv_bytes(header, rows, bom=False), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f"attachment; filename=\"draw-{draw.id}-{kind}.csv\""
    return response
