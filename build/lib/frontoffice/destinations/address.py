"""Where a destination may send events: public addresses only, unless a host is allowed by name.

A destination URL is chosen by a workspace admin, so without a rule the server could be made to
POST to itself, to the database's port or to a cloud metadata service (server-side request
forgery). Loopback, private, link-local, multicast, unspecified and reserved addresses (and IPv6
forms that embed one, such as ``::ffff:127.0.0.1``) are refused, whether written in the URL or
what its host name resolves to. The check runs when a destination is created and again before
every delivery round, and the round connects to the address it checked, so a name that resolves
elsewhere later (DNS rebinding) cannot slip past. ``destinations_allow_hosts`` lists internal
hosts (names or addresses) a deployment does want to reach.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from frontoffice.errors import InvalidInput

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_CLASSES = (("loopback", "is_loopback"), ("unspecified", "is_unspecified"),
            ("link-local", "is_link_local"), ("multicast", "is_multicast"),
            ("private", "is_private"), ("reserved", "is_reserved"))


class AddressRefused(InvalidInput):
    code = "destination_address_refused"


def allowed_hosts(setting: str | None) -> frozenset[str]:
    """The comma-separated ``destinations_allow_hosts`` setting as lower-case names/addresses."""
    return frozenset(h.strip().lower().strip("[]") for h in (setting or "").split(",") if h.strip())


def address_class(ip: Address) -> str | None:
    """Why this address is internal (``loopback``, ``private``…), or None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            inner = address_class(embedded)
            return f"{inner} (IPv4 inside IPv6)" if inner else None
    for name, attribute in _CLASSES:
        if getattr(ip, attribute):
            return name
    return None if ip.is_global else "non-public"


@dataclass(frozen=True, slots=True)
class Target:
    """A checked destination: connect to ``ip``, speak to ``host`` (Host header, TLS name)."""

    host: str
    port: int
    ip: str


def _resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise Unresolved(f"Destination host {host!r} does not resolve ({exc}); check the URL.") from None
    return [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos]


class Unresolved(AddressRefused):
    code = "destination_host_unresolved"


def check_new(url: str, allow: frozenset[str]) -> None:
    """A new destination's URL: refused when its host is, or resolves to, an internal address. A
    name that does not resolve yet is accepted: every delivery checks it again."""
    try:
        check(url, allow)
    except Unresolved:
        return


def check(url: str, allow: frozenset[str]) -> Target:
    """The address to connect to for ``url``, once every address its host has is public (or the
    host is listed in ``allow``); ``AddressRefused`` says which address and why otherwise."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise AddressRefused(f"Destination URL {url!r} names no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused(f"Destination URL {url!r} has an invalid port.") from None
    try:
        addresses: list[Address] = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = _resolve(host, port)
    if host not in allow:
        for ip in addresses:
            why = address_class(ip)
            if why is not None and str(ip) not in allow:
                named = f"{host} resolves to {ip}" if str(ip) != host else str(ip)
                raise AddressRefused(
                    f"Destination {url!r} is refused: {named}, a {why} address. Destinations may only "
                    "reach public addresses; to reach an internal host on purpose, list it in the "
                    "setting destinations_allow_hosts (FRONTOFFICE_DESTINATIONS_ALLOW_HOSTS).")
    return Target(host, port, str(addresses[0]))
