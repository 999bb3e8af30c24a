"""The policy's read rule as SQL, for listings that come straight from the
database (sitemap, OAI-PMH, reports, saved results) rather than from search.

It lives beside the policy because it is the policy, said a second way:
``visible_clause(user)`` must select exactly the resources for which
``policy.can(user, Action.RESOURCE_READ, resource)`` is true.
tests/security/test_visibility.py checks that on real rows, for every role
and every status and access, on both database engines, so the two cannot drift.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_

from hub.models import Resource
from hub.security.policy import read_labels


def visible_clause(user: Any) -> ColumnElement[bool]:
    """A WHERE clause on ``Resource``: the rows ``user`` may read.

    Built from the reader's labels, as the index filter is, so one rule table
    decides the catalogue, search and every listing alike."""
    labels = read_labels(user)
    clauses = []
    if "public" in labels:
        clauses.append(and_(Resource.status == "published", Resource.access == "public"))
    if "members" in labels:
        clauses.append(and_(Resource.status == "published", Resource.access == "members"))
    if "editors" in labels:
        clauses.append(Resource.status != "published")
    return or_(*clauses) if clauses else false()
