"""The hub's own address (``HUB_BASE_URL``): every absolute URL is built from
it, never from the Host header a request carries.

A reader's client chooses the Host header, so a link made from it is a link
the client chose: a password-reset request sent with ``Host: evil.example``
used to mail a valid reset link to ``https://evil.example/…``. Here:

- the URL adapter of every request (and of work outside requests: the command
  line, mail sent after a commit) builds external URLs with the configured
  scheme and host, so ``url_for(..., _external=True)`` in feeds, the sitemap,
  robots.txt, OAI-PMH, the API and templates is canonical;
- mail links always come from the base URL, in every mode: without a
  configured one (development, tests) from ``DEFAULT_BASE_URL``;
- in production a request naming another host is refused with 400 before any
  view runs (``/healthz`` excepted: load balancers probe by address).
  Refusing, rather than quietly serving canonical links, makes a proxy that
  forwards the wrong Host visible at once instead of half-working.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import gettext
from werkzeug.routing import MapAdapter

#: What external URLs use outside a request when no base URL is configured
#: (development and tests only: production requires HUB_BASE_URL): `make run`.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
#: Paths answered whatever Host was asked for: monitoring probes by address.
HOST_CHECK_EXEMPT = ("/healthz",)


def normalise_base_url(value: str) -> str:
    """``value`` as ``scheme://host[:port]`` (lower case, no trailing slash);
    ValueError with a sentence saying what is wrong otherwise."""
    parts = urlsplit((value or "").strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"HUB_BASE_URL must look like https://hub.example.org, not {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("HUB_BASE_URL is the scheme and host alone (https://hub.example.org), "
                         f"without a path, query or user: {value!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"HUB_BASE_URL has a port that is not a number: {value!r}") from None
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    scheme = parts.scheme.lower()
    default_port = {"http": 80, "https": 443}[scheme]
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    return f"{scheme}://{netloc}"


def base_url(app: Flask | None = None) -> str:
    """The configured base URL, else the development default."""
    app = app or current_app
    return app.config.get("BASE_URL") or DEFAULT_BASE_URL


def site_root() -> str:
    """Where the site's pages live, for links written into pages (hreflang,
    the API guide): the base URL, or in development without one the address
    the request used."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured
    return request.host_url.rstrip("/") if has_request_context() else DEFAULT_BASE_URL


def _split(base: str) -> tuple[str, str]:
    parts = urlsplit(base)
    return parts.scheme, parts.netloc


def external_url(endpoint: str, **values) -> str:
    """A full address for a link that leaves the site's pages (mail): always
    from the base URL, whatever the current request's Host says."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a werkzeug LocalProxy method; Flask types current_app as Flask
    scheme, netloc = _split(base_url(app))
    app.inject_url_defaults(endpoint, values)
    return app.url_map.bind(netloc, script_name="/", url_scheme=scheme).build(
        endpoint, values, force_external=True)


def _host_of(netloc: str) -> str:
    return netloc.lower().removesuffix(":80").removesuffix(":443")


class HubFlask(Flask):
    """Flask whose URL adapters build external URLs with ``BASE_URL``.

    Matching still follows the request (paths alone: the hub has no host or
    subdomain routes); only building changes."""

    def create_url_adapter(self, request) -> MapAdapter | None:  # see class docstring
        adapter = super().create_url_adapter(request)
        configured = self.config.get("BASE_URL")
        if adapter is None and request is None:
            scheme, netloc = _split(configured or DEFAULT_BASE_URL)
            return self.url_map.bind(netloc, script_name="/", url_scheme=scheme)
        if adapter is not None and configured:
            adapter.url_scheme, adapter.server_name = _split(configured)
        return adapter


def wrong_host() -> Response | None:
    """A 400 answer when the request names a host other than the base URL's
    (production only); None when it may proceed."""
    configured = current_app.config.get("BASE_URL")
    if not configured or not current_app.config.get("ENFORCE_BASE_URL_HOST"):
        return None
    if request.path in HOST_CHECK_EXEMPT:
        return None
    expected = _host_of(_split(configured)[1])
    asked = _host_of(request.host or "")
    if asked == expected:
        return None
    message = gettext("This site answers only at %(base)s. The request named another host; if you followed a "
                      "link, use the site's own address.", base=configured)
    return Response(message + "\n", status=400, mimetype="text/plain",
                    headers={"Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """Refuse foreign hosts first, and give templates the base URL."""
    app.before_request(wrong_host)
    app.jinja_env.globals["site_root"] = site_root
