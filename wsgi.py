"""Entry point for `flask --app wsgi` and `gunicorn wsgi:app`."""
import sys

from config import ConfigError
from hub import create_app

try:
    app = create_app()
except ConfigError as exc:  # a clear line for the operator, not a traceback
    print(f"hub: configuration error: {exc}", file=sys.stderr)
    raise SystemExit(2) from None
