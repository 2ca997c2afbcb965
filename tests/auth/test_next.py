"""`next` after login (issue 10, item 7): only a clean local path is followed; anything else is
dropped (never a 500, never another host)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsvc.auth.access import safe_next
from govsvc.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_from

BAD = [
    "/\r\n//evil.example",        # the audit's case: CR LF split the Location header (500)
    "/\r\nSet-Cookie: x=1",
    "/\n/evil.example",
    "/\t/evil.example",           # urlsplit drops the tab: "//evil.example"
    "/\x00/x",
    "/ /evil",
    "/\u2028/evil",               # a Unicode line separator
    "/\u200b/evil",               # a zero-width space (format character)
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/" + "a" * 3000,
]
GOOD = ["/", "/registry/enterprises", "/registry/enterprises?q=%E4%BC%81%E4%B8%9A&page=2", "/survey/3/results#top"]


@pytest.mark.parametrize("target", BAD)
def test_unclean_targets_are_dropped(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", GOOD)
def test_clean_local_paths_are_kept(target):
    assert safe_next(target) == target


@given(st.text(max_size=40))
def test_whatever_is_kept_is_a_clean_local_path(text):
    kept = safe_next("/" + text)
    if kept is not None:
        assert not kept.startswith("//") and "\\" not in kept
        assert all(c.isprintable() and not c.isspace() for c in kept)


@pytest.mark.parametrize("query", ["next=%2F%0D%0A%2F%2Fevil.example", "next=%2F%09%2Fevil.example",
                                   "next=%2F%5Cevil.example", "next=%2F%E2%80%A8%2Fevil"])
def test_login_with_an_unclean_next_goes_to_the_dashboard(client, factory, query):
    user = factory.user("admin")
    db.session.commit()
    html = client.get("/login").get_data(as_text=True)
    response = client.post(f"/login?{query}",
                           data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_from(html)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_login_follows_a_clean_next(client, factory):
    user = factory.user("admin")
    db.session.commit()
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=%2Fregistry%2Fenterprises%3Fpage%3D2",
                           data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": csrf_from(html)})
    assert response.status_code == 302 and response.headers["Location"] == "/registry/enterprises?page=2"
