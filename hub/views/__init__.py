"""Blueprint registration, explicit so every route is easy to find."""
from flask import Flask

LANG_PREFIX = "/<any(en,fr):lang>"


def register_blueprints(app: Flask) -> None:
    from hub.views import files, public, resources

    app.register_blueprint(public.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(resources.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(files.bp)
