"""A member's saved searches: save one from the search page, list, rename,
change how often it is mailed, stop following it; and the signed links in
every digest that stop it without signing in.

What is saved is the search page's own query string, made canonical by the
one parameter parser (``SearchParams``) and read again by it at every
digest, so a saved search finds exactly what the search page finds. Only the
owner may see or change one; anyone else gets "not found", as for a search
that does not exist.
"""
from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode

from flask import current_app
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from hub.content.validation import Problem
from hub.errors import HubError, NotFound, ValidationFailed
from hub.extensions import db
from hub.models import SavedSearch
from hub.models._types import utcnow
from hub.models.saved_search import FREQUENCIES, MAX_NAME
from hub.security.policy import Action, require
from hub.services.digest_schedule import next_due
from hub.services.search import SearchParams, facet_label
from hub.services.uow import UnitOfWork, unit_of_work
from hub.textclean import clean_text

#: Enough for every topic a member follows; a cap stops a script from filling the table.
MAX_SAVED = 50
#: Parameters of the search page that say which page of results, not which search.
_NOT_SAVED = ("page", "per_page")
#: How long an unsubscribe link works (it is in every digest, so a recent mail always has a fresh one).
DEFAULT_LINK_DAYS = 400
_SALT = "hub.saved-search.unsubscribe"
_PURPOSE = "unsubscribe"


# -- the search itself ---------------------------------------------------------------
def canonical_query(params: SearchParams) -> str:
    """The parameters as the search page writes them, without the page number."""
    return urlencode([(k, v) for k, v in params.to_args() if k not in _NOT_SAVED])


def search_params(saved: SavedSearch) -> SearchParams:
    """The saved words and filters, read again by the one parser (leniently, as
    the page does: a vocabulary key removed since is simply dropped)."""
    return SearchParams.from_args(MultiDict(parse_qsl(saved.query, keep_blank_values=False)), locale=saved.language)


def describe(params: SearchParams, locale: str) -> str:
    """The search in words, for a saved search without a name: its words in
    quotes, then its filters' labels in the reader's language."""
    with force_locale(locale):
        parts = [gettext("“%(words)s”", words=params.q)] if params.q else []
        parts += [facet_label(name, value, locale) for name, values in params.filters for value in values]
        return " · ".join(parts) if parts else gettext("All resources")


def title(saved: SavedSearch, locale: str | None = None) -> str:
    """What the member called it, else the search in words."""
    return saved.name or describe(search_params(saved), locale or saved.language)


# -- saving and managing ---------------------------------------------------------------
def _clean_name(name: str | None) -> str:
    name = " ".join(clean_text(name or "", multiline=False).split())
    if len(name) > MAX_NAME:
        raise ValidationFailed("name too long", problems=[Problem("name", gettext(
            "The name has at most %(max)d characters.", max=MAX_NAME))])
    return name


def _check_frequency(frequency: str) -> str:
    if frequency not in FREQUENCIES:
        raise ValidationFailed("unknown frequency", problems=[Problem("frequency", gettext(
            "Choose weekly or monthly."))])
    return frequency


def save_search(user, params: SearchParams, *, name: str = "", frequency: str = "weekly",
                language: str = "en", uow: UnitOfWork | None = None) -> tuple[SavedSearch, bool]:
    """Follow the search ``params``; returns the saved search and whether it is new.

    Saving a search the member already follows changes its name (when one is
    given), frequency and language instead of making a second one, so nobody
    gets the same digest twice. The first digest is due at once: the next run
    of ``hub send-digests`` mails what was published since this moment, if
    anything, and the next ones follow every week or month."""
    require(user, Action.SEARCH_FOLLOW)
    name = _clean_name(name)
    frequency = _check_frequency(frequency)
    language = language if language in ("en", "fr") else "en"
    query = canonical_query(params)
    with unit_of_work(uow):
        existing = db.session.scalar(select(SavedSearch).where(SavedSearch.user_id == user.id,
                                                               SavedSearch.query == query))
        if existing is not None:
            _apply_settings(existing, name or existing.name, frequency, language)
            return existing, False
        count = db.session.scalar(select(func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id)) or 0
        if count >= MAX_SAVED:
            raise ValidationFailed("too many saved searches", problems=[Problem("name", gettext(
                "You already follow %(max)d searches; stop following one first.", max=MAX_SAVED))])
        now = utcnow()
        saved = SavedSearch(user_id=user.id, name=name, query=query, language=language, frequency=frequency,
                            link_key=secrets.token_hex(8), created_at=now, sent_until=now, next_due_at=now)
        db.session.add(saved)
        db.session.flush()
        return saved, True


