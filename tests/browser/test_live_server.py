"""The browser fixtures themselves: a real server, a real Chromium, axe."""
import pytest

pytestmark = pytest.mark.browser


def test_home_page_is_served_in_both_languages(page):
    page.goto("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.is_visible()
    page.goto("/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_axe_check_reports_a_serious_violation(page, axe_check):
    """The helper must fail on a real problem, or the accessibility tests prove nothing."""
    page.goto("/en/")
    # An image without alternative text is a critical axe violation (image-alt).
    page.evaluate("""() => { const img = document.createElement('img');
        img.src = '/static/none.png'; document.querySelector('main').appendChild(img); }""")
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        axe_check(page)
