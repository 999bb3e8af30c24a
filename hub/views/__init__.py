"""Blueprint registration, explicit so every route is easy to find."""
from flask import Flask

LANG_PREFIX = "/<any(en,fr):lang>"


def register_blueprints(app: Flask) -> None:
    from hub import feeds, oai, sitemap
    from hub.api import bp as api_bp
    from hub.views import (
        account,
        admin,
        apidocs,
        assessment_rounds,
        assessments,
        browse,
        digests,
        favicon,
        files,
        glossary,
        health,
        insight,
        pages,
        pathways,
        public,
        resources,
        review,
        saved_searches,
        search,
        submit,
        tokens,
    )

    app.register_blueprint(public.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(resources.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(search.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(browse.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(pages.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(glossary.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(pathways.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(files.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(favicon.bp)
    app.register_blueprint(assessments.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(assessments.downloads)
    app.register_blueprint(assessment_rounds.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(insight.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(api_bp)
    app.register_blueprint(tokens.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(saved_searches.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(digests.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(apidocs.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(sitemap.bp)
    app.register_blueprint(oai.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(account.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(submit.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(submit.files_bp)
    app.register_blueprint(review.bp, url_prefix=LANG_PREFIX)
    app.register_blueprint(admin.bp, url_prefix=LANG_PREFIX)
