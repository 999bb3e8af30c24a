"""The editor's "fix the details" form on the review page: the submission
form's descriptive fields only (same labels, choices and checks)."""
from __future__ import annotations

from hub.forms.submissions import SubmissionForm
from hub.services.review_edits import METADATA_KEYS


class ReviewDetailsForm(SubmissionForm):
    def typed(self) -> dict:
        """Only the fields an editor may fix at review."""
        return {key: self[key].data for key in METADATA_KEYS}
