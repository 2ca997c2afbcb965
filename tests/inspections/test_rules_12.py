"""Issue 12's inspection rules through the services and pages: the B cap counts inspections
(linked items, unfiled inspections), the A exemption's scope, C's weight and the inspectors' limit
and recusals in a draw (the page's Python re-run agrees with the server), unit categories, and
plan changes with justice's acceptance."""
import csv
import io
import re
import subprocess
import sys
from datetime import date

import pytest

from govsvc.extensions import db
from govsvc.inspections import categories, changes, draws, filings, grades as grades_module, plans, results
from govsvc.inspections.access import ServiceError
from govsvc.inspections.views_draws import rerun_script
from scoring import inspections as core
from tests.conftest import form_post, login
from tests.inspections.conftest import at, file_plan, item_values, make_plan


def accept(plan, owner, city_user, justice, day):
    filing = file_plan(plan, owner, city_user, day)
    filings.review_filing(justice, filing, accept=True)
    return plan


def test_seed_case_scj_annual_and_march_lines_are_one_inspection_shj_passes(world, factory, grades):
    """The same SCJ 产品质量 inspection in the annual plan and again in the March plan takes one
    place of the B enterprise's two: SHJ's first random 产品质量 item passes; a third is refused."""
    b = factory.enterprise()
    grades[b.id] = "B"
    annual = accept(make_plan(world.city_user, [item_values(b, date(2027, 3, 16), category="产品质量")]),
                    world.city_user, world.city_user, world.justice, date(2026, 12, 10))
    march = make_plan(world.city_user, [], period="monthly", number=3, created=date(2027, 2, 20))
    plans.add_item(world.city_user, march, item_values(b, date(2027, 3, 16), category="产品质量",
                                                      carries_out=annual.items[0]))
    accept(march, world.city_user, world.city_user, world.justice, date(2027, 3, 3))
    assert march.items[0].check_status == "ok" and march.items[0].carries_out_id == annual.items[0].id
    shj = make_plan(world.other_user, [item_values(b, date(2027, 4, 8), category="产品质量"),
                                       item_values(b, date(2027, 5, 6), category="产品质量")])
    file_plan(shj, world.other_user, world.other_user, date(2026, 12, 12))
    assert [(i.check_status, i.violation) for i in shj.items] == [("ok", ""), ("refused", "b_over_limit")]


def test_a_link_must_name_the_same_units_annual_item_of_the_same_inspection(world, factory, grades):
    b, other = factory.enterprise(), factory.enterprise()
    annual = accept(make_plan(world.city_user, [item_values(b, date(2027, 3, 16), category="产品质量")]),
                    world.city_user, world.city_user, world.justice, date(2026, 12, 10))
    march = make_plan(world.city_user, [], period="monthly", number=3, created=date(2027, 2, 20))
    with pytest.raises(ServiceError, match="同一企业"):
        plans.add_item(world.city_user, march, item_values(other, date(2027, 3, 16), category="产品质量",
                                                          carries_out=annual.items[0]))
    with pytest.raises(ServiceError, match="同一检查类别"):
        plans.add_item(world.city_user, march, item_values(b, date(2027, 3, 16), category="食品安全",
                                                          carries_out=annual.items[0]))
    shj_month = make_plan(world.other_user, [], period="monthly", number=3, created=date(2027, 2, 20))
    with pytest.raises(ServiceError, match="本单位"):
        plans.add_item(world.other_user, shj_month, item_values(b, date(2027, 3, 16), category="产品质量",
                                                               carries_out=annual.items[0]))


def test_an_unfiled_random_inspection_takes_a_place_in_the_b_cap(world, factory, grades):
    b = factory.enterprise()
    grades[b.id] = "B"
    results.save_result(world.city_user, {"item": None, "enterprise": b, "inspected_on": date(2026, 6, 1),
                                          "category": "食品安全", "basis": "random", "conclusion": "clear"})
    assert plans.held_counts({2026})[(b.id, "食品安全", 2026)] == 1
    plan = make_plan(world.city_user, [item_values(b, date(2026, 9, 1)), item_values(b, date(2026, 10, 1))],
                     period="temporary", year=2026, created=date(2026, 8, 1))
    file_plan(plan, world.city_user, world.city_user, date(2026, 8, 20))
    assert [i.violation for i in plan.items] == ["", "b_over_limit"]


