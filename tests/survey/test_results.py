"""Results: tally, a leader's approval, the public page, exports, history, reorganisation from
last year, opinions to departments (their own only) and the web tally equal to the CLI's."""
import csv
import io
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from govsvc.extensions import db
from govsvc.survey import ballots, campaigns, files, results
from govsvc.survey.ballots import BallotInput
from scoring import survey as core
from tests.conftest import confirm_page, confirmed_post, form_post, login, logout
from tests.survey.conftest import close_and_tally


def vote(campaign, head, enforcement: dict[str, int], service: dict[str, int] | None = None, opinions=None):
    """Cast a ballot given as {department code: rating code}."""
    parts = {}
    for category, given_ in (("enforcement", enforcement), ("service", service or {})):
        parts[category] = [given_.get(d.code, core.BLANK) for d in campaigns.departments(campaign, category)]
    return ballots.cast_online(campaign, head, BallotInput(parts=parts, opinions=opinions or {}))


S, B, U = core.SATISFIED, core.BASIC, core.DISSATISFIED


def seeded_votes(city, campaign):
    """Scores E00 100, E01 90, E02 85, E03 = E04 = 80, E05 55, E06 30; nobody rated E07–E39."""
    heads = city.heads
    vote(campaign, heads[0], {"E00": S, "E01": S, "E02": S, "E03": B, "E04": B, "E05": B, "E06": U}, {"S00": S})
    vote(campaign, heads[1], {"E00": S, "E01": B, "E02": B, "E03": B, "E04": B, "E05": U, "E06": U}, {"S01": U})
    vote(campaign, heads[2], {"E02": B, "E07": core.UNKNOWN})
    vote(campaign, heads[3], {"E02": B})


def published(city, factory, year=2026, votes=seeded_votes):
    campaign = city.campaign(year=year)
    votes(city, campaign)
    close_and_tally(campaign)
    results.approve_and_publish(campaign, factory.user("leader"))
    db.session.commit()
    return campaign


def test_tally_scores_ranks_and_outcomes_are_stored_exactly(city, factory):
    campaign = published(city, factory)
    rows = {r.code: r for r in results.stored_results(campaign)}
    assert rows["E00"].score == 100 and rows["E01"].score == 90 and rows["E02"].score == 85
    assert rows["E03"].score == rows["E04"].score == 80 and (rows["E03"].rank, rows["E04"].rank) == (4, 4)
    assert [rows[c].outcome for c in ("E00", "E01", "E02", "E03", "E05", "E06")] == [
        "commended", "commended", "commended", "", "interview", "interview"]
    assert rows["E07"].score is None and rows["E07"].unknown == 1 and rows["E07"].rank is None
    assert rows["S00"].outcome == "interview" and rows["S01"].outcome == "interview"  # two ranked: both bottom two


def test_reorganize_only_for_last_years_bottom_two(city, factory):
    published(city, factory, year=2025)   # bottom two in 2025: E05, E06 (and S00, S01)
    campaign = city.campaign(year=2026)
    vote(campaign, city.heads[0], {"E00": S, "E06": U, "E05": B}, {"S00": U, "S01": S})
    close_and_tally(campaign)
    rows = {r.code: r for r in results.stored_results(campaign)}
    assert rows["E06"].outcome == "reorganize" and rows["E05"].outcome == "reorganize"
    assert rows["S00"].outcome == "reorganize"  # any category
    assert rows["E00"].outcome != "reorganize"


def test_results_are_not_public_before_a_leader_approves(client, city, login_as, factory):
    campaign = city.campaign()
    seeded_votes(city, campaign)
    close_and_tally(campaign)
    db.session.commit()
    assert client.get("/survey/results/2026").status_code == 404
    assert client.get("/survey/results/2026/enforcement.svg").status_code == 404
    login(client, city.heads[5].username)
    assert client.get("/survey/results/2026").status_code == 404
    assert client.get(f"/survey/{campaign.id}/results").status_code == 403
    assert client.get(f"/survey/{campaign.id}/chart-enforcement.svg").status_code == 403
    logout(client)
    login_as("organizer")
    html = client.get(f"/survey/{campaign.id}/results").get_data(as_text=True)
    assert "尚未公布" in html and "审定并公布" not in html   # only a leader approves
    response = form_post(client, f"/survey/{campaign.id}/publish", {}, page=f"/survey/{campaign.id}/results")
    assert response.status_code == 403 and campaign.status == "closed"


