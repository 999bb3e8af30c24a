"""Blueprint registration, explicit so every route is easy to find."""
from flask import Flask

LANG_PREFIX = "/<any(en,fr):lang>"


def register_blueprints(app: Flask) -> None:
    from hub.api import bp as api_bp
    from hub.views import assessments, files, health, insight, public, resources, search

    app.register_blueprint(public.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(resources.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(search.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(files.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(assessments.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(assessments.downloads)
    app.register_blueprint(insight.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(api_bp)
