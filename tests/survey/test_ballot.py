"""The online ballot and paper entry, through the pages, with the seed's 40 + 19 departments."""
import re
import time
from datetime import datetime, timedelta

from sqlalchemy import func, select

from govsvc.auth import sessions
from govsvc.extensions import db
from govsvc.survey import ballots
from govsvc.survey.models import BallotCredential, CredentialUse
from tests.conftest import csrf_from, form_post, login
from tests.survey.conftest import ballot_count, ratings_form, sealed_ballots

E = [f"E{i:02d}" for i in range(40)]
S = [f"S{i:02d}" for i in range(19)]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def opinion_count() -> int:
    return sum(len(b.opinions) for b in sealed_ballots())


def open_ballot(client, city, head=0):
    campaign = city.campaign()
    db.session.commit()
    assert login(client, city.heads[head].username).status_code == 302
    return campaign, f"/survey/{campaign.id}/ballot"


def test_each_department_is_a_labelled_radio_group_with_live_counters(client, city):
    campaign, url = open_ballot(client, city)
    response = client.get("/survey/vote")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    html = client.get(url).get_data(as_text=True)
    assert html.count('<fieldset class="rating"') == 59
    fieldset = re.search(r'<fieldset class="rating" id="dept-E07">(.*?)</fieldset>', html, re.S).group(1)
    assert re.search(r'<legend id="dept-E07-name">.*市执法局07</legend>', fieldset, re.S)
    for value, label in (("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意"), ("unknown", "不了解")):
        assert f'<input type="radio" name="d-E07" id="d-E07-{value}" value="{value}">' in fieldset
        assert f'<label for="d-E07-{value}" class="choice choice-{value}">{label}</label>' in fieldset
    assert '<label for="o-E07" class="visually-hidden">对市执法局07的意见建议</label>' in fieldset
    assert 'id="counter-enforcement" aria-live="polite">满意 0/13 · 不满意 0/13</p>' in html
    assert 'id="counter-service" aria-live="polite">满意 0/6 · 不满意 0/6</p>' in html
    assert 'data-cap="13"' in html and 'data-cap="6"' in html and "survey.js" in html


