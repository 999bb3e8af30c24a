"""The Anti-Racism Resource Hub."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from hub.canonical import HubFlask

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app from the environment, with ``overrides`` on top (tests)."""
    from config import load_settings
    from hub import canonical, clean_request, cli, delivery, errors, headers, i18n, logs, templating
    from hub.api import http as api_http
    from hub.extensions import babel, csrf, db, limiter, login_manager, migrate
    from hub.paths import site_path
    from hub.search.index import SearchIndex
    from hub.search.snippets import HitTextCache
    from hub.security import form_size, origin
    from hub.services import follower
    from hub.views import register_blueprints

    app = HubFlask(__name__, template_folder=str(site_path("templates")), static_folder=str(site_path("static")),
                   instance_path=str(ROOT / "instance"))
    app.config.update(load_settings(overrides))
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted > 0:
        # Behind a reverse proxy every reader would otherwise share the proxy's
        # address, and per-address sign-in limits would pause everyone at once.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
    from hub.body_timeout import BodyTimeout

    # A slow or stalled body costs one thread a bounded time, never a worker forever.
    app.wsgi_app = BodyTimeout(  # type: ignore[method-assign]  # as above
        app.wsgi_app, idle=float(app.config["BODY_IDLE_TIMEOUT"]),
                               total=float(app.config["BODY_TOTAL_TIMEOUT"]))
    logs.init_app(app)  # first, so every later hook's log lines carry the request id
    canonical.init_app(app)  # then refuse a foreign Host before anything else looks at the request
    origin.init_app(app)  # a POST from another site, before the CSRF check reads its form
    form_size.init_app(app)  # a form too large for its kind, before anything reads it

    db.init_app(app)
    migrate.init_app(app, db, directory=str(site_path("migrations")))
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    babel.init_app(app, locale_selector=i18n.current_language)
    csrf.init_app(app)
    limiter.init_app(app)
    app.extensions["hub.index"] = SearchIndex(app.config["INDEX_DIR"])
    app.extensions["hub.hit_texts"] = HitTextCache()

    from hub.security import auth  # noqa: F401 - registers the user loader

    clean_request.init_app(app)
    i18n.init_app(app)
    headers.init_app(app)
    delivery.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    register_blueprints(app)
    api_http.init_app(app)
    follower.init_app(app)
    app.cli.add_command(cli.hub_cli)
    return app
