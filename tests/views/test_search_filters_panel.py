"""The search page's filters panel as the HTML says it: "Filters (n)", the top
values of each facet with "Show all (n)", ticked values always shown (even at
0), and the one-line explanation of the counts."""
from __future__ import annotations

from lxml import html


def doc(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.fromstring(response.get_data(as_text=True))


def test_filters_control_counts_the_ticked_values(client, make_resource):
    make_resource(slug="a", region="on")
    page = doc(client, "/en/search?region=on&region=qc&type=toolkit")
    assert page.xpath("//details[@id='filters']/summary")[0].text_content().strip() == "Filters (3)"
    assert page.xpath("//p[@id='facet-help']") and page.xpath("//fieldset[@aria-describedby='facet-help']")
    fr = doc(client, "/fr/search")
    assert fr.xpath("//details[@id='filters']/summary")[0].text_content().strip() == "Filtres (0)"


def test_top_values_then_show_all_and_ticked_values_stay_in_view(client, make_resource):
    regions = ["on", "qc", "bc", "ab", "sk", "mb", "nb"]
    for n, region in enumerate(regions):
        for copy in range(len(regions) - n):  # Ontario most, New Brunswick least
            make_resource(slug=f"r-{region}-{copy}", region=region, language="en")
    page = doc(client, "/en/search")
    facet = page.xpath("//fieldset[@id='facet-region']")[0]
    shown = facet.xpath("./ul/li/input/@value")
    hidden = facet.xpath("./details[@class='facet-more']/ul/li/input/@value")
    assert shown == ["on", "qc", "bc", "ab", "sk"] and hidden == ["mb", "nb"]
    assert facet.xpath("./details/summary")[0].text_content().startswith("Show all (7)")
    # A ticked value outside the top five moves into view.
    ticked = doc(client, "/en/search?region=nb").xpath("//fieldset[@id='facet-region']")[0]
    assert "nb" in ticked.xpath("./ul/li/input[@checked]/@value")
    # A ticked value with no result left (another facet excludes it) is still shown, at 0.
    zero = doc(client, "/en/search?region=nb&language=fr").xpath("//fieldset[@id='facet-region']")[0]
    assert zero.xpath("./ul/li[input[@value='nb'][@checked]]/label/span")[0].text_content() == "(0)"
