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
