"""Plain-text helpers of the core: XML-safe characters, CJK-aware excerpts and reading time."""

from __future__ import annotations

import functools
import html
import math
import re
import unicodedata

import nh3

# Everything XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF), plus the
# C1 controls and noncharacters that are legal but make feed validators and Pelican's writer choke.
_XML_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_SPACES = re.compile(r"\s+")

# CJK ideographs, kana, hangul and fullwidth forms: each character reads like a word.
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)
_WORD = re.compile(r"[^\s\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+")

CJK_CHARS_PER_MINUTE = 400
WORDS_PER_MINUTE = 230


def xml_safe(value: str) -> str:
    """Return `value` without the characters XML 1.0 forbids (and C1 controls)."""
    return _XML_FORBIDDEN.sub("", value)


def one_line(value: str) -> str:
    """Return `value` made XML-safe, NFC-normalized, with runs of whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", xml_safe(value))).strip()


# Where a block or a table cell ends, words must not run together ("Limpet</td><td>Distance").
_BREAKS = re.compile(
    r"(</(?:td|th|tr|p|div|li|h[1-6]|blockquote|pre|table|caption|dt|dd|figcaption)\s*>"
    r"|<br\s*/?>)",
    re.IGNORECASE,
)


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment, on one line (blocks and cells apart)."""
    spaced = _BREAKS.sub(r"\1 ", fragment)
    stripped = nh3.clean(spaced, tags=set(), clean_content_tags={"script", "style"})
    return one_line(html.unescape(stripped))


@functools.lru_cache(maxsize=1 << 12)  # each note's, at every build of one process
def note_text(note_html: str) -> str:
    """Return a note's visible text (`html_to_text`; notes are short, and asked for often)."""
    return html_to_text(note_html)


def display_width(value: str) -> int:
    """Return how many columns `value` takes: CJK characters count two."""
    return len(value) + len(_CJK.findall(value))


def excerpt(text: str, width: int = 280) -> str:
    """Return the start of `text` fitting `width` columns, cut at a word boundary, with '…'."""
    text = one_line(text)
    if display_width(text) <= width:
        return text
    used, cut = 0, 0
    for index, ch in enumerate(text[:width]):  # every character takes at least one column
        used += 2 if _CJK.match(ch) else 1
        if used > width - 1:
            break
        cut = index + 1
    head = text[:cut]
    # Cut latin text at a space; CJK text can be cut between any two characters.
    if cut < len(text) and not _CJK.match(text[cut]) and " " in head[-40:]:
        last = head[cut - 1]
        if not _CJK.match(last):
            head = head[: head.rfind(" ")]
    return head.rstrip(" ,.;:、，。；：") + "…"


def reading_minutes(text: str) -> int:
    """Return whole minutes to read `text`: CJK by characters, other scripts by words."""
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(text))
    minutes = cjk / CJK_CHARS_PER_MINUTE + words / WORDS_PER_MINUTE
    return max(1, math.ceil(minutes)) if (cjk or words) else 0
