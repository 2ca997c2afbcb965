"""The random draw: eligible lists frozen and the seed committed before the draw, identical
outcome for the same seed, never an exempt enterprise, no re-rolls, re-runnable in public."""
import hashlib
import re
from datetime import date

import pytest

from govsvc.extensions import db
from govsvc.inspections import draws, filings, plans
from govsvc.inspections.access import NotAllowed, ServiceError
from tests.conftest import form_post, login
from scoring import inspections as core
from tests.inspections.conftest import file_plan, item_values, make_plan


@pytest.fixture
def task(world, factory, grades):
    """An accepted draw task of SCJ (5 enterprises, 食品安全) with 12 candidates and 4 officials."""
    enterprises = [factory.enterprise(district="张店区") for _ in range(12)]
    factory.enterprise(district="淄川区")  # outside the scope
    grades.update({enterprises[0].id: "A", enterprises[1].id: "A", enterprises[2].id: "B", enterprises[3].id: "B",
                   enterprises[4].id: "C"})
    # enterprise 2 (B) already has two random 食品安全 inspections filed in 2027: at its cap
    held = make_plan(world.other_user, [item_values(enterprises[2], date(2027, 1, 5)),
                                        item_values(enterprises[2], date(2027, 1, 6))])
    file_plan(held, world.other_user, world.other_user, date(2026, 12, 1))
    for unit in (world.city, world.county, world.county, world.other_city):
        factory.person(unit)
    plan = make_plan(world.city_user, [item_values(None, date(2027, 3, 1), draw_count=5)])
    filing = file_plan(plan, world.city_user, world.city_user, date(2026, 12, 10))
    filings.review_filing(world.justice, filing, accept=True)
    return plan.items[0], enterprises


def test_draw_excludes_a_and_b_at_cap_and_is_reproducible(world, task):
    item, enterprises = task
    draw = draws.prepare_draw(world.city_user, item, district="张店区", per_team=2)
    excluded = {c.enterprise_id: c.excluded for c in draw.candidates if c.excluded}
    assert excluded == {enterprises[0].id: "a_exempt", enterprises[1].id: "a_exempt", enterprises[2].id: "b_over_limit"}
    assert len(draw.candidates) == 12 and len(draw.inspectors) == 3  # SCJ and its county; not SHJ
    assert draw.commitment == hashlib.sha256(draw.seed.encode()).hexdigest() and draw.revealed_seed is None
    assert all(c.pick_rank is None for c in draw.candidates)
    draws.run_draw(world.city_user, draw)
    picked = draws.picks(draw)
    assert len(picked) == 5 and not {c.enterprise_id for c in picked} & set(excluded)
    assert all(len(c.team.split("；")) == 2 for c in picked)
    again = draws.outcome_of(draw, draw.seed)
    assert [(o.enterprise, "；".join(o.inspectors)) for o in again] == [(c.credit_code, c.team) for c in picked]
    assert draws.outcome_of(draw, "0" * 32) != again


def test_drawn_enterprises_hold_places_in_the_b_cap(world, task, grades):
    item, enterprises = task
    draw = draws.prepare_draw(world.city_user, item, district="张店区")
    draws.run_draw(world.city_user, draw)
    held = plans.held_counts({2027})
    for c in draws.picks(draw):
        assert held[(c.enterprise_id, "食品安全", 2027)] >= 1


def test_one_draw_per_task_no_reroll_and_only_the_owner(world, task):
    item, _ = task
    with pytest.raises(NotAllowed):
        draws.prepare_draw(world.other_user, item)
    draw = draws.prepare_draw(world.city_user, item, district="张店区")
    with pytest.raises(ServiceError, match="已经抽取过"):
        draws.prepare_draw(world.city_user, item, district="张店区")
    with pytest.raises(NotAllowed):
        draws.run_draw(world.county_user, draw)
    draws.run_draw(world.city_user, draw)
    first = [c.credit_code for c in draws.picks(draw)]
    with pytest.raises(ServiceError):
        draws.run_draw(world.city_user, draw)
    assert [c.credit_code for c in draws.picks(draw)] == first


def test_too_few_candidates_or_inspectors_is_refused(world, task):
    item, _ = task
    with pytest.raises(ServiceError, match="符合条件的企业只有"):
        draws.prepare_draw(world.city_user, item, district="淄川区")
    with pytest.raises(ServiceError, match="执法人员库"):
        draws.prepare_draw(world.city_user, item, district="张店区", per_team=4)
    assert item.draw is None


def test_public_page_hides_the_seed_until_drawn_and_anyone_can_rerun(client, world, task, app):
    item, _ = task
    draw = draws.prepare_draw(world.city_user, item, district="张店区")
    db.session.commit()
    url = f"/inspections/public/draws/{draw.id}"
    html = client.get(url).get_data(as_text=True)
    assert draw.commitment in html and draw.seed not in html and "抽取后公开" in html
    owner = app.test_client()
    assert login(owner, world.city_user.username).status_code == 302
    assert form_post(owner, f"/inspections/draws/{draw.id}/run", {}, page=url).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert draw.seed in html
    for c in draws.picks(draw):
        assert c.credit_code in html
    html = client.get(f"{url}?seed={draw.seed}").get_data(as_text=True)
    assert "种子与承诺值一致" in html and "结果与公布结果相同" in html
    html = client.get(f"{url}?seed={'1' * 32}").get_data(as_text=True)
    assert "种子与承诺值不一致" in html and "结果与公布结果不同" in html
    assert "十六进制" in client.get(f"{url}?seed=not-hex").get_data(as_text=True)
    listing = client.get(f"/inspections/public/draws/{draw.id}/enterprises.csv?format=machine").get_data(as_text=True)
    assert listing.startswith("position,credit_code,name,grade,excluded") and "a_exempt" in listing
    result = client.get(f"/inspections/public/draws/{draw.id}/result.csv?format=machine").get_data(as_text=True)
    assert len(re.findall(r"\n\d", result)) == 5
    # the default download is for people (issue 10, item 13): BOM, Chinese headers and values
    people = client.get(f"/inspections/public/draws/{draw.id}/enterprises.csv").get_data()
    assert people.startswith("\ufeff".encode())
    text = people.decode("utf-8-sig")
    assert text.startswith("序号,统一社会信用代码,企业名称,评级,排除原因,权重")
    assert core.VIOLATION_LABELS["a_exempt"] in text and "a_exempt" not in text
    result = client.get(f"/inspections/public/draws/{draw.id}/result.csv").get_data()
    assert result.decode("utf-8-sig").startswith("名次,统一社会信用代码,企业名称,检查组") and result.startswith(b"\xef\xbb\xbf")
    assert "#" + str(draw.id) in client.get("/inspections/public/draws").get_data(as_text=True)
