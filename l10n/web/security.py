"""Admission: who is calling, may they, and have they room left, before any work is done.

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

from collections.abc import Sequence
from dataclasses import dataclass

from l10n.config import Settings
from l10n.errors import ServiceError, TooLarge
from l10n.web.auth import ApiKey, KeyRing
from l10n.web.proxies import TrustedProxies
from l10n.web.ratelimit import Limiter, RateLimited, parse_limits


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
              needs_key: bool) -> Caller:
        """The caller, or RateLimited (429) / Forbidden (403)."""
        key = self.keys.lookup(presented) if presented and self.keys.required else None
        caller = Caller(self.proxies.client_address(peer, forwarded_for), key)
        refused = self.limiter.consume(self.rate, "requests", caller.identity)
        if refused:
            raise RateLimited(f"too many requests: the limit is {refused.describe('requests')}",
                              retry_after=refused.retry_after)
        if needs_key and self.keys.required and key is None:
            if presented:
                raise Forbidden("Invalid API key", code="invalid_api_key")
            raise Forbidden("an API key is required: send 'Authorization: Bearer <key>' "
                            "(or api_key on the LibreTranslate paths)", code="missing_api_key")
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
