"""A page's resource ids become database rows in the rank order given, and a
row the reader may not read, or that is gone, never reaches the page."""
import pytest
from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.search import hits


@pytest.fixture
def ids(make_resource, tmp_path):
    files = tmp_path / "made" / "files"
    files.mkdir(parents=True)
    (files / "a.txt").write_text("Appendix one.", encoding="utf-8")
    (files / "b.txt").write_text("Appendix two.", encoding="utf-8")
    make_resource(slug="first", title="First")
    make_resource(slug="members-only", title="Members only", access="members")
    make_resource(slug="with-file-text", title="Third", files="[files/a.txt, files/b.txt]")
    return {r.slug: r.id for r in db.session.scalars(select(Resource))}


@pytest.mark.parametrize("columns", ["listed", "whole", "named"])
def test_rows_keep_the_rank_order_and_drop_what_the_reader_may_not_read(ids, make_user, columns):
    ranked = [ids["with-file-text"], 999_999, ids["members-only"], ids["first"]]
    anonymous = hits.readable_resources(None, ranked, columns=columns)
    assert [r.slug for r in anonymous] == ["with-file-text", "first"]
    member = hits.readable_resources(make_user("member"), ranked, columns=columns)
    assert [r.slug for r in member] == ["with-file-text", "members-only", "first"]
    assert hits.readable_resources(None, [], columns=columns) == []


def test_attachment_texts_in_their_order_for_the_resources_asked(ids):
    both = [ids["first"], ids["with-file-text"]]
    assert hits.attachment_texts(both) == {ids["with-file-text"]: ["Appendix one.", "Appendix two."]}
    assert hits.attachment_texts([ids["first"]]) == {}
    assert hits.attachment_texts([]) == {}
