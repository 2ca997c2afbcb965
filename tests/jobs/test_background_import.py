"""Large web imports run in the background with a status page; the result is the same as a
direct import, a bad file writes nothing, and only its creator (or an admin) sees the job."""
import io
import re
import time

from sqlalchemy import func, select

from govsvc.audit.models import AuditEntry
from govsvc.extensions import db
from govsvc.registry.models import Enterprise
from tests.conftest import form_post, logout
from tests.registry.test_imports import C3, GOOD


def _upload(client, text: str, mode: str = "all"):
    return form_post(client, "/registry/import", {"kind": "enterprises", "mode": mode,
                                                   "file": (io.BytesIO(text.encode()), "big.csv")},
                     content_type="multipart/form-data")


def _wait(client, url: str) -> str:
    deadline = time.time() + 30
    while time.time() < deadline:
        html = client.get(url).get_data(as_text=True)
        if 'http-equiv="refresh"' not in html:
            return html
        time.sleep(0.2)
    raise AssertionError("job did not finish: " + html)


def test_background_import_reports_like_a_direct_one(app, client, login_as):
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    admin = login_as("admin")
    response = _upload(client, GOOD)
    assert response.status_code == 302 and response.headers["Location"].startswith("/jobs/")
    job_url = response.headers["Location"]
    html = _wait(client, job_url)
    assert "已完成" in html and "新增 2 条" in html
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import.enterprises"))
    assert entry.user_id == admin.id
    db.session.commit()
    logout(client)
    login_as("admin")  # another admin may look
    assert client.get(job_url).status_code == 200
    logout(client)
    login_as("leader")
    assert client.get(job_url).status_code == 403


def test_background_import_with_a_bad_row_writes_nothing(app, client, login_as):
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    login_as("admin")
    response = _upload(client, GOOD + f"{C3},丁公司,农业,1,,,0,存续\n")
    html = _wait(client, response.headers["Location"])
    assert "未导入任何数据" in html and re.search(r"<td class=\"num\">4</td><td>行业类别</td>", html)
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 0


def test_background_import_of_an_unreadable_file_fails_clearly(app, client, login_as):
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    login_as("admin")
    response = _upload(client, "name,industry\n甲,工业\n")
    html = _wait(client, response.headers["Location"])
    assert 'class="flash flash-danger">缺少必需的列' in html
    assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 0
