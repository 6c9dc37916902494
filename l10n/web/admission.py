"""Admission: who is calling, may they, and have they room left, before any work is done.

Four questions answered in order for every request, all here so that one module owns the
decision: the client's address (`TrustedProxies`: `X-Forwarded-For` believed only from
configured proxies), the key it presents (`KeyRing`: hashed keys with quotas), the request and
character counters (`Limiter`: the `limits` library's sliding windows) and the verdict (`Gate`).

Counting (`Limiter`): what a caller used, requests and characters, against limits.
`limits` is the counting engine under Flask-Limiter, used here directly: Flask-Limiter's
decorators count *requests* with a key function, while a character quota must charge a cost
that is known only after the body is parsed and validated, and both must share one set of
counters (and so one storage: `memory://` per process, or `redis://` shared by all workers).

Limits are sliding-window counters. A moving window stores one timestamp per unit of cost
(a 2,000,000-character quota would keep two million of them); a fixed window counts a refused
hit, so one oversize request would burn a day's quota. A sliding-window counter keeps two
numbers per caller and refuses without counting.

Addresses (`TrustedProxies`): the client behind reverse proxies, believing only ours.
`X-Forwarded-For` is a list that every proxy extends with the address it received the request
from, so only its right-hand end is trustworthy: a client can start it with anything it
likes. LibreTranslate takes the *first* value, which lets a client pick its own rate-limit
bucket by sending a new fake address with every request. Here the list is read from the
right, skipping addresses of trusted proxies (`L10N_TRUSTED_PROXIES`, CIDRs); the first
address that is not a trusted proxy is the client. Without trusted proxies the header is
ignored and the client is the TCP peer. (werkzeug's ProxyFix trusts a fixed *number* of hops,
not networks, and rewrites `remote_addr` for the whole app; this is a pure function instead.)

Keys (`KeyRing`): who may call the service, and each caller's character quota.
Keys are never stored, only their sha256 digests, so a leaked keys file gives no key away.
A plain sha256 is enough because keys are random (32 bytes from `secrets`): slow password
hashes exist for secrets a person chose, which can be guessed. A lookup compares the digest
of the presented key with *every* stored digest using `hmac.compare_digest`, so the time it
takes says neither whether nor which key matched.

The keys file (`L10N_API_KEYS_FILE`) has one key a line, fields separated by white space,
`#` starting a comment:

    <sha256 of the key, hex>  <name>  [character quota: "2000000/day", or "off"]  [roles=...]

The name identifies the caller in logs and owns the quota (so a key can be replaced without
resetting its use); without a quota column the key gets `L10N_CHAR_QUOTA`.

Roles (`roles=translate`, `roles=review`, `roles=admin`, or a comma list) say which writes a
key may make; each role includes the ones before it. `translate`: every read, translation and
detection. `review`: also corrections in translation memory (PUT /v1/memory) and catalog
edits. `admin`: also the glossary (PUT /v1/glossary), models and purges. A line without a
roles field has `translate` only: a key handed to a newsroom or a partner before roles
existed must not start overwriting what every reader is served, and the operator grants the
few writers their role with one edit. A view needs a role by one declaration,
`@admission.requires(REVIEW)`; with no keys file (an open service) nothing is checked.
A new key and the line for it:

    python -c "import secrets; from l10n.web.admission import hash_key; k = secrets.token_urlsafe(32); print(k); print(hash_key(k), 'newsroom')"

The verdict (`Gate`).
For each request: find the client's address (behind trusted proxies only), look up the key it
presents, charge one request to the caller's rate limit, then decide on access. The request
is counted *before* the access decision so that guessing keys is as rate-limited as anything
else. A caller is counted by its key's name when it presents a valid key, otherwise by its
address; so are its characters, charged by `charge` once a body has been parsed and found
valid (an invalid request costs one request, not its characters).

With no keys file the service is open: any caller may use any endpoint, still within the rate
limit and `L10N_CHAR_QUOTA` per address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app, g, request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from l10n.config import ConfigError, Settings
from l10n.errors import ServiceError, TooLarge

# ------------------------------------------------------------ ratelimit
OFF = "off"


class RateLimited(ServiceError):
    """429 with a `Retry-After` header: the caller may try again, later."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


@dataclass(frozen=True)
class Refusal:
    limit: RateLimitItem
    retry_after: int  # seconds until the window has room again, at least 1

    def describe(self, unit: str) -> str:
        return f"{self.limit.amount} {unit} per {_window(self.limit)}"


def parse_limits(text: str, setting: str) -> tuple[RateLimitItem, ...]:
    """"600/minute", "10/second;500/hour" or "off" (no limit) → limit items."""
    if text.strip().lower() == OFF:
        return ()
    try:
        return tuple(parse_many(text))
    except ValueError as exc:
        raise ConfigError(f"{setting}={text!r}: {exc}") from None