def test_publishing_without_confirmation_publishes_nothing_and_asks(client, city, login_as):
    """Issue 10 item 11: one stray click on 审定并公布 must not publish; the server asks, saying
    what becomes public, and only the confirmation page's 确认 publishes."""
    campaign = city.campaign()
    seeded_votes(city, campaign)
    close_and_tally(campaign)
    db.session.commit()
    login_as("leader")
    response = form_post(client, f"/survey/{campaign.id}/publish", {}, page=f"/survey/{campaign.id}/results")
    fields = confirm_page(response)
    html = response.get_data(as_text=True)
    assert "向社会公布" in html and "约谈" in html and f'href="/survey/{campaign.id}/results">返回' in html
    db.session.expire_all()
    assert campaign.status == "closed" and campaign.published_at is None and campaign.approved_by_id is None
    assert client.get("/survey/results/2026").status_code == 404
    assert fields["confirmed"] == "1" and fields["csrf_token"]
    response = client.post(f"/survey/{campaign.id}/publish", data=fields)
    db.session.expire_all()
    assert response.status_code == 302 and campaign.status == "published"


def test_closing_voting_asks_with_turnout_and_the_scheduled_day(client, city, login_as):
    campaign = city.campaign()
    seeded_votes(city, campaign)
    db.session.commit()
    voted, evaluators = ballots.turnout(campaign).voted, ballots.turnout(campaign).evaluators
    assert 0 < voted < evaluators
    login_as("organizer")
    url = f"/survey/{campaign.id}/action/close"
    fields = confirm_page(form_post(client, url, {}, page=f"/survey/{campaign.id}"))
    html = form_post(client, url, {}, page=f"/survey/{campaign.id}").get_data(as_text=True)
    assert f"{voted} / {evaluators} 人" in html and "2026-12-15" in html and f"尚有 {evaluators - voted} 人未参评" in html
    db.session.expire_all()
    assert campaign.status == "open" and campaign.sealed_ballots is None
    assert client.post(url, data=fields).status_code == 302
    db.session.expire_all()
    assert campaign.status == "closed"


def test_a_leader_approves_and_the_public_page_shows_both_ranked_tables(client, city, login_as):
    campaign = city.campaign()
    seeded_votes(city, campaign)
    close_and_tally(campaign)
    db.session.commit()
    login_as("leader")
    response = confirmed_post(client, f"/survey/{campaign.id}/publish", {}, page=f"/survey/{campaign.id}/results")
    assert response.status_code == 302 and campaign.status == "published" and campaign.approved_by_id
    logout(client)
    html = client.get("/survey/results/2026").get_data(as_text=True)   # no login
    assert "执法和综合管理类（40 个）" in html and "服务类（19 个）" in html
    assert re.search(r'<td class="num">4</td>\s*<td><a href="/survey/history/E03">市执法局03</a></td>\s*<td class="num">80.00</td>', html)
    assert campaign.chain_head in html and 'src="/survey/results/2026/enforcement.svg"' in html
    svg = client.get("/survey/results/2026/enforcement.svg")
    assert svg.mimetype == "image/svg+xml" and "市执法局00" in svg.get_data(as_text=True)
    png = client.get("/survey/results/2026/service.png")
    assert png.mimetype == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "2026 年度评议结果" in client.get("/survey/results/").get_data(as_text=True)


