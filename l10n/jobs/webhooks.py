"""Signed webhooks: a job's result POSTed to the caller's URL, verifiably, at least once.

Signature: `X-L10N-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
shared secret `L10N_WEBHOOK_SECRET`; the receiver recomputes it and rejects old timestamps
(replays). `X-L10N-Delivery` is the same id on every retry of one delivery, so a receiver can
drop duplicates. Failures (no answer, or a status that is not 2xx) are retried with exponential
backoff; redirects are not followed.

Callback URLs can make the service connect anywhere, so they are checked twice: when a job is
submitted (`check_url`) and at delivery, against the addresses the host resolves to at that
moment, and the connection goes to the address that was checked (no second DNS lookup for a
rebinding answer to slip into). Only hosts on `L10N_WEBHOOK_HOSTS` are allowed, and never a
private, loopback, link-local or reserved address unless `L10N_WEBHOOK_ALLOW_PRIVATE` is on.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from l10n.errors import InputError

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-L10N-Signature"
DELIVERY_HEADER = "X-L10N-Delivery"


class WebhookRefused(InputError):
    code = "webhook_not_allowed"


@dataclass(frozen=True)
class Policy:
    secret: str  # "" → webhooks are off
    hosts: tuple[str, ...]  # allowed host names; "*" for any public host
    allow_private: bool = False
    attempts: int = 5
    backoff: float = 1.0  # seconds before the 2nd attempt, doubled each time
    timeout: float = 10.0


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, tolerance: float = 300,
           now: float | None = None) -> bool:
    """What a receiver does (docs/jobs.md has the same in a few lines of Python)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def check_url(url: object, policy: Policy) -> str:
    """The callback URL as given, or WebhookRefused naming why."""
    if not policy.secret:
        raise WebhookRefused("webhooks are off: the operator has not set L10N_WEBHOOK_SECRET",
                             field="callback_url")
    if not isinstance(url, str) or len(url) > 2000:
        raise WebhookRefused("callback_url must be a URL string", field="callback_url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        raise WebhookRefused("callback_url must be an http(s) URL without credentials",
                             field="callback_url")
    if "*" not in policy.hosts and parts.hostname.lower() not in policy.hosts:
        raise WebhookRefused(f"callback host {parts.hostname!r} is not allowed "
                             "(L10N_WEBHOOK_HOSTS)", field="callback_url")
    if _literal_ip(parts.hostname) is not None:
        _check_addresses([parts.hostname], policy)
    return url


def _literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _check_addresses(addresses: Sequence[str], policy: Policy) -> None:
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0].strip("[]"))
        if not policy.allow_private and not ip.is_global:
            raise WebhookRefused(f"callback address {ip} is private, loopback or reserved "
                                 "(L10N_WEBHOOK_ALLOW_PRIVATE)", field="callback_url")


def _resolve(host: str, port: int, policy: Policy) -> str:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    _check_addresses(addresses, policy)
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post_once(url: str, body: bytes, headers: dict[str, str], policy: Policy) -> int:
    """One POST to the address checked just now; the HTTP status."""
    parts = urlsplit(check_url(url, policy))
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _resolve(host, port, policy)
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = kind(host, port, address, policy.timeout)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("POST", path, body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def deliver(url: str, delivery_id: str, payload: dict[str, Any], policy: Policy,
            sleep: Callable[[float], None] = time.sleep) -> bool:
    """POST `payload` until a 2xx answer or `policy.attempts` tries; True when delivered."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    for attempt in range(policy.attempts):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1))
        headers = {"Content-Type": "application/json", DELIVERY_HEADER: delivery_id,
                   SIGNATURE_HEADER: sign(policy.secret, int(time.time()), body),
                   "User-Agent": "l10n-webhooks"}
        try:
            status = post_once(url, body, headers, policy)
        except (OSError, http.client.HTTPException, WebhookRefused) as exc:
            log.warning("webhook %s attempt %d: %s", delivery_id, attempt + 1, exc)
            continue
        if 200 <= status < 300:
            return True
        log.warning("webhook %s attempt %d: HTTP %d", delivery_id, attempt + 1, status)
    log.error("webhook %s to %s not delivered after %d attempts", delivery_id, url,
              policy.attempts)
    return False