class Limiter:
    """Shared counters; each `consume` names what it counts (namespace) and for whom."""

    def __init__(self, storage_uri: str) -> None:
        try:
            storage = storage_from_string(storage_uri)
        except ConfigurationError as exc:  # an unknown scheme, or its client not installed
            raise ConfigError(f"L10N_RATE_LIMIT_STORAGE={storage_uri!r}: {exc}") from None
        self._counter = SlidingWindowCounterRateLimiter(storage)

    def consume(self, limits: Sequence[RateLimitItem], namespace: str, who: str,
                cost: int = 1) -> Refusal | None:
        """Charge `cost` to every limit, or to none when one of them has no room left."""
        for limit in limits:
            if not self._counter.test(limit, namespace, who, cost=cost):
                return self._refusal(limit, namespace, who)
        for limit in limits:
            if not self._counter.hit(limit, namespace, who, cost=cost):  # lost a race
                return self._refusal(limit, namespace, who)
        return None

    def _refusal(self, limit: RateLimitItem, namespace: str, who: str) -> Refusal:
        reset = self._counter.get_window_stats(limit, namespace, who).reset_time
        return Refusal(limit, max(1, math.ceil(reset - time.time())))


def _window(limit: RateLimitItem) -> str:
    unit = limit.GRANULARITY.name
    return unit if limit.multiples == 1 else f"{limit.multiples} {unit}s"


# ------------------------------------------------------------ proxies
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        found = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped:
        return found.ipv4_mapped
    return found


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, cidrs: Sequence[str]) -> TrustedProxies:
        try:
            return cls(tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs))
        except ValueError as exc:
            raise ConfigError(f"L10N_TRUSTED_PROXIES: {exc}") from None

    def trusts(self, address: str) -> bool:
        found = _address(address)
        return found is not None and any(found in net for net in self.networks)

    def client_address(self, peer: str, forwarded_for: Sequence[str]) -> str:
        """The right-most address, starting at `peer`, that is not a trusted proxy.

        `forwarded_for` holds every X-Forwarded-For header in order. A value that is not an
        IP address stops the walk: a trusted proxy never writes one, so the hop before it is
        the last one we can vouch for.
        """
        if not self.trusts(peer):
            return peer
        hops = [h for header in forwarded_for for h in header.split(",") if h.strip()]
        client = peer
        for hop in reversed(hops):
            found = _address(hop)
            if found is None:
                break
            client = str(found)
            if not self.trusts(client):
                break
        return client


# ------------------------------------------------------------ auth
View = TypeVar("View", bound=Callable[..., Any])
_DIGEST = re.compile(r"[0-9a-f]{64}")


