"""Structured logs: one JSON object per line, a request id in and out, and
no password, token or self-assessment answer in any line."""
from __future__ import annotations

import io
import json
import logging

import pytest

from hub import logs

SECRETS = ("hunter2-Secret", "tok_9f8e7d6c5b4a", "csrf-abcdef-123", "ANSWER-MARKER-42", "sess-cookie-xyz")


@pytest.fixture
def log_lines():
    """Everything logged during the test, through the production JSON handler."""
    stream = io.StringIO()
    handler = logs.make_handler(stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = stream.getvalue
    yield lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_each_line_is_one_json_object_with_the_request_id(app, client, log_lines):
    resp = client.get("/en/", headers={"X-Request-ID": "trace-42.a"})
    assert resp.headers["X-Request-ID"] == "trace-42.a"
    request_lines = [line for line in log_lines() if line["logger"] == "hub.request"]
    assert request_lines == [{**request_lines[0], "msg": "request", "request_id": "trace-42.a", "method": "GET",
                              "path": "/en/", "status": 200}]
    assert request_lines[0]["duration_ms"] >= 0 and request_lines[0]["level"] == "info"


def test_a_request_id_is_made_when_absent_or_unsafe(app, client, log_lines):
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    unsafe = client.get("/healthz", headers={"X-Request-ID": 'x" injected\\n{"level": "fake"}'})
    assert unsafe.headers["X-Request-ID"] != made and unsafe.headers["X-Request-ID"].isalnum()
    ids = [line["request_id"] for line in log_lines() if line["logger"] == "hub.request"]
    assert ids == [made, unsafe.headers["X-Request-ID"]]


def test_lines_logged_while_serving_carry_that_requests_id(app, client, log_lines):
    @app.get("/test-only/log")
    def noisy():
        logging.getLogger("hub.something").warning("inside the request")
        return "ok"

    client.get("/test-only/log", headers={"X-Request-ID": "abc"})
    inner = [line for line in log_lines() if line["logger"] == "hub.something"]
    assert inner[0]["request_id"] == "abc" and inner[0]["level"] == "warning"


def test_sensitive_fields_and_text_are_scrubbed():
    stream = io.StringIO()
    log = logging.getLogger("hub.test.scrub")
    handler = logs.make_handler(stream)
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("sign-in failed password=%s api_token: %s", "hunter2-Secret", "tok_9f8e7d6c5b4a",
                    extra={"email": "a@example.org", "password": "hunter2-Secret",
                           "form": {"csrf_token": "csrf-abcdef-123", "answers": {"q1": "ANSWER-MARKER-42"}},
                           "headers": {"Authorization": "Bearer tok_9f8e7d6c5b4a", "Cookie": "sess-cookie-xyz"},
                           "note": "sent Authorization: Bearer tok_9f8e7d6c5b4a"})
        try:
            raise ValueError('bad login {"password": "hunter2-Secret"} session=sess-cookie-xyz')
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    text = stream.getvalue()
    for secret in SECRETS:
        assert secret not in text
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["email"] == "a@example.org"  # what is not secret stays readable
    assert first["password"] == "[redacted]" and first["form"]["csrf_token"] == "[redacted]"
    assert first["form"]["answers"] == "[redacted]"
    assert first["msg"] == "sign-in failed password=[redacted] api_token: [redacted]"
    assert second["exc_type"] == "ValueError" and "Traceback" in second["exc"]


def test_no_secret_from_a_request_reaches_the_log(app, client, log_lines):
    """Query values named as secrets, route parts named as tokens, form bodies
    (passwords, self-assessment answers), Authorization headers and cookies."""
    @app.get("/test-only/reset/<token>")
    def reset(token):
        return "ok"

    @app.post("/test-only/boom")
    def boom():
        raise RuntimeError("could not use token=tok_9f8e7d6c5b4a")

    from hub.extensions import csrf
    csrf.exempt(boom)

    client.set_cookie("session", "sess-cookie-xyz")
    client.get("/test-only/reset/tok_9f8e7d6c5b4a")
    client.get("/en/?token=tok_9f8e7d6c5b4a&q=housing")
    client.get("/healthz", headers={"Authorization": "Bearer tok_9f8e7d6c5b4a"})
    client.post("/en/login", data={"email": "a@example.org", "password": "hunter2-Secret",
                                   "csrf_token": "csrf-abcdef-123"})
    client.post("/en/resources/some-assessment/assessment", data={"leadership-0": "ANSWER-MARKER-42"})
    assert client.post("/test-only/boom", data={"password": "hunter2-Secret"}).status_code == 500
    text = log_lines.text()
    for secret in SECRETS:
        assert secret not in text
    assert any(line.get("exc_type") == "RuntimeError" for line in log_lines())
    paths = [line["path"] for line in log_lines() if line["logger"] == "hub.request"]
    assert "/test-only/reset/[redacted]" in paths
    assert "/en/?token=[redacted]&q=housing" in paths
