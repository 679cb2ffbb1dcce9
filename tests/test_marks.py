"""Marks: the owner's files, written by `invoke like`, read by the build; mistakes named clearly."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from haokan.core.errors import MarkError
from haokan.core.marks import parse_mark
from haokan.storage.owner import read_marks, remove_mark, save_mark

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FILE = Path("content/haokan/x.md")


def test_a_mark_file_reads_with_its_note_rendered_and_sanitized():
    mark = parse_mark(
        "Title: A good read\nLink: https://e.org/a?utm_source=x\nDate: 2026-11-24 20:15\n"
        "Via: https://friend.example/\n\n"
        "Loved **this**. [More](https://e.org/more) <img src=x onerror=alert(1)>"
        "<script>alert(2)</script>\n",
        FILE,
        ZONE,
    )
    assert mark.title == "A good read"
    assert mark.canonical == "https://e.org/a"
    assert mark.date == datetime(2026, 11, 24, 20, 15, tzinfo=ZONE)
    assert mark.via == "https://friend.example/"
    assert mark.note_html == (
        '<p>Loved <strong>this</strong>. <a href="https://e.org/more" '
        'rel="noopener noreferrer nofollow ugc">More</a> </p>'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Title: t\nDate: 2026-11-24\n\nnote", r"Link '' is not an http\(s\) URL"),
        (
            "Title: t\nLink: javascript:alert(1)\nDate: 2026-11-24\n",
            r"Link 'javascript:alert\(1\)' is not an http\(s\) URL",
        ),
        ("Title: t\nLink: https://e.org/\nDate: yesterday\n", "Date 'yesterday' is not a date"),
        ("Title: t\nLink: https://e.org/\n", "no Date"),
        ("Title: t\nthis line is wrong\n", r"line 2: expected 'Name: value'"),
    ],
)
def test_a_broken_mark_is_one_error_naming_the_file(text, message):
    with pytest.raises(MarkError, match=rf"content/haokan/x\.md.*{message}"):
        parse_mark(text, FILE, ZONE)


def test_marking_the_same_article_twice_updates_the_note(tmp_path):
    path, existed = save_mark(
        tmp_path, "https://e.org/a?utm_source=rss", "A title", "first", NOW, ZONE
    )
    assert not existed and path.parent == tmp_path
    again, existed = save_mark(
        tmp_path, "https://e.org/a#comments", "", "second thoughts", NOW.replace(day=25), ZONE
    )
    assert existed and again == path
    (mark,) = read_marks(tmp_path, ZONE)
    assert (mark.title, mark.note, mark.date) == ("A title", "second thoughts", NOW)


def test_titles_and_links_cannot_inject_metadata(tmp_path):
    path, _ = save_mark(
        tmp_path, "https://e.org/b", "Evil\nLink: https://evil.example/", "n", NOW, ZONE
    )
    (mark,) = read_marks(tmp_path, ZONE)
    assert mark.link == "https://e.org/b" and mark.title == "Evil Link: https://evil.example/"
    assert path.read_text().count("\nLink:") == 1


def test_unmarking_removes_the_file(tmp_path):
    save_mark(tmp_path, "https://e.org/a", "A", "", NOW, ZONE)
    assert remove_mark(tmp_path, "https://e.org/a?utm_campaign=x", ZONE) is not None
    assert read_marks(tmp_path, ZONE) == ()
    assert remove_mark(tmp_path, "https://e.org/a", ZONE) is None


def test_a_link_that_is_not_a_web_address_cannot_be_marked(tmp_path):
    with pytest.raises(MarkError, match="not an http"):
        save_mark(tmp_path, "file:///etc/passwd", "x", "", NOW, ZONE)


def test_a_misspelt_field_is_one_error_naming_the_file_the_field_and_the_fix():
    text = "Title: t\nLink: https://e.org/\nDate: 2026-11-24\nVai: https://friend.example/\n"
    with pytest.raises(MarkError) as raised:
        parse_mark(text, FILE, ZONE)
    assert str(raised.value) == (
        "content/haokan/x.md, line 4: unknown field 'Vai'; did you mean Via? "
        "(a mark has Title, Link, Date, Via, Modified)"
    )
