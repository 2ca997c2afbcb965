"""Keyed hashes need the deployment's key (issue 10, item 3): a command started without
GOVSVC_HASH_KEY / SECRET_KEY must refuse (exit 2, one line naming the variable), never hash with
a random key — that reported a person with a 污点 record as "not found" and made `import persons`
create duplicates that could never be found. Only tests (and the demo's fixed key) may do without."""
import contextvars
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from govsvc import create_app
from govsvc.audit.models import AuditEntry
from govsvc.crypto import EphemeralKeyError, has_stable_key, keyed_hash, keyed_hasher
from govsvc.extensions import db
from govsvc.integrity import records
from govsvc.registry.imports import person_id_hash
from govsvc.registry.models import Person
from tests.conftest import BASE_CONFIG
from tests.factories import make_id_number

NUMBER = make_id_number(4242)


@pytest.fixture
def stained(app, factory):
    """A person (found by the test key's hash of NUMBER) with a demerit decided last year."""
    unit = factory.unit("SCJ", name="市市场监督管理局")
    person = factory.person(unit, name="李爱丽")
    person.id_hash = person_id_hash(NUMBER)
    staff = factory.user("discipline")
    records.file_record(staff, person, {"decision": "demerit", "decision_date": date(2025, 6, 1),
                                        "facts": "在服务企业中吃拿卡要。", "filed_by": "city_commission"})
    db.session.commit()
    return person


def cli_app(database_url: str, **keys):
    """The app `govsvc` builds for a command, with only the given keys (none: as from a shell
    where neither variable is set)."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "", "HASH_KEY": "", **keys}, cli=True)


def invoke(cli, *args):
    """Run a command of `cli` as its own process would: outside the test's app context (an empty
    contextvars context), so that `with_appcontext` pushes this app's."""
    def run():
        result = cli.test_cli_runner().invoke(args=list(args))
        with cli.app_context():
            db.engine.dispose()
        return result

    return contextvars.Context().run(run)


def candidates(tmp_path: Path) -> Path:
    path = tmp_path / "candidates.csv"
    path.write_text(f"id_number\n{NUMBER}\n", encoding="utf-8")
    return path


def test_check_without_keys_refuses_instead_of_finding_no_one(app, stained, database_url, tmp_path):
    out = tmp_path / "out.csv"
    audits = db.session.scalar(select(func.count()).select_from(AuditEntry))
    db.session.commit()
    result = invoke(cli_app(database_url), "integrity", "check", str(candidates(tmp_path)), "--on", "2026-01-10",
                    "--purpose", "干部选拔任用考察", "--out", str(out))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "GOVSVC_HASH_KEY" in lines[0] and "SECRET_KEY" in lines[0]
    assert not out.exists()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_check_with_the_servers_key_finds_the_person(app, stained, database_url, tmp_path):
    out = tmp_path / "out.csv"
    db.session.commit()
    result = invoke(cli_app(database_url, HASH_KEY=BASE_CONFIG["HASH_KEY"]), "integrity", "check",
                    str(candidates(tmp_path)), "--on", "2026-01-10", "--purpose", "干部选拔任用考察", "--out", str(out))
    assert result.exit_code == 0, result.output
    row = out.read_text(encoding="utf-8").splitlines()[1].split(",")
    assert row[2:6] == ["李爱丽", "市市场监督管理局", "1", "1"]


def test_import_persons_without_keys_writes_nothing(app, stained, database_url, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text(f"id_number,name,unit_code,post\n{NUMBER},李爱丽,SCJ,科长\n{make_id_number(4243)},王博,SCJ,科员\n",
                    encoding="utf-8")
    db.session.commit()
    result = invoke(cli_app(database_url), "import", "persons", str(path))
    assert result.exit_code == 2 and "GOVSVC_HASH_KEY" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1
    db.session.commit()  # (a test session holds SQLite's write lock from its first query)
    # With the key the same file updates the one person and adds the other: no duplicate.
    result = invoke(cli_app(database_url, HASH_KEY=BASE_CONFIG["HASH_KEY"]), "import", "persons", str(path))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Person)) == 2


def test_commands_that_hash_nothing_run_without_keys(app, database_url, tmp_path):
    db.session.commit()
    result = invoke(cli_app(database_url), "import", "units", str(_units(tmp_path)))
    assert result.exit_code == 0, result.output


def _units(tmp_path: Path) -> Path:
    path = tmp_path / "units.csv"
    path.write_text("code,name,level\nFGW,市发展和改革委员会,city\n", encoding="utf-8")
    return path


def test_keyed_hash_refuses_an_ephemeral_key_outside_tests(database_url):
    keyless = cli_app(database_url)
    with keyless.app_context():  # nested in the test's context: current_app is this one
        assert keyless.config["SECRET_KEY_EPHEMERAL"] and not has_stable_key()
        with pytest.raises(EphemeralKeyError):
            keyed_hash("person-id", NUMBER)
        with pytest.raises(EphemeralKeyError):
            keyed_hasher("person-id")
    with cli_app(database_url, SECRET_KEY="s" * 40).app_context():  # SECRET_KEY alone is stable
        assert has_stable_key()
        # the list form (the key looked up once) hashes exactly as the single form
        assert keyed_hasher("person-id")(NUMBER) == keyed_hash("person-id", NUMBER) != keyed_hash("other", NUMBER)
    with cli_app(database_url, TESTING=True).app_context():  # tests may use a random key
        keyed_hash("person-id", NUMBER)


def test_the_demo_hashes_with_its_fixed_key(database_url):
    demo = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "DEMO": True, "SECRET_KEY": "", "HASH_KEY": ""})
    with demo.app_context():
        assert has_stable_key()
        first = keyed_hash("person-id", NUMBER)
    again = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "DEMO": True, "SECRET_KEY": "", "HASH_KEY": ""})
    with again.app_context():
        assert keyed_hash("person-id", NUMBER) == first


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_real_command_line_refuses(database_url, app, tmp_path):
    """The installed `govsvc` script, from a shell without either variable."""
    db.session.commit()
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "GOVSVC_HASH_KEY")}
    env["DATABASE_URL"] = database_url
    exe = Path(sys.executable).with_name("govsvc")
    result = subprocess.run([str(exe), "integrity", "check", str(candidates(tmp_path)), "--on", "2026-01-10",
                             "--purpose", "考察", "--out", str(tmp_path / "out.csv")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "GOVSVC_HASH_KEY" in result.stderr
    assert not (tmp_path / "out.csv").exists()
