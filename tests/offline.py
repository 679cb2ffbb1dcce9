"""No network beyond loopback, enforced: a name lookup for anything but the loopback fails, as
it would on a machine with no network. Tests call `fence()` in-process (conftest.py), and each
miniature site's settings file calls it in its `invoke` subprocess, so a feed or an image that
names a public host (`https://tracker.example/p.gif`) is refused in words, never looked up.
Address literals are not looked up at all; the address guard judges them (ingest/guard.py)."""

import ipaddress
import socket

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
_lookup = socket.getaddrinfo


def _is_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def _loopback_only(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and name.lower() not in LOOPBACK_NAMES and not _is_literal(name):
        raise socket.gaierror(socket.EAI_NONAME, f"tests stay on loopback; {name} not looked up")
    return _lookup(host, *args, **kwargs)


def fence() -> None:
    socket.getaddrinfo = _loopback_only
