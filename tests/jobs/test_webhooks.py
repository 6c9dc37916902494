"""Signed webhooks: signature, retries with one delivery id, and the SSRF guard."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from l10n.jobs import webhooks
from l10n.jobs.webhooks import Policy, WebhookRefused

SECRET = "s3cret"
LOCAL = Policy(SECRET, ("127.0.0.1",), allow_private=True, attempts=4, backoff=0.01, timeout=5)


@pytest.fixture()
def receiver():
    """A CMS endpoint on 127.0.0.1 that fails its first `fail` requests with 500."""
    seen: list[tuple[dict, bytes]] = []
    state = {"fail": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((dict(self.headers), body))
            code = 500 if state["fail"] > 0 else 204
            state["fail"] -= 1
            self.send_response(code)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook?site=1", seen, state
    server.shutdown()
    thread.join(timeout=5)


def test_signature_verifies_and_rejects_tampering_and_replays():
    body = b'{"id":"x"}'
    header = webhooks.sign(SECRET, 1_700_000_000, body)
    assert webhooks.verify(SECRET, header, body, now=1_700_000_010)
    assert not webhooks.verify(SECRET, header, body + b" ", now=1_700_000_010)
    assert not webhooks.verify("other", header, body, now=1_700_000_010)
    assert not webhooks.verify(SECRET, header, body, now=1_700_001_000)  # too old
    assert not webhooks.verify(SECRET, "v1=abc", body)


def test_delivery_retries_with_the_same_id_until_accepted(receiver):
    url, seen, state = receiver
    state["fail"] = 2
    assert webhooks.deliver(url, "job-1", {"id": "job-1", "status": "done"}, LOCAL)
    assert len(seen) == 3
    assert {h[webhooks.DELIVERY_HEADER] for h, _ in seen} == {"job-1"}
    headers, body = seen[-1]
    assert webhooks.verify(SECRET, headers[webhooks.SIGNATURE_HEADER], body)
    assert json.loads(body) == {"id": "job-1", "status": "done"}


def test_delivery_gives_up_after_the_attempts(receiver):
    url, seen, state = receiver
    state["fail"] = 100
    assert not webhooks.deliver(url, "job-2", {}, LOCAL)
    assert len(seen) == LOCAL.attempts


@pytest.mark.parametrize(("url", "policy", "why"), [
    ("http://127.0.0.1:9/x", Policy(SECRET, ("127.0.0.1",)), "private"),  # loopback not allowed
    ("http://10.1.2.3/x", Policy(SECRET, ("*",)), "private"),
    ("http://[::1]/x", Policy(SECRET, ("*",)), "private"),
    ("http://169.254.169.254/latest", Policy(SECRET, ("*",)), "private"),  # cloud metadata
    ("http://cms.example.org/x", Policy(SECRET, ("other.example.org",)), "not allowed"),
    ("file:///etc/passwd", Policy(SECRET, ("*",)), r"http\(s\)"),
    ("http://user:pw@cms.example.org/x", Policy(SECRET, ("*",)), "credentials"),
    ("http://cms.example.org/x", Policy("", ("*",)), "L10N_WEBHOOK_SECRET"),
    (42, Policy(SECRET, ("*",)), "URL string"),
])
def test_callback_urls_are_refused_unless_configured(url, policy, why):
    with pytest.raises(WebhookRefused, match=why):
        webhooks.check_url(url, policy)


def test_a_name_resolving_to_a_private_address_is_refused_at_delivery():
    """localhost passes the host list but resolves to loopback: refused, nothing sent."""
    policy = Policy(SECRET, ("localhost",), attempts=1)
    webhooks.check_url("http://localhost:9/x", policy)  # a name: checked when resolved
    with pytest.raises(WebhookRefused, match="private"):
        webhooks.post_once("http://localhost:9/x", b"{}", {}, policy)
