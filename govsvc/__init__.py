"""govsvc — 政企服务平台. `create_app()` is the application factory: it reads configuration and
wires extensions and blueprints, and does no database or disk I/O (migrations run through
`govsvc db upgrade`, demo seeding through `govsvc serve --demo`)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from govsvc import config as config_module
from govsvc.routing import LazyRule

PACKAGE_DIR = Path(__file__).resolve().parent
DEMO_HASH_KEY = "govsvc-demo-hash-key-not-for-production"


def resource_dir(name: str) -> Path:
    """templates/, migrations/, seed/: beside the package in a checkout, inside it in a wheel."""
    source = PACKAGE_DIR.parent / name
    return source if source.is_dir() else PACKAGE_DIR / f"_{name}"


def _instance_path() -> str:
    return os.environ.get("GOVSVC_INSTANCE_PATH") or str(Path.cwd() / "instance")


def create_app(config: dict | None = None, *, cli: bool = False) -> Flask:
    app = Flask(
        "govsvc",
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=_instance_path(),
    )
    app.url_rule_class = LazyRule
    app.config.update(config_module.DEFAULTS)
    app.config.update(config_module.from_environment())
    app.config.update(config or {})
    _configure_keys(app, cli)
    _configure_database(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_request_hooks(app)
    _register_commands(app)
    from govsvc.auth.access import check_every_view_has_access

    check_every_view_has_access(app)
    return app


def _configure_keys(app: Flask, cli: bool) -> None:
    if not app.config["SECRET_KEY"] and (cli or app.config["TESTING"] or app.config["DEMO"]):
        # CLI commands that never serve a page need no stable key; keyed hashes refuse it.
        app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
        app.config["SECRET_KEY_EPHEMERAL"] = True
    if app.config["DEMO"] and not app.config.get("HASH_KEY"):
        app.config["HASH_KEY"] = DEMO_HASH_KEY
    if not cli:
        config_module.check_secret_key(app.config)


def _configure_database(app: Flask) -> None:
    # (imported here, not above: `import govsvc` stays free of SQLAlchemy, for the offline CLIs)
    from govsvc.database import default_sqlite_url, engine_options, normalise_url

    url = app.config.get("SQLALCHEMY_DATABASE_URI") or default_sqlite_url(app.instance_path)
    url = normalise_url(url)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = dict(engine_options(url))
    options.update(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _register_extensions(app: Flask) -> None:
    from govsvc.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    from govsvc.auth import sessions

    sessions.init_app(app)
    from govsvc import models  # noqa: F401  (every table known to the metadata)

    if os.environ.get("GOVSVC_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(os.environ["GOVSVC_PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


class _RowId(IntegerConverter):
    """`<int:…>` in every route: a row id or year that fits a database integer. A larger number
    (e.g. /ledger/99999999999999999999) is a 404 here, not an overflow (a 500) in the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = _RowId
    from govsvc.admin.views import bp as admin_bp
    from govsvc.audit.views import bp as audit_bp
    from govsvc.auth.views import bp as auth_bp
    from govsvc.inspections.views import bp as inspections_bp
    from govsvc.jobs import imports as _import_jobs  # noqa: F401  (registers the import job runner)
    from govsvc.jobs.views import bp as jobs_bp
    from govsvc.integrity.org_views import org_bp as integrity_org_bp
    from govsvc.integrity.public_views import public_bp as integrity_public_bp
    from govsvc.integrity.views import bp as integrity_bp
    from govsvc.grading.views import bp as grading_bp
    from govsvc.ledger.views import bp as ledger_bp
    from govsvc.main import bp as main_bp
    from govsvc.registry.views import bp as registry_bp
    from govsvc.survey.views import bp as survey_bp
    from govsvc.portal.views import bp as portal_bp
    from govsvc.care.views import bp as care_bp
    from govsvc.bankruptcy.views import bp as bankruptcy_bp
    from govsvc.finrisk.views import bp as finrisk_bp

    for blueprint in (main_bp, auth_bp, admin_bp, registry_bp, ledger_bp, audit_bp, jobs_bp, integrity_bp,
                      integrity_public_bp, integrity_org_bp, grading_bp, survey_bp, inspections_bp, portal_bp, care_bp, bankruptcy_bp,
                      finrisk_bp):
        app.register_blueprint(blueprint)


def _register_request_hooks(app: Flask) -> None:
    from govsvc import errors, security, web

    security.init_app(app)
    errors.init_app(app)
    web.init_app(app)
    from govsvc import main

    main.init_app(app)  # /healthz answered before Flask's request handling


def _register_commands(app: Flask) -> None:
    from govsvc.cli import register_commands

    register_commands(app)
