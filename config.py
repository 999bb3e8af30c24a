"""Settings, read from the environment and validated when the app starts.

The environment is the only source in production so one image can serve any
install; tests pass overrides to ``create_app`` instead of touching it.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from hub.paths import site_path, translation_directories

ROOT = Path(__file__).resolve().parent
#: Hosts a production base URL may name over plain http (a benchmark on one machine).
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


class Config:
    ENV_NAME = "development"
    SECRET_KEY: str | None = None
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    MAX_RESOURCE_FILE_BYTES = 1024 * 1024
    MAX_ATTACHMENT_BYTES = 20 * 1000 * 1000
    MAX_CONTENT_LENGTH = 60 * 1000 * 1000
    CATALOGUE_DIR = str(site_path("resources"))
    #: The working group's pathways (docs/content.md), loaded with the catalogue.
    PATHWAYS_DIR = str(site_path("pathways"))
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = translation_directories()
    LANGUAGES = ("en", "fr")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = "memory://"
    #: Reverse proxies in front of the hub whose X-Forwarded-For/-Proto are believed (0: none).
    TRUSTED_PROXIES = 0
    RATELIMIT_HEADERS_ENABLED = True
    PREFERRED_URL_SCHEME = "http"
    SMTP_URL: str | None = None
    #: A request body may pause this long between packets, and take this long in all (hub/body_timeout.py).
    BODY_IDLE_TIMEOUT = 15.0
    BODY_TOTAL_TIMEOUT = 300.0
    #: HUB_BASE_URL: the scheme and host every absolute URL is built from (hub/canonical.py).
    BASE_URL: str | None = None
    #: Refuse (400) requests whose Host is not BASE_URL's (production).
    ENFORCE_BASE_URL_HOST = False
    #: POSTs must come from a page of BASE_URL (Origin, else Referer): hub/security/origin.py.
    CHECK_POST_ORIGIN = False
    MAIL_SENDER = "hub@localhost"
    #: One JSON object per line on stderr (hub/logs.py); off in tests, which read records directly.
    LOG_JSON = True
    LOG_LEVEL = "INFO"
    #: Per client (token holder, else address); Flask-Limiter syntax.
    API_RATE_LIMIT = "600 per minute"
    OAI_PAGE_SIZE = 100
    #: The middle part of OAI identifiers (oai:<this>:<slug>); default: the host name asked for.
    OAI_REPOSITORY_ID: str | None = None
    OAI_ADMIN_EMAIL: str | None = None
    SITEMAP_RESOURCES_PER_FILE = 20_000


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    LOG_JSON = False
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True
    #: The tests' in-process apps follow the change log when they search (or
    #: call indexing.follow_changes); no background thread per app.
    SEARCH_FOLLOW = False


class ProductionConfig(Config):
    ENV_NAME = "production"
    ENFORCE_BASE_URL_HOST = True
    CHECK_POST_ORIGIN = True
    # "__Host-": browsers keep such a cookie only if it is Secure, for Path=/ and
    # without a Domain, so no sibling subdomain can set or shadow the session.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


#: Settings taken from the environment as written: HUB_X (or the name given) sets X.
_PLAIN_ENV = {
    "HUB_DATA_DIR": "HUB_DATA_DIR",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "HUB_SECRET_KEY": "SECRET_KEY",
    "HUB_BASE_URL": "BASE_URL",
    "HUB_SMTP_URL": "SMTP_URL",
    "HUB_MAIL_SENDER": "MAIL_SENDER",
    "HUB_LOG_LEVEL": "LOG_LEVEL",
    "HUB_API_RATE_LIMIT": "API_RATE_LIMIT",
    "HUB_OAI_REPOSITORY_ID": "OAI_REPOSITORY_ID",
    "HUB_OAI_ADMIN_EMAIL": "OAI_ADMIN_EMAIL",
    "HUB_RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
}


def _from_environment(env) -> dict:
    """The settings the environment gives (an empty variable counts as unset),
    converted, or a ConfigError that says what is expected."""
    settings = {name: env[var] for var, name in _PLAIN_ENV.items() if env.get(var)}
    if env.get("HUB_FILES_DIR"):  # one folder every machine reads and writes
        settings["FILES_DIR"] = str(Path(env["HUB_FILES_DIR"]).resolve())
    if env.get("HUB_SECRET_KEY_FALLBACKS"):  # old keys still accepted for sessions while rotating
        settings["SECRET_KEY_FALLBACKS"] = [k.strip() for k in env["HUB_SECRET_KEY_FALLBACKS"].split(",")
                                            if k.strip()]
    for name in ("BODY_IDLE_TIMEOUT", "BODY_TOTAL_TIMEOUT"):
        if env.get(f"HUB_{name}"):
            try:
                settings[name] = float(env[f"HUB_{name}"])
            except ValueError:
                raise ConfigError(f"HUB_{name} must be a number of seconds, not {env[f'HUB_{name}']!r}") from None
    if env.get("HUB_TRUSTED_PROXIES"):
        try:
            settings["TRUSTED_PROXIES"] = int(env["HUB_TRUSTED_PROXIES"])
        except ValueError:
            raise ConfigError("HUB_TRUSTED_PROXIES must be a whole number: how many proxies "
                              "(0, 1, 2 …) stand between readers and the hub") from None
    return settings


def load_settings(overrides: dict | None = None) -> dict:
    """Merge class defaults, the environment and overrides into one plain dict.

    The environment wins over defaults, overrides win over both; derived paths
    (database, index, files) are computed last so they follow ``HUB_DATA_DIR``.
    """
    overrides = dict(overrides or {})
    env_name = overrides.get("ENV_NAME") or os.environ.get("HUB_ENV", "development")
    if env_name not in CONFIGS:
        raise ConfigError(f"HUB_ENV must be one of {', '.join(CONFIGS)}, not {env_name!r}")
    cls = CONFIGS[env_name]
    settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}

    settings.update(_from_environment(os.environ))
    settings.update(overrides)

    data_dir = Path(settings.get("HUB_DATA_DIR") or ROOT / "instance").resolve()
    settings["HUB_DATA_DIR"] = str(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    settings.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{data_dir / 'hub.sqlite3'}")
    if settings["SQLALCHEMY_DATABASE_URI"].startswith("postgres://"):
        settings["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + settings[
            "SQLALCHEMY_DATABASE_URI"].split("://", 1)[1]
    # A connection that died with a database restart is replaced, not handed to a request.
    settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    settings.setdefault("INDEX_DIR", str(data_dir / "index"))
    settings.setdefault("FILES_DIR", str(data_dir / "files"))
    settings.setdefault("OUTBOX_DIR", str(data_dir / "outbox"))

    if not settings.get("SECRET_KEY"):
        if env_name == "production":
            raise ConfigError(
                "HUB_SECRET_KEY is required in production: set it to a long random string, "
                "for example the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'")
        settings["SECRET_KEY"] = _local_secret(data_dir)
    _check_base_url(settings, env_name)
    return settings


def _check_base_url(settings: dict, env_name: str) -> None:
    """HUB_BASE_URL is required in production (links in mail, feeds and
    OAI-PMH are built from it, never from the request's Host header) and must
    be https there: the session cookie is Secure."""
    from hub.canonical import normalise_base_url

    value = settings.get("BASE_URL")
    if not value:
        if env_name == "production":
            raise ConfigError(
                "HUB_BASE_URL is required in production: set it to the address readers use, for example "
                "https://hub.example.org (every link in mail, feeds and the sitemap is built from it)")
        settings["BASE_URL"] = None
        return
    try:
        settings["BASE_URL"] = normalise_base_url(value)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    host = urlsplit(settings["BASE_URL"]).hostname
    if env_name == "production" and settings["BASE_URL"].startswith("http://") and host not in LOOPBACK:
        raise ConfigError(f"HUB_BASE_URL must start with https:// in production (sign-in cookies are sent "
                          f"over HTTPS only), not {value!r}")


def _local_secret(data_dir: Path) -> str:
    """Keep a per-install key on disk so sign-ins survive a restart of `make run`."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