def test_a_exemption_covers_city_units_by_default_and_every_unit_when_the_round_says_all(world, factory, grades,
                                                                                        monkeypatch):
    a = factory.enterprise()
    grades[a.id] = "A"
    county = make_plan(world.county_user, [item_values(a, date(2027, 3, 1))])
    city = make_plan(world.city_user, [item_values(a, date(2027, 3, 1))])
    plans.submit_plan(world.county_user, county)
    plans.submit_plan(world.city_user, city)
    filings.file_plans(world.city_user, [county.id, city.id], at(date(2026, 12, 10)))
    assert (county.items[0].violation, city.items[0].violation) == ("", "a_exempt")
    monkeypatch.setattr(grades_module, "current_policy", lambda on=None: grades_module.Policy("all", 3, 2026))
    other = make_plan(world.other_county_user, [item_values(a, date(2027, 3, 1))])
    file_plan(other, world.other_county_user, world.other_user, date(2026, 12, 11))
    assert other.items[0].violation == "a_exempt"


def test_the_rounds_rules_reach_the_plan_pages(client, world, factory, grades):
    plan = make_plan(world.city_user, [item_values(factory.enterprise(), date(2027, 3, 1))])
    db.session.commit()
    login(client, world.city_user.username)
    html = client.get(f"/inspections/plans/{plan.id}").get_data(as_text=True)
    assert "A类企业在市级执法部门的“双随机一公开”抽查中免检" in html and "权重为3倍" in html
    assert "A类企业在市级执法部门" in client.get("/inspections/plans").get_data(as_text=True)


@pytest.fixture
def c_task(world, factory, grades):
    """An accepted SCJ draw task of 3 among 10 enterprises (two C) with 6 officials."""
    enterprises = [factory.enterprise(district="张店区") for _ in range(10)]
    grades.update({enterprises[0].id: "C", enterprises[1].id: "C", enterprises[2].id: "A"})
    people = [factory.person(world.city if n % 2 else world.county) for n in range(6)]
    plan = make_plan(world.city_user, [item_values(None, date(2027, 3, 1), draw_count=3)])
    accept(plan, world.city_user, world.city_user, world.justice, date(2026, 12, 10))
    return plan.items[0], enterprises, people


def test_draw_weighs_c_three_times_limits_inspectors_and_honours_recusals(world, c_task):
    item, enterprises, people = c_task
    categories.declare_recusal(world.city_user, people[0], enterprises[3], "近亲属在该企业任职")
    draw = draws.prepare_draw(world.city_user, item, district="张店区", per_team=2, seed="ab" * 16)
    weights = {c.enterprise_id: c.weight for c in draw.candidates}
    assert weights[enterprises[0].id] == weights[enterprises[1].id] == 3 and weights[enterprises[4].id] == 1
    assert draw.c_weight == 3 and draw.max_load == core.even_load(3, 2, 6) == 1
    assert [(r.code, r.credit_code) for r in draw.recusals] == [(draws.inspector_code(people[0]),
                                                                  enterprises[3].credit_code)]
    draws.run_draw(world.city_user, draw)
    picked = draws.picks(draw)
    eligible = [c for c in draw.candidates if not c.excluded]
    expected = core.draw("ab" * 16, [c.credit_code for c in eligible], 3, [p.code for p in draw.inspectors], 2,
                         weights={c.credit_code: c.weight for c in eligible}, max_load=1,
                         recusals={(draws.inspector_code(people[0]), enterprises[3].credit_code)})
    assert [(c.credit_code, tuple(c.team.split("；"))) for c in picked] == [(o.enterprise, o.inspectors) for o in expected]
    teams = [p for c in picked for p in c.team.split("；")]
    assert len(teams) == len(set(teams)) == 6  # 3 teams of 2 over 6 officials: each once


