"""The JSON API, ``/api/v1``: one blueprint, one module per area.

Every error under ``/api/`` is JSON, ``{"error": {"code", "message"}}``
(hub/errors.py maps domain and HTTP errors; :mod:`hub.api.errors` adds the
API's caching and ``Vary`` headers). Endpoints are thin: parse, call one service, serialise.
To add an area, create ``hub/api/<area>.py`` that imports ``bp`` from
:mod:`hub.api.blueprint` and add it to the import list below.
"""
from hub.api import errors, openapi, resources_detail, search, vocabularies  # noqa: F401 - registers the routes on bp
from hub.api.blueprint import bp

__all__ = ["bp"]
