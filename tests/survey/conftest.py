"""Survey fixtures: a city with the seed's 40 + 19 rated departments, taxpaying enterprises with
evaluator accounts, and campaigns brought to a given stage through the services."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from govsvc.extensions import db
from govsvc.survey import ballots, campaigns, results
from govsvc.survey.ballots import BallotInput
from scoring import survey as core

N_ENFORCEMENT, N_SERVICE = 40, 19


class City:
    def __init__(self, factory, *, enforcement=N_ENFORCEMENT, service=N_SERVICE, enterprises=12, accounts=10):
        self.factory = factory
        self.units = [factory.unit(code=f"E{i:02d}", name=f"市执法局{i:02d}", survey_category="enforcement")
                      for i in range(enforcement)]
        self.units += [factory.unit(code=f"S{i:02d}", name=f"市服务中心{i:02d}", survey_category="service")
                       for i in range(service)]
        factory.unit(code="XX", name="不参加评议的单位")
        self.enterprises = [factory.enterprise(name=f"纳税企业{i:02d}", head_name=f"负责人{i:02d}",
                                               tax={2024: 10_000 - i, 2025: 1_000_000 - i})
                            for i in range(enterprises)]
        self.heads = [factory.user("evaluator", username=f"head{i + 1:03d}", enterprise=e)
                      for i, e in enumerate(self.enterprises[:accounts])]
        db.session.flush()

    def campaign(self, year=2026, stage="open", **kwargs):
        campaign = campaigns.create_campaign(year=year, **kwargs)
        if stage == "draft":
            return campaign
        campaigns.load_departments(campaign)
        campaigns.load_evaluators(campaign)
        campaigns.confirm_lists(campaign)
        if stage != "lists_confirmed":
            campaigns.open_voting(campaign)
        db.session.flush()
        return campaign


@pytest.fixture
def city(app, factory):
    city = City(factory)
    db.session.commit()
    return city


def ballot(n_e=N_ENFORCEMENT, n_s=N_SERVICE, *, satisfied=0, dissatisfied=0, basic=0, unknown=0,
           s_satisfied=0, s_dissatisfied=0, s_basic=0, opinions=None) -> BallotInput:
    def part(n, s, d, b, u):
        row = [core.SATISFIED] * s + [core.DISSATISFIED] * d + [core.BASIC] * b + [core.UNKNOWN] * u
        return row + [core.BLANK] * (n - len(row))
    return BallotInput(parts={"enforcement": part(n_e, satisfied, dissatisfied, basic, unknown),
                              "service": part(n_s, s_satisfied, s_dissatisfied, s_basic, 0)},
                       opinions=opinions or {})


def ratings_form(campaign, words: dict[str, str] | None = None, opinions: dict[str, str] | None = None) -> dict:
    """Form data for the online ballot: d-<code> → rating word, o-<code> → opinion."""
    data = {f"d-{code}": word for code, word in (words or {}).items()}
    data.update({f"o-{code}": text for code, text in (opinions or {}).items()})
    return data


def close_and_tally(campaign):
    ballots.close_voting(campaign)
    results.tally_campaign(campaign)
    db.session.flush()


def sealed_ballots() -> list[SimpleNamespace]:
    """The ballots waiting sealed in the inbox, opened with the application's key (what closing
    will write): enforcement/service bytes, *_invalid reasons, receipt_hash, opinions {dept id: text}."""
    from sqlalchemy import select

    from govsvc.survey import sealing
    from govsvc.survey.models import SealedBallot

    opened = []
    for entry in db.session.scalars(select(SealedBallot)):
        b = sealing.open_sealed(entry.campaign_id, entry.id, entry.sealed)
        opened.append(SimpleNamespace(
            enforcement=bytes.fromhex(b["enforcement"]), service=bytes.fromhex(b["service"]),
            enforcement_invalid=b["enforcement_invalid"], service_invalid=b["service_invalid"],
            receipt_hash=b["receipt_hash"], opinions={int(k): v for k, v in b["opinions"].items()}))
    return opened


def ballot_count() -> int:
    """Ballots cast: sealed in the inbox while voting is open, in survey_ballots after closing."""
    from sqlalchemy import func, select

    from govsvc.survey.models import Ballot, SealedBallot

    return sum(db.session.scalar(select(func.count()).select_from(m)) for m in (Ballot, SealedBallot))