def test_the_python_shown_on_the_draw_page_re_runs_the_servers_draw(client, world, c_task, tmp_path):
    item, enterprises, people = c_task
    categories.declare_recusal(world.city_user, people[1], enterprises[0], "曾在该企业任职")
    draw = draws.prepare_draw(world.city_user, item, district="张店区", per_team=2)
    draws.run_draw(world.city_user, draw)
    db.session.commit()
    html = client.get(f"/inspections/public/draws/{draw.id}").get_data(as_text=True)
    assert "C 类企业 3 倍" in html and 'id="draw-load"' in html
    for kind in ("enterprises", "inspectors", "recusals"):
        # the machine-readable files the page links for the script (the default download is for people)
        link = f"/inspections/public/draws/{draw.id}/{kind}.csv?format=machine"
        assert f'href="{link}"' in html
        body = client.get(link).get_data()
        (tmp_path / f"draw-{draw.id}-{kind}.csv").write_bytes(body)
    import html as html_module
    import re

    shown_script = html_module.unescape(re.search(r'<pre class="code small" id="rerun-python">(.*?)</pre>', html, re.S)[1])
    assert shown_script == rerun_script(draw)
    script = shown_script.replace("（公开的种子）", draw.seed)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    printed = [line.split(" ", 1) for line in done.stdout.strip().splitlines()]
    shown = [(c.credit_code, str(c.team.split("；"))) for c in draws.picks(draw)]
    assert [(code, team) for code, team in printed] == shown


def test_a_draw_refuses_when_recusals_leave_too_few_inspectors(world, c_task):
    item, enterprises, people = c_task
    for person in people[:5]:
        categories.declare_recusal(world.city_user, person, enterprises[4], "利害关系")
    with pytest.raises(ServiceError, match="不足每组 2 人"):
        draws.prepare_draw(world.city_user, item, district="张店区", per_team=2)


# -- categories per unit ------------------------------------------------------------------------------
def test_an_item_outside_the_units_categories_is_refused_and_county_units_inherit(world, factory, grades):
    categories.set_categories(world.justice, world.city, {"食品安全": "《食品安全法》", "产品质量": ""})
    e = factory.enterprise()
    plan = make_plan(world.county_user, [item_values(e, date(2027, 3, 1))])
    with pytest.raises(ServiceError, match="不在本系统（市市场监督管理局）法定检查类别范围内"):
        plans.add_item(world.county_user, plan, item_values(e, date(2027, 3, 2), category="生态环境保护"))
    categories.set_categories(world.justice, world.county, {"特种设备安全": ""})
    with pytest.raises(ServiceError, match="不在本单位法定检查类别范围内"):
        plans.submit_plan(world.county_user, plan)        # its own list now: 食品安全 is outside
    unrestricted = make_plan(world.other_user, [item_values(e, date(2027, 3, 1), category="税收征管")])
    assert unrestricted.items  # SHJ has no list: not restricted


def test_justice_maintains_categories_with_a_confirmation(client, world):
    db.session.commit()
    login(client, world.justice.username)
    url = f"/inspections/categories/{world.city.id}"
    html = form_post(client, url, {"categories": ["食品安全"], "basis": "《食品安全法》"}).get_data(as_text=True)
    assert "请勾选确认" in html and categories.own_categories(world.city.id) == {}
    assert form_post(client, url, {"categories": ["食品安全"], "basis": "《食品安全法》", "confirm": "y"}).status_code == 302
    assert categories.own_categories(world.city.id) == {"食品安全": "《食品安全法》"}
    assert "食品安全" in client.get("/inspections/categories").get_data(as_text=True)


