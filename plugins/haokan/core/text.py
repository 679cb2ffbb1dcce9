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

# The patterns below are compiled when first used: a build that changed nothing uses none, and
# compiling their large character classes took 18 ms of its start.
_pattern = functools.cache(re.compile)
# CJK ideographs, kana, hangul and fullwidth forms: each character reads like a word.
_CJK = (
    "[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)
_CJK_RUNS = _CJK + "+"  # counted by runs: a match per character is slow
# Words are what lies between spaces and CJK (which is read by the character, never as words).
_NOT_WORDS = (
    "\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)
_WORD = f"[^\\s{_NOT_WORDS}]+"
_APART = f"[{_NOT_WORDS}]"  # none in a text: its words are what str.split finds

CJK_CHARS_PER_MINUTE = 400
WORDS_PER_MINUTE = 230


def xml_safe(value: str) -> str:
    """Return `value` without the characters XML 1.0 forbids (and C1 controls)."""
    return _XML_FORBIDDEN.sub("", value)


def one_line(value: str) -> str:
    """Return `value` made XML-safe, NFC-normalized, with runs of whitespace collapsed."""
    # str.split's whitespace is the regex \s (both are str.isspace): runs collapse, ends go.
    return " ".join(unicodedata.normalize("NFC", xml_safe(value)).split())


# Where a block or a table cell ends, words must not run together ("Limpet</td><td>Distance").
_BREAKS = re.compile(
    r"</(?:td|th|tr|p|div|li|h[1-6]|blockquote|pre|table|caption|dt|dd|figcaption)\s*>"
    r"|<br\s*/?>",
    re.IGNORECASE,
)
# Every tag goes, script and style with what is in them (made once: nh3 builds its sanitizer
# from the options at each call otherwise).
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})


def _space_after(match: re.Match[str]) -> str:
    return match.group() + " "  # half the time of the template r"\1 ", expanded at each match


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment, on one line (blocks and cells apart)."""
    spaced = _BREAKS.sub(_space_after, fragment)
    stripped = _TEXT_ONLY.clean(spaced)
    return one_line(html.unescape(stripped))


@functools.lru_cache(maxsize=1 << 12)  # each note's, at every build of one process
def note_text(note_html: str) -> str:
    """Return a note's visible text (`html_to_text`; notes are short, and asked for often)."""
    return html_to_text(note_html)


def display_width(value: str) -> int:
    """Return how many columns `value` takes: CJK characters count two."""
    return len(value) + _cjk_count(value)


def _cjk_count(value: str) -> int:
    return sum(map(len, _pattern(_CJK_RUNS).findall(value)))


def excerpt(text: str, width: int = 280) -> str:
    """Return the start of `text` fitting `width` columns, cut at a word boundary, with '…'."""
    text = one_line(text)
    # Every character takes at least one column: a longer text cannot fit.
    if len(text) <= width and display_width(text) <= width:
        return text
    cjk = _pattern(_CJK)
    if cjk.search(text, 0, width) is None:
        cut = max(width - 1, 0)  # one column each, and one left for the '…'
    else:
        used, cut = 0, 0
        for index, ch in enumerate(text[:width]):
            used += 2 if cjk.match(ch) else 1
            if used > width - 1:
                break
            cut = index + 1
    head = text[:cut]
    # Cut latin text at a space; CJK text can be cut between any two characters.
    if cut < len(text) and not cjk.match(text[cut]) and " " in head[-40:]:
        last = head[cut - 1]
        if not cjk.match(last):
            head = head[: head.rfind(" ")]
    return head.rstrip(" ,.;:、，。；：") + "…"


def reading_minutes(text: str) -> int:
    """Return whole minutes to read `text`: CJK by characters, other scripts by words."""
    # The common case: words between spaces.
    if text.isascii() or _pattern(_APART).search(text) is None:
        cjk, words = 0, len(text.split())
    else:
        cjk, words = _cjk_count(text), len(_pattern(_WORD).findall(text))
    minutes = cjk / CJK_CHARS_PER_MINUTE + words / WORDS_PER_MINUTE
    return max(1, math.ceil(minutes)) if (cjk or words) else 0
