"""The ``/api/v1`` blueprint, in a module of its own: the endpoint modules
register on it, and ``hub/api/__init__.py`` imports them, without any of them
importing the package that imports them (no import cycle)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
