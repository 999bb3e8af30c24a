"""Database models. Import them from here so Alembic sees every table."""
from hub.models.account_request import AccountRequest
from hub.models.assessment import AssessmentCompletion, SavedAssessment
from hub.models.assessment_round import AssessmentRound, RoundResponse, SharedRoundScores
from hub.models.attachment import Attachment
from hub.models.change import ChangeLogEntry
from hub.models.history import ResourceVersion
from hub.models.insight import LinkCheck, ResourceRequest, ResourceReview, ResourceUsage, ZeroResultSearch
from hub.models.password_link import PasswordLink
from hub.models.pathway import Pathway, PathwayStep, PathwayStepResource
from hub.models.resource import Resource
from hub.models.saved_search import DigestItem, DigestMail, SavedSearch
from hub.models.state import HubState
from hub.models.submission import Submission, SubmissionEvent, SubmissionFile
from hub.models.throttle import ThrottleCount
from hub.models.token import ApiToken
from hub.models.user import User
from hub.models.withdrawal import Withdrawal

__all__ = ["AccountRequest", "ApiToken", "AssessmentCompletion", "AssessmentRound", "Attachment", "ChangeLogEntry",
           "DigestItem", "DigestMail", "HubState", "LinkCheck", "PasswordLink", "Pathway", "PathwayStep",
           "PathwayStepResource", "Resource", "ResourceRequest", "ResourceReview", "ResourceUsage",
           "ResourceVersion", "RoundResponse", "SavedAssessment", "SavedSearch", "SharedRoundScores", "Submission",
           "SubmissionEvent", "SubmissionFile", "ThrottleCount", "User",
           "Withdrawal", "ZeroResultSearch"]
