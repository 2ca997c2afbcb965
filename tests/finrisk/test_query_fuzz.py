"""Odd query arguments on every financial-risk list page, for the regulator, a bank and a county:
a page or a refusal, never a 500."""
import pytest

from govsvc.extensions import db
from tests.conftest import login, logout

ODD = ["²", "9" * 30, "-1", "0", "1.5", "x", "", " 2026 ", "2027-13", "2027-02"]
ARGS = ("page", "q", "year", "month", "bank", "county", "state", "status", "stage", "quarter", "proposed",
        "confirmed", "format")
PAGES = ("/finrisk/", "/finrisk/loans", "/finrisk/guarantees", "/finrisk/maturity", "/finrisk/network",
         "/finrisk/classes", "/finrisk/leaders", "/finrisk/rescues", "/finrisk/bridge", "/finrisk/listed",
         "/finrisk/blacklist")


@pytest.mark.parametrize("who", ["regulator", "gh_user", "zd_user"])
def test_odd_query_arguments_never_give_a_500(app, client, world, who):
    a = world.enterprise()
    world.loans([("L1", a, "100", "2026-01-01", "2027-01-01", "逾期")], world.gh_user)
    db.session.commit()
    login(client, getattr(world, who).username)
    for url in PAGES:
        for n, arg in enumerate(ARGS):
            value = ODD[(n + len(url)) % len(ODD)]
            response = client.get(url, query_string={arg: value, "format": "" if arg != "format" else value})
            assert response.status_code in (200, 403), (url, arg, value, response.status_code)
    logout(client)
