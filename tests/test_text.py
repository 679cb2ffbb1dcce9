"""Plain text: XML-safe characters, CJK-aware excerpts and reading time."""

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