def hash_key(key: str) -> str:
    """The digest the keys file stores for `key`."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The credentials of an `Authorization: Bearer <key>` header, if that is what it is."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


TRANSLATE, REVIEW, ADMIN = "translate", "review", "admin"
ROLES = (TRANSLATE, REVIEW, ADMIN)  # each includes the ones before it


def parse_roles(text: str, where: str) -> frozenset[str]:
    """`translate,review` → those roles and every role they include."""
    named = [r.strip() for r in text.split(",") if r.strip()]
    unknown = [r for r in named if r not in ROLES]
    if unknown or not named:
        raise ConfigError(f"{where}: unknown role {', '.join(unknown) or '(none)'!s} "
                          f"(roles: {', '.join(ROLES)})")
    top = max(ROLES.index(r) for r in named)
    return frozenset(ROLES[:top + 1])


@dataclass(frozen=True)
class ApiKey:
    name: str
    digest: str
    quota: tuple[RateLimitItem, ...]  # characters; () for no quota
    roles: frozenset[str] = frozenset({TRANSLATE})


@dataclass(frozen=True)
class KeyRing:
    """The configured keys; `required` is False when no keys file is configured (open)."""

    keys: tuple[ApiKey, ...] = ()
    required: bool = False

    @classmethod
    def load(cls, path: Path | None, default_quota: tuple[RateLimitItem, ...]) -> KeyRing:
        if path is None:
            return cls()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"L10N_API_KEYS_FILE: {exc}") from None
        keys: list[ApiKey] = []
        for number, line in enumerate(lines, 1):
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            where = f"{path}: line {number}"
            roles = frozenset({TRANSLATE})
            if len(fields) > 2 and fields[-1].startswith("roles="):
                roles = parse_roles(fields.pop().removeprefix("roles="), where)
            if len(fields) not in (2, 3):
                raise ConfigError(f"{where}: expected '<sha256> <name> [quota] [roles=...]'")
            digest, name = fields[0].lower(), fields[1]
            if not _DIGEST.fullmatch(digest):
                raise ConfigError(f"{where}: {fields[0]!r} is not a sha256 hex digest "
                                  "(store hash_key(key), never the key)")
            if any(k.name == name for k in keys):
                raise ConfigError(f"{where}: the name {name!r} is used twice")
            quota = parse_limits(fields[2], where) if len(fields) == 3 else default_quota
            keys.append(ApiKey(name, digest, quota, roles))
        return cls(tuple(keys), required=True)

    def lookup(self, presented: str) -> ApiKey | None:
        digest = hash_key(presented)
        found = None
        for key in self.keys:  # no early exit: every lookup takes the same time
            if hmac.compare_digest(key.digest, digest):
                found = key
        return found


# ------------------------------------------------------------ security
class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


@dataclass(frozen=True)
class Caller:
    address: str
    key: ApiKey | None = None

    @property
    def identity(self) -> str:
        """The bucket its requests and characters are counted in."""
        return f"key:{self.key.name}" if self.key else f"addr:{self.address}"


class Gate:
    def __init__(self, settings: Settings) -> None:
        self.proxies = TrustedProxies.parse(settings.trusted_proxies)
        self.default_quota = parse_limits(settings.char_quota, "L10N_CHAR_QUOTA")
        self.rate = parse_limits(settings.rate_limit, "L10N_RATE_LIMIT")
        self.keys = KeyRing.load(settings.api_keys_file, self.default_quota)
        self.limiter = Limiter(settings.rate_limit_storage)

    def admit(self, peer: str, forwarded_for: Sequence[str], presented: str | None, *,
              needs_key: bool, role: str = TRANSLATE, key_in_url: bool = False) -> Caller:
        """The caller, or RateLimited (429) / Forbidden (403, also for a key without `role`)."""
        key = self.keys.lookup(presented) if presented and self.keys.required else None
        caller = Caller(self.proxies.client_address(peer, forwarded_for), key)
        refused = self.limiter.consume(self.rate, "requests", caller.identity)
        if refused:
            raise RateLimited(f"too many requests: the limit is {refused.describe('requests')}",
                              retry_after=refused.retry_after)
        if needs_key and self.keys.required and key is None:
            if presented:
                raise Forbidden("Invalid API key", code="invalid_api_key")
            if key_in_url:
                raise Forbidden("a key in the URL is never read (URLs are logged and passed "
                                "on): send 'Authorization: Bearer <key>'", code="key_in_url")
            raise Forbidden("an API key is required: send 'Authorization: Bearer <key>' "
                            "(or api_key on the LibreTranslate paths)", code="missing_api_key")
        if needs_key and key is not None and role not in key.roles:
            raise Forbidden(f"this operation needs a key with the {role} role",
                            code="role_required")
        return caller

    def charge(self, caller: Caller, chars: int) -> None:
        """Take `chars` from the caller's character quota, or refuse the whole request."""
        quota = caller.key.quota if caller.key else self.default_quota
        for limit in quota:
            if chars > limit.amount:  # would never fit: waiting does not help
                raise TooLarge(f"the request has {chars} characters, more than the whole quota "
                               f"of {limit.amount}; split it")
        refused = self.limiter.consume(quota, "chars", caller.identity, cost=chars)
        if refused:
            raise RateLimited(f"character quota used up: the quota is "
                              f"{refused.describe('characters')}",
                              retry_after=refused.retry_after, code="quota_exceeded")


# ------------------------------------------------------------ keys in URLs
KEY_PARAMETERS = {"api_key", "auth_key", "key"}  # LibreTranslate's, DeepL's old one, the usual
KEY_IN_URL = re.compile(r"([?&;](?:api_key|auth_key|key)=)[^&;\s\"']*", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` (an access-log line) with the value of every key parameter of a URL replaced."""
    return KEY_IN_URL.sub(r"\1[redacted]", text)


class RedactKeys(logging.Filter):
    """A key sent in the query string is never read (a URL is logged, cached and sent on in
    Referer headers), but the server's access log would still keep it: this filter, on the
    access loggers of werkzeug and gunicorn, rewrites the line first."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def redact_access_logs() -> None:
    """Install `RedactKeys` once on every access logger."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactKeys) for f in logger.filters):
            logger.addFilter(RedactKeys())


# ------------------------------------------------------------ the hook every blueprint runs
PROBE = "probe"  # for infrastructure (health, metrics): no key, no rate limit
PUBLIC = "public"  # describes the service (languages, the spec): no key, rate limited
KeySource = Callable[[], "str | None"]
"""Where an API besides `Authorization: Bearer` carries its key (LibreTranslate: `api_key`)."""


def probe(view: View) -> View:
    view.admission = PROBE  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    view.admission = PUBLIC  # type: ignore[attr-defined]
    return view


def requires(role: str) -> Callable[[View], View]:
    """A view only a key with `role` may call (when keys are configured): writes."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def mark(view: View) -> View:
        view.role = role  # type: ignore[attr-defined]
        return view
    return mark


def admit(key_source: KeySource | None = None) -> None:
    """A blueprint's `before_request`: count the request, check the key, set `g.caller`."""
    view = current_app.view_functions.get(request.endpoint or "")
    kind = getattr(view, "admission", None)
    if request.method == "OPTIONS" or kind == PROBE:
        return
    presented = bearer_token(request.headers.get("Authorization"))
    if presented is None and key_source is not None:
        presented = key_source()
    gate: Gate = current_app.extensions["l10n"].gate
    g.caller = gate.admit(request.remote_addr or "", request.headers.getlist("X-Forwarded-For"),
                          presented, needs_key=kind != PUBLIC,
                          role=getattr(view, "role", TRANSLATE),
                          key_in_url=bool(KEY_PARAMETERS & request.args.keys()))