# -- plan changes (F5) ---------------------------------------------------------------------------------
def test_a_plan_change_takes_effect_only_when_justice_accepts_it(world, factory, grades):
    a, e = factory.enterprise(), factory.enterprise()
    grades[a.id] = "A"
    plan = accept(make_plan(world.city_user, [item_values(e, date(2027, 3, 1)), item_values(e, date(2027, 4, 1))]),
                  world.city_user, world.city_user, world.justice, date(2026, 12, 10))
    change = changes.open_change(world.city_user, plan, "根据省局要求增加专项检查")
    with pytest.raises(ServiceError, match="未办结"):
        changes.open_change(world.city_user, plan, "再次申请")
    changes.add_line(world.city_user, change, "add", item_values(e, date(2027, 6, 1), "complaint"))
    changes.add_line(world.city_user, change, "add", item_values(a, date(2027, 6, 2)))
    changes.add_line(world.city_user, change, "cancel", {"item": plan.items[0]})
    changes.add_line(world.city_user, change, "reschedule", {"item": plan.items[1], "planned_date": date(2027, 5, 5)})
    changes.file_change(world.city_user, change)
    assert [line.violation for line in change.lines] == ["", "a_exempt", "", ""]
    assert len(plan.items) == 2 and plan.items[0].usable  # nothing in force yet
    with pytest.raises(ServiceError, match="退回须填写理由"):
        changes.review_change(world.justice, change, accept=False)
    changes.review_change(world.justice, change, accept=True)
    db.session.expire_all()
    items = sorted(plan.items, key=lambda i: i.id)
    assert not items[0].usable and "增加专项检查" in items[0].cancel_reason
    assert items[1].planned_date == date(2027, 5, 5)
    assert [(i.basis, i.check_status) for i in items[2:]] == [("complaint", "ok"), ("random", "refused")]


def test_plan_change_pages_ask_justice_to_confirm(client, world, factory, grades):
    e = factory.enterprise()
    plan = accept(make_plan(world.city_user, [item_values(e, date(2027, 3, 1))]),
                  world.city_user, world.city_user, world.justice, date(2026, 12, 10))
    db.session.commit()
    login(client, world.city_user.username)
    response = form_post(client, f"/inspections/plans/{plan.id}/changes/new", {"reason": "企业停产，改期检查"},
                         page=f"/inspections/plans/{plan.id}")
    change_url = response.headers["Location"]
    form_post(client, change_url, {"op": "reschedule", "item": str(plan.items[0].id), "planned_date": "2027-04-02"})
    form_post(client, change_url + "/file", {}, page=change_url)
    db.session.expire_all()
    assert plan.changes[0].status == "draft"                      # not filed without the confirmation
    form_post(client, change_url + "/file", {"confirm": "y"}, page=change_url)
    client.post("/logout", data={"csrf_token": ""})
    client.get("/")
    client2 = client.application.test_client()
    login(client2, world.justice.username)
    html = form_post(client2, change_url + "/review", {"decision": "accept"}, page=change_url).get_data(as_text=True)
    assert "请勾选确认" in html
    # no decision is pre-selected, and none chosen is refused (it used to fall back to 予以备案)
    html = client2.get(change_url).get_data(as_text=True)
    assert not re.search(r'<input[^>]*name="decision"[^>]*checked', html)
    html = form_post(client2, change_url + "/review", {"confirm": "y"}, page=change_url).get_data(as_text=True)
    assert "请选择审核意见" in html
    db.session.expire_all()
    assert plan.changes[0].status == "filed"
    assert form_post(client2, change_url + "/review", {"decision": "accept", "confirm": "y"},
                     page=change_url).status_code == 302
    db.session.expire_all()
    assert plan.items[0].planned_date == date(2027, 4, 2)


# -- the offline check's optional columns -------------------------------------------------------------
def _cli(runner, tmp_path, plans_csv: str, *extra):
    from tests.inspections.test_cli import GRADING

    (tmp_path / "G.csv").write_text(GRADING, encoding="utf-8")
    (tmp_path / "P.csv").write_text(plans_csv, encoding="utf-8")
    result = runner.invoke(args=["inspections", "check", "--grading", str(tmp_path / "G.csv"),
                                 "--plans", str(tmp_path / "P.csv"), "--out", str(tmp_path / "V.csv"), *extra])
    rows = list(csv.reader(io.StringIO((tmp_path / "V.csv").read_text(encoding="utf-8")))) if result.exit_code == 0 else []
    return result, rows[1:]