def _apply_settings(saved: SavedSearch, name: str, frequency: str, language: str) -> None:
    if frequency != saved.frequency and saved.last_run_at is not None:
        # Counted from the last digest: weekly to monthly waits a month from it.
        saved.next_due_at = next_due(saved.last_run_at, frequency)
    saved.name, saved.frequency, saved.language = name, frequency, language


def list_saved(user) -> list[SavedSearch]:
    """The member's saved searches, oldest first (the order they were saved)."""
    require(user, Action.SEARCH_FOLLOW)
    return list(db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)
                                   .order_by(SavedSearch.created_at, SavedSearch.id)))


def get_saved(user, saved_id: int) -> SavedSearch:
    """One saved search, for its owner only (anyone else: not found)."""
    saved = db.session.get(SavedSearch, saved_id)
    if saved is None:
        raise NotFound()
    require(user, Action.SEARCH_MANAGE, saved)
    return saved


def update_saved(user, saved_id: int, *, name: str, frequency: str, language: str,
                 uow: UnitOfWork | None = None) -> SavedSearch:
    """Rename it (an empty name: described by its words and filters) and set its frequency."""
    name = _clean_name(name)
    frequency = _check_frequency(frequency)
    with unit_of_work(uow):
        saved = get_saved(user, saved_id)
        _apply_settings(saved, name, frequency, language if language in ("en", "fr") else saved.language)
        return saved


def delete_saved(user, saved_id: int, *, uow: UnitOfWork | None = None) -> None:
    """Stop following it: the saved search and its digests' records go."""
    with unit_of_work(uow):
        db.session.delete(get_saved(user, saved_id))


# -- unsubscribe links -------------------------------------------------------------------
class LinkExpired(HubError):
    """The link is too old."""
    status = 400
    code = "link_expired"


class LinkInvalid(HubError):
    """The link is not valid."""
    status = 400
    code = "link_invalid"


def _serializer() -> URLSafeTimedSerializer:
    """Signs with the current key; also accepts the rotated-out keys of
    ``HUB_SECRET_KEY_FALLBACKS``, so the links in digests already sent keep
    working while a key is rotated (itsdangerous signs with the last key)."""
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or ()), current_app.secret_key]
    return URLSafeTimedSerializer(keys, salt=_SALT)


def unsubscribe_token(saved: SavedSearch) -> str:
    """A signed value naming its purpose, the saved search and its link key:
    whoever holds the mail may stop this one digest, and nothing else."""
    return _serializer().dumps({"purpose": _PURPOSE, "saved_search": saved.id, "key": saved.link_key})


def saved_search_for_link(token: str) -> SavedSearch | None:
    """The saved search an unsubscribe link stops; None when it is already gone.

    A tampered, truncated or foreign value raises :class:`LinkInvalid`, one
    past its age :class:`LinkExpired`: each with a sentence for the person."""
    days = int(current_app.config.get("DIGEST_LINK_DAYS", DEFAULT_LINK_DAYS))
    try:
        data = _serializer().loads(token or "", max_age=days * 86400)
    except SignatureExpired:
        raise LinkExpired(gettext("This unsubscribe link is too old. Sign in and stop the digest from "
                                  "your saved searches, or use the link in a more recent digest.")) from None
    except (BadSignature, UnicodeError, ValueError):
        raise LinkInvalid(gettext("This unsubscribe link is not valid: it may have been cut or changed "
                                  "when it was copied. Use the link in the e-mail as it is, or sign in and "
                                  "stop the digest from your saved searches.")) from None
    if not isinstance(data, dict) or data.get("purpose") != _PURPOSE or not isinstance(data.get("saved_search"), int):
        raise LinkInvalid(gettext("This unsubscribe link is not valid: it may have been cut or changed "
                                  "when it was copied. Use the link in the e-mail as it is, or sign in and "
                                  "stop the digest from your saved searches."))
    saved = db.session.get(SavedSearch, data["saved_search"])
    if saved is None or not secrets.compare_digest(saved.link_key, str(data.get("key", ""))):
        return None
    return saved


def unsubscribe(token: str, *, uow: UnitOfWork | None = None) -> str | None:
    """Stop the digest the link names, no sign-in needed (the link is the
    permission). Returns the title of what was stopped, or None when it
    already was."""
    with unit_of_work(uow):
        saved = saved_search_for_link(token)
        if saved is None:
            return None
        stopped = title(saved)
        db.session.delete(saved)
        return stopped
