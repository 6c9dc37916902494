"""The client's address behind reverse proxies, believing only the proxies we were told to.

`X-Forwarded-For` is a list that every proxy extends with the address it received the request
from, so only its right-hand end is trustworthy: a client can start it with anything it
likes. LibreTranslate takes the *first* value, which lets a client pick its own rate-limit
bucket by sending a new fake address with every request. Here the list is read from the
right, skipping addresses of trusted proxies (`L10N_TRUSTED_PROXIES`, CIDRs); the first
address that is not a trusted proxy is the client. Without trusted proxies the header is
ignored and the client is the TCP peer. (werkzeug's ProxyFix trusts a fixed *number* of hops,
not networks, and rewrites `remote_addr` for the whole app; this is a pure function instead.)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from l10n.config import ConfigError

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