def test_cli_reads_unit_level_carries_out_unfiled_and_the_rules_scope(runner, tmp_path):
    from tests.inspections.test_cli import A, B

    header = "plan_id,unit_code,item_id,credit_code,category,basis,planned_date,unit_level,carries_out,unfiled\n"
    rows = (f"1,SCJ,1,{B},产品质量,random,2026-03-16,city,,\n"
            f"2,SCJ,1,{B},产品质量,random,2026-03-16,市级,1:1,\n"        # the March line of the annual item
            f"3,SHJ,1,{B},产品质量,random,2026-04-08,city,,\n"           # SHJ's first: passes
            f"4,SCJ-ZD,1,{A},产品质量,random,2026-04-08,county,,\n"      # A in a county plan: passes (city scope)
            f"5,SCJ,1,{B},食品安全,random,2026-01-02,city,,1\n"          # unfiled: holds a place
            f"5,SCJ,2,{B},食品安全,random,2026-06-02,city,,是\n"
            f"6,SCJ,1,{B},食品安全,random,2026-07-01,city,,\n")
    result, out = _cli(runner, tmp_path, header + rows)
    assert result.exit_code == 0, result.output
    assert out == [["6", "1", B, "b_over_limit"]]
    (tmp_path / "rules.toml").write_text('[inspections]\na_scope = "all"\n', encoding="utf-8")
    result, out = _cli(runner, tmp_path, header + rows, "--rules", str(tmp_path / "rules.toml"))
    assert out == [["4", "1", A, "a_exempt"], ["6", "1", B, "b_over_limit"]]


@pytest.mark.parametrize("row, message", [
    ("1,SCJ,1,{B},产品质量,random,2026-03-16,province,,", "unit_level"),
    ("1,SCJ,1,{B},产品质量,random,2026-03-16,city,1-1,", "carries_out"),
    ("1,SCJ,1,{B},产品质量,random,2026-03-16,city,,maybe", "unfiled"),
])
def test_cli_refuses_bad_optional_values_with_one_line(runner, tmp_path, row, message):
    from tests.inspections.test_cli import B

    header = "plan_id,unit_code,item_id,credit_code,category,basis,planned_date,unit_level,carries_out,unfiled\n"
    result, _ = _cli(runner, tmp_path, header + row.format(B=B) + "\n")
    assert result.exit_code == 2 and message in result.output and not (tmp_path / "V.csv").exists()


def test_justice_sets_the_rounds_inspection_rules_and_the_plan_pages_follow(client, world, factory, monkeypatch):
    from govsvc.grading import service
    from govsvc.grading.models import GradingRound

    factory.unit("FGW", name="市发展改革委", grading=True)
    grading_round = service.create_round(2026, service.DEFAULT_RULES_TOML)
    db.session.commit()
    login(client, world.justice.username)
    page = f"/grading/rounds/{grading_round.id}"
    rules = {"c_serious": "1", "c_minor": "3", "b_minor": "1", "c_when_b_units": "0", "a_scope": "all", "c_weight": "5"}
    html = form_post(client, page + "/rules", {**rules, "c_weight": "11"}).get_data(as_text=True)
    assert "应为 1–10 的整数" in html
    assert form_post(client, page + "/rules", rules).status_code == 302
    db.session.expire_all()
    assert '[inspections]\na_scope = "all"\nc_weight = 5' in db.session.get(GradingRound, grading_round.id).rules_toml
    assert "市、区县两级执法部门" in client.get(page).get_data(as_text=True)
    monkeypatch.setattr(grades_module, "published_round", lambda on=None: db.session.get(GradingRound, grading_round.id))
    policy = grades_module.current_policy()
    assert (policy.a_scope, policy.c_weight, policy.year) == ("all", 5, 2026)
