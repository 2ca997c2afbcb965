"""Who may open which survey page, and who may NOT: every page and every action with every role."""
import pytest

from govsvc.auth.roles import ALL_ROLES
from govsvc.extensions import db
from govsvc.survey import results
from tests.conftest import csrf_from
from tests.survey.conftest import ballot, close_and_tally

STAFF = {"organizer", "notary", "leader"}
AUDITORS = {"organizer", "notary"}
ORGANIZER = {"organizer"}
PUBLIC = set(ALL_ROLES) | {None}

PAGES = {
    "/survey/": STAFF,
    "/survey/new": ORGANIZER,
    "/survey/{id}": STAFF,
    "/survey/{id}/settings": ORGANIZER,
    "/survey/{id}/departments": STAFF,
    "/survey/{id}/departments?format=xlsx": STAFF,
    "/survey/{id}/evaluators": STAFF,
    "/survey/{id}/credentials": STAFF,
    "/survey/{id}/results": STAFF,
    "/survey/{id}/results?format=csv": STAFF,
    "/survey/{id}/chart-enforcement.svg": STAFF,
    "/survey/{id}/audit": AUDITORS,
    "/survey/{id}/audit/ballots": AUDITORS,
    "/survey/{id}/ballots.csv": AUDITORS,
    "/survey/{id}/departments.csv": AUDITORS,
    "/survey/{id}/rejected.csv": AUDITORS,
    "/survey/{id}/chain.csv": AUDITORS,
    "/survey/{id}/opinions": ORGANIZER,
    "/survey/{id}/rectification": ORGANIZER,
    "/survey/{id}/paper-form": ORGANIZER,
    "/survey/vote": {"evaluator"},
    "/survey/feedback": {"department"},
    "/survey/results/": PUBLIC,
    "/survey/results/2026": PUBLIC,
    "/survey/results/2026?format=xlsx": PUBLIC,
    "/survey/results/2026/receipts": PUBLIC,
    "/survey/results/2026/service.svg": PUBLIC,
    "/survey/history/E00": PUBLIC,
}

ACTIONS = {
    "/survey/{id}/action/close": ORGANIZER,
    "/survey/{id}/action/tally": ORGANIZER,
    "/survey/{id}/publish": {"leader"},
    "/survey/{id}/codes": ORGANIZER,
    "/survey/{id}/paper": ORGANIZER,
    "/survey/{id}/departments/load": ORGANIZER,
    "/survey/{id}/evaluators/add": ORGANIZER,
    "/survey/{id}/opinions/release": ORGANIZER,
    "/survey/{id}/opinions/redact": ORGANIZER,
    "/survey/{id}/ballot": {"evaluator"},
}


@pytest.fixture
def published_campaign(city, factory):
    campaign = city.campaign()
    ballots_ = [ballot(satisfied=2, basic=3, s_basic=1), ballot(dissatisfied=1, s_satisfied=1)]
    from govsvc.survey import ballots as service

    for head, entry in zip(city.heads, ballots_):
        service.cast_online(campaign, head, entry)
    close_and_tally(campaign)
    results.approve_and_publish(campaign, factory.user("leader"))
    db.session.commit()
    return campaign


@pytest.mark.parametrize("role", list(ALL_ROLES) + [None])
def test_each_role_opens_exactly_its_survey_pages(client, login_as, published_campaign, role):
    if role:
        login_as(role)
    for template, allowed in PAGES.items():
        path = template.format(id=published_campaign.id)
        status = client.get(path).status_code
        if role in allowed:
            assert status in (200, 302), (role, path, status)
            if status == 302:
                assert "/login" not in client.get(path).headers.get("Location", ""), (role, path)
        elif role is None:
            assert status == 302 and "/login" in client.get(path).headers["Location"], (role, path, status)
        else:
            assert status == 403, (role, path, status)


@pytest.mark.parametrize("role", [r for r in ALL_ROLES])
def test_each_role_may_not_take_others_actions(client, login_as, published_campaign, role):
    login_as(role)
    token = csrf_from(client.get("/account/password").get_data(as_text=True))
    for template, allowed in ACTIONS.items():
        if role in allowed:
            continue
        path = template.format(id=published_campaign.id)
        assert client.post(path, data={"csrf_token": token}).status_code == 403, (role, path)
    assert published_campaign.status == "published"