def test_exports_are_chinese_with_a_bom_and_the_machine_format_is_r_csv(client, city, factory):
    """Issue 10, item 13: the CSV for people opens in Excel (BOM, Chinese headers and values); the
    machine format (SPEC.md's R.csv) stays available under its own name."""
    campaign = published(city, factory)
    body = client.get("/survey/results/2026?format=csv").data
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["类别", "名次", "单位代码", "单位名称", "得分", "满意", "基本满意", "不满意", "不了解", "结果运用"]
    assert rows[1] == ["执法和综合管理类", "1", "E00", "市执法局00", "100.00", "2", "0", "0", "0", "表扬"]
    assert {r[0] for r in rows[1:]} == {"执法和综合管理类", "服务类"}
    assert {r[-1] for r in rows[1:]} <= {"表扬", "约谈", "领导班子组织调整", ""} and "约谈" in {r[-1] for r in rows[1:]}
    machine = client.get("/survey/results/2026?format=machine")
    assert machine.data == files.results_csv(results.stored_results(campaign)) and not machine.data.startswith(b"\xef")
    assert 'filename=R-2026.csv' in machine.headers["Content-Disposition"]
    lines = machine.data.decode().splitlines()
    assert lines[0] == ",".join(files.R_HEADER) and lines[1] == "enforcement,1,E00,市执法局00,100.00,2,0,0,0,commended"
    assert "机器可读格式（R.csv）" in client.get("/survey/results/2026").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/survey/results/2026?format=xlsx").data))
    assert book.sheetnames == ["执法和综合管理类", "服务类", "说明"]
    sheet = book["执法和综合管理类"]
    assert [c.value for c in sheet[2]][:5] == ["执法和综合管理类", 1, "E00", "市执法局00", 100.0]
    assert sheet.max_row == 41 and book["服务类"].max_row == 20 and sheet._images


def test_the_machine_download_is_byte_identical_to_the_cli_r_csv(client, city, factory, runner, tmp_path):
    campaign = published(city, factory)
    (tmp_path / "D.csv").write_bytes(files.departments_csv(campaigns.core_departments(campaign)))
    (tmp_path / "B.csv").write_bytes(files.ballots_csv(ballots.rating_rows(campaign)))
    result = runner.invoke(args=["survey", "tally", "--departments", str(tmp_path / "D.csv"), "--ballots",
                                 str(tmp_path / "B.csv"), "--out", str(tmp_path / "R.csv")])
    assert result.exit_code == 0, result.output
    assert client.get("/survey/results/2026?format=machine").data == (tmp_path / "R.csv").read_bytes()
    organizer = factory.user("organizer")
    db.session.commit()
    login(client, organizer.username)
    staff = client.get(f"/survey/{campaign.id}/results?format=machine")
    assert staff.status_code == 200 and staff.data == (tmp_path / "R.csv").read_bytes()


def test_year_over_year_history_per_department(client, city, factory):
    published(city, factory, year=2025)
    published(city, factory, year=2026)
    html = client.get("/survey/history/E05").get_data(as_text=True)
    assert "市执法局05 · 历年评议结果" in html and html.count("约谈") >= 1 and "组织调整" in html
    assert "2025" in html and "2026" in html and "6 / 7" in html
    svg = client.get("/survey/history/E05.svg").get_data(as_text=True)
    assert "2025年" in svg and "2026年" in svg
    assert client.get("/survey/history/NOPE").status_code == 404


def test_receipt_board_lists_sorted_codes_and_never_choices(client, city, factory):
    campaign = city.campaign()
    seeded_votes(city, campaign)
    receipt = vote(campaign, city.heads[4], {"E09": S})
    close_and_tally(campaign)
    results.approve_and_publish(campaign, factory.user("leader"))
    db.session.commit()
    html = client.get("/survey/results/2026/receipts").get_data(as_text=True)
    board = re.findall(r"<li>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</li>", html)
    assert len(board) == 5 and board == sorted(board)
    assert not re.search(r"满意|basic|satisfied|E09", html.split('class="receipt-board')[1])
    found = client.get(f"/survey/results/2026/receipts?receipt={ballots.format_code(receipt).lower()}").get_data(as_text=True)
    assert "已找到" in found and ballots.board_code(ballots.receipt_hash(receipt)) in found
    assert "没有找到" in client.get("/survey/results/2026/receipts?receipt=" + "A" * 28).get_data(as_text=True)


# -- opinions ----------------------------------------------------------------------------------------
def test_releasing_opinions_asks_first_and_assigns_nothing_before(client, city, factory, login_as):
    """Issue 10 item 11: 反馈意见并交办整改 cannot be undone; without confirmation the server asks."""
    campaign = city.campaign()
    depts = {d.code: d for d in campaigns.departments(campaign)}
    vote(campaign, city.heads[0], {"E00": S}, opinions={depts["E00"].id: "执法检查太频繁"})
    close_and_tally(campaign)
    results.approve_and_publish(campaign, factory.user("leader"))
    db.session.commit()
    login_as("organizer")
    url, page = f"/survey/{campaign.id}/opinions/release", f"/survey/{campaign.id}/opinions"
    response = form_post(client, url, {"deadline": "2027-03-31"}, page=page)
    fields = confirm_page(response)
    assert "2027-03-31" in response.get_data(as_text=True) and fields["deadline"] == "2027-03-31"
    db.session.expire_all()
    assert results.rectification_matter(campaign, depts["E00"]) is None and campaign.rectification_deadline is None
    assert client.post(url, data=fields).status_code == 302
    db.session.expire_all()
    assert results.rectification_matter(campaign, depts["E00"]) is not None


