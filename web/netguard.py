"""Which hosts a webhook may call: never the server's own network unless the operator allows it.

A callback URL comes from a client, so without this check it would let any teacher make the server
send requests to its loopback, the school's private network or a cloud metadata address (SSRF). The
host is resolved and *every* address is checked (a name with one public and one private address is
refused), and delivery then connects to an address that passed, so DNS cannot change in between.

"Public" means globally routable. ``ipaddress``'s ``is_global`` alone is not enough: its tables
differ between Python patch releases (3.11.7 calls site-local ``fec0::/10`` global), and it does not
look inside addresses that carry an IPv4 address (IPv4-mapped, 6to4, NAT64). So forms that embed an
IPv4 address are unwrapped, and the IANA special-purpose ranges that are not globally reachable are
listed here as well.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from errors import InputError
from i18n import _

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(InputError, ValueError):
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


NOT_GLOBAL = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata services
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "::/8",  # unspecified, loopback, IPv4-compatible and IPv4-translated forms
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo
        "2001:db8::/32",
        "3fff::/20",  # documentation
        "5f00::/16",  # SRv6 segment identifiers
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated, still routed inside some networks)
        "ff00::/8",  # multicast
    )
)
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a connection to ``address`` really reaches, for the forms that carry one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast, judged on the IPv4 address inside IPv4-carrying IPv6 forms."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
    if any(address in network for network in NOT_GLOBAL if network.version == address.version):
        return False
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
        raise TargetRefused(_("callback host `{host}` has no address").format(host=host))
    if not allow_private:
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not is_public(address):
                raise TargetRefused(
                    f"callback host {host!r} resolves to {address}, which is not a public internet "
                    "address (loopback, private, link-local or another special-purpose range); use a "
                    "public address, or set LESSONAUDIO_WEB_WEBHOOK_ALLOW_PRIVATE=true if the receiver "
                    "really is on this network"
                )
    return Target(url=url.strip(), parts=parts, host=host, port=port, address=addresses[0])
