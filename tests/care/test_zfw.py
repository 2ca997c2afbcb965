"""The 政法委 ledgers: 涉企案件评查 (the leniency rule of the seed, 督促 matters to the organ), the
政治督察 problem ledger (限期整改 on the shared ledger), and the quarterly circular (定期通报) with
frozen figures."""
import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from govsvc.care import zfw
from govsvc.care.models_support import CaseReview, ZfwCircular
from govsvc.care.support import NotYours
from govsvc.extensions import db
from govsvc.ledger import service as ledger
from govsvc.ledger import workflow
from govsvc.timeutil import local_today
from tests.care.helpers_support import at, city  # noqa: F401
from tests.conftest import form_post, login, logout

REVIEWED = date(2019, 11, 20)


def review(city, **changes):
    values = {"case_number": "（2019）鲁0303刑初118号", "case_type": "criminal", "unit": city.units["GAJ"],
              "enterprise": city.enterprises[0], "summary": "原材料价格剧烈波动未能按期交货，被以合同诈骗报案。",
              "reviewed_on": REVIEWED, "minor": True, "major_loss": False, "causes": ["market"],
              "finding": "lenient", "opinion": "建议依法撤销案件。", "deadline": None}
    values.update(changes)
    return zfw.create_review(city.dept("ZFW"), zfw.ReviewInput(**values))


def test_a_lenient_finding_sends_a_matter_to_the_organ(city):
    item = review(city)
    matter = item.matter
    assert (matter.module, matter.kind, matter.status) == ("zfw", "review", workflow.ASSIGNED)
    assert matter.responsible_unit_id == city.units["GAJ"].id and matter.deadline == date(2019, 12, 20)  # 30 days
    assert item.cause_labels == ["市场变化"]


@pytest.mark.parametrize("changes", [{"minor": False}, {"major_loss": True}, {"causes": []}])
def test_leniency_is_refused_outside_the_seeds_conditions(city, changes):
    with pytest.raises(zfw.ZfwError, match="轻微违法"):
        review(city, **changes)
    assert db.session.scalar(select(db.func.count()).select_from(CaseReview)) == 0


def test_other_findings_and_refusals(city):
    clean = review(city, finding="no_issue", opinion="", minor=False, causes=[])
    assert clean.matter is None
    with pytest.raises(zfw.ZfwError, match="已评查登记"):
        review(city, finding="no_issue", opinion="")
    with pytest.raises(zfw.ZfwError, match="不是政法机关"):
        review(city, case_number="X-2", unit=city.units["SCJ"])
    with pytest.raises(zfw.ZfwError, match="评查意见"):
        review(city, case_number="X-3", finding="measures", opinion="")
    county = review(city, case_number="X-4", unit=city.units["GAJ-ZD"], finding="wrongful", deadline=date(2019, 12, 1))
    assert county.matter.responsible_unit_id == city.units["GAJ-ZD"].id and county.matter.deadline == date(2019, 12, 1)
    with pytest.raises(NotYours):
        zfw.create_review(city.dept("GAJ"), zfw.ReviewInput("X-5", "criminal", city.units["GAJ"], None, "x", REVIEWED,
                                                            False, False, [], "no_issue", "", None))


def test_organs_see_their_own_entries_only(city, client):
    mine, other = review(city), review(city, case_number="Y-1", unit=city.units["JCY"])
    db.session.commit()
    gaj = city.dept("GAJ")
    assert [r.id for r in db.session.scalars(zfw.review_query(gaj))] == [mine.id]
    assert {r.id for r in db.session.scalars(zfw.review_query(city.dept("ZFW")))} == {mine.id, other.id}
    login(client, gaj.username)
    assert client.get(f"/care/zfw/reviews/{mine.id}").status_code == 200
    assert client.get(f"/care/zfw/reviews/{other.id}").status_code == 403
    assert client.get("/care/zfw/reviews/new").status_code == 403
    # The organ answers on the shared ledger (its own moves), the 政法委 closes.
    ledger.move(mine.matter, workflow.IN_PROGRESS, user=gaj)
    ledger.move(mine.matter, workflow.CONCLUDED, user=gaj, note="已撤销案件。")
    assert ledger.allowed_moves(gaj, mine.matter) == ()
    assert ledger.allowed_moves(city.dept("ZFW"), mine.matter) == (workflow.FEEDBACK_GIVEN,)
    assert ledger.allowed_moves(city.dept("RCB"), mine.matter) == ()


def test_the_review_form_shows_errors_beside_the_fields(city, client):
    login(client, city.dept("ZFW").username)
    response = form_post(client, "/care/zfw/reviews/new", {
        "case_number": "Z-1", "case_type": "criminal", "unit_code": "GAJ", "summary": "案情", "reviewed_on": "2019-11-20",
        "finding": "lenient", "opinion": "从轻", "credit_code": city.enterprises[0].credit_code})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "未造成重大损失和影响" in html
    assert db.session.scalar(select(db.func.count()).select_from(CaseReview)) == 0
    done = form_post(client, "/care/zfw/reviews/new", {
        "case_number": "Z-1", "case_type": "criminal", "unit_code": "GAJ", "summary": "案情", "reviewed_on": "2019-11-20",
        "finding": "lenient", "opinion": "从轻", "minor": "y", "causes": ["policy"]})
    assert done.status_code == 302


