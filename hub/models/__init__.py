"""Database models. Import them from here so Alembic sees every table."""
from hub.models.assessment import AssessmentCompletion, SavedAssessment
from hub.models.attachment import Attachment
from hub.models.insight import LinkCheck, ResourceRequest, ResourceReview, ResourceUsage, ZeroResultSearch
from hub.models.resource import Resource
from hub.models.state import HubState
from hub.models.token import ApiToken
from hub.models.user import User
from hub.models.withdrawal import Withdrawal

__all__ = ["ApiToken", "AssessmentCompletion", "Attachment", "HubState", "LinkCheck", "Resource", "ResourceRequest",
           "ResourceReview", "ResourceUsage", "SavedAssessment", "User", "Withdrawal", "ZeroResultSearch"]
