"""Settings, read from the environment and validated when the app starts.

The environment is the only source in production so one image can serve any
install; tests pass overrides to ``create_app`` instead of touching it.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from hub.paths import site_path, translation_directories

ROOT = Path(__file__).resolve().parent


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


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


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

    env = os.environ
    if env.get("HUB_DATA_DIR"):
        settings["HUB_DATA_DIR"] = env["HUB_DATA_DIR"]
    if env.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    if env.get("HUB_SECRET_KEY"):
        settings["SECRET_KEY"] = env["HUB_SECRET_KEY"]
    if env.get("HUB_SECRET_KEY_FALLBACKS"):  # old keys still accepted for sessions while rotating
        settings["SECRET_KEY_FALLBACKS"] = [k.strip() for k in env["HUB_SECRET_KEY_FALLBACKS"].split(",")
                                            if k.strip()]
    if env.get("HUB_SMTP_URL"):
        settings["SMTP_URL"] = env["HUB_SMTP_URL"]
    if env.get("HUB_MAIL_SENDER"):
        settings["MAIL_SENDER"] = env["HUB_MAIL_SENDER"]
    if env.get("HUB_LOG_LEVEL"):
        settings["LOG_LEVEL"] = env["HUB_LOG_LEVEL"]
    for name in ("API_RATE_LIMIT", "OAI_REPOSITORY_ID", "OAI_ADMIN_EMAIL"):
        if env.get(f"HUB_{name}"):
            settings[name] = env[f"HUB_{name}"]
    if env.get("HUB_RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = env["HUB_RATELIMIT_STORAGE_URI"]
    if env.get("HUB_TRUSTED_PROXIES"):
        try:
            settings["TRUSTED_PROXIES"] = int(env["HUB_TRUSTED_PROXIES"])
        except ValueError:
            raise ConfigError("HUB_TRUSTED_PROXIES must be a whole number: how many proxies "
                              "(0, 1, 2 …) stand between readers and the hub") from None
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
    return settings


def _local_secret(data_dir: Path) -> str:
    """Keep a per-install key on disk so sign-ins survive a restart of `make run`."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