# -- problems and the circular -----------------------------------------------------------------------
def problem(city, unit="GAJ", found=date(2019, 10, 15), rectify_by=None):
    return zfw.create_problem(city.dept("ZFW"), zfw.ProblemInput(
        batch="2019年第一轮政治督察", found_on=found, unit=city.units[unit], category="tolerance",
        description="对涉企轻微经济纠纷以刑事立案方式介入。", rectify_by=rectify_by))


def conclude(city, item, unit, day):
    organ = city.dept(unit)
    ledger.move(item.matter, workflow.IN_PROGRESS, user=organ)
    ledger.move(item.matter, workflow.CONCLUDED, user=organ, note="已整改。")
    for event in item.matter.events:
        event.at = at(day)
    db.session.flush()


def test_problem_deadlines(city):
    item = problem(city)
    assert item.rectify_by == date(2019, 11, 14) and item.matter.deadline == date(2019, 11, 14)
    assert item.matter.responsible_unit_id == city.units["GAJ"].id
    assert problem(city, rectify_by=date(2020, 4, 12)).rectify_by == date(2020, 4, 12)  # 180 days
    with pytest.raises(zfw.ZfwError, match="180"):
        problem(city, rectify_by=date(2020, 4, 13))
    with pytest.raises(zfw.ZfwError, match="晚于"):
        problem(city, rectify_by=date(2019, 10, 15))


def test_the_fourth_quarter_circular_of_2019(city, client):
    on_time, late, open_ = problem(city), problem(city, found=date(2019, 10, 20)), problem(city, found=date(2019, 12, 10))
    overdue = problem(city, "JCY", found=date(2019, 9, 1))
    conclude(city, on_time, "GAJ", date(2019, 11, 10))
    conclude(city, late, "GAJ", date(2019, 12, 1))
    review(city, reviewed_on=date(2019, 11, 20))
    review(city, case_number="N-1", finding="no_issue", opinion="", reviewed_on=date(2019, 12, 2))
    rows = {r["code"]: r for r in zfw.circular_rows(2019, 4)}
    assert rows["GAJ"] == {"unit": "市公安局", "code": "GAJ", "found": 3, "rectified": 1, "rectified_late": 1,
                           "open": 1, "overdue": 0, "reviews": 2, "review_issues": 1}
    assert rows["JCY"]["open"] == 1 and rows["JCY"]["overdue"] == 1 and rows["JCY"]["found"] == 0
    assert overdue.matter.overdue and open_.matter.status == workflow.ASSIGNED
    staff = city.dept("ZFW")
    with pytest.raises(zfw.ZfwError, match="尚未结束"):
        zfw.issue_circular(staff, 2019, 4, "", on=date(2019, 12, 31))
    circular = zfw.issue_circular(staff, 2019, 4, "限期整改。", on=date(2020, 1, 6))
    with pytest.raises(zfw.ZfwError, match="已经印发"):
        zfw.issue_circular(staff, 2019, 4, "", on=date(2020, 1, 7))
    # Frozen: a later rectification does not change the issued figures.
    conclude(city, open_, "GAJ", date(2020, 1, 8))
    assert {r["code"]: r for r in zfw.circular_content(circular)["rows"]}["GAJ"]["open"] == 1
    db.session.commit()
    login(client, city.dept("JCY").username)
    assert client.get(f"/care/zfw/circulars/{circular.id}").status_code == 200
    exported = client.get(f"/care/zfw/circulars/{circular.id}?format=csv").get_data(as_text=True).lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(exported)))
    assert table[0] == ["被督察单位", "本期发现问题", "按期整改", "逾期整改", "尚未整改", "其中逾期", "本期评查案件", "其中发现问题"]
    assert ["市公安局", "3", "1", "1", "1", "0", "2", "1"] in table


def test_who_reads_circulars(city, client, login_as):
    circular = zfw.issue_circular(city.dept("ZFW"), 2019, 4, "", on=date(2020, 1, 6))  # nothing in it
    problem(city, "JCY", found=date(2019, 12, 1))
    second = zfw.issue_circular(city.dept("ZFW"), 2020, 1, "", on=date(2020, 4, 3))
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(ZfwCircular)) == 2
    login(client, city.dept("JCY").username)
    assert client.get(f"/care/zfw/circulars/{second.id}").status_code == 200
    assert client.get(f"/care/zfw/circulars/{circular.id}").status_code == 403  # not named in it
    logout(client)
    login_as("leader")
    assert client.get(f"/care/zfw/circulars/{circular.id}").status_code == 200


def test_the_issue_form_asks_for_confirmation(city, client):
    login(client, city.dept("ZFW").username)
    refused = form_post(client, "/care/zfw/circulars", {"year": "2019", "quarter": "4", "note": ""})
    assert refused.status_code == 200 and "请勾选确认" in refused.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(ZfwCircular)) == 0
    done = form_post(client, "/care/zfw/circulars", {"year": "2019", "quarter": "4", "note": "", "confirm": "y"})
    assert done.status_code == 302


def test_the_dashboard_counts_open_and_overdue_follow_ups(city):
    problem(city, found=date(2019, 10, 15))
    problem(city, "JCY", found=local_today() - timedelta(days=1))
    assert zfw.statistics(city.dept("ZFW"))["open"] == 2
    assert zfw.statistics(city.dept("ZFW"))["overdue"] == 1
    assert zfw.statistics(city.dept("JCY")) == {"open": 1, "overdue": 0, "to_close": 0}
    assert zfw.statistics(city.dept("RCB"))["open"] == 0
