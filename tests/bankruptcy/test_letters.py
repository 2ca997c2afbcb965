"""函告 / 函复 (seed 001 "督促推进机制"): numbered letters from the office, the unit's reply within
the deadline, late and overdue replies flagged, urged (督办) and circulated."""
from datetime import date, timedelta

import pytest

from govsvc.bankruptcy import access, letters, matters
from govsvc.bankruptcy.models import Letter
from govsvc.extensions import db
from govsvc.ledger import workflow
from govsvc.timeutil import local_today
from tests.bankruptcy.conftest import duty
from tests.conftest import form_post, login, logout

ISSUED = date(2026, 11, 2)


def _letter(world, today=ISSUED, **kw):
    return letters.issue(world.office, to_unit=world.rsj, subject="关于协调职工安置的函", body="请协调……",
                         confirm=True, today=today, **kw)


def test_letters_are_numbered_per_year_with_the_default_deadline(world):
    first, second = _letter(world), _letter(world)
    assert (first.number, second.number) == ("府院函〔2026〕1号", "府院函〔2026〕2号")
    assert first.reply_due == date(2026, 11, 17)  # 15 days (the mechanism's setting)
    assert first.matter.kind == "letter" and first.matter.status == workflow.ASSIGNED
    assert first.matter.deadline == first.reply_due and first.matter.responsible_unit_id == world.rsj.id
    assert first.issuer == "市企业破产处置协调联动机制联席会议办公室"
    next_year = _letter(world, today=date(2027, 1, 4))
    assert next_year.number == "府院函〔2027〕1号"


def test_only_the_office_writes_and_must_confirm(world):
    with pytest.raises(access.NotAllowed):
        letters.issue(world.court, to_unit=world.rsj, subject="x", body="y", confirm=True)
    with pytest.raises(access.ServiceError) as exc:
        letters.issue(world.office, to_unit=world.rsj, subject="", body="", confirm=False,
                      reply_due=local_today())
    assert set(exc.value.errors) == {"subject", "body", "confirm", "reply_due"}
    assert db.session.scalar(db.select(db.func.count()).select_from(Letter)) == 0


def test_reply_on_the_due_day_is_on_time(world):
    letter = _letter(world)
    letters.reply(world.rsj_user, letter, "已协调失业保险金发放。", confirm=True, today=date(2026, 11, 17))
    assert letters.state(letter, date(2026, 12, 1)) == "on_time"
    assert letter.matter.status == workflow.CONCLUDED
    assert "【逾期函复】" not in letter.matter.events[-1].note


def test_reply_after_the_due_day_is_late_and_flagged(world):
    letter = _letter(world)
    assert letters.state(letter, date(2026, 11, 18)) == "overdue"
    letters.reply(world.rsj_user, letter, "已办理。", confirm=True, today=date(2026, 11, 18))
    assert letters.state(letter, date(2026, 12, 1)) == "late"
    assert letter.matter.events[-1].note.startswith("【逾期函复】")
    with pytest.raises(access.ServiceError, match="已函复"):
        letters.reply(world.rsj_user, letter, "再复", confirm=True)


def test_only_the_unit_written_to_replies_and_must_confirm(world):
    letter = _letter(world)
    with pytest.raises(access.NotAllowed):
        letters.reply(world.swj_user, letter, "代复", confirm=True)
    with pytest.raises(access.NotAllowed):
        letters.reply(world.office, letter, "代复", confirm=True)
    with pytest.raises(access.ServiceError) as exc:
        letters.reply(world.rsj_user, letter, "", confirm=False)
    assert set(exc.value.errors) == {"reply", "confirm"}
    assert letter.replied_on is None


