"""Hostile bodies meet the glossary: a resource whose body repeats glossary
terms thousands of times, or hides them in attributes, links and code, still
answers at once, with each term marked once and nothing injected where the
sanitiser put attribute values."""
from __future__ import annotations

import re
import time

from tests.conftest import resource_text

TERMS_BOMB = ("Systemic racism, [equity](https://example.org), `anti-racism` and microaggressions; "
              "<abbr title='systemic racism > equity'>LIP</abbr> "
              "<span title='\">microaggression<b>'>Islamophobia</span>\n\n") * 5_000


def test_a_body_of_thousands_of_terms_is_marked_once_each_and_answers_at_once(app, client, runner, tmp_path):
    (tmp_path / "terms.md").write_text(resource_text(slug="terms", body=TERMS_BOMB), encoding="utf-8")
    result = runner.invoke(args=["hub", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    started = time.perf_counter()
    page = client.get("/en/resources/terms")
    elapsed = time.perf_counter() - started
    assert page.status_code == 200 and elapsed < 5, elapsed
    html = page.get_data(as_text=True)
    marked = re.findall(r'data-gloss="gloss-([a-z-]+)"', html)
    assert sorted(marked) == sorted({"systemic-racism", "microaggression", "islamophobia"})
    # Only the sanitiser's attributes; the marker never wrote inside one.
    assert 'title="systemic racism &gt; equity"' in html or 'title="systemic racism > equity"' in html
    assert "<b>'" not in html and html.count("<script") == html.count("</script>")

    started = time.perf_counter()
    glossary = client.get("/en/glossary")
    assert glossary.status_code == 200 and time.perf_counter() - started < 5
    assert 'href="/en/resources/terms"' in glossary.get_data(as_text=True)
