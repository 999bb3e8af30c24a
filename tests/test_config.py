"""Settings from the environment, checked at start-up with a clear message."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DATABASE_URL"))}
    env.update({"HUB_DATA_DIR": str(tmp_path / "data"), **extra})
    return env


def test_production_without_secret_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_ENV", "production")
    monkeypatch.delenv("HUB_SECRET_KEY", raising=False)
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="HUB_SECRET_KEY is required in production"):
        load_settings()
    monkeypatch.setenv("HUB_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("HUB_BASE_URL", "https://hub.example.org")
    assert load_settings()["SECRET_KEY"] == "x" * 64


def test_production_without_base_url_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_ENV", "production")
    monkeypatch.setenv("HUB_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HUB_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="HUB_BASE_URL is required in production"):
        load_settings()
    for wrong, says in (("hub.example.org", "must look like"), ("https://hub.example.org/hub", "without a path"),
                        ("http://hub.example.org", "must start with https://")):
        monkeypatch.setenv("HUB_BASE_URL", wrong)
        with pytest.raises(ConfigError, match=says):
            load_settings()
    monkeypatch.setenv("HUB_BASE_URL", "HTTPS://Hub.Example.org:443/")
    assert load_settings()["BASE_URL"] == "https://hub.example.org"


def test_gunicorn_refuses_to_start_without_base_url(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind",
                           "127.0.0.1:0", "wsgi:app"], cwd=ROOT, capture_output=True, text=True,
                          env=_env(tmp_path, HUB_ENV="production", HUB_SECRET_KEY="x" * 64), timeout=60)
    assert proc.returncode == 2
    assert "hub: configuration error: HUB_BASE_URL is required in production" in proc.stderr
    assert "Booting worker" not in proc.stderr


def test_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.internal/hub")
    monkeypatch.setenv("HUB_SMTP_URL", "smtp://mail.internal:25")
    settings = load_settings()
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.internal/hub"
    assert settings["INDEX_DIR"] == str(tmp_path / "d" / "index")
    assert settings["SMTP_URL"] == "smtp://mail.internal:25"


def test_wsgi_start_without_secret_fails_with_one_clear_line(tmp_path):
    proc = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, capture_output=True, text=True,
                          env=_env(tmp_path, HUB_ENV="production"), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("hub: configuration error: HUB_SECRET_KEY is required in production")
    assert "Traceback" not in proc.stderr


def test_gunicorn_refuses_to_start_without_secret(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind",
                           "127.0.0.1:0", "wsgi:app"], cwd=ROOT, capture_output=True, text=True,
                          env=_env(tmp_path, HUB_ENV="production"), timeout=60)
    assert proc.returncode == 2
    assert "hub: configuration error: HUB_SECRET_KEY is required in production" in proc.stderr
    assert "Booting worker" not in proc.stderr


def test_rotating_the_secret_key_keeps_people_signed_in_with_a_fallback(tmp_path, monkeypatch):
    from hub import create_app

    def app_with(env: dict):
        for key in ("HUB_SECRET_KEY", "HUB_SECRET_KEY_FALLBACKS"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(tmp_path)})

        @app.get("/test-only/who")
        def who():
            from flask import session
            return session.get("who", "nobody")

        @app.get("/test-only/set")
        def set_who():
            from flask import session
            session["who"] = "member-7"
            return "ok"

        return app

    old = app_with({"HUB_SECRET_KEY": "old-key-" + "x" * 40})
    old_client = old.test_client()
    old_client.get("/test-only/set")
    cookie = old_client.get_cookie("session").value

    def ask(app) -> str:
        client = app.test_client()
        client.set_cookie("session", cookie)
        return client.get("/test-only/who").get_data(as_text=True)

    assert ask(app_with({"HUB_SECRET_KEY": "new-key-" + "y" * 40})) == "nobody"
    assert ask(app_with({"HUB_SECRET_KEY": "new-key-" + "y" * 40,
                         "HUB_SECRET_KEY_FALLBACKS": "old-key-" + "x" * 40})) == "member-7"