def test_overdue_letters_are_urged_circulated_and_closed_after_the_reply(world):
    overdue = _letter(world)
    on_time = _letter(world)
    late = _letter(world)
    letters.reply(world.rsj_user, on_time, "已办", confirm=True, today=date(2026, 11, 10))
    letters.reply(world.rsj_user, late, "已办", confirm=True, today=date(2026, 11, 25))
    letters.urge(world.office, overdue, "逾期未函复，请立即函复。")
    assert overdue.matter.priority == "urgent" and overdue.matter.events[-1].action == "supervise"
    with pytest.raises(access.ServiceError, match="无需督办"):
        letters.urge(world.office, on_time, "x")
    rows, counts = letters.letter_circular(date(2026, 10, 1), date(2026, 12, 31), today=date(2026, 12, 5))
    assert counts == {"pending": 0, "overdue": 1, "on_time": 1, "late": 1}
    assert [(r.letter.id, r.state, r.days_late) for r in rows] == [(overdue.id, "overdue", 18), (late.id, "late", 8)]
    with pytest.raises(access.ServiceError, match="尚未函复"):
        letters.close(world.office, overdue, note="", confirm=True)
    with pytest.raises(access.ServiceError, match="勾选确认"):
        letters.close(world.office, on_time, note="", confirm=False)
    letters.close(world.office, on_time, note="", confirm=True)
    assert on_time.matter.status == workflow.CLOSED


def test_letter_on_a_coordination_matter_assigns_it_to_the_lead_unit(world):
    duty("livelihood", world.rsj)
    coord = matters.raise_matter(world.court, matter_type="livelihood", title="职工安置", description="…")
    letter = letters.issue(world.office, to_unit=world.rsj, subject="函", body="请办", coord_matter=coord, confirm=True)
    assert coord.status == workflow.ASSIGNED and letter.coord_matter_id == coord.id
    tasks, found = matters.follow_ups(coord)
    assert found == [letter]
    assert matters.open_follow_ups(coord) == [f"{letter.number}（市人力资源和社会保障局，已交办）"]


def test_letter_query_by_state_and_unit_scope(world):
    today = local_today()
    overdue = _letter(world, today=today - timedelta(days=20))
    pending = _letter(world, today=today)
    other = letters.issue(world.office, to_unit=world.swj, subject="函", body="请办", confirm=True)
    ids = lambda **kw: [x.id for x in db.session.scalars(letters.letter_query(**kw))]  # noqa: E731
    assert ids(user=world.office, state_="overdue") == [overdue.id]
    assert set(ids(user=world.office, state_="pending")) == {pending.id, other.id}
    assert set(ids(user=world.rsj_user)) == {overdue.id, pending.id}  # a unit sees its own letters only
    assert ids(user=world.rsj_user, state_="overdue") == [overdue.id]


def test_letter_pages_issue_reply_late_and_print(client, world):
    today = local_today()
    letter = _letter(world, today=today - timedelta(days=16))  # due yesterday
    db.session.commit()
    login(client, "dept-swj")
    assert client.get(f"/bankruptcy/letters/{letter.id}").status_code == 403
    logout(client)
    login(client, "dept-rsj")
    page = f"/bankruptcy/letters/{letter.id}"
    html = client.get(page).get_data(as_text=True)
    assert letter.number in html and "现在函复将记为逾期函复" in html and 'data-print' in html
    refused = form_post(client, f"{page}/reply", {"rp-reply": "已办理"}, page=page)
    assert "函复提交后不能修改，请勾选确认" in refused.get_data(as_text=True)
    done = form_post(client, f"{page}/reply", {"rp-reply": "已办理", "rp-confirm": "y"}, page=page,
                     follow_redirects=True)
    assert "记为逾期函复" in done.get_data(as_text=True)
    db.session.expire_all()
    assert letters.state(db.session.get(Letter, letter.id)) == "late"
    listing = client.get("/bankruptcy/letters?state=late").get_data(as_text=True)
    assert letter.number in listing
    circular = client.get(f"/bankruptcy/letters/circular?period={today.year}").get_data(as_text=True)
    assert "逾期函复" in circular and letter.number in circular


def test_office_issues_a_letter_on_the_page(client, world):
    login(client, "regulator")
    response = form_post(client, "/bankruptcy/letters/new", {
        "to_unit": "swj", "subject": "关于申报税收债权的函", "body": "请依法申报税收债权。", "confirm": "y"})
    assert response.status_code == 302
    letter = db.session.scalar(db.select(Letter))
    assert letter.to_unit_id == world.swj.id and letter.reply_due == local_today() + timedelta(days=15)