def test_opinions_reach_only_their_own_department_after_publication_and_release(client, city, factory, login_as):
    campaign = city.campaign()
    depts = {d.code: d for d in campaigns.departments(campaign)}
    vote(campaign, city.heads[0], {"E00": S}, opinions={depts["E00"].id: "我们化工厂的环评批复拖了半年",
                                                        depts["E01"].id: "窗口态度好"})
    vote(campaign, city.heads[1], {"E00": B}, opinions={depts["E00"].id: "执法检查太频繁"})
    close_and_tally(campaign)
    db.session.commit()
    e00 = factory.user("department", unit=depts["E00"].unit)
    e01 = factory.user("department", unit=depts["E01"].unit)
    db.session.commit()
    assert results.own_opinions(campaign, e00) is None   # not before publication
    results.approve_and_publish(campaign, factory.user("leader"))
    assert results.own_opinions(campaign, e00) is None   # not before the organizer releases them
    opinion = next(o for o in db.session.scalars(results.opinion_query(campaign)) if "化工厂" in o.text)
    results.redact(campaign, opinion, "我们化工厂的")
    organizer = factory.user("organizer")
    assert results.release_opinions(campaign, date(2027, 3, 31), organizer) == 2
    db.session.commit()
    assert sorted(results.own_opinions(campaign, e00)) == ["执法检查太频繁", "［已隐去］环评批复拖了半年"]
    assert results.own_opinions(campaign, e01) == ["窗口态度好"]
    login(client, e00.username)
    html = client.get(f"/survey/feedback/{campaign.id}").get_data(as_text=True)
    assert "执法检查太频繁" in html and "环评批复拖了半年" in html
    assert "化工厂" not in html and "窗口态度好" not in html
    matter = results.rectification_matter(campaign, depts["E00"])
    ledger = client.get(f"/ledger/{matter.id}").get_data(as_text=True)
    assert "执法检查太频繁" in ledger and "化工厂" not in ledger and "窗口态度好" not in ledger
    other = results.rectification_matter(campaign, depts["E01"])
    assert client.get(f"/ledger/{other.id}").status_code == 403


def test_a_department_sees_no_other_departments_feedback(client, city, factory):
    campaign = published(city, factory)
    outsider = factory.user("department")      # a unit that was not rated
    db.session.commit()
    login(client, outsider.username)
    assert client.get(f"/survey/feedback/{campaign.id}").status_code == 403
    assert "尚未参加过" in client.get("/survey/feedback").get_data(as_text=True)


def test_the_organizer_redacts_through_the_page(client, city, factory, login_as):
    campaign = city.campaign()
    dept = campaigns.departments(campaign)[0]
    vote(campaign, city.heads[0], {"E00": S}, opinions={dept.id: "张三公司的事办得慢"})
    close_and_tally(campaign)
    db.session.commit()
    login_as("organizer")
    html = client.get(f"/survey/{campaign.id}/opinions").get_data(as_text=True)
    opinion_id = re.search(r'name="opinion_id" value="([0-9a-f]+)"', html).group(1)
    response = form_post(client, f"/survey/{campaign.id}/opinions/redact", {"opinion_id": opinion_id, "phrase": "李四"},
                         page=f"/survey/{campaign.id}/opinions")
    assert response.status_code == 422 and "没有找到要隐去的文字" in response.get_data(as_text=True)
    response = form_post(client, f"/survey/{campaign.id}/opinions/redact", {"opinion_id": opinion_id, "phrase": "张三公司"},
                         page=f"/survey/{campaign.id}/opinions")
    assert response.status_code == 302
    html = client.get(f"/survey/{campaign.id}/opinions").get_data(as_text=True)
    assert "［已隐去］的事办得慢" in html


