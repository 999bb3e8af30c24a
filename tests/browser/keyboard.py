"""Moving through a page with the keyboard only, as the browser tests do:
whatever a test reaches this way, a keyboard user can reach."""
from __future__ import annotations


def is_focused(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate("el => el === document.activeElement")


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching ``selector`` has the focus: it is
    reachable with the keyboard, in the page's order."""
    page.locator(selector).first.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(page, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def press_enter_and_wait(page) -> None:
    """Enter on the focused link or button, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
