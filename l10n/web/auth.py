"""API keys: who may call the service, and each caller's character quota.

Keys are never stored, only their sha256 digests, so a leaked keys file gives no key away.
A plain sha256 is enough because keys are random (32 bytes from `secrets`): slow password
hashes exist for secrets a person chose, which can be guessed. A lookup compares the digest
of the presented key with *every* stored digest using `hmac.compare_digest`, so the time it
takes says neither whether nor which key matched.

The keys file (`L10N_API_KEYS_FILE`) has one key a line, fields separated by white space,
`#` starting a comment:

    <sha256 of the key, hex>  <name>  [character quota: "2000000/day", or "off"]

The name identifies the caller in logs and owns the quota (so a key can be replaced without
resetting its use); without a quota column the key gets `L10N_CHAR_QUOTA`. A new key and the
line for it:

    python -c "import secrets; from l10n.auth import hash_key; k = secrets.token_urlsafe(32); print(k); print(hash_key(k), 'newsroom')"
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path

from limits import RateLimitItem

from l10n.config import ConfigError
from l10n.web.ratelimit import parse_limits

_DIGEST = re.compile(r"[0-9a-f]{64}")


def hash_key(key: str) -> str:
    """The digest the keys file stores for `key`."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The credentials of an `Authorization: Bearer <key>` header, if that is what it is."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


@dataclass(frozen=True)
class ApiKey:
    name: str
    digest: str
    quota: tuple[RateLimitItem, ...]  # characters; () for no quota


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
            if len(fields) not in (2, 3):
                raise ConfigError(f"{where}: expected '<sha256> <name> [quota]'")
            digest, name = fields[0].lower(), fields[1]
            if not _DIGEST.fullmatch(digest):
                raise ConfigError(f"{where}: {fields[0]!r} is not a sha256 hex digest "
                                  "(store hash_key(key), never the key)")
            if any(k.name == name for k in keys):
                raise ConfigError(f"{where}: the name {name!r} is used twice")
            quota = parse_limits(fields[2], where) if len(fields) == 3 else default_quota
            keys.append(ApiKey(name, digest, quota))
        return cls(tuple(keys), required=True)

    def lookup(self, presented: str) -> ApiKey | None:
        digest = hash_key(presented)
        found = None
        for key in self.keys:  # no early exit: every lookup takes the same time
            if hmac.compare_digest(key.digest, digest):
                found = key
        return found