def test_a_part_over_the_cap_is_refused_naming_count_and_limit_and_nothing_is_lost(client, city):
    campaign, url = open_ballot(client, city)
    words = {code: "satisfied" for code in E[:14]} | {code: "basic" for code in E[14:30]}
    words |= {code: "dissatisfied" for code in S[:6]} | {"S06": "unknown"}
    data = ratings_form(campaign, words, {"E03": "窗口办事要跑三趟", "S05": "热线常占线"})
    response = form_post(client, url, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "执法和综合管理类：“满意”选了 14 个，超过上限 13 个（40 个部门的三分之一）" in html
    assert "满意 14/13 · 不满意 0/13" in html and "满意 0/6 · 不满意 6/6" in html
    for code, word in words.items():
        assert f'id="d-{code}-{word}" value="{word}" checked>' in html
    assert html.count(" checked>") == len(words)
    assert ">窗口办事要跑三趟</textarea>" in html and ">热线常占线</textarea>" in html
    assert ballot_count() == 0 and count(CredentialUse) == 0 and opinion_count() == 0
    data["d-E13"] = "basic"  # one fewer 满意: at the cap, accepted
    response = form_post(client, url, data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/survey/{campaign.id}/receipt")
    assert ballot_count() == 1 and count(CredentialUse) == 1 and opinion_count() == 2


def test_confirmation_page_shows_the_receipt_once_kept_only_as_a_keyed_hash(client, city):
    campaign, url = open_ballot(client, city)
    form_post(client, url, ratings_form(campaign, {"E00": "satisfied", "S00": "basic"}))
    html = client.get(f"/survey/{campaign.id}/receipt").get_data(as_text=True)
    receipt = re.search(r'id="receipt-code">([0-9A-Z-]+)<', html).group(1)
    again = client.get(f"/survey/{campaign.id}/receipt").get_data(as_text=True)
    assert receipt not in again and "只在提交时显示一次" in again  # the session no longer holds it
    assert len(receipt.replace("-", "")) == 28 and len(receipt.split("-")) == 7  # 140 bits
    stored, = sealed_ballots()
    assert stored.receipt_hash == ballots.receipt_hash(receipt.replace("-", "")) != receipt.replace("-", "")
    assert ballots.board_code(stored.receipt_hash) in html
    assert stored.enforcement[0] == 1 and stored.service[0] == 2 and len(stored.enforcement) == 40
    # a second submission is not possible: back to the receipt, still one ballot
    response = form_post(client, url, ratings_form(campaign, {"E01": "satisfied"}), page=f"/survey/{campaign.id}/receipt")
    assert response.status_code == 302 and ballot_count() == 1


def test_an_empty_ballot_is_refused(client, city):
    campaign, url = open_ballot(client, city)
    response = form_post(client, url, {})
    assert response.status_code == 422 and "请至少评价一个部门" in response.get_data(as_text=True)
    assert ballot_count() == 0 and count(CredentialUse) == 0


def test_an_unknown_rating_value_is_refused_beside_its_department(client, city):
    campaign, url = open_ballot(client, city)
    response = form_post(client, url, {"d-E00": "excellent", "d-E01": "satisfied"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and ballot_count() == 0
    assert 'id="d-E01-satisfied" value="satisfied" checked>' in html
    assert re.search(r'id="dept-E00">.*?<p class="error">评价无效，请重新选择。</p>', html, re.S)


class _Later(datetime):
    offset = timedelta(0)

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + cls.offset


def test_a_ballot_left_open_for_two_hours_still_submits(client, city, monkeypatch):
    """The evaluation is a long meeting: CSRF token and session outlive two idle hours."""
    campaign, url = open_ballot(client, city)
    token = csrf_from(client.get(url).get_data(as_text=True))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 2 * 3600 + 60)
    _Later.offset = timedelta(hours=2, minutes=1)
    monkeypatch.setattr(sessions, "datetime", _Later)
    response = client.post(url, data={"csrf_token": token, **ratings_form(campaign, {"E00": "basic"})})
    assert response.status_code == 302 and response.headers["Location"].endswith("/receipt")
    assert ballot_count() == 1


def test_after_the_idle_limit_the_session_ends_and_nothing_is_stored(client, city, monkeypatch):
    campaign, url = open_ballot(client, city)
    token = csrf_from(client.get(url).get_data(as_text=True))
    _Later.offset = timedelta(hours=3, minutes=1)
    monkeypatch.setattr(sessions, "datetime", _Later)
    response = client.post(url, data={"csrf_token": token, "d-E00": "basic"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert ballot_count() == 0  # the page keeps the answers in the browser (sessionStorage) for the next try


def test_an_evaluator_not_on_the_list_cannot_vote(client, city, factory):
    campaign = city.campaign()
    outsider = factory.user("evaluator")
    db.session.commit()
    login(client, outsider.username)
    response = client.get(f"/survey/{campaign.id}/ballot")
    assert response.status_code == 403 and "不在" in response.get_data(as_text=True)
    assert client.get("/survey/vote").status_code == 200  # nothing open for them


def test_ballot_closed_before_opening_and_after_closing(client, city):
    campaign = city.campaign(stage="lists_confirmed")
    db.session.commit()
    login(client, city.heads[0].username)
    assert "尚未开始" in client.get(f"/survey/{campaign.id}/ballot").get_data(as_text=True)


# -- paper ballots ------------------------------------------------------------------------------
def _issue_codes(client, campaign, n=3) -> list[tuple[str, str]]:
    page = client.get(f"/survey/{campaign.id}/credentials").get_data(as_text=True)
    data = {"count": str(n), "csrf_token": csrf_from(page), "sheet": re.search(r'name="sheet" type="hidden" value="([^"]+)"', page).group(1)}
    response = client.post(f"/survey/{campaign.id}/codes", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r'<p class="slip-code mono">([0-9A-Z-]+)</p>', html)
    again = client.post(f"/survey/{campaign.id}/codes", data=data)  # the browser reloads the printed sheet
    assert again.status_code == 409 and "已经印制过" in again.get_data(as_text=True)
    return list(zip(codes[::2], codes[1::2]))  # (ballot code, receipt on the stub)


def test_paper_codes_are_printed_once_and_stored_as_keyed_hashes(client, city, login_as):
    campaign = city.campaign()
    db.session.commit()
    login_as("organizer")
    codes = _issue_codes(client, campaign, 3)
    assert len(codes) == 3 and all(len(c.replace("-", "")) == 28 for pair in codes for c in pair)
    hashes = set(db.session.scalars(select(BallotCredential.code_hash).where(BallotCredential.kind == "paper")))
    assert len(hashes) == 3  # the reload printed nothing new
    assert len(hashes) == 3 and not {c.replace("-", "") for c, _ in codes} & hashes
    assert all(c.replace("-", "") not in client.get(f"/survey/{campaign.id}/credentials").get_data(as_text=True)
               for c, _ in codes)


def test_paper_entry_stores_an_over_cap_part_as_invalid_and_counts_the_other(client, city, login_as):
    campaign = city.campaign()
    db.session.commit()
    login_as("organizer")
    (code, stub), (code2, _), _ = _issue_codes(client, campaign, 3)
    url = f"/survey/{campaign.id}/paper"
    enforcement = "1" * 14 + "2" * 20 + "0" * 6          # 14 满意 of 40: invalid
    service = "11 3 2 4 000000000 0000 0"                 # spaces group the keys: 19 keys
    data = {"code": code.lower(), "enforcement": enforcement, "service": service,
            "opinions": "S00 服务热情\nE05：执法尺度不一\ne06  办结时限：三天"}
    response = form_post(client, url, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "按废票录入：“满意”选了 14 个，超过上限 13 个" in html
    assert f'value="{enforcement}"' in html and "执法尺度不一" in html and ballot_count() == 0
    response = form_post(client, url, {**data, "confirm_invalid": "y"})
    assert response.status_code == 302
    stored, = sealed_ballots()
    assert stored.enforcement_invalid == "“满意”选了 14 个，超过上限 13 个（40 个部门的三分之一）"
    assert stored.service_invalid == "" and list(stored.service[:5]) == [1, 1, 3, 2, 4]
    assert stored.receipt_hash == ballots.receipt_hash(stub.replace("-", ""))
    assert set(stored.opinions.values()) == {"服务热情", "执法尺度不一", "办结时限：三天"}
    again = form_post(client, url, {**data, "confirm_invalid": "y"})
    assert again.status_code == 422 and "已经使用过" in again.get_data(as_text=True) and ballot_count() == 1


def test_paper_entry_errors_are_shown_beside_the_field(client, city, login_as):
    campaign = city.campaign()
    db.session.commit()
    login_as("organizer")
    (code, _), = _issue_codes(client, campaign, 1)
    url = f"/survey/{campaign.id}/paper"
    html = form_post(client, url, {"code": code, "enforcement": "1" * 39, "service": "2" * 19}).get_data(as_text=True)
    assert "应为 40 位（每个部门一位），实际 39 位" in html
    html = form_post(client, url, {"code": code, "enforcement": "1" * 10 + "7" + "2" * 29, "service": "2" * 19}).get_data(as_text=True)
    assert "无法识别的字符：7" in html
    html = form_post(client, url, {"code": "ABCD", "enforcement": "2" * 40, "service": "2" * 19}).get_data(as_text=True)
    assert "投票码无效" in html
    html = form_post(client, url, {"code": code, "enforcement": "2" * 40, "service": "2" * 19,
                                   "opinions": "ZZZ 不存在的部门"}).get_data(as_text=True)
    assert "第 1 行：找不到部门代码“ZZZ”" in html
    html = form_post(client, url, {"code": code, "enforcement": "0" * 40, "service": "-" * 19}).get_data(as_text=True)
    assert "空白评议表不录入" in html
    assert ballot_count() == 0 and count(CredentialUse) == 0


def test_an_unreadable_paper_mark_invalidates_its_part(client, city, login_as):
    campaign = city.campaign()
    db.session.commit()
    login_as("organizer")
    (code, _), = _issue_codes(client, campaign, 1)
    response = form_post(client, f"/survey/{campaign.id}/paper",
                         {"code": code, "enforcement": "x" + "2" * 39, "service": "2" * 19, "confirm_invalid": "y"})
    assert response.status_code == 302
    assert sealed_ballots()[0].enforcement_invalid == "部门 E00 的评价无法识别"
