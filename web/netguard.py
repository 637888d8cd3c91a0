"""Which hosts a webhook may call: never the server's own network unless the operator allows it.

A callback URL comes from a client, so without this check it would let any teacher make the server
send requests to its loopback, the school's private network or a cloud metadata address (SSRF). The
host is resolved and *every* address is checked (a name with one public and one private address is
refused), and delivery then connects to an address that passed, so DNS cannot change in between.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """A callback URL the server will not call; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Target:
    """A checked callback: the URL as given and the address to connect to."""

    url: str
    parts: SplitResult
    host: str
    port: int
    address: str


def resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast; maps IPv4-in-IPv6 forms to the IPv4 address they carry."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
    return address.is_global and not address.is_multicast and not address.is_reserved


def check_target(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> Target:
    """Parse and resolve ``url``; refuse non-HTTP schemes, credentials and non-public addresses."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as err:
        raise TargetRefused(f"callback URL is not a valid URL: {err}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("callback URL must be an http:// or https:// URL with a host name")
    if parts.username or parts.password:
        raise TargetRefused("callback URL must not contain a user name or password")
    host = parts.hostname
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError) as err:
        raise TargetRefused(f"callback host {host!r} does not resolve: {err}") from None
    if not addresses:
        raise TargetRefused(f"callback host {host!r} has no address")
    if not allow_private:
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not is_public(address):
                raise TargetRefused(
                    f"callback host {host!r} resolves to {address}, a loopback, private or link-local "
                    "address; use a public address, or set LESSONAUDIO_WEB_WEBHOOK_ALLOW_PRIVATE=true "
                    "if the receiver really is on this network"
                )
    return Target(url=url.strip(), parts=parts, host=host, port=port, address=addresses[0])
