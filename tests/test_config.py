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
    assert load_settings()["SECRET_KEY"] == "x" * 64


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
