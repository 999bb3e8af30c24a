"""What an attacker sends: the submission form as a browser would post it,
filled with hostile values, and the editor's publish button."""
from __future__ import annotations

import re

from tests.flows import post_form

VALID_FORM = {
    "title": "Hiring Without Bias",
    "type": "toolkit",
    "summary": "Practices for employers in small municipalities.",
    "racism_types": ["anti-black", "systemic"],
    "audiences": ["employers"],
    "topics": "hiring, workplace policy",
    "language": "en",
    "organization": "Calgary Local Immigration Partnership",
    "authors": "Nadia Okafor",
    "published": "2022-03-15",
    "region": "ab",
    "access": "public",
    "content_warning": "",
    "body": "## Why\n\nBecause fairness matters.",
}


def submission_id(response) -> int:
    return int(re.search(r"/submit/(\d+)", response.headers["Location"]).group(1))


def post_submission(client, action: str = "save", path: str = "/en/submit", **fields):
    """POST the submission form with `fields` over the valid ones."""
    data = dict(VALID_FORM, **fields)
    data["action"] = action
    return post_form(client, path, data, page="/en/submit")
