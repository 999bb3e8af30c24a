"""Jinja helpers bound once per render: the same text as Flask-Babel's own
callables, and never a binding carried from one request to the next."""
from flask import render_template_string
from markupsafe import Markup

TEMPLATE = ('{{ _("for %(q)s", q=q) }}|{{ gettext("Search the hub") }}|'
            '{{ ngettext("%(num)s resource", "%(num)s resources", n) }}|'
            '{{ ngettext("%(num)s resource", "%(num)s resources", 1) }}|{{ _("100%% sure") }}')


def test_the_search_page_switches_language_request_by_request(client):
    for lang, heading in (("en", "Search the hub"), ("fr", "Rechercher dans le carrefour"),
                          ("en", "Search the hub"), ("fr", "Rechercher dans le carrefour")):
        body = client.get(f"/{lang}/search?q=x").get_data(as_text=True)
        assert f"<h1>{heading}</h1>" in body, lang
        assert ("Words to search for" in body) == (lang == "en")


def test_render_callables_give_what_flask_babels_give(app):
    for lang in ("fr", "en"):
        with app.test_request_context(f"/{lang}/search"):
            app.preprocess_request()
            # render_template_string runs the context processors (the per-render
            # callables); a template rendered straight from the environment uses
            # Flask-Babel's globals.
            ours = render_template_string(TEMPLATE, q=Markup("<b>") + "&", n=3)
            theirs = app.jinja_env.from_string(TEMPLATE).render(q=Markup("<b>") + "&", n=3)
            assert ours == theirs
            assert "<b>&amp;" in ours and "100% sure" in ours
            assert ("pour" in ours) == (lang == "fr")


def test_memoised_dates_and_percent_follow_the_request_language(app):
    from datetime import date
    from types import SimpleNamespace

    from flask_babel import format_date, format_percent

    from hub.templating import published_label, text_size_percent

    resource = SimpleNamespace(published="2013-07-23", published_on=date(2013, 7, 23))
    seen = []
    for lang in ("en", "fr", "en", "fr"):
        with app.test_request_context(f"/{lang}/search"):
            app.preprocess_request()
            label = published_label(resource)
            assert label == format_date(resource.published_on, "long")
            assert text_size_percent() == format_percent(1)
            seen.append(label)
    assert seen == ["July 23, 2013", "23 juillet 2013"] * 2
    assert published_label(SimpleNamespace(published="2013", published_on=date(2013, 1, 1))) == "2013"


def test_url_builder_builds_what_url_for_builds(app):
    from flask import url_for

    from hub.templating import url_builder

    for lang in ("en", "fr"):
        with app.test_request_context(f"/{lang}/search?q=x"):
            app.preprocess_request()
            build = url_builder("resources.show")
            for slug in ("guide-2024", "é t/é?&", "x" * 120):
                assert build(slug=slug) == url_for("resources.show", slug=slug)
            assert build(slug="a", lang="fr") == url_for("resources.show", slug="a", lang="fr")
            assert build(slug="a").startswith(f"/{lang}/")


def test_render_bound_labels_follow_the_request_language(client, make_resource):
    make_resource(slug="g", title="Hiring guide", type="guide", published="2021-05-04")
    en = client.get("/en/search?q=hiring").get_data(as_text=True)
    fr = client.get("/fr/search?q=hiring").get_data(as_text=True)
    assert "Guide · Calgary Local Immigration Partnership · May 4, 2021 · English" in en
    assert "4 mai 2021" in fr and "May 4, 2021" not in fr
