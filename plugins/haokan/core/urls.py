"""URL rules of the core: which URLs we accept, and the canonical form articles merge on."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from .text import xml_safe

WEB_SCHEMES = frozenset({"http", "https"})
LINK_SCHEMES = WEB_SCHEMES | {"mailto"}
MAX_URL_LENGTH = 2048

# Query parameters that only track the reader; dropped before articles are compared.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "spm",
        "chksm",
        "scene",
        "srcid",
        "sharer_sharetime",
        "sharer_shareid",
        "isappinstalled",
        "share_token",
        "ref_src",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
    }
)
TRACKING_PREFIXES = ("utm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")
# mp.weixin.qq.com/s?... names an article by these four parameters; everything else is noise.
WECHAT_ARTICLE_PARAMS = ("__biz", "mid", "idx", "sn")
DEFAULT_PORTS = {"http": 80, "https": 443}

_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f]")  # browsers drop tabs and newlines in URLs
# Characters left alone when re-quoting: reserved ones and '%' of existing escapes.
_SAFE = "/:?#[]@!$&'()*+,;=%~"


def absolute_url(
    value: object, base: str | None = None, schemes: frozenset[str] = WEB_SCHEMES
) -> str | None:
    """Return `value` resolved against `base` if it is a well-formed URL of `schemes`, else None."""
    if not isinstance(value, str):
        return None
    value = _UNSAFE_CHARS.sub("", xml_safe(value).strip())
    if not value or len(value) > MAX_URL_LENGTH:
        return None
    try:
        resolved = urljoin(base, value) if base else value
        parts = urlsplit(resolved)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return None
    if scheme == "mailto":
        return f"mailto:{quote(parts.path, safe=_SAFE)}" if parts.path else None
    host = parts.hostname
    if not host or parts.username is not None or parts.password is not None:
        return None
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    path = quote(parts.path, safe=_SAFE) or "/"
    return urlunsplit(
        (scheme, netloc, path, quote(parts.query, safe=_SAFE), quote(parts.fragment, safe=_SAFE))
    )


_HOST = re.compile(r"(localhost|[\w-]+(\.[\w-]+)+)(:\d+)?", re.IGNORECASE)


def web_address(value: str) -> tuple[str | None, bool]:
    """Return the http(s) URL an owner typed, and whether https:// was assumed because they
    typed none (example.com/post); (None, False) when it is no web address."""
    url = absolute_url(value)
    if url is not None:
        return url, False
    text = value.strip()
    if _HOST.fullmatch(text.split("/", 1)[0]) and not any(c.isspace() for c in text):
        guessed = absolute_url(f"https://{text}")
        if guessed is not None:
            return guessed, True
    return None, False


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@functools.lru_cache(maxsize=1 << 16)  # a build asks for each stored entry's several times
def canonical_url(url: str) -> str:
    """Return the form of `url` that articles are merged on (idempotent).

    Scheme and host lower-cased, default port and fragment dropped, tracking parameters
    dropped, the query sorted; a WeChat article keeps only `__biz`, `mid`, `idx` and `sn`.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{netloc}:{port}"
    query = parse_qsl(parts.query, keep_blank_values=True)
    if host == "mp.weixin.qq.com" and parts.path.rstrip("/") == "/s":
        query = [(k, v) for k, v in query if k in WECHAT_ARTICLE_PARAMS]
    else:
        query = [(k, v) for k, v in query if not _is_tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query), quote_via=quote), ""))
