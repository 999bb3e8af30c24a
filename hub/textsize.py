"""The reader's text size: a cookie the server reads to set a class on <html>,
so the choice holds on every page and visit, with or without JavaScript.

static/js/fontsize.js changes the same cookie and class without a reload;
without JavaScript the header's links go through ``/<lang>/text-size/<action>``
which sets the cookie and sends the reader back to the page they were on.
"""
from __future__ import annotations

COOKIE = "hub_text_size"
#: Root font sizes in per cent; index 1 (100 %) is the default.
STEPS = (90, 100, 110, 125, 150, 175, 200)
DEFAULT = 1
ACTIONS = ("smaller", "reset", "larger")
MAX_AGE = 365 * 24 * 3600


def step_from_cookie(value: str | None) -> int:
    try:
        step = int(value or "")
    except ValueError:
        return DEFAULT
    return step if 0 <= step < len(STEPS) else DEFAULT


def apply(step: int, action: str) -> int:
    if action == "smaller":
        return max(0, step - 1)
    if action == "larger":
        return min(len(STEPS) - 1, step + 1)
    return DEFAULT


def percent(step: int) -> int:
    return STEPS[step]
