"""Plain text: XML-safe characters, CJK-aware excerpts and reading time."""

import math

from hypothesis import given
from hypothesis import strategies as st

from haokan.core.text import (
    display_width,
    excerpt,
    html_to_text,
    one_line,
    reading_minutes,
    xml_safe,
)


def test_xml_safe_strips_what_xml_forbids_and_keeps_the_rest():
    assert xml_safe("a\x00b\x01c\x08d\x0be\x1ff\ufffeg\uffffh\ud800i") == "abcdefghi"
    assert xml_safe("tab\tnl\ncr\r 中文 😀") == "tab\tnl\ncr\r 中文 😀"


def test_one_line_collapses_whitespace():
    assert one_line("  a \n\n b\t c  ") == "a b c"


def test_html_to_text_drops_tags_and_script_bodies_and_decodes_entities():
    assert html_to_text("<p>Fish &amp; <b>chips</b></p><script>alert(1)</script>") == "Fish & chips"


def test_excerpt_counts_cjk_characters_as_two_columns():
    chinese = "字" * 200
    short = excerpt(chinese, width=40)
    assert short.endswith("…")
    assert display_width(short) <= 40
    assert len(short) == 20  # 19 characters + the ellipsis: twice as wide as latin letters


def test_excerpt_cuts_english_at_a_word_boundary():
    text = "The quick brown fox jumps over the lazy dog " * 5
    short = excerpt(text, width=30)
    assert short == "The quick brown fox jumps…"


def test_excerpt_keeps_short_text_whole():
    assert excerpt("短文 short") == "短文 short"


def test_reading_time_reads_chinese_by_characters_and_english_by_words():
    assert reading_minutes("") == 0
    assert reading_minutes("hello") == 1
    assert reading_minutes("字" * 1200) == 3  # 400 characters a minute
    assert reading_minutes("word " * 690) == 3  # 230 words a minute
    assert reading_minutes("字" * 400 + " word" * 230) == 2


def test_table_cells_and_blocks_do_not_run_together():
    table = (
        "<table><tr><th>Limpet</th><th>Distance</th></tr>"
        "<tr><td>home A</td><td>12 cm</td></tr></table><p>one</p><p>two<br>three</p>"
    )
    assert html_to_text(table) == "Limpet Distance home A 12 cm one two three"
    assert html_to_text("<p>中文</p><p>段落</p>") == "中文 段落"
    assert html_to_text("<b>bold</b>er and <i>it</i>alic") == "bolder and italic"  # inline stays


# Text as feeds send it: latin words, CJK, hangul, kana, fullwidth forms, ideographs beyond the
# BMP, combining accents, odd spaces and characters XML forbids.
MIXED = st.text(
    alphabet=st.sampled_from(
        list("ab z,.;:、，。；：\t\n\u00a0\u2028\u3000é\u0301\x00\ufffe…字中한アＡ𠀁䷀")
    ),
    max_size=80,
)
# The oracle, one character at a time: which take two columns and are read by the character,
# and which are never part of a word (those, and the rest of the CJK blocks).
WIDE = [
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3040, 0x30FF), (0x3100, 0x31FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3134F),
]  # fmt: skip
APART = [*WIDE, (0x2E80, 0x9FFF)]


def _within(ch: str, blocks: list[tuple[int, int]]) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in blocks)


@given(MIXED, st.integers(min_value=1, max_value=40))
def test_an_excerpt_fits_its_columns_and_is_the_start_of_the_text(text, width):
    short = excerpt(text, width)
    line = one_line(text)
    assert display_width(short) == sum(2 if _within(c, WIDE) else 1 for c in short) <= width
    if short != line:
        assert short.endswith("…") and line.startswith(short.removesuffix("…"))


def test_an_excerpt_takes_every_column_it_can_when_there_is_no_space_to_cut_at():
    assert excerpt("a" * 100, 10) == "a" * 9 + "…"
    assert excerpt("字" * 3 + "a" * 100, 10) == "字字字aaa…"
    assert excerpt("a" * 8 + "字" * 10, 10) == "a" * 8 + "…"  # the next one takes two columns


@given(MIXED)
def test_reading_time_counts_each_wide_character_and_each_word_between_them(text):
    many = (text + " ") * 230  # a word a minute, and 230 wide characters 0.575 of one
    words = "".join(" " if _within(c, APART) else c for c in text).split()
    wide = sum(_within(c, WIDE) for c in text)
    minutes = math.ceil(wide * 230 / 400 + len(words))
    assert reading_minutes(many) == (max(1, minutes) if wide or words else 0)
