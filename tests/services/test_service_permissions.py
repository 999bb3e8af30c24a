"""The services alone decide who may act (the views only map their errors):
managing people is for admins whatever else is wrong with the request, an
admin's own account is refused as a rule of its own, and the review page is
for editors even when its author may read the submission."""
from __future__ import annotations

import pytest

from hub.errors import NotFound, PermissionDenied, ValidationFailed
from hub.services import drafts, review, users
from tests.services.test_submissions import COMPLETE


@pytest.mark.parametrize("role", ["member", "editor"])
def test_only_admins_manage_people_even_with_a_bad_request(app, make_user, role):
    person, victim = make_user(role), make_user("member")
    with pytest.raises(PermissionDenied):
        users.set_role(person, victim.id, "overlord")  # refused before the role is even read
    with pytest.raises(PermissionDenied):
        users.set_role(person, 999_999, "editor")  # and before anyone is looked up
    with pytest.raises(PermissionDenied):
        users.set_active(person, victim.id, False)
    with pytest.raises(PermissionDenied):
        users.invite_user(person, "new@example.org")


def test_an_admin_is_refused_their_own_account_but_not_as_a_permission(app, make_user):
    admin = make_user("admin")
    for change in (lambda: users.set_role(admin, admin.id, "member"), lambda: users.set_active(admin, admin.id, False)):
        with pytest.raises(users.OwnAccount) as refused:
            change()
        assert not isinstance(refused.value, PermissionDenied) and "ask another admin" in refused.value.message
    with pytest.raises(NotFound):
        users.set_role(admin, 999_999, "editor")
    with pytest.raises(ValidationFailed):
        users.set_role(admin, make_user("member").id, "overlord")


def test_the_review_page_is_for_editors_even_when_the_author_may_read_it(app, make_user):
    author = make_user("member")
    sub = drafts.save_submission(author, None, dict(COMPLETE), intent="submit").submission
    with pytest.raises(PermissionDenied):
        review.review_page(author, sub.id)
    with pytest.raises(NotFound):
        review.review_page(make_user("member"), sub.id)  # anyone else does not learn it exists
    page = review.review_page(make_user("editor"), sub.id)
    assert page.submission.id == sub.id and page.strict_problems == [] and page.changes is None
    assert "<h2" in page.preview