def test_opinions_have_no_dates_and_no_link_to_their_ballot(app):
    from sqlalchemy import inspect

    columns = {c["name"] for c in inspect(db.engine).get_columns("survey_opinions")}
    assert columns == {"id", "campaign_id", "department_id", "text", "redacted"}


# -- the web tally equals the CLI tally ----------------------------------------------------------------
rating = st.sampled_from([core.BLANK, core.SATISFIED, core.BASIC, core.DISSATISFIED, core.UNKNOWN])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_property_web_tally_equals_cli_tally_on_the_same_ballots(city, runner, tmp_path_factory, data):
    """Random paper ballots (over the cap, unreadable marks and all) entered on the web, tallied
    there, exported as D.csv/B.csv and tallied by the CLI: the same R.csv, X.csv and chain head."""
    try:
        campaign = city.campaign(year=2026)
        n = {c: len(campaigns.departments(campaign, c)) for c in core.CATEGORIES}
        _, printed = ballots.issue_paper_codes(campaign, data.draw(st.integers(1, 8), label="ballots"))
        for code in printed:
            parts = {c: data.draw(st.lists(rating, min_size=n[c], max_size=n[c]), label=c) for c in core.CATEGORIES}
            parts["enforcement"][0] = core.SATISFIED  # never an empty ballot
            if data.draw(st.integers(0, 9), label="unreadable mark") == 0:
                parts["service"][data.draw(st.integers(0, n["service"] - 1))] = core.UNREADABLE
            ballots.enter_paper(campaign, code.code, BallotInput(parts=parts))
        ballots.close_voting(campaign)
        web = results.tally_campaign(campaign)
        folder = tmp_path_factory.mktemp("cli")
        (folder / "D.csv").write_bytes(files.departments_csv(campaigns.core_departments(campaign)))
        (folder / "B.csv").write_bytes(files.ballots_csv(ballots.rating_rows(campaign)))
        result = runner.invoke(args=["survey", "tally", "--departments", str(folder / "D.csv"), "--ballots",
                                     str(folder / "B.csv"), "--out", str(folder / "R.csv"), "--rejected",
                                     str(folder / "X.csv")])
        assert result.exit_code == 0, result.output
        assert (folder / "R.csv").read_bytes() == files.results_csv(results.stored_results(campaign))
        assert (folder / "R.csv").read_bytes() == files.results_csv(web.results)
        assert (folder / "X.csv").read_bytes() == files.rejected_csv(web.rejected)
        assert campaign.chain_head in result.output
    finally:
        db.session.rollback()


def tied_bottom_votes(city, campaign):
    """E00 100, E01 90, E02 85, E03 80, E04 = E05 = 55, E06 30: three in the bottom two."""
    vote(campaign, city.heads[0], {"E00": S, "E01": S, "E02": S, "E03": B, "E04": B, "E05": B, "E06": U}, {"S00": S})
    vote(campaign, city.heads[1], {"E01": B, "E02": B, "E04": U, "E05": U})
    vote(campaign, city.heads[2], {"E02": B})
    vote(campaign, city.heads[3], {"E02": B})


def test_the_results_pages_say_why_the_bottom_group_has_three(client, city, factory, login_as):
    campaign = published(city, factory, votes=tied_bottom_votes)
    rows = {r.code: r for r in results.stored_results(campaign)}
    assert [rows[c].score_text for c in ("E04", "E05", "E06")] == ["55.00", "55.00", "30.00"]
    assert {c for c, r in rows.items() if r.bottom_two and r.category == "enforcement"} == {"E04", "E05", "E06"}
    public_html = client.get("/survey/results/2026").get_data(as_text=True)
    login_as("organizer")
    staff_html = client.get(f"/survey/{campaign.id}/results").get_data(as_text=True)
    for html in (public_html, staff_html):
        enforcement, service = html.split('id="result-enforcement"')[1].split('id="result-service"')
        (note,) = re.findall(r'<p class="note group-note">(.*?)</p>', enforcement)   # no K note: three commended
        assert "市执法局04、市执法局05 同分 55.00" in note and "共 3 个" in note
        (note,) = re.findall(r'<p class="note group-note">(.*?)</p>', service)       # one ranked department
        assert note.startswith("市服务中心00 既在前 3 位又在后两位")
